"""A demo project built once per session and copied per test (building takes seconds)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qcode.services.demo import build_demo
from tests.conftest import require_pipeline

MODEL = Path(__file__).resolve().parents[2].parent / "shared" / "models" / "nl_ud_sm_selftrained"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tui") / "demo"
    project, _ = build_demo(folder)
    project.close()
    return folder


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def spacy_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The Dutch pipeline for the suggestion journey: the environment's, else the stand-in.

    Skips only outside CI when no pipeline exists at all (``tests.conftest.require_pipeline``).
    """
    if not os.environ.get("QCODE_SPACY_MODEL") and MODEL.exists():
        monkeypatch.setenv("QCODE_SPACY_MODEL", str(MODEL))
    yield require_pipeline()


@pytest.fixture
def team_dir(demo_dir: Path) -> Path:
    """The demo with a supervisor (sam) and two coders whose codings differ on the first chat.

    On utterance 2 both applied Open vraag (agreement), on 3 only anna applied Gesloten vraag,
    on 4 only bob applied Feedback; anna also coded Intake over utterances 0-3.
    """
    from qcode.services import codings as coding_service
    from qcode.services import team as team_service
    from qcode.services import workbench
    from qcode.services.project import open_project

    project = open_project(demo_dir)
    try:
        team_service.add_coder(project, "sam", supervisor=True)
        for name in ("anna", "bob"):
            team_service.add_coder(project, name)
        document = workbench.corpus_overview(project, "sam")[0].document
        coding_service.add_coding(project, document, "open_vraag", "anna", utterance=2)
        coding_service.add_coding(project, document, "open_vraag", "bob", utterance=2)
        coding_service.add_coding(project, document, "gesloten_vraag", "anna", utterance=3)
        coding_service.add_coding(project, document, "feedback", "bob", utterance=4)
        coding_service.add_coding(project, document, "intake", "anna", utterance=0, last_utterance=3)
    finally:
        project.close()
    return demo_dir
