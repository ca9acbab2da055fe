"""Project settings in ``qcode.toml``: read with tomllib, written by a tiny writer.

The file is meant to be edited by researchers, so it holds only simple values. It never holds a
database password: a PostgreSQL URL is stored without it (libpq finds the password in
``PGPASSWORD`` or ``~/.pgpass``), and ``QCODE_DATABASE_URL`` overrides the setting entirely.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from qcode.errors import QcodeError

SETTINGS_FILE = "qcode.toml"
DEFAULT_DATABASE_FILE = "qcode.sqlite3"


@dataclass
class Settings:
    """What a project can configure; every field has a sensible default."""

    name: str = "qcode project"
    database: str = ""
    """SQLAlchemy URL without password; empty means the SQLite file in the project folder."""
    spacy_model: str = ""
    """Path or package name of a Dutch spaCy pipeline; empty: environment, then nl_core_news_sm."""
    codebook: str = ""
    """Codebook YAML loaded at init; empty: the bundled Klikvoorhulp codebook."""
    typing_chars_per_minute: float = 0.0
    """0 means the documented default of the silence rule (docs/autocode.md)."""
    acronyms: list[str] = field(default_factory=list)
    """Extra all-capital words that are not shouting (added to the built-in list)."""
    roles: dict[str, str] = field(default_factory=dict)
    """Extra speaker labels or e-mail addresses -> counsellor / client / system."""
    keys: dict[str, str] = field(default_factory=dict)
    """Workbench key remapping: binding id -> key."""


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def dump_settings(settings: Settings) -> str:
    """TOML text for ``settings`` (tables last, as TOML requires)."""
    lines = ["# qcode project settings (see README: 'Project settings')"]
    tables: list[tuple[str, dict[str, str]]] = []
    for f in fields(settings):
        value = getattr(settings, f.name)
        if isinstance(value, dict):
            tables.append((f.name, value))
        else:
            lines.append(f"{f.name} = {_toml_value(value)}")
    for name, table in tables:
        lines.append("")
        lines.append(f"[{name}]")
        lines.extend(f"{_toml_value(k)} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def load_settings(folder: Path) -> Settings:
    """Read ``qcode.toml``; unknown keys are an error so typos do not pass silently."""
    path = folder / SETTINGS_FILE
    if not path.exists():
        raise QcodeError(
            f"No qcode project in {folder.resolve()} (no {SETTINGS_FILE}). "
            "Create one with: qcode init DIR",
            title="No project",
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise QcodeError(f"{path}: {error}", title="Invalid project settings") from error
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise QcodeError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}",
            title="Invalid project settings",
        )
    settings = Settings(**data)
    if "://" in settings.database and "@" in settings.database.split("://", 1)[1].split("/")[0]:
        userinfo = settings.database.split("://", 1)[1].split("@", 1)[0]
        if ":" in userinfo:
            raise QcodeError(
                f"{path}: the database URL contains a password. Remove it and put the password "
                "in PGPASSWORD or ~/.pgpass instead.",
                title="Invalid project settings",
            )
    return settings


def save_settings(folder: Path, settings: Settings) -> None:
    path = folder / SETTINGS_FILE
    tmp = path.with_suffix(".toml.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(dump_settings(settings))
    os.replace(tmp, path)


def database_url(folder: Path, settings: Settings) -> str:
    """The URL to connect to: ``QCODE_DATABASE_URL``, the setting, or the project's SQLite file."""
    override = os.environ.get("QCODE_DATABASE_URL", "").strip()
    if override:
        return override
    if settings.database:
        return settings.database
    return f"sqlite:///{(folder / DEFAULT_DATABASE_FILE).resolve()}"
