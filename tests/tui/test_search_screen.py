"""The search screen, driven with Pilot: search, mark three hits, code them, undo; snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import OptionList

from qcode.services import codings as coding_service
from qcode.services.project import open_project
from qcode.services.search import SearchRequest, search
from qcode.transcripts.model import Role
from qcode.tui.app import QcodeApp
from qcode.tui.screens.code_chooser import CodeChooser
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.search import SearchScreen
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until

SIZE = (80, 24)


def _stored(folder: Path) -> list[tuple[str, int, int, str, str]]:
    project = open_project(folder)
    try:
        frame = coding_service.list_codings(project, coders=["anna"], viewer="anna")
        return sorted((r.document, int(r.start), int(r.end), r.origin, r.detail) for r in frame.itertuples())
    finally:
        project.close()


def _expected_hits(folder: Path, request: SearchRequest) -> list[tuple[str, int, int]]:
    project = open_project(folder)
    try:
        return [(h.document, h.start, h.end) for h in search(project, request).hits]
    finally:
        project.close()


def _shown(screen: SearchScreen, query: str) -> bool:
    return screen.request is not None and screen.request.query == query and bool(screen.hits)


async def _search_for(pilot: Pilot[Any], query: str) -> SearchScreen:
    """Open the search screen from the palette and type ``query``; wait for the hits."""
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"search: corpus")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen))
    screen = pilot.app.screen
    assert isinstance(screen, SearchScreen)
    await pilot.press(*query)
    await wait_until(pilot, lambda: _shown(screen, query))
    return screen


def test_search_mark_three_code_and_undo(demo_dir: Path) -> None:
    asyncio.run(_journey(demo_dir))


async def _journey(folder: Path) -> None:
    expected = _expected_hits(folder, SearchRequest("school"))
    client = _expected_hits(folder, SearchRequest("school", speaker=Role.CLIENT))
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _search_for(pilot, "school")
        assert [(h.document, h.start, h.end) for h in screen.hits] == expected
        assert f"{len(expected)} hit(s)" in screen_text(app)

        # an option changes the search at once: speaker client, then back to all
        await pilot.press("down", "s")
        await wait_until(pilot, lambda: screen.request is not None and screen.request.speaker is Role.CLIENT)
        assert [(h.document, h.start, h.end) for h in screen.hits] == client
        await pilot.press("s", "s")
        await wait_until(pilot, lambda: screen.request is not None and screen.request.speaker is None)

        await pilot.press("space", "space", "space")
        assert screen.marked == {1, 2, 3}
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(app.screen, CodeChooser))
        options = app.screen.query_one(OptionList)
        options.highlighted = next(i for i in range(options.option_count) if options.get_option_at_index(i).id == "onderwerp")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen and not screen.marked)
        coded = _stored(folder)
        assert [c[:3] for c in coded] == sorted(expected[:3])
        assert {c[3:] for c in coded} == {("search", 'plain search "school"')}

        await pilot.press("u")  # one undo takes back all three
        await pilot.pause()
        assert _stored(folder) == []

        # enter opens the hit's turn in the coding screen
        target = screen.current_hit()
        assert target is not None and target.number == 4  # marking moved the cursor on
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
        coding = app.screen
        assert isinstance(coding, CodingScreen)
        assert coding.document.key == target.document
        await wait_until(pilot, lambda: coding.state.cursor == target.utterance)
        assert target.utterance > 0


def test_search_screen_snapshot(demo_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def search_and_mark(pilot: Pilot[Any]) -> None:
        screen = await _search_for(pilot, "school")
        await pilot.press("down", "space", "space", "space")
        await wait_until(pilot, lambda: len(screen.marked) == 3)

    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=search_and_mark)
