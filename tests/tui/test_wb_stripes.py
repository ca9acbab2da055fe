"""The margin of coding stripes: lanes and row coverage by hand, a Pilot journey on a chat and
an e-mail (a sentence coded inside a message), and an 80x24 snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from qcode.codebook.model import Code, Unit
from qcode.services import codings as coding_service
from qcode.services import workbench
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.layout import Row, RowKind
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.stripes import LANES, assign_lanes, covers
from qcode.tui.widgets.transcript import TranscriptView
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until

SIZE = (80, 24)


@dataclass(frozen=True)
class Span:
    id: int
    code: str
    start: int
    end: int
    coder: str = "anna"
    code_name: str = ""


CODES = {
    "intake": Code(id="intake", name="Intake", group="phases", unit=Unit.SEGMENT),
    "a": Code(id="a", name="A", group="content", unit=Unit.UTTERANCE),
    "b": Code(id="b", name="B", group="content", unit=Unit.UTTERANCE),
}


def test_lanes_phase_band_then_leftmost_free() -> None:
    # by hand: the phase takes lane 0; 1 [0,10) lane 1; 2 [5,8) overlaps 1 -> lane 2;
    # 3 [10,12) starts where 1 ends -> lane 1 again; 4..6 overlap everything -> lanes 3, 4, none
    spans = [
        Span(9, "intake", 0, 100), Span(1, "a", 0, 10), Span(2, "b", 5, 8), Span(3, "a", 10, 12),
        Span(4, "a", 6, 20), Span(5, "b", 7, 20), Span(6, "a", 7, 9),
    ]
    assert LANES == 5
    assert assign_lanes(spans, CODES) == {9: 0, 1: 1, 2: 2, 3: 1, 4: 3, 5: 4, 6: -1}


def test_rows_covered_exactly() -> None:
    # two turns: [0, 20) and [30, 50); a text row holds characters 10..20 of turn 0
    starts, ends = [0, 30], [20, 50]
    header0, header1 = Row(RowKind.HEADER, 0), Row(RowKind.HEADER, 1)
    second_line = Row(RowKind.TEXT, 0, 10, 20)
    silence = Row(RowKind.SILENCE, 1, label="— 5 min —")
    inside = Span(1, "a", 12, 15)  # a few words on turn 0's second line
    across = Span(2, "intake", 0, 50)  # a phase over both turns
    assert covers(second_line, inside, starts, ends)
    assert not covers(header0, inside, starts, ends)
    assert not covers(Row(RowKind.TEXT, 0, 0, 9), inside, starts, ends)
    assert all(covers(r, across, starts, ends) for r in (header0, second_line, silence, header1))
    assert not covers(silence, Span(3, "a", 0, 20), starts, ends)  # ends with turn 0


def _margin(app: QcodeApp, lanes: int) -> list[str]:
    """The stripe columns of the transcript's rows on screen (after the header line)."""
    return [line[:lanes] for line in screen_text(app).splitlines()[1:23]]


def test_stripes_journey_chat_and_email(team_dir: Path) -> None:
    project = open_project(team_dir)
    try:
        documents = workbench.corpus_overview(project, "anna")
        email = next(d.document for d in documents if d.channel == "email")
        doc = workbench.open_document(project, email)
        turn = next(u for u in doc.utterances if len(u.text) > 120)
        sentence_end = turn.text.index(" ", 60)
        coding_service.add_coding(project, email, "feedback", "anna", start=turn.start + 60, end=turn.start + sentence_end)
    finally:
        project.close()

    async def journey() -> None:
        app = QcodeApp(team_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
            screen = app.screen
            assert isinstance(screen, CodingScreen)
            view = screen.query_one(TranscriptView)
            assert not view.stripes_shown
            await pilot.press("S")
            await pilot.pause()
            assert view.stripes_shown
            margin = _margin(app, LANES)
            # anna's Intake phase covers turns 1-4 (index 0-3): lane 0 spells the name down
            # from the first row; the rows after turn 4 carry no phase
            lane0 = "".join(m[0] for m in margin)
            assert lane0.startswith("Intake")
            rows_of_four_turns = view._first_row[4]
            assert all(c != " " for c in lane0[:rows_of_four_turns][: len("Intake")])
            assert lane0[rows_of_four_turns:].strip() == ""
            # bob's Feedback (turn 5) is another coder's: a thin bar, no name
            assert "┃" in "".join(m for m in margin)
            # the text is narrower by the margin, and S hides it again
            await pilot.press("S")
            await pilot.pause()
            assert not view.stripes_shown

            # the e-mail: only the rows of the coded sentence carry the stripe
            await pilot.press("escape")
            app.open_document(email, turn.index)
            await wait_until(pilot, lambda: app.screen is screen and screen.document.key == email)
            await pilot.press("S")
            await pilot.pause()
            rows = [
                y for y in range(len(view._rows))
                if any(view.stripes.lane_of.get(c.id) == 1 and covers(view._rows[y], c, view._starts, view._ends)
                       for c in screen.state.codings if c.code == "feedback")
            ]
            texts = {(view._rows[y].kind, view._rows[y].turn) for y in rows}
            assert texts == {(RowKind.TEXT, turn.index)}  # no header, no other turn
            first, last = view._rows[rows[0]], view._rows[rows[-1]]
            assert first.start <= 60 < first.end + 1
            assert last.start < sentence_end <= last.end + 1

    asyncio.run(journey())


def test_stripes_snapshot(team_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def settle(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = QcodeApp(team_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["enter", "_", "S", "j", "j"], run_before=settle)


def test_stripes_shown_by_default_on_a_wide_terminal_hidden_at_80(demo_dir: Path) -> None:
    """ATLAS.ti and MAXQDA coders read a transcript with its stripes: shown from about 100
    columns on until the coder presses S; at 80x24 the text keeps its width."""

    async def journey(size: tuple[int, int]) -> tuple[bool, bool, bool]:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
            await pilot.pause()
            view = app.screen.query_one(TranscriptView)
            first = view.stripes_shown
            await pilot.press("S")
            await pilot.pause()
            toggled = view.stripes_shown
            await pilot.resize_terminal(*(160 if size[0] < 100 else 80, size[1]))
            await pilot.pause()
            return first, toggled, view.stripes_shown  # the coder's choice outlives a resize

    assert asyncio.run(journey((140, 40))) == (True, False, False)
    assert asyncio.run(journey((80, 24))) == (False, True, True)
