"""The command line as a user drives it (click's CliRunner), on the sample corpus."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.services.demo import SAMPLE_CORPUS
from tests.cli.commands import cli_commands


@pytest.mark.parametrize("name,command", cli_commands(main), ids=lambda v: v if isinstance(v, str) else "")
def test_every_command_has_help_with_an_example(name: str, command: click.Command) -> None:
    assert command.help, f"qcode {name} has no help"
    assert "Example" in command.help, f"qcode {name} help has no example"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "proj"
    runner = CliRunner()
    result = runner.invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["import", "--project", str(folder), str(SAMPLE_CORPUS)])
    assert result.exit_code == 0, result.output
    assert "cases: 13" in result.output and "errors: 0" in result.output
    return folder


def test_reimport_reports_skips(project: Path) -> None:
    result = CliRunner().invoke(main, ["import", "--project", str(project), str(SAMPLE_CORPUS)])
    assert result.exit_code == 0
    assert "imported: 0" in result.output and "already imported" in result.output


def test_metrics_json_shape(project: Path) -> None:
    result = CliRunner().invoke(main, ["metrics", "--project", str(project), "--all", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.output)
    assert len(records) == 18
    for record in records:
        assert {"document", "case", "channel", "source", "utterances", "words", "first_time",
                "last_time", "duration_minutes", "gaps_minutes"} <= set(record)
        assert set(record["utterances"]) == {"counsellor", "client", "system"}
        assert len(record["gaps_minutes"]) == sum(record["utterances"].values())


def test_autocode_is_idempotent_and_codings_json(project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["autocode", "--project", str(project)]).exit_code == 0
    first = json.loads(runner.invoke(main, ["codings", "--project", str(project), "--format", "json"]).output)
    assert runner.invoke(main, ["autocode", "--project", str(project)]).exit_code == 0
    second = json.loads(runner.invoke(main, ["codings", "--project", str(project), "--format", "json"]).output)
    strip = [{k: v for k, v in c.items() if k not in ("id", "created")} for c in first]
    assert strip == [{k: v for k, v in c.items() if k not in ("id", "created")} for c in second]
    emoticon = next(c for c in first if c["code"] == "Emoticons")
    assert {"document", "case", "code", "coder", "origin", "start", "end", "text", "turn", "index", "detail"} <= set(emoticon)
    assert emoticon["coder"] == "auto" and emoticon["origin"] == "automatic"
    assert emoticon["detail"]


def test_code_undo_and_errors_are_clean_messages(project: Path) -> None:
    runner = CliRunner()
    doc = "casus-01/chat-2013-10-14"
    assert runner.invoke(main, ["coders", "--project", str(project), "--add", "anna"]).exit_code == 0
    result = runner.invoke(main, ["code", "--project", str(project), doc, "Open vraag", "--utterance", "1", "--coder", "anna"])
    assert result.exit_code == 0 and "saved" in result.output
    listed = json.loads(runner.invoke(main, ["codings", "--project", str(project), "--coder", "anna", "--format", "json"]).output)
    # Turns count from 1 in what users type and read; the stored index from 0 stays beside it.
    assert [(c["turn"], c["index"]) for c in listed] == [(1, 0)]
    assert runner.invoke(main, ["undo", "--project", str(project), "--coder", "anna"]).exit_code == 0
    listed = json.loads(runner.invoke(main, ["codings", "--project", str(project), "--coder", "anna", "--format", "json"]).output)
    assert listed == []
    bad = runner.invoke(main, ["code", "--project", str(project), doc, "Bestaat niet", "--utterance", "1", "--coder", "anna"])
    assert bad.exit_code == 2 and "No code 'Bestaat niet'" in bad.output
    assert "Traceback" not in bad.output


def test_export_and_stats(project: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "t.xlsx"
    result = runner.invoke(main, ["export", "--project", str(project), "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()
    again = runner.invoke(main, ["export", "--project", str(project), "--format", "xlsx", "--out", str(out)])
    assert again.exit_code == 1 and "force" in again.output.lower()
    stats = runner.invoke(main, ["stats", "--project", str(project), "--table", "shares", "--by", "channel", "--format", "json"])
    assert stats.exit_code == 0, stats.output
    assert any(r["code"] == "emoticons" for r in json.loads(stats.output))


def test_agreement_on_a_table(tmp_path: Path) -> None:
    data = tmp_path / "r.csv"
    data.write_text("unit,A,B,C\n1,1,1,\n2,2,2,2\n3,1,2,1\n4,3,3,3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["agreement", "--data", str(data), "--format", "json", "--bootstrap", "0"])
    assert result.exit_code == 0, result.output
    import krippendorff
    import numpy as np

    expected = krippendorff.alpha(
        reliability_data=np.array([[1, 2, 1, 3], [1, 2, 2, 3], [np.nan, 2, 1, 3]]), level_of_measurement="nominal"
    )
    assert json.loads(result.output)["krippendorff_alpha"] == pytest.approx(expected, abs=1e-12)


def test_missing_project_is_a_clear_message(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["cases", "--project", str(tmp_path)])
    assert result.exit_code == 1 and "No qcode project" in result.output and "qcode init" in result.output
