"""Opening and creating projects; the transaction boundary every service uses.

A :class:`Project` bundles the folder, its settings and a session factory. ``project.session()``
commits when the block succeeds and rolls back otherwise, so every user action (one coding,
one imported file) is durable the moment the call returns, or not applied at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qcode.codebook.load import default_codebook_path, load_codebook
from qcode.config import (
    SETTINGS_FILE,
    Settings,
    check_database_url,
    database_url,
    environment_database_url,
    load_settings,
    make_private_dir,
    save_settings,
    scrub_secrets,
)
from qcode.errors import QcodeError, StorageError
from qcode.storage import codebooks as codebook_store
from qcode.storage.engine import make_engine, make_sessionmaker, redact, sqlite_path
from qcode.storage.migrate import current_revision, head_revision, upgrade


def now() -> datetime:
    """Timestamps are stored naive in local time, as coders read them."""
    return datetime.now().replace(microsecond=0)


@dataclass
class Project:
    folder: Path
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def url(self) -> str:
        return redact(database_url(self.folder, self.settings))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: commit on success, roll back on any error."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except OperationalError as error:
            session.rollback()
            raise StorageError(
                f"The database refused the operation: {scrub_secrets(str(error.orig))}"
            ) from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _connect(folder: Path, settings: Settings, create: bool = False) -> Project:
    url = database_url(folder, settings)
    engine = make_engine(url, create=create)
    return Project(folder=folder, settings=settings, engine=engine, sessions=make_sessionmaker(engine))


def open_project(folder: Path, migrate: bool = True) -> Project:
    """Open the project in ``folder``; applies pending migrations unless told not to.

    Never creates a database: a missing SQLite file is an error (a mistyped path in the
    ``database`` setting must not quietly start an empty project).
    """
    settings = load_settings(folder)
    project = _connect(folder, settings)
    try:
        if migrate:
            upgrade(project.engine)
        elif current_revision(project.engine) != head_revision(project.engine):
            raise StorageError(
                "The project database needs a migration: run qcode migrate", title="Old schema"
            )
    except (OperationalError, DBAPIError) as error:
        project.close()
        raise StorageError(
            f"Cannot open the project database {project.url}: {scrub_secrets(str(error.orig))}"
        ) from error
    return project


def init_project(
    folder: Path, database: str = "", codebook: Path | None = None, name: str = ""
) -> Project:
    """Create a project folder with settings, an up-to-date store and the codebook loaded.

    All or nothing: everything that can be refused (the URL, a password in it, the codebook) is
    checked before anything is written, ``qcode.toml`` is written last, and on any failure
    what this call created (the folder, the SQLite file, ``exports/``) is removed again, so a
    second ``qcode init`` starts from scratch.
    """
    settings_path = folder / SETTINGS_FILE
    if settings_path.exists():
        raise QcodeError(f"{folder} already holds a qcode project.", title="Project exists")
    if database:
        check_database_url(database, "--database")
    environment_database_url()  # refuses a password in QCODE_DATABASE_URL before any write
    book = load_codebook(codebook or default_codebook_path())
    settings = Settings(name=name or folder.resolve().name, database=database)
    if codebook is not None:
        settings.codebook = str(codebook)
    created = _InitUndo(folder)
    project: Project | None = None
    try:
        make_private_dir(folder)
        created.note(folder / "exports", make=True)
        url = database_url(folder, settings)
        created.note_sqlite(url)
        project = _connect(folder, settings, create=True)
        upgrade(project.engine)
        with project.session() as session:
            codebook_store.save_codebook(session, book, now())
        save_settings(folder, settings)
    except BaseException as error:
        if project is not None:
            project.close()
        created.undo()
        if isinstance(error, OperationalError | DBAPIError):
            raise StorageError(
                f"Cannot create the project database {redact(database_url(folder, settings))}: "
                f"{scrub_secrets(str(error.orig))}"
            ) from error
        raise
    return project


class _InitUndo:
    """What ``init_project`` created, in order, so a failed init can remove exactly that."""

    def __init__(self, folder: Path) -> None:
        self.paths: list[Path] = [] if folder.exists() else _missing_parts(folder)

    def note(self, path: Path, make: bool = False) -> None:
        if not path.exists():
            self.paths.append(path)
            if make:
                make_private_dir(path)

    def note_sqlite(self, url: str) -> None:
        path = sqlite_path(url)
        if path is not None and not path.exists():
            self.paths.extend(_missing_parts(path.parent))
            self.paths += [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))]

    def undo(self) -> None:
        for path in reversed(self.paths):
            with suppress(OSError):
                if path.is_dir():
                    path.rmdir()  # only if empty: never remove what someone else put there
                else:
                    path.unlink(missing_ok=True)


def _missing_parts(folder: Path) -> list[Path]:
    """``folder`` and its parents that do not exist yet, outermost first."""
    missing = []
    for part in [folder.absolute(), *folder.absolute().parents]:
        if part.exists():
            break
        missing.append(part)
    return missing[::-1]


def migrate_project(folder: Path) -> tuple[str | None, str | None]:
    """Apply migrations; returns (revision before, revision after)."""
    settings = load_settings(folder)
    project = _connect(folder, settings)
    try:
        before = current_revision(project.engine)
        upgrade(project.engine)
        return before, current_revision(project.engine)
    finally:
        project.close()
