"""The store itself: migrations match the models, SQLite files are private, re-open works."""

from __future__ import annotations

import stat
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from qcode.services.project import Project, open_project
from qcode.storage.migrate import current_revision, head_revision
from qcode.storage.schema import Base


def test_migrations_produce_exactly_the_model_schema(project: Project) -> None:
    with project.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []
    assert current_revision(project.engine) == head_revision(project.engine)


def test_sqlite_store_is_private_and_wal(sqlite_project: Project) -> None:
    path = sqlite_project.folder / "qcode.sqlite3"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite_project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    settings = sqlite_project.folder / "qcode.toml"
    assert stat.S_IMODE(settings.stat().st_mode) == 0o600


def test_reopen_keeps_codebook(sqlite_project: Project) -> None:
    folder: Path = sqlite_project.folder
    sqlite_project.close()
    again = open_project(folder)
    from qcode.services.codebook import codebook

    assert len(codebook(again).codes) == 28
    again.close()
