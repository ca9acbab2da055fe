"""What a user types: clear refusals, no tracebacks, nothing overwritten; the fixed phase chart."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from PIL import Image

from qcode.cli import main
from tests.report.conftest import Study


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_unknown_attribute_value_or_coder_is_a_message(study: Study, tmp_path: Path) -> None:
    code, out = _run("report", "-p", str(study.folder), "--where", "leeftijd=13-16", "--out", str(tmp_path / "a"))
    assert code == 1 and "No case attribute 'leeftijd'" in out and "leeftijdsgroep" in out
    code, out = _run("report", "-p", str(study.folder), "--where", "regio=Atlantis", "--out", str(tmp_path / "b"))
    assert code == 1 and "No case has regio=Atlantis" in out
    code, out = _run("report", "-p", str(study.folder), "--coder", "zoe", "--out", str(tmp_path / "c"))
    assert code == 2 and "No coder 'zoe'" in out  # an unknown name, like every command (issue 17)
    code, out = _run("report", "-p", str(study.folder), "--where", "regio", "--out", str(tmp_path / "d"))
    assert code == 2 and "ATTRIBUTE=VALUE" in out
    assert not (tmp_path / "a" / "report.html").exists()


def test_an_existing_report_is_not_overwritten_without_force(study: Study) -> None:
    before = (study.out / "report.json").read_bytes()
    code, out = _run("report", "-p", str(study.folder), "--out", str(study.out))
    assert code == 1 and "already exists" in out and "--force" in out
    assert (study.out / "report.json").read_bytes() == before


def test_phase_chart_is_not_squeezed(study: Study, tmp_path: Path) -> None:
    """The old chart drew nine rotated labels over a plot about 40 pixels high."""
    target = tmp_path / "phases.png"
    code, out = _run("stats", "-p", str(study.folder), "--chart", "phases", "--out", str(target))
    assert code == 0 and str(target) in out
    width, height = Image.open(target).size
    # nine phases × two channels, a third of an inch per bar at 150 dpi: the plot alone is
    # taller than 9 × 2 × 0.32 × 150 ≈ 860 pixels, and the labels sit beside it, not under it.
    assert height > 860 and width > 900
    code, _ = _run("stats", "-p", str(study.folder), "--chart", "shares", "--group", "technique", "--out", str(tmp_path / "t.png"))
    assert code == 0 and Image.open(tmp_path / "t.png").size[1] < height  # 4 codes, a smaller chart


def test_a_project_without_codings_reports_its_corpus_and_an_empty_one_is_refused(tmp_path: Path) -> None:
    import json

    from qcode.services.corpus import import_paths
    from qcode.services.project import init_project
    from tests.report.study import CORPUS

    empty = init_project(tmp_path / "empty")
    empty.close()
    code, out = _run("report", "-p", str(tmp_path / "empty"), "--out", str(tmp_path / "e"))
    assert code == 1 and "no conversations yet" in out
    uncoded = init_project(tmp_path / "uncoded")
    assert import_paths(uncoded, [CORPUS]).errors == []
    uncoded.close()
    code, out = _run("report", "-p", str(tmp_path / "uncoded"), "--out", str(tmp_path / "u"), "--bootstrap", "0")
    assert code == 0, out
    data = json.loads((tmp_path / "u" / "report.json").read_text(encoding="utf-8"))
    assert data["sections"]["corpus"]["figures"]["cases"] == 13
    assert data["sections"]["codes"]["tables"]["codes"][0]["cases_with_code"] == 0
    assert data["sections"]["agreement"]["notes"] == ["Nothing was coded by two or more coders, so there is no agreement to report."]
    assert data["sections"]["method"]["figures"]["codings_of"] == "all coders"
