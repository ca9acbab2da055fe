"""Project settings in ``qcode.toml``: checked once on load, written back with comments kept.

The file is edited by researchers, so everything a person can type into it gets a message that
names the setting and says what is expected, never a traceback: the loader checks each value's
type itself (a handful of fields does not need a validation framework). Writing goes through
tomlkit, which keeps a user's comments and layout when qcode changes one value.

The file never holds a database password: a PostgreSQL URL is stored without it (libpq finds
the password in ``PGPASSWORD`` or ``~/.pgpass``). Every form a password can take in a URL
(``user:pw@host``, ``?password=``) is refused wherever a URL enters (setting, ``--database``,
``QCODE_DATABASE_URL``) and hidden in every message (:func:`scrub_secrets`).
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from qcode.errors import QcodeError

SETTINGS_FILE = "qcode.toml"
DEFAULT_DATABASE_FILE = "qcode.sqlite3"
SUPPORTED_DATABASES = ("sqlite", "sqlite+pysqlite", "postgresql", "postgresql+psycopg")
"""URL schemes qcode can connect with (the drivers it installs: sqlite3 and psycopg 3)."""
PASSWORD_HINT = "Put the password in PGPASSWORD or ~/.pgpass instead (see docs/team.md)."
_INVALID = "Invalid project settings"


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
    next_uncoded_groups: list[str] = field(default_factory=list)
    """Codebook groups whose codes make a turn "coded" for the workbench's ``.`` (next uncoded);
    empty: every code whose unit is ``utterance`` (phases and other segments never count)."""


_EXAMPLES = {
    "name": 'name = "Klik voor hulp"',
    "database": 'database = "postgresql://coder@db.example.org/klik"',
    "spacy_model": 'spacy_model = "nl_core_news_sm"',
    "codebook": 'codebook = "codebook.yaml"',
    "typing_chars_per_minute": "typing_chars_per_minute = 180",
    "acronyms": 'acronyms = ["GGD", "UWV"]',
    "roles": '[roles] then a line like "Sanne" = "counsellor"',
    "keys": '[keys] then a line like next_utterance = "j"',
    "next_uncoded_groups": 'next_uncoded_groups = ["technique", "role_division"]',
}


def _describe(value: object) -> str:
    """How a wrongly typed TOML value reads to a person (TOML's names, not Python's)."""
    kinds = [
        (bool, "true/false"), (int, "a number"), (float, "a number"), (str, "text"),
        (list, "a list"), (dict, "a table"),
    ]
    kind = next((name for t, name in kinds if isinstance(value, t)), "a date or time")
    shown = repr(value) if isinstance(value, str | int | float | bool) else ""
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"{kind} {shown}".strip()


def _bad(path: Path, key: str, expected: str, value: object) -> QcodeError:
    return QcodeError(
        f"{path}: setting '{key}' must be {expected}, but it is {_describe(value)}. "
        f"Example: {_EXAMPLES[key.split('.')[0]]}",
        title=_INVALID,
    )


def _text(path: Path, key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _bad(path, key, "text in quotes", value)
    return value


def _number(path: Path, key: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad(path, key, "a number (characters per minute, 0 for the default)", value)
    if not 0 <= value < 100_000:
        raise QcodeError(
            f"{path}: setting '{key}' must be 0 (the default) or a typing speed in characters "
            f"per minute, but it is {value!r}.",
            title=_INVALID,
        )
    return float(value)


def _text_list(path: Path, key: str, value: object) -> list[str]:
    if not isinstance(value, list):
        raise _bad(path, key, "a list of words in square brackets", value)
    for item in value:
        if not isinstance(item, str):
            raise _bad(path, key, "a list of words in quotes", item)
    return list(value)


def _text_table(path: Path, key: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _bad(path, key, "a table (a [" + key + "] section)", value)
    for name, item in value.items():
        if not isinstance(item, str):
            raise _bad(path, f"{key}.{name}", "text in quotes", item)
    return dict(value)


_CHECKS: dict[str, Callable[[Path, str, object], Any]] = {
    "name": _text,
    "database": _text,
    "spacy_model": _text,
    "codebook": _text,
    "typing_chars_per_minute": _number,
    "acronyms": _text_list,
    "roles": _text_table,
    "keys": _text_table,
    "next_uncoded_groups": _text_list,
}


def _read_toml(path: Path) -> dict[str, Any]:
    raw = path.read_bytes()
    try:
        # utf-8-sig: Windows editors (Notepad) put a byte-order mark first; it is not content.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise QcodeError(
            f"{path}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x}). Save the file as "
            "UTF-8 in your editor.",
            title=_INVALID,
        ) from error
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise QcodeError(f"{path}: not valid TOML: {error}", title=_INVALID) from error
    except RecursionError as error:
        raise QcodeError(
            f"{path}: a value is nested too deeply (lists inside lists); qcode settings are "
            "simple values, lists of words and [roles]/[keys] tables.",
            title=_INVALID,
        ) from error


def settings_from_mapping(data: Mapping[str, Any], path: Path) -> Settings:
    """Check every value of a parsed settings file and build :class:`Settings` from them.

    Raises:
        QcodeError: naming the first wrong setting, what it should be and an example.
    """
    known = [f.name for f in fields(Settings)]
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise QcodeError(
            f"{path}: unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}",
            title=_INVALID,
        )
    values = {key: _CHECKS[key](path, key, value) for key, value in data.items()}
    settings = Settings(**values)
    if settings.database:
        check_database_url(settings.database, f"{path}: setting 'database'")
    _check_roles(settings.roles)
    return settings


def _check_roles(roles: Mapping[str, str]) -> None:
    # Imported here: the role vocabulary lives with the transcripts it applies to.
    from qcode.transcripts.roles import RoleMap

    RoleMap.default().with_labels(roles)


def load_settings(folder: Path) -> Settings:
    """Read and check ``qcode.toml``; unknown keys are an error so typos do not pass silently."""
    path = folder / SETTINGS_FILE
    if not path.is_file():
        raise QcodeError(
            f"No qcode project in {folder.resolve()} (no {SETTINGS_FILE}). "
            "Create one with: qcode init DIR",
            title="No project",
        )
    return settings_from_mapping(_read_toml(path), path)


_HEADER = (
    "qcode project settings (see README: 'Project settings').\n"
    "Comments you add here are kept when qcode changes a setting."
)


def _document(path: Path) -> tomlkit.TOMLDocument:
    """The existing file as a tomlkit document (comments kept), or a new one with a header."""
    if not path.exists():
        document = tomlkit.document()
        for line in _HEADER.splitlines():
            document.add(tomlkit.comment(line))
        return document
    try:
        return tomlkit.parse(path.read_bytes().decode("utf-8-sig"))
    except (UnicodeDecodeError, TOMLKitError, RecursionError) as error:
        raise QcodeError(f"{path}: cannot update it: {error}", title=_INVALID) from error


def dump_settings(settings: Settings, path: Path) -> str:
    """The TOML text ``save_settings`` writes: the file at ``path`` (if any) with new values."""
    document = _document(path)
    _update(document, settings)
    return tomlkit.dumps(document)


def _update(document: tomlkit.TOMLDocument, settings: Settings) -> None:
    """Set each value that differs; untouched lines (and their comments) stay as they were."""
    scalars = [f.name for f in fields(settings) if not isinstance(getattr(settings, f.name), dict)]
    tables = [f.name for f in fields(settings) if isinstance(getattr(settings, f.name), dict)]
    for name in scalars:
        value = getattr(settings, name)
        if document.get(name) != value:
            document[name] = value
    for name in tables:
        wanted: dict[str, str] = getattr(settings, name)
        table = document.get(name)
        if table is None:
            table = tomlkit.table()
            document.add(name, table)
        for key in [k for k in table if k not in wanted]:
            del table[key]
        for key, value in wanted.items():
            if table.get(key) != value:
                table[key] = value


def save_settings(folder: Path, settings: Settings) -> None:
    """Write ``qcode.toml`` atomically (mode 0600), keeping the user's comments."""
    path = folder / SETTINGS_FILE
    text = dump_settings(settings, path)
    tmp = path.with_suffix(".toml.tmp")
    fd = os.open(tmp, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def environment_database_url() -> str:
    """``QCODE_DATABASE_URL`` (checked like the setting), or '' when it is not set."""
    override = os.environ.get("QCODE_DATABASE_URL", "").strip()
    if override:
        check_database_url(override, "QCODE_DATABASE_URL")
    return override


def database_url(folder: Path, settings: Settings) -> str:
    """The URL to connect to: ``QCODE_DATABASE_URL``, the setting, or the project's SQLite file."""
    override = environment_database_url()
    if override:
        return override
    if settings.database:
        return settings.database
    return f"sqlite:///{(folder / DEFAULT_DATABASE_FILE).resolve()}"


SECRET_QUERY_KEYS = frozenset({"password", "passwd", "pwd", "sslpassword"})
"""URL query parameters that carry a password (libpq's and common drivers' names)."""
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+._-]*)://")


def url_password_forms(url: str) -> list[str]:
    """Where ``url`` carries a password: 'user:password@' and/or '?password='."""
    forms = []
    if _USERINFO_SECRET_RE.search(url):
        forms.append("user:password@")
    if _QUERY_SECRET_RE.search(url):
        forms.append("?password=")
    return forms


def check_database_url(url: str, source: str) -> None:
    """Refuse a URL qcode cannot use or must not keep: unknown driver, or any password.

    ``source`` says where the URL came from (a setting, an option, a variable) for the message.
    """
    match = _SCHEME_RE.match(url.strip())
    if match is None:
        raise QcodeError(
            f"{source}: '{redact_url(url)}' is not a database URL; use "
            "postgresql://user@host/database or sqlite:///path/to/file.sqlite3",
            title="Invalid database URL",
        )
    scheme = match.group(1).lower()
    if scheme not in SUPPORTED_DATABASES:
        raise QcodeError(
            f"{source}: qcode cannot use a '{scheme}' database; it works with "
            f"{', '.join(SUPPORTED_DATABASES)} (e.g. postgresql://user@host/database).",
            title="Unsupported database",
        )
    forms = url_password_forms(url)
    if forms:
        raise QcodeError(
            f"{source}: the database URL {redact_url(url)} contains a password "
            f"({' and '.join(forms)}); qcode never stores or passes one. {PASSWORD_HINT}",
            title="Password in database URL",
        )


_USERINFO_SECRET_RE = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+._-]*://[^:/?#@\s]*):[^\s/?#]*@")
"""``scheme://user:secret@``; greedy up to the last '@' before the host, so an unencoded '@'
in the password is hidden too."""
_QUERY_SECRET_RE = re.compile(
    r"(?P<head>[?&;](?:" + "|".join(sorted(SECRET_QUERY_KEYS)) + r")=)[^&\s'\"]*", re.IGNORECASE
)


def scrub_secrets(text: str) -> str:
    """``text`` with every URL password replaced by ``***`` (for any message shown or logged).

    Matches the two forms a URL can carry a password in: ``scheme://user:secret@`` and a
    ``password=`` query parameter.
    """
    text = _USERINFO_SECRET_RE.sub(r"\g<head>:***@", text)
    return _QUERY_SECRET_RE.sub(r"\g<head>***", text)


def redact_url(url: str) -> str:
    """The URL with any password hidden (user:***@, password=***)."""
    return scrub_secrets(url)


def make_private_dir(path: Path) -> Path:
    """Create ``path`` and any missing parents with mode 0700, whatever the umask.

    ``Path.mkdir(parents=True)`` gives the parents the umask's mode, and a umask such as 022
    would make them readable by every user of the machine; folders that existed are left as
    they are (they are the user's).
    """
    missing = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(folder, stat.S_IRWXU)
    if not path.is_dir():
        raise QcodeError(f"{path} exists and is not a folder.")
    return path
