"""import-qdpx / import-codebook: the code mapping shown with --dry-run, then applied (issue 18)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from qcode.cli import main
from qcode.services.project import open_project
from qcode.storage import codebooks as codebook_store

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "refi-qda"


def _codes(folder: Path) -> list[str]:
    project = open_project(folder)
    try:
        with project.session() as session:
            return [c.name for c in codebook_store.stored_codebook(session).codes]
    finally:
        project.close()


def test_dry_run_shows_the_mapping_and_stores_nothing(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "p"
    assert runner.invoke(main, ["init", str(folder)]).exit_code == 0
    before = _codes(folder)
    path = EXAMPLES / "qualcoder-3.7-export-crlf.qdpx"
    dry = runner.invoke(main, ["import-qdpx", "--project", str(folder), "--dry-run", str(path)])
    assert dry.exit_code == 0, dry.output
    assert "Would import 18 documents, 317 codings, 2 new codes (28 matched" in dry.output
    assert "Intake (Fasen hulpverleningsproces) -> Intake (Fasen hulpverleningsproces) [same name in group]" in dry.output
    assert "Zelfredzaamheid (Zelfredzaamheid) -> Zelfredzaamheid" in dry.output
    assert "Losse code (Imported) -> new code in group" in dry.output
    assert "kept as memos: 1 project description" in dry.output
    assert "Dry run: nothing was stored." in dry.output
    assert _codes(folder) == before
    done = runner.invoke(main, ["import-qdpx", "--project", str(folder), str(path)])
    assert done.exit_code == 0, done.output
    assert "turns of 18 documents rebuilt from the speaker codings" in done.output
    assert sorted(_codes(folder)) == sorted([*before, "Losse code", "Open vraag - waarom"])
    listed = runner.invoke(main, ["codings", "--project", str(folder), "--code", "Intake", "--format", "json"])
    import json

    rows = json.loads(listed.output)
    assert listed.exit_code == 0 and rows and {(r["code"], r["code_id"]) for r in rows} == {("Intake", "intake")}


def test_codebook_import_never_brings_in_the_speaker_codes(tmp_path: Path) -> None:
    runner = CliRunner()
    folder = tmp_path / "p"
    assert runner.invoke(main, ["init", str(folder)]).exit_code == 0
    qdc = EXAMPLES / "qualcoder-3.7-codebook.qdc"
    assert b'name="Sprekers"' in qdc.read_bytes()
    result = runner.invoke(main, ["import-codebook", "--project", str(folder), str(qdc)])
    assert result.exit_code == 0, result.output
    assert "2 codes added, 28 matched" in result.output
    names = _codes(folder)
    assert not {"Sprekers", "Hulpverlener", "Hulpvrager", "Systeem"} & set(names)
    assert len(names) == len(set(names))
