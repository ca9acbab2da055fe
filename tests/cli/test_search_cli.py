"""``qcode search`` as a user types it (click's CliRunner), on the sample corpus."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.cli.search import HIT_FIELDS
from qcode.services.demo import SAMPLE_CORPUS


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "proj"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(folder)]).exit_code == 0
    assert runner.invoke(main, ["import", "--project", str(folder), str(SAMPLE_CORPUS)]).exit_code == 0
    assert runner.invoke(main, ["coders", "--project", str(folder), "--add", "anna"]).exit_code == 0
    return folder


def _run(project: Path, *args: str) -> tuple[int, str]:
    """Exit status and everything printed (messages on stderr included)."""
    result = CliRunner().invoke(main, ["search", "--project", str(project), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _json(project: Path, *args: str) -> list[dict[str, Any]]:
    """What ``--format json`` prints on stdout (progress and coding notes go to stderr)."""
    result = CliRunner().invoke(main, ["search", "--project", str(project), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    hits: list[dict[str, Any]] = json.loads(result.stdout)
    return hits


def test_formats_agree(project: Path) -> None:
    hits: list[dict[str, Any]] = _json(project, "school", "--speaker", "client")
    assert hits and list(hits[0]) == HIT_FIELDS
    assert all(h["role"] == "client" and h["text"].lower() == "school" for h in hits)
    assert all(h["turn"] == h["index"] + 1 for h in hits)
    assert [h["number"] for h in hits] == list(range(1, len(hits) + 1))
    result = CliRunner().invoke(main, ["search", "-p", str(project), "school", "--speaker", "client", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [int(r["start"]) for r in rows] == [h["start"] for h in hits]
    code, out = _run(project, "school", "--speaker", "client")
    assert code == 0
    assert f"{len(hits)} hit(s) in 18 document(s)." in out
    assert hits[0]["document"] in out


def test_code_rerun_and_undo(project: Path) -> None:
    code, out = _run(project, "school", "--channel", "chat", "--code", "Onderwerp", "--coder", "anna")
    assert code == 0, out
    n = len(_json(project, "school", "--channel", "chat"))
    assert f"Added {n} coding(s) of Onderwerp as one step" in out
    _, again = _run(project, "school", "--channel", "chat", "--code", "Onderwerp", "--coder", "anna")
    assert f"Added 0 coding(s) of Onderwerp ({n} already coded by anna" in again
    runner = CliRunner()
    codings = json.loads(runner.invoke(main, ["codings", "--project", str(project), "--coder", "anna", "--format", "json"]).output)
    assert len(codings) == n and {c["origin"] for c in codings} == {"search"}
    assert codings[0]["detail"] == 'plain search "school", channel chat'
    undo = runner.invoke(main, ["undo", "--project", str(project), "--coder", "anna"])
    assert undo.output.strip() == f"undid add of {n} codings (one action)"
    codings = json.loads(runner.invoke(main, ["codings", "--project", str(project), "--coder", "anna", "--format", "json"]).output)
    assert codings == []


def test_chosen_hits_only(project: Path) -> None:
    hits: list[dict[str, Any]] = _json(project, "ik", "--code", "feedback", "--coder", "anna", "--hits", "1,3-4")
    codings = json.loads(
        CliRunner().invoke(main, ["codings", "--project", str(project), "--coder", "anna", "--format", "json"]).output
    )
    assert sorted((c["document"], c["start"]) for c in codings) == sorted(
        (h["document"], h["start"]) for h in hits if h["number"] in (1, 3, 4)
    )


@pytest.mark.parametrize(
    "args,message,status",
    [
        (["(a", "--regex"], "Invalid pattern", 1),
        (["ik", "--hits", "1"], "give --code too", 2),
        (["ik", "--lemma", "--regex"], "Choose one", 2),
        (["ik", "--code", "feedback", "--coder", "anna", "--hits", "999"], "no hit 999", 1),
        (["ik", "--code", "feedback", "--coder", "anna", "--hits", "x"], "not a hit number", 2),
        (["ik", "--code", "geen-code", "--coder", "anna"], "geen-code", 2),
            (["ik", "--code", "feedback", "--coder", "ana"], "did you mean 'anna'", 2),
        (["ik", "--where", "regio"], "ATTR=VALUE", 2),
        (["*"], "lone *", 1),
    ],
)
def test_mistakes_get_a_message(project: Path, args: list[str], message: str, status: int) -> None:
    code, out = _run(project, *args)
    assert code == status and message in out
