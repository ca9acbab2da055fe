"""80×24 snapshots of what issue 16's fixes and code search look like (h-wb1).

Same rules as tests/tui/test_snapshots.py: a copy of the demo project, suggester off, every
worker finished. Update after an intended change with
``pytest tests/tui/test_wb1_snapshots.py --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from qcode.services import codings as coding_service
from qcode.services import workbench
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from tests.tui.test_wb1_typing import _suggest

SIZE = (80, 24)


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_busy_turn_shows_the_coders_own_badges_first(team_dir: Path, snap_compare: Callable[..., bool]) -> None:
    """bob's view of turn 3, which anna coded three times: bob's Open vraag comes first."""
    project = open_project(team_dir)
    try:
        doc = workbench.corpus_overview(project, "sam")[0].document
        for code in ("verificatie_interpretatie", "feedback", "uitnodiging_inhoudsbepaling"):
            coding_service.add_coding(project, doc, code, "anna", utterance=2)
    finally:
        project.close()
    app = QcodeApp(team_dir, coder="bob", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["enter", "j", "j"], run_before=_settle)


def test_code_search(demo_dir: Path, snap_compare: Callable[..., bool]) -> None:
    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["enter", "j", "slash", "v", "r", "a"], run_before=_settle)


def test_codebook_panel_scrolled_to_the_last_group(demo_dir: Path, snap_compare: Callable[..., bool]) -> None:
    """Every group is reachable from the keyboard: / then down moves through the whole panel."""
    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["enter", "slash", *["pagedown"] * 4], run_before=_settle)


def test_accept_all_question(demo_dir: Path, snap_compare: Callable[..., bool]) -> None:
    project = open_project(demo_dir)
    try:
        doc = workbench.corpus_overview(project, "anna")[0].document
    finally:
        project.close()
    _suggest(demo_dir, doc, [("open_vraag", 1, 0.9), ("open_vraag", 30, 0.9), ("feedback", 1, 0.8)])
    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["enter", "j", "A"], run_before=_settle)


def test_help_transcript_keys(demo_dir: Path, snap_compare: Callable[..., bool]) -> None:
    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["question_mark", "pagedown", "pagedown"], run_before=_settle)
