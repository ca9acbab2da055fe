"""Opening and creating projects; the transaction boundary every service uses.

A :class:`Project` bundles the folder, its settings and a session factory. ``project.session()``
commits when the block succeeds and rolls back otherwise, so every user action (one coding,
one imported file) is durable the moment the call returns, or not applied at all.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from qcode.codebook.load import default_codebook_path, load_codebook
from qcode.config import Settings, database_url, load_settings, save_settings
from qcode.errors import QcodeError, StorageError
from qcode.storage import codebooks as codebook_store
from qcode.storage.engine import make_engine, make_sessionmaker, redact
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
            raise StorageError(f"The database refused the operation: {error.orig}") from error
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def close(self) -> None:
        self.engine.dispose()


def _connect(folder: Path, settings: Settings) -> Project:
    url = database_url(folder, settings)
    engine = make_engine(url)
    return Project(folder=folder, settings=settings, engine=engine, sessions=make_sessionmaker(engine))


def open_project(folder: Path, migrate: bool = True) -> Project:
    """Open the project in ``folder``; applies pending migrations unless told not to."""
    settings = load_settings(folder)
    project = _connect(folder, settings)
    try:
        if migrate:
            upgrade(project.engine)
        elif current_revision(project.engine) != head_revision(project.engine):
            raise StorageError(
                "The project database needs a migration: run qcode migrate", title="Old schema"
            )
    except OperationalError as error:
        raise StorageError(
            f"Cannot open the project database {project.url}: {error.orig}"
        ) from error
    return project


def init_project(
    folder: Path, database: str = "", codebook: Path | None = None, name: str = ""
) -> Project:
    """Create a project folder with settings, an up-to-date store and the codebook loaded."""
    folder.mkdir(parents=True, exist_ok=True)
    settings_path = folder / "qcode.toml"
    if settings_path.exists():
        raise QcodeError(f"{folder} already holds a qcode project.", title="Project exists")
    settings = Settings(name=name or folder.resolve().name, database=database)
    if codebook is not None:
        settings.codebook = str(codebook)
    save_settings(folder, settings)
    (folder / "exports").mkdir(exist_ok=True)
    project = open_project(folder)
    book = load_codebook(codebook or default_codebook_path())
    with project.session() as session:
        codebook_store.save_codebook(session, book, now())
    return project


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
