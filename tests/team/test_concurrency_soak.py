"""Concurrency soak: many coders in separate processes on the same documents, both backends.

Runs in the normal test command (about a minute, both backends at once). 8 coders work
against PostgreSQL and 2 against a SQLite project (WAL, busy timeout), applying, removing,
and undoing codings at random on two shared documents; the stores must then match the
logs of acknowledged operations exactly (see ``tests/team/soak.py``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from qcode.services import team as team_service
from qcode.services.project import Project, init_project
from tests.team import soak
from tests.team.data import make_document, store_documents

SECONDS = float(os.environ.get("QCODE_SOAK_SECONDS", "60"))
DOCUMENTS = ["c1/chat", "c2/chat"]


def _project(folder: Path, database: str, coders: list[str]) -> Project:
    project = init_project(folder, database=database)
    store_documents(project, *(make_document(key, key.split("/")[0]) for key in DOCUMENTS))
    for coder in coders:
        team_service.add_coder(project, coder)
    return project


def test_soak_postgresql_8_coders_and_sqlite_2_coders(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    skipped = ""
    try:
        pg_url = str(request.getfixturevalue("pg_url"))
    except pytest.skip.Exception as reason:  # outside CI without a server binary only
        skipped, pg_url = str(reason), ""
    runs: list[tuple[soak.Soak, int]] = []
    lite_coders = ["lite1", "lite2"]
    lite = _project(tmp_path / "lite", "", lite_coders)
    runs.append((soak.start(lite, lite_coders, DOCUMENTS, tmp_path / "lite-logs"), 2))
    if pg_url:
        pg_coders = [f"coder{n}" for n in range(1, 9)]
        pg = _project(tmp_path / "pg", pg_url, pg_coders)
        runs.append((soak.start(pg, pg_coders, DOCUMENTS, tmp_path / "pg-logs"), 8))
    soaks = [s for s, _ in runs]
    try:
        soak.release(soaks, SECONDS)
        soak.wait(soaks, timeout=SECONDS + 120)
    finally:
        for s in soaks:
            for process in s.processes:
                if process.poll() is None:
                    process.kill()
    for s, n in runs:
        result = soak.check(s, minimum_seconds=SECONDS * 0.95)
        # The soak must really have contended: removals of other coders' codings and
        # conflicts (a coding already removed) happened, and plenty of operations overall.
        assert result.cross_removes > 0
        assert result.ops["add"] >= n * SECONDS / 10
        assert result.ops["undo"] > 0
        if n == 8:
            assert result.ops["conflict"] > 0
        print(f"{n} coders: {dict(result.ops)}, cross-coder removals {result.cross_removes}")
        s.project.close()
    if skipped:
        pytest.skip(f"SQLite soak passed; PostgreSQL soak not run: {skipped}")
