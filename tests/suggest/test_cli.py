"""``qcode suggest --input`` and ``qcode evaluate-suggestions`` through click's CliRunner."""

from __future__ import annotations

import importlib.util
import json

import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.suggest import nlp

from .conftest import GOLD


@pytest.mark.model
def test_suggest_from_stdin(suggester) -> None:  # type: ignore[no-untyped-def]
    lines = [
        {"id": "a", "speaker": "counsellor", "text": "Klopt dat?"},
        {"id": "b", "speaker": "client", "text": "ja", "channel": "chat", "time": "19:30"},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    result = CliRunner().invoke(main, ["suggest", "--input", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert {s["code"] for s in out[0]["suggestions"]} >= {"Verificatie interpretatie"}
    assert set(out[0]["suggestions"][0]) == {
        "code", "code_id", "start", "end", "confidence", "rule", "explanation", "experimental"
    }
    assert out[1]["suggestions"] == []


@pytest.mark.model
def test_document_lines_are_each_others_context_even_interleaved(suggester) -> None:  # type: ignore[no-untyped-def]
    """Lines of mail A (an opener, then a statement about the client) with a line of mail B
    between them: A's second line continues A's summary; B's identical line does not."""
    statement = "Daarnaast maakt u zich veel zorgen over uw dochter."
    lines = [
        {"id": "a1", "speaker": "counsellor", "channel": "email", "document": "A",
         "text": "Uit uw mail begrijp ik dat u al maanden slecht slaapt."},
        {"id": "b1", "speaker": "counsellor", "channel": "email", "document": "B", "text": statement},
        {"id": "a2", "speaker": "counsellor", "channel": "email", "document": "A", "text": statement},
    ]
    stdin = "".join(json.dumps(line) + "\n" for line in lines)
    result = CliRunner().invoke(main, ["suggest", "--input", "-"], input=stdin)
    assert result.exit_code == 0, result.output
    out = {o["id"]: {s["code"] for s in o["suggestions"]} for o in map(json.loads, result.stdout.splitlines())}
    assert list(out) == ["a1", "b1", "a2"]
    assert "Verificatie interpretatie" in out["a1"] and "Verificatie interpretatie" in out["a2"]
    assert "Verificatie interpretatie" not in out["b1"]


@pytest.mark.model
def test_bad_document_field_names_the_line(suggester) -> None:  # type: ignore[no-untyped-def]
    stdin = '{"id": "1", "speaker": "counsellor", "text": "Klopt dat?", "document": [1]}\n'
    result = CliRunner().invoke(main, ["suggest", "--input", "-"], input=stdin)
    assert result.exit_code != 0 and "<stdin>:1" in result.output and "document" in result.output


@pytest.mark.model
def test_evaluate_json(suggester) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["evaluate-suggestions", str(GOLD), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {row["code"]: row for row in json.loads(result.output)}
    assert rows["Open vraag"]["f1"] >= 0.85
    row = rows["Feedback"]
    assert row["precision"] == pytest.approx(row["tp"] / (row["tp"] + row["fp"]), abs=1e-3)


@pytest.mark.model
def test_evaluate_table(suggester) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["evaluate-suggestions", str(GOLD)])
    assert result.exit_code == 0 and "Gesloten vraag" in result.output


def test_bad_input_line_is_reported(monkeypatch: pytest.MonkeyPatch, suggester) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(main, ["suggest", "--input", "-"], input="{broken\n")
    assert result.exit_code != 0 and "<stdin>:1" in result.output


def test_missing_pipeline_exits_with_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QCODE_SPACY_MODEL", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    monkeypatch.setattr(nlp, "installed_pipelines", dict)
    stdin = json.dumps({"id": "a", "speaker": "client", "text": "hoi"}) + "\n"
    result = CliRunner().invoke(main, ["suggest", "--input", "-"], input=stdin)
    assert result.exit_code != 0
    assert "python -m spacy download nl_core_news_sm" in result.output
