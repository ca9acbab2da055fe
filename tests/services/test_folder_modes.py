"""Folders qcode creates are private (0700) whatever the umask; files stay 0600 (issue 20)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from qcode.services.project import init_project
from qcode.services.tables import export_tables


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The common default umask, which would make new folders 0755 (readable by everyone)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_project_and_export_folders_are_0700(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "new" / "nested" / "study"
    project = init_project(folder)
    try:
        for made in (tmp_path / "new", tmp_path / "new" / "nested", folder, folder / "exports"):
            assert _mode(made) == 0o700, made
        for file in (folder / "qcode.toml", folder / "qcode.sqlite3"):
            assert _mode(file) == 0o600, file
        default = export_tables(project, "csv").paths
        assert default[0].parent.parent == folder / "exports"
        elsewhere = export_tables(project, "csv", tmp_path / "out" / "deep" / "tables").paths
        made = {p.parent for p in default + elsewhere} | {tmp_path / "out", tmp_path / "out" / "deep"}
        assert {d: _mode(d) for d in made} == dict.fromkeys(made, 0o700)
        assert {_mode(p) for p in default + elsewhere} == {0o600}
        (xlsx,) = export_tables(project, "xlsx", tmp_path / "x" / "t.xlsx").paths
        assert _mode(xlsx.parent) == 0o700 and _mode(xlsx) == 0o600
    finally:
        project.close()


def test_an_existing_folder_keeps_its_mode(tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o750)
    init_project(folder).close()
    assert _mode(folder) == 0o750  # the user's own folder: qcode does not change it
    assert _mode(folder / "exports") == 0o700
