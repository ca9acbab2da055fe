"""Every command that takes a name refuses one the project does not have (issue 17).

A misspelt filter used to give an empty result and exit 0 (``export --code "Open vrag"`` wrote
seven empty CSVs). Now every such option exits with status 2 and names the closest names the
project has. Each case below runs the command as a user types it, with one wrong name.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.errors import closest_names
from qcode.services.demo import SAMPLE_CORPUS

DOC = "casus-03/chat-2014-05-21"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("names") / "proj"
    runner = CliRunner()
    for args in (
        ["init", str(folder)],
        ["import", "--project", str(folder), str(SAMPLE_CORPUS)],
        ["coders", "--project", str(folder), "--add", "marieke", "--supervisor"],
        ["coders", "--project", str(folder), "--add", "anna"],
        ["coders", "--project", str(folder), "--add", "bram"],
        ["code", "--project", str(folder), DOC, "Open vraag", "--utterance", "5", "--coder", "anna"],
        ["code", "--project", str(folder), DOC, "Gesloten vraag", "--utterance", "5", "--coder", "bram"],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, (args, result.output)
    return folder


# (command line after "qcode", the kind of name, what the hint must offer; None: no close name)
REFUSALS = [
    (["export", "--format", "csv", "--code", "Open vrag"], "code", "Open vraag"),
    (["export", "--format", "csv", "--coder", "anan"], "coder", "anna"),
    (["export", "--format", "csv", "--case", "casus-3"], "case", "casus-03"),
    (["export", "--format", "csv", "--group", "phase"], "code group", "phases"),
    (["disagreements", "--coders", "anna,bramm"], "coder", "bram"),
    (["disagreements", "--coders", "anna,bram", "--codes", "Gesloten vrag"], "code", "Gesloten vraag"),
    (["agreement", "--coders", "anna,bramm", "--bootstrap", "0"], "coder", "bram"),
    (["agreement", "--coders", "anna,bram", "--codes", "Opn vraag", "--bootstrap", "0"], "code", "Open vraag"),
    (["stats", "--coder", "nobody"], "coder", None),
    (["stats", "--coder", "Anna"], "coder", "anna"),
    (["stats", "--group", "fases"], "code group", "phases"),
    (["suggestions", "--coder", "nobody"], "coder", None),
    (["suggestions", "--coder", "anna", "--document", "casus-03/chat-2014-05-12"], "document", DOC),
    (["suggestions", "--coder", "anna", "--document", DOC, "--accept-all", "Open vrag"], "code", "Open vraag"),
    (["suggest", "--case", "casus-33"], "case", "casus-03"),
    (["suggest", "--document", "casus-03/chat-2014-05-12"], "document", DOC),
    (["codings", "--coder", "bran"], "coder", "bram"),
    (["codings", "--code", "Open vrag"], "code", "Open vraag"),
    (["codings", "--document", "casus-03/chat"], "document", DOC),
    (["codings", "--case", "casus-3"], "case", "casus-03"),
    (["show", "casus-3"], "case or document", "casus-03"),
    (["show", "casus-03/chat-2014-11-03"], "case or document", DOC),
    (["metrics", "casus-033"], "case or document", "casus-03"),
    (["code", "casus-03/chat-2014-11-03", "Open vraag", "--utterance", "4", "--coder", "anna"], "document", DOC),
    (["code", DOC, "Open vrag", "--utterance", "4", "--coder", "anna"], "code", "Open vraag"),
    (["autocode", "--document", "casus-03/chat-2014-05-12"], "document", DOC),
    (["adjudicate", "--coders", "anna,bramm", "--by", "marieke"], "coder", "bram"),
    (["adjudicate", "--coders", "anna,bram", "--by", "mariek"], "coder", "marieke"),
    (["adjudicate", "--coders", "anna,bram", "--by", "marieke", "--codes", "Open vrag"], "code", "Open vraag"),
    (
        ["adjudicate", "--coders", "anna,bram", "--by", "marieke", "--document", "casus-03/chat",
         "--code", "Open vraag", "--utterance", "5", "--decision", "apply"],
        "document", DOC,
    ),
    (["codes", "rename", "Open vrag", "Open vraag 2"], "code", "Open vraag"),
    (["undo", "--coder", "bran"], "coder", "bram"),
    (["blind", "on", "--coder", "mareike"], "coder", "marieke"),
    (["codes", "merge", "Open vraag", "Gesloten vrag"], "code", "Gesloten vraag"),
    (["uncode", "1", "--coder", "bran"], "coder", "bram"),
    (["report", "--coder", "anan", "--bootstrap", "0"], "coder", "anna"),
    (["check-names", "casus-3"], "case", "casus-03"),
    (["tui", "--coder", "bran"], "coder", "bram"),
]


@pytest.mark.parametrize(("args", "kind", "hint"), REFUSALS, ids=[" ".join(a[:3]) for a, _k, _h in REFUSALS])
def test_an_unknown_name_is_refused_with_exit_status_2(
    project: Path, args: list[str], kind: str, hint: str | None
) -> None:
    split = 2 if args[0] in ("codes", "blind", "uncode", "check-names") else 1  # a subcommand or argument comes first
    result = CliRunner().invoke(main, [*args[:split], "--project", str(project), *args[split:]])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"No {kind} '" in result.output
    if hint is None:
        assert "did you mean" not in result.output
    else:
        assert f"did you mean '{hint}'" in result.output or f"or '{hint}'" in result.output, result.output


def test_a_misspelt_export_filter_writes_nothing(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["export", "--project", str(project), "--format", "csv", "--code", "Open vrag", "--out", str(out)]
    )
    assert result.exit_code == 2
    assert not out.exists() or not any(out.iterdir())


def test_the_right_names_still_work(project: Path) -> None:
    """The refusals are not just "refuse everything": the same commands with real names pass."""
    runner = CliRunner()
    for args in (
        ["disagreements", "--coders", "anna,bram"],
        ["agreement", "--coders", "anna,bram", "--codes", "open vraag", "--bootstrap", "0"],
        ["stats", "--coder", "consensus"],
        ["codings", "--coder", "anna", "--case", "casus-03", "--document", DOC, "--code", "Open vraag"],
        ["show", DOC],
    ):
        result = runner.invoke(main, [args[0], "--project", str(project), *args[1:]])
        assert result.exit_code == 0, (args, result.output)


def test_blind_mode_names_the_option_that_works(project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["blind", "on", "--project", str(project), "--coder", "marieke"]).exit_code == 0
    try:
        asked = runner.invoke(main, ["codings", "--project", str(project)], env={"QCODE_CODER": ""})
        assert asked.exit_code == 1 and "--as NAME" in asked.output and "--coder" not in asked.output
        wrong = runner.invoke(main, ["stats", "--project", str(project), "--as", "anan"], env={"QCODE_CODER": ""})
        assert wrong.exit_code == 2 and "did you mean 'anna'" in wrong.output
        right = runner.invoke(main, ["codings", "--project", str(project), "--as", "anna", "--format", "csv"])
        assert right.exit_code == 0 and "Gesloten vraag" not in right.output  # bram's, hidden from anna
    finally:
        runner.invoke(main, ["blind", "off", "--project", str(project), "--coder", "marieke"])


def test_closest_names_ranks_the_near_miss_first() -> None:
    assert closest_names("Open vrag", ["Gesloten vraag", "Open vraag", "Afsluiting"])[0] == "Open vraag"
    assert closest_names("zzzz", ["anna", "bram"]) == []
