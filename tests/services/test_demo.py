"""``qcode demo`` reopens its project on a second run; ``--fresh`` builds a new one (issue 17)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from qcode.cli import main
from qcode.services.demo import SAMPLE_CORPUS, open_demo

DOCUMENT = "casus-01/chat-2013-10-14"  # the first row of the sample's cases.csv


def _demo(*args: str) -> str:
    result = CliRunner().invoke(main, ["demo", "--no-tui", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_second_run_reopens_the_demo_with_its_codings(tmp_path: Path) -> None:
    folder = tmp_path / "qcode-demo"
    assert (SAMPLE_CORPUS / "cases.csv").is_file()
    assert f"Demo project in {folder}:" in _demo("--dir", str(folder))
    added = CliRunner().invoke(main, ["coders", "--project", str(folder), "--add", "anna"])
    assert added.exit_code == 0, added.output
    coded = CliRunner().invoke(
        main, ["code", "--project", str(folder), DOCUMENT, "Open vraag", "--utterance", "1", "--coder", "anna"]
    )
    assert coded.exit_code == 0, coded.output

    output = _demo("--dir", str(folder))

    assert f"Reopened the existing demo project in {folder}" in output
    assert "--fresh" in output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["qcode-demo"]
    listed = CliRunner().invoke(
        main, ["codings", "--project", str(folder), "--coder", "anna", "--format", "json"]
    )
    assert listed.exit_code == 0, listed.output
    assert [(c["document"], c["code"]) for c in json.loads(listed.stdout)] == [(DOCUMENT, "Open vraag")]


def test_fresh_builds_a_new_demo_beside_the_old_one(tmp_path: Path) -> None:
    folder = tmp_path / "qcode-demo"
    _demo("--dir", str(folder))
    before = (folder / "qcode.toml").read_bytes()

    output = _demo("--dir", str(folder), "--fresh")

    assert f"Demo project in {folder}-2:" in output
    assert (tmp_path / "qcode-demo-2" / "qcode.toml").is_file()
    assert (folder / "qcode.toml").read_bytes() == before


def test_a_folder_that_is_not_a_project_is_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "qcode-demo"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")

    output = _demo("--dir", str(folder))

    assert "not a qcode project; left as they are" in output
    assert f"Demo project in {folder}-2:" in output
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_an_empty_folder_is_used_for_the_demo(tmp_path: Path) -> None:
    folder = tmp_path / "qcode-demo"
    folder.mkdir()
    demo = open_demo(folder)
    try:
        assert demo.folder == folder and demo.summary is not None
        assert demo.summary.errors == []
    finally:
        demo.project.close()
    reopened = open_demo(folder)
    try:
        assert reopened.folder == folder and reopened.summary is None
    finally:
        reopened.project.close()
