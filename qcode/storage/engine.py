"""Engine and session factory: the one place that knows which database backend is used.

SQLite (the single-user default) gets WAL journaling, a busy timeout so two processes on one
machine wait for each other instead of failing, enforced foreign keys, and a file created
readable by the owner only. PostgreSQL (teams) needs nothing special here; credentials come
from the URL given at run time, the environment (``PGPASSWORD``) or ``~/.pgpass`` and are
never written into the project file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from qcode.config import make_private_dir, scrub_secrets
from qcode.errors import StorageError

SQLITE_BUSY_TIMEOUT_MS = 30_000


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path.resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file a SQLite URL points at; None for another backend or an in-memory database."""
    try:
        parsed = make_url(url)
    except Exception:  # sqlalchemy raises ArgumentError for malformed URLs
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database or "")


def _touch_private(path: Path, create: bool) -> None:
    """Create the database file with mode 0600 before SQLite does (it would honour umask).

    Only when asked: SQLite silently creates a missing file, so a mistyped path in the
    ``database`` setting would otherwise open a new, empty project store (and its folders).
    """
    if path.exists():
        return
    if not create:
        raise StorageError(
            f"There is no database file {path}. Check the 'database' setting in qcode.toml "
            "(or QCODE_DATABASE_URL); only 'qcode init' creates a new database.",
            title="No database",
        )
    make_private_dir(path.parent)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
    os.close(fd)


def _on_sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _on_sqlite_begin(conn: Any) -> None:
    # pysqlite's default deferred transactions upgrade to a write lock late and can fail with
    # "database is locked" on the upgrade; BEGIN IMMEDIATE waits (busy_timeout) instead.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, create: bool = False) -> Engine:
    """Create an engine for ``url`` with the backend's safety settings applied.

    Args:
        url: SQLAlchemy URL.
        create: May create a missing SQLite file (``qcode init``, a copy's target); opening a
            project never does.

    Raises:
        StorageError: the URL is malformed, names a driver qcode does not have, or (unless
            ``create``) points at a SQLite file that does not exist.
    """
    try:
        parsed = make_url(url)
    except Exception as error:  # sqlalchemy raises ArgumentError for malformed URLs
        raise StorageError(f"Not a valid database URL: {redact(url)} ({scrub_secrets(str(error))})") from error
    try:
        return _engine_for(parsed, create)
    except (NoSuchModuleError, ImportError) as error:
        raise StorageError(
            f"qcode cannot use the database {redact(url)}: no driver for '{parsed.drivername}' "
            "(qcode works with sqlite:/// and postgresql:// URLs)."
        ) from error


def _engine_for(parsed: URL, create: bool) -> Engine:
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        memory = not database or database == ":memory:"
        if not memory:
            _touch_private(Path(database or ""), create)
        kwargs: dict[str, Any] = {}
        if memory:
            from sqlalchemy.pool import StaticPool

            kwargs = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        else:
            kwargs = {"connect_args": {"check_same_thread": False, "isolation_level": None}}
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _on_sqlite_connect)
        if not memory:
            event.listen(engine, "begin", _on_sqlite_begin)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return create_engine(parsed, pool_pre_ping=True)


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (services hand values to the UI)."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def redact(url: str) -> str:
    """The URL without its password (in any form), for messages and logs."""
    try:
        return scrub_secrets(make_url(url).render_as_string(hide_password=True))
    except Exception:
        return "<invalid database URL>"
