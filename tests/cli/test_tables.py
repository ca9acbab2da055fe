"""Default tables fit 100 columns and use the study's labels; --wide and CSV give everything."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.cli import main, tables
from qcode.services.demo import SAMPLE_CORPUS
from tests.conftest import require_pipeline

DOC = "casus-03/chat-2014-05-21"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tables") / "proj"
    runner = CliRunner()
    for args in (
        ["init", str(folder)],
        ["import", "--project", str(folder), str(SAMPLE_CORPUS)],
        ["autocode", "--project", str(folder)],
        ["coders", "--project", str(folder), "--add", "anna"],
        ["coders", "--project", str(folder), "--add", "bram"],
        ["code", "--project", str(folder), DOC, "Open vraag", "--utterance", "5", "--coder", "anna"],
        ["code", "--project", str(folder), DOC, "Open vraag", "--utterance", "8", "--coder", "anna"],
        ["code", "--project", str(folder), DOC, "Gesloten vraag", "--utterance", "5", "--coder", "bram"],
        ["code", "--project", str(folder), DOC, "Open vraag", "--utterance", "8", "--coder", "bram"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    return folder


def _run(project: Path, *args: str) -> str:
    result = CliRunner().invoke(main, [args[0], "--project", str(project), *args[1:]])
    assert result.exit_code == 0, result.output
    return result.output


PEOPLE_TABLES = [
    (["stats"], ["Code", "Group", "Cases with code", "Leestekens", "paratext", "100 % (13/13)"]),
    (["stats", "--by", "channel"], ["Chat cases", "E-mail cases", "100 % (9/9)"]),
    (["stats", "--table", "counts"], ["Code", "Group", "total", "per case left out"]),
    (["agreement", "--coders", "anna,bram", "--bootstrap", "0"], ["Code", "% agree", "Cohen κ", "α", "Open vraag"]),
    (["metrics", "--by", "case"], ["Case", "Chats", "E-mails", "Reply chat", "casus-13"]),
]


@pytest.mark.parametrize(("args", "expected"), PEOPLE_TABLES, ids=[" ".join(a) for a, _e in PEOPLE_TABLES])
def test_default_tables_fit_100_columns_with_labels(project: Path, args: list[str], expected: list[str]) -> None:
    output = _run(project, *args)
    assert max(len(line) for line in output.splitlines()) <= 100
    for text in expected:
        assert text in output
    for raw in ("cases_with_code", "percent_agreement", "n_chats", "emoticons "):
        assert raw not in output  # column names and code ids are for scripts


def test_wide_and_csv_keep_every_column(project: Path) -> None:
    wide = _run(project, "stats", "--wide")
    assert "cases_with_code" in wide
    csv = _run(project, "agreement", "--coders", "anna,bram", "--bootstrap", "0", "--format", "csv")
    assert csv.splitlines()[0].split(",")[:4] == ["kind", "code", "name", "n_units"]
    assert "fleiss_kappa" in _run(project, "agreement", "--coders", "anna,bram", "--bootstrap", "0", "--wide")
    cases = json.loads(_run(project, "metrics", "--by", "case", "--format", "json"))
    assert {"n_documents", "words_counsellor", "silences"} <= set(cases[0])


def test_agreement_by_pair_and_part(project: Path) -> None:
    pairs = json.loads(_run(project, "agreement", "--coders", "anna,bram", "--by", "pair", "--format", "json"))
    assert [(p["coder_a"], p["coder_b"]) for p in pairs] == [("anna", "bram"), ("(all coders)", "")]
    # One chat both coded; Open vraag: anna 5, 8; bram 8; Gesloten vraag: bram 5 (44 turns each).
    assert pairs[0]["n_units"] == 2 * 44
    assert pairs[0]["percent_agreement"] == pytest.approx((88 - 2) / 88)
    by_case = json.loads(_run(project, "agreement", "--coders", "anna,bram", "--by", "case", "--format", "json"))
    assert [r["group"] for r in by_case] == ["casus-03"]


def test_suggestions_show_each_turn_and_page_when_long(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        {"id": 7, "document": DOC, "utterance": 5, "code_name": "Open vraag", "confidence": 0.9, "status": "pending",
         "text": "Wat vervelend dat je dat al zo lang meemaakt. Wie zijn 'ze', als ik vragen mag?",
         "explanation": "open question: question word 'wie'"},
    ]
    listing = tables.suggestion_listing(rows * 30)
    assert "[7] casus-03/chat-2014-05-21 #6  Open vraag  (0.90, pending)" in listing  # stored index 5 = turn 6
    assert "“Wat vervelend dat je dat al zo lang meemaakt." in listing and "why: open question" in listing
    paged: list[str] = []
    monkeypatch.setattr("click.echo_via_pager", lambda text: paged.append(text))
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    tables.page(listing)
    assert paged == [listing]
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    tables.page("short\n")
    assert len(paged) == 1


def test_suggestions_command_lists_the_turn_text(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require_pipeline()
    _run(project, "suggest", "--document", DOC)
    output = _run(project, "suggestions", "--coder", "anna", "--document", DOC)
    assert "why:" in output and "“" in output
    assert "Wie zijn 'ze'" in output  # utterance 5, an open question the rules suggest
