"""Pilot journey: from a figure of the agreement screen to every unit behind it (issue 17).

The team (tests/tui/conftest.py ``team_dir``): on the first chat anna and bob both applied
Open vraag on utterance 2; anna alone Gesloten vraag on 3 and Intake over 0-3; bob alone
Feedback on 4. The listed units are checked against the codings made here, by hand.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from qcode.services import workbench
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.screens.review import ReviewScreen
from qcode.tui.screens.units import UnitsScreen
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until

SIZE = (80, 24)


def _first_chat(folder: Path) -> str:
    project = open_project(folder)
    try:
        return workbench.corpus_overview(project, "sam")[0].document
    finally:
        project.close()


async def _units_of(pilot: Pilot[Any], code: str) -> UnitsScreen:
    app = pilot.app
    await pilot.press("g")
    await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.shown_view == "code")
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(code))
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, UnitsScreen) and app.screen.loaded)
    screen = app.screen
    assert isinstance(screen, UnitsScreen)
    return screen


def test_enter_on_a_code_lists_every_unit_agreed_and_disagreed(team_dir: Path) -> None:
    chat = _first_chat(team_dir)

    async def run() -> None:
        app = QcodeApp(team_dir, coder="sam", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _units_of(pilot, "feedback")
            table = screen.query_one(DataTable)
            rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
            # Only bob applied Feedback, on utterance 4 (turn 5): one unit, disagreed.
            assert [(r[0], r[1], r[2], r[3]) for r in rows] == [(chat[:24], "5", "Feedback", "disagreed")]
            assert screen.found is not None and screen.found.disagreed == 1 and screen.found.agreed == 0
            await pilot.press("escape")

            screen = await _units_of(pilot, "set:question")
            rows = [[str(c) for c in screen.query_one(DataTable).get_row_at(i)] for i in range(screen.query_one(DataTable).row_count)]
            # Open vraag / Gesloten vraag: turn 3 agreed (both Open vraag), turn 4 anna alone.
            assert [(r[1], r[2], r[3]) for r in rows] == [
                ("3", "anna: Open vraag; bob: Open vraag", "agreed"), ("4", "anna: Gesloten vraag", "disagreed"),
            ]
            found = screen.found
            assert found is not None and (found.agreed, found.disagreed, found.settled, found.uncounted) == (1, 1, 0, 1)
            shown = " ".join(screen_text(app).split())
            assert "the set question · anna, bob · 1 unit in the figure" in shown
            await pilot.press("r")  # the review queue of the same set
            await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded)
            review = app.screen
            assert isinstance(review, ReviewScreen)
            assert [(i["code"], i["utterance"]) for i in review.items] == [("set:question", 3)]
            await pilot.press("escape", "escape", "escape")
            await pilot.press("q")

    asyncio.run(run())


def test_snapshot_units_behind_open_vraag(team_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def to_units(pilot: Pilot[Any]) -> None:
        await _units_of(pilot, "open_vraag")
        await pilot.pause()

    app = QcodeApp(team_dir, coder="sam", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=to_units)
