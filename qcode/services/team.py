"""The team: who codes (coders, supervisors), blind coding, and where the team's store lives.

Blind mode is enforced here and in storage (:func:`visible_coders`), never in a view: every
service that shows codings asks :func:`visible_coders` whose codings the viewer may see.

A team shares one PostgreSQL database; a single researcher, or an archive, uses the SQLite file
in the project folder. ``copy_project`` moves everything (codebook, corpus, coders, codings,
undo history, memos, suggestions and decisions, blind-mode settings) and proves the copy exact
before the project is switched over. Credentials are never written: the stored URL has no
password (libpq reads ``PGPASSWORD`` or ``~/.pgpass``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER
from qcode.config import (
    DEFAULT_DATABASE_FILE,
    SECRET_QUERY_KEYS,
    database_url,
    load_settings,
    save_settings,
)
from qcode.errors import QcodeError, StorageError, UnknownNameError
from qcode.services.project import Project, now
from qcode.storage import codings as coding_store
from qcode.storage.codings import RegisteredCoder
from qcode.storage.copy import TableCheck, copy_store
from qcode.storage.engine import make_engine, redact
from qcode.storage.settings import get_setting, set_setting

BLIND = "blind"
BLIND_RELEASED = "blind_released"



def visible_coders(session: Session, viewer: str | None) -> list[str] | None:
    """Coders whose codings ``viewer`` may see; None means all.

    In a blind project, until a supervisor releases the codings, a coder sees only their own
    codings and the machine's (automatic codes are not anyone's judgement).
    """
    if get_setting(session, BLIND, "off") != "on" or get_setting(session, BLIND_RELEASED) == "yes":
        return None
    if viewer is None:
        raise QcodeError(
            "This project codes blind: say who you are (--as NAME, or set QCODE_CODER) to see codings.",
            title="Blind coding",
        )
    known = {coder.name for coder in coding_store.coder_names(session)}
    if viewer not in known:
        raise UnknownNameError("coder", viewer, known, see="qcode coders")
    if coding_store.is_supervisor(session, viewer):
        return None
    return [viewer, AUTO_CODER]


def is_blind(project: Project) -> bool:
    with project.session() as session:
        return get_setting(session, BLIND, "off") == "on" and get_setting(session, BLIND_RELEASED) != "yes"


def set_blind(project: Project, on: bool, by: str) -> None:
    """Switch blind coding on or off (supervisors only once coders exist)."""
    with project.session() as session:
        require_supervisor(session, by)
        set_setting(session, BLIND, "on" if on else "off")
        set_setting(session, BLIND_RELEASED, "no")


def release_blind(project: Project, by: str) -> None:
    """Let every coder see every coding (after independent coding is finished)."""
    with project.session() as session:
        require_supervisor(session, by)
        set_setting(session, BLIND_RELEASED, "yes")


def require_supervisor(session: Session, name: str) -> None:
    """Refuse unless ``name`` is a supervisor (any coder may, while the project has none)."""
    people = [c for c in coding_store.coder_names(session) if c.kind == "person"]
    if any(c.supervisor for c in people) and not coding_store.is_supervisor(session, name):
        raise QcodeError(f"Only a supervisor can do this; {name} is not one.", title="Not allowed")


def add_coder(project: Project, name: str, supervisor: bool = False) -> None:
    if name in (AUTO_CODER, CONSENSUS_CODER):
        raise QcodeError(f"'{name}' is reserved for qcode's own codings; choose another name.")
    with project.session() as session:
        coding_store.ensure_coder(session, name, now(), supervisor=supervisor)


def list_coders(project: Project) -> list[RegisteredCoder]:
    with project.session() as session:
        return coding_store.coder_names(session)




@dataclass(frozen=True, slots=True)
class CopyReport:
    """What ``copy_project`` did, for the CLI to show."""

    source: str
    """Source URL without password."""
    target: str
    """Target URL without password."""
    tables: tuple[TableCheck, ...]
    switched: bool
    """True when the project's ``database`` setting now points at the target."""
    setting: str
    """The ``database`` value written (or that would be written) to qcode.toml."""
    overridden: bool
    """QCODE_DATABASE_URL is set, so it (not qcode.toml) decides which store is used."""


def storable_url(url: str, folder: Path) -> str:
    """The form of ``url`` that may be written to qcode.toml: no password, absolute paths.

    The project's own SQLite file is stored as the empty default, so the folder stays
    relocatable.
    """
    try:
        parsed = make_url(url)
    except Exception as error:  # sqlalchemy raises ArgumentError for malformed URLs
        raise QcodeError(f"Not a valid database URL: {redact(url)} ({error})") from error
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise QcodeError("Copy to a SQLite file, not to an in-memory database.")
        path = Path(parsed.database).expanduser().resolve()
        if path == (folder / DEFAULT_DATABASE_FILE).resolve():
            return ""
        return f"sqlite:///{path}"
    # URL.set() ignores None, so the password is dropped with the NamedTuple _replace; a
    # password given as a query parameter (?password=) is dropped with it.
    parsed = parsed.difference_update_query([k for k in parsed.query if k.lower() in SECRET_QUERY_KEYS])
    return parsed._replace(password=None).render_as_string(hide_password=False)


def _engine_url(url: str) -> str:
    """The URL to connect with (relative SQLite paths resolved against the working folder)."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        return f"sqlite:///{Path(parsed.database).expanduser().resolve()}"
    return url


def copy_project(folder: Path, to_url: str, switch: bool = True) -> CopyReport:
    """Copy the project's store to the empty database at ``to_url`` and verify the copy.

    Args:
        folder: The project folder (holds qcode.toml).
        to_url: SQLAlchemy URL of an empty database (``postgresql://user@host/db`` or
            ``sqlite:///path``). A password in it is used for this copy only, never stored.
        switch: Point the project at the copy afterwards (set ``database`` in qcode.toml).

    Raises:
        StorageError: the target is not empty or unreachable, or the copy did not verify.
    """
    settings = load_settings(folder)
    source_url = database_url(folder, settings)
    setting = storable_url(to_url, folder)
    target_url = _engine_url(to_url)
    if make_url(target_url) == make_url(_engine_url(source_url)):
        raise QcodeError("The target is the project's own database; give another one.")
    source = make_engine(source_url)
    target = make_engine(target_url, create=True)
    try:
        checks = copy_store(source, target)
    except StorageError:
        raise
    except Exception as error:  # driver errors: unreachable server, no permission, ...
        raise StorageError(f"Could not copy to {redact(target_url)}: {error}") from error
    finally:
        source.dispose()
        target.dispose()
    if switch:
        settings.database = setting
        save_settings(folder, settings)
    return CopyReport(
        source=redact(source_url),
        target=redact(target_url),
        tables=tuple(checks),
        switched=switch,
        setting=setting,
        overridden=bool(os.environ.get("QCODE_DATABASE_URL", "").strip()),
    )
