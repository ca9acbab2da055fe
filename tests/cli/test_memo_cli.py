"""``qcode memo`` and ``qcode memos`` as a user types them (turns counted from 1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.project import open_project
from qcode.transcripts.model import Role

DOC = "casus-03/chat-2014-05-21"


def run(folder: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, [args[0], "--project", str(folder), *args[1:]], input=stdin)
    return result.exit_code, result.output


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    for args in (
        ("import", str(SAMPLE_CORPUS)),
        ("coders", "--add", "anna"),
        ("coders", "--add", "bram"),
    ):
        code, out = run(folder, *args)
        assert code == 0, out
    return folder


def _memos(folder: Path, *args: str) -> list[dict[str, object]]:
    code, out = run(folder, "memos", "--format", "json", *args)
    assert code == 0, out
    return list(json.loads(out))


def test_a_turn_memo_lands_on_the_turn_counted_from_one(folder: Path) -> None:
    code, out = run(folder, "memo", DOC, "--utterance", "5", "Hier kantelt het", "--coder", "anna")
    assert code == 0 and "saved" in out, out
    [memo] = _memos(folder)
    project = open_project(folder)
    from qcode.services.workbench import open_document

    fifth = open_document(project, DOC).utterances[4]  # the fifth turn, read independently
    project.close()
    assert (memo["kind"], memo["document"], memo["turn"], memo["index"]) == ("utterance", DOC, 5, fifth.index)
    assert memo["memo"] == "Hier kantelt het" and memo["coder"] == "anna" and memo["case"] == "casus-03"
    assert fifth.role in (Role.CLIENT, Role.COUNSELLOR)


def test_document_case_code_and_coding_memos_and_filters(folder: Path) -> None:
    assert run(folder, "memo", DOC, "Doorverwezen naar huisarts", "--coder", "anna")[0] == 0
    assert run(folder, "memo", "--case", "casus-03", "Zelfde hulpvrager?", "--coder", "bram")[0] == 0
    assert run(folder, "memo", "--code", "Open vraag", "Ook: vertel eens", "--coder", "anna")[0] == 0
    code, out = run(folder, "code", DOC, "Open vraag", "--utterance", "2", "--coder", "anna")
    coding_id = out.split()[1]
    assert run(folder, "memo", "--coding", coding_id, "eigenlijk gesloten", "--coder", "anna")[0] == 0
    kinds = {m["kind"]: m for m in _memos(folder)}
    code, out = run(folder, "memo", "--free", "Week 1: intake kort", "--coder", "anna")
    free_id = out.split()[1]
    run(folder, "memo", "--free", "--edit", free_id, "Week 1: intake overal kort", "--coder", "anna")
    kinds = {m["kind"]: m for m in _memos(folder)}
    assert set(kinds) == {"document", "case", "code", "coding", "project"}
    assert kinds["project"]["memo"] == "Week 1: intake overal kort" and kinds["project"]["place"] == "project"
    assert kinds["code"]["code_name"] == "Open vraag" and kinds["code"]["code"] == "open_vraag"
    assert kinds["coding"]["coding"] == int(coding_id)
    assert [m["memo"] for m in _memos(folder, "--kind", "case")] == ["Zelfde hulpvrager?"]
    assert [m["memo"] for m in _memos(folder, "--coder", "bram")] == ["Zelfde hulpvrager?"]
    assert [m["memo"] for m in _memos(folder, "--search", "HUISARTS")] == ["Doorverwezen naar huisarts"]
    assert {m["kind"] for m in _memos(folder, "--code", "Open vraag")} == {"code", "coding"}
    code, out = run(folder, "codings", "--format", "json")
    assert [c["memo"] for c in json.loads(out)] == ["eigenlijk gesloten"]
    code, out = run(folder, "memos")
    assert code == 0 and "Zelfde hulpvrager?" in out and "case casus-03" in out
    code, out = run(folder, "memos", "--format", "csv")
    assert out.splitlines()[0].startswith("id,kind,place,case,document,turn,index,coding,code,code_name,coder,memo")


def test_append_stdin_clear_and_undo(folder: Path) -> None:
    run(folder, "memo", DOC, "eerste gedachte", "--coder", "anna")
    run(folder, "memo", DOC, "--append", "tweede gedachte", "--coder", "anna")
    assert [m["memo"] for m in _memos(folder)] == ["eerste gedachte\n\ntweede gedachte"]
    run(folder, "memo", DOC, "-", "--coder", "anna", stdin="uit een bestand\nmet twee regels\n")
    assert [m["memo"] for m in _memos(folder)] == ["uit een bestand\nmet twee regels"]
    code, out = run(folder, "memo", DOC, "", "--coder", "anna")
    assert code == 0 and "removed" in out and _memos(folder) == []
    assert run(folder, "undo", "--coder", "anna")[0] == 0
    assert [m["memo"] for m in _memos(folder)] == ["uit een bestand\nmet twee regels"]


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        (("memo", "casus-03/chat-2014-05-12", "x", "--coder", "anna"), 2, f"did you mean '{DOC}'"),
        (("memo", DOC, "x", "--coder", "anan"), 2, "did you mean 'anna'"),
        (("memo", "--case", "casus-3", "x", "--coder", "anna"), 2, "did you mean 'casus-03'"),
        (("memo", "--code", "Open vrag", "x", "--coder", "anna"), 2, "did you mean 'Open vraag'"),
        (("memo", DOC, "--utterance", "0", "x", "--coder", "anna"), 2, "0 is not in the range x>=1"),
        (("memo", DOC, "--utterance", "999", "x", "--coder", "anna"), 1, "there is no turn 999"),
        (("memo", DOC, "x"), 2, "--coder NAME"),
        (("memo", "--case", "casus-03", DOC, "x", "--coder", "anna"), 2, "Expected: qcode memo --case"),
        (("memo", "--case", "casus-03", "--code", "Intake", "x", "--coder", "anna"), 2, "one place"),
        (("memos", "--coder", "bran"), 2, "did you mean 'bram'"),
        (("memos", "--document", "casus-03/chat"), 2, "did you mean"),
    ],
)
def test_bad_input_is_refused_without_a_memo(folder: Path, args: tuple[str, ...], status: int, message: str) -> None:
    code, out = run(folder, *args)
    assert code == status, out
    assert message in " ".join(out.split())
    assert "Traceback" not in out
    assert _memos(folder) == []
