"""Shared fixtures: projects on SQLite and (when a server is there) PostgreSQL.

``./run tests`` and CI start a throw-away PostgreSQL server on loopback and export
``QCODE_TEST_PG_URL``; each test then gets its own database. Outside CI, without a server, the
PostgreSQL half of the backend-parametrised tests is skipped with that reason; in CI a missing
server is a failure, never a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from qcode.services.project import Project, init_project

PG_URL = os.environ.get("QCODE_TEST_PG_URL", "")


def _pg_database() -> Iterator[str]:
    import psycopg
    from sqlalchemy.engine import make_url

    if not PG_URL:
        if os.environ.get("CI"):
            pytest.fail("CI must test PostgreSQL, but QCODE_TEST_PG_URL is not set (see .ci/run).")
        pytest.skip("No PostgreSQL server here: run the tests with ./run tests to start one.")
    name = f"qcode_test_{uuid.uuid4().hex[:12]}"
    admin = make_url(PG_URL)
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def require_pipeline() -> str:
    """The Dutch pipeline's name or path; skip (outside CI only) when none can be found."""
    from qcode.errors import SuggestionError
    from qcode.suggest.nlp import find_pipeline

    try:
        return find_pipeline()
    except SuggestionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the suggestion tests with a real Dutch pipeline: {error}")
        pytest.skip(f"no Dutch spaCy pipeline here: {error}")


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """'' (the project's SQLite file) or the URL of a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield ""
    else:
        yield from _pg_database()


@pytest.fixture
def pg_url() -> Iterator[str]:
    yield from _pg_database()


@pytest.fixture
def project(tmp_path: Path, backend_url: str) -> Iterator[Project]:
    """A fresh project with the Klikvoorhulp codebook, on each backend."""
    proj = init_project(tmp_path / "project", database=backend_url)
    yield proj
    proj.close()


@pytest.fixture
def sqlite_project(tmp_path: Path) -> Iterator[Project]:
    proj = init_project(tmp_path / "project")
    yield proj
    proj.close()
