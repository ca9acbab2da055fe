"""``qcode adjudicate`` as a supervisor types it: the supervisor rule and exclusive sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.services.demo import SAMPLE_CORPUS

DOC = "casus-03/chat-2014-05-21"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_adjudicate_needs_a_supervisor_and_settles_a_phase_turn_at_once(tmp_path: Path) -> None:
    folder = str(tmp_path / "p")
    assert _run("init", folder)[0] == 0
    assert _run("import", "-p", folder, str(SAMPLE_CORPUS))[0] == 0
    for coder in ("anna", "bram"):
        assert _run("coders", "-p", folder, "--add", coder)[0] == 0
    assert _run("code", "-p", folder, DOC, "Probleemanalyse", "--utterance", "4", "--coder", "anna")[0] == 0
    assert _run("code", "-p", folder, DOC, "Strategiebepaling", "--utterance", "4", "--coder", "bram")[0] == 0
    settle = ["adjudicate", "-p", folder, "--coders", "anna,bram", "--document", DOC, "--utterance", "4",
              "--code", "Strategiebepaling", "--decision", "apply", "--memo", "plan gemaakt"]
    status, output = _run(*settle, "--by", "anna")
    assert status == 1 and "qcode coders --add NAME --supervisor" in output
    assert _run("coders", "-p", folder, "--add", "marieke", "--supervisor")[0] == 0
    status, output = _run(*settle, "--by", "marieke")
    assert status == 0, output
    assert "Strategiebepaling" in output
    status, output = _run("disagreements", "-p", folder, "--coders", "anna,bram")
    assert status == 0 and "No open disagreements." in output  # Probleemanalyse settled with it
    status, output = _run("codings", "-p", folder, "--coder", "consensus", "--format", "json")
    kept = json.loads(output)
    assert [(c["code"], c["turn"], c["memo"]) for c in kept] == [("Strategiebepaling", 4, "plan gemaakt")]
    assert "#" in kept[0]["detail"] and "anna" in kept[0]["detail"] and "bram" in kept[0]["detail"]


def test_interactive_adjudication_takes_one_key_per_decision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = str(tmp_path / "p")
    for args in (
        ("init", folder), ("import", "-p", folder, str(SAMPLE_CORPUS)),
        ("coders", "-p", folder, "--add", "marieke", "--supervisor"),
        ("coders", "-p", folder, "--add", "anna"), ("coders", "-p", folder, "--add", "bram"),
        ("code", "-p", folder, DOC, "Open vraag", "--utterance", "5", "--coder", "anna"),
        ("code", "-p", folder, DOC, "Gesloten vraag", "--utterance", "5", "--coder", "bram"),
        ("code", "-p", folder, DOC, "Feedback", "--utterance", "7", "--coder", "bram"),
        ("code", "-p", folder, DOC, "Open vraag", "--utterance", "8", "--coder", "anna"),
        ("code", "-p", folder, DOC, "Open vraag", "--utterance", "8", "--coder", "bram"),
    ):
        assert _run(*args)[0] == 0
    monkeypatch.setattr("qcode.cli.analysis.interactive", lambda: True)
    # Items by code: Feedback (bram's only) first, then the question set on turn 5.
    result = CliRunner().invoke(
        main, ["adjudicate", "-p", folder, "--coders", "anna,bram", "--by", "marieke"],
        input="n\ngeen feedback\na\nopen gevraagd\n",
    )
    assert result.exit_code == 0, result.output
    assert "1 agreed units copied" in result.output  # Open vraag on turn 8
    assert "[1/2]" in result.output and "[2/2]" in result.output and "set:question" in result.output
    kept = json.loads(_run("codings", "-p", folder, "--coder", "consensus", "--format", "json")[1])
    assert sorted((c["code"], c["turn"], c["memo"]) for c in kept) == [("Open vraag", 5, "open gevraagd"), ("Open vraag", 8, "")]
    assert "No open disagreements." in _run("disagreements", "-p", folder, "--coders", "anna,bram")[1]
