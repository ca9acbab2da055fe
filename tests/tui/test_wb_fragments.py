"""Fragments by code in the workbench, driven with Pilot: from the codebook panel, filtered by
coder, to the transcript and back; from the palette; and an 80x24 snapshot.

The expected fragments are the codings ``team_dir`` stores (tests/tui/conftest.py): Open vraag
on utterance index 2 by anna and by bob, so two fragments on turn 3 (turns count from 1).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input, OptionList

from qcode.tui.app import QcodeApp
from qcode.tui.screens.code_chooser import CodeChooser
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.fragments import FragmentsScreen
from qcode.tui.widgets.codebook_panel import CodebookPanel
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until

SIZE = (80, 24)


def _highlight(options: OptionList, code: str) -> None:
    options.highlighted = next(
        i for i in range(options.option_count) if options.get_option_at_index(i).id == code
    )


def _listed(screen: FragmentsScreen) -> list[tuple[str, int, str]]:
    assert screen.found is not None
    return [(f.document, f.turn, f.coder) for f in screen.found.fragments]


async def _open_fragments(pilot: Pilot[Any], code: str) -> tuple[CodingScreen, FragmentsScreen]:
    app = pilot.app
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
    coding = app.screen
    assert isinstance(coding, CodingScreen)
    _highlight(coding.query_one(CodebookPanel), code)
    await pilot.press("F")
    await wait_until(pilot, lambda: isinstance(app.screen, FragmentsScreen) and app.screen.found is not None)
    fragments = app.screen
    assert isinstance(fragments, FragmentsScreen)
    return coding, fragments


def test_fragments_filter_jump_and_back(team_dir: Path) -> None:
    asyncio.run(_journey(team_dir))


async def _journey(folder: Path) -> None:
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        coding, screen = await _open_fragments(pilot, "open_vraag")
        document = coding.document.key
        assert sorted(_listed(screen)) == [(document, 3, "anna"), (document, 3, "bob")]
        assert "Open vraag: 2 fragment(s) in 1 document(s)" in screen_text(app)
        # the highlighted fragment in full under the list: where, who, and its text
        assert screen.found is not None
        first = screen.found.fragments[0]
        assert f"{document} turn 3 · {first.speaker} · {first.coder}:" in screen_text(app)

        # filter by coder, typed with no pauses
        await pilot.press("slash", *"coder=bob", "enter")
        await wait_until(pilot, lambda: screen.found is not None and screen.found.filter.coders == ("bob",))
        assert _listed(screen) == [(document, 3, "bob")]

        # a misspelt coder is refused with the closest name, and the list is not emptied silently
        await pilot.press("slash", "ctrl+a", *"coder=bobb", "enter")
        await wait_until(pilot, lambda: "did you mean 'bob'" in screen_text(app))
        await pilot.press("slash")
        screen.query_one(Input).value = "coder=bob"
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.found is not None and screen.found.filter.coders == ("bob",))

        # enter: the fragment's turn in the transcript; escape: back to the list, filter kept
        coding.state.cursor = 0
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is coding and coding.state.cursor == 2)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, FragmentsScreen) and app.screen.found is not None)
        back = app.screen
        assert isinstance(back, FragmentsScreen)
        assert back.query_one(Input).value == "coder=bob"
        assert _listed(back) == [(document, 3, "bob")]
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is coding)

        # the palette: "code: find fragments" asks for the code first
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"code: find fragments")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CodeChooser))
        _highlight(app.screen.query_one(OptionList), "gesloten_vraag")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, FragmentsScreen) and app.screen.found is not None)
        chosen = app.screen
        assert isinstance(chosen, FragmentsScreen)
        assert _listed(chosen) == [(document, 4, "anna")]


def test_fragments_from_the_browser_open_on_top(team_dir: Path) -> None:
    """Opened from the corpus browser (palette), a fragment opens the transcript on top of the
    list, and escape goes back to it."""

    async def journey() -> None:
        app = QcodeApp(team_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.show_fragments("Intake")
            await wait_until(pilot, lambda: isinstance(app.screen, FragmentsScreen) and app.screen.found is not None)
            screen = app.screen
            assert isinstance(screen, FragmentsScreen)
            fragment = screen.found.fragments[0] if screen.found else None
            assert fragment is not None and (fragment.turn, fragment.last_turn) == (1, 4)
            assert "1–4" in screen_text(app)
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
            assert isinstance(app.screen, CodingScreen) and app.screen.state.cursor == 0
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen)
            assert screen.query_one(DataTable).row_count == 1

    asyncio.run(journey())


def test_fragments_snapshot(team_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def open_list(pilot: Pilot[Any]) -> None:
        await _open_fragments(pilot, "open_vraag")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = QcodeApp(team_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_list)
