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
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from qcode.errors import StorageError

SQLITE_BUSY_TIMEOUT_MS = 30_000


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path.resolve()}"


def _touch_private(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite does (it would honour umask)."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
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


def make_engine(url: str) -> Engine:
    """Create an engine for ``url`` with the backend's safety settings applied."""
    try:
        parsed = make_url(url)
    except Exception as error:  # sqlalchemy raises ArgumentError for malformed URLs
        raise StorageError(f"Not a valid database URL: {url!r} ({error})") from error
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        memory = not database or database == ":memory:"
        if not memory:
            _touch_private(Path(database or ""))
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
    """The URL without its password, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<invalid database URL>"
