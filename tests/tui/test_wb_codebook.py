"""Codebook editing in the workbench, driven with Pilot: create, rename, recolour, regroup and
merge codes, each undone with u; a refused step changes nothing; and an 80x24 snapshot.

What is stored is read back through the store (``qcode.services.codebook.codebook`` and the
codings list), not from the screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable, Input

from qcode.services import codebook as codebook_service
from qcode.services import codings as coding_service
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.codebook import CodebookScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.review import AskModal
from qcode.tui.widgets.codebook_panel import CodebookPanel
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until

SIZE = (80, 24)


def _codes(folder: Path) -> dict[str, tuple[str, str, str]]:
    project = open_project(folder)
    try:
        return {c.id: (c.name, c.group, c.colour) for c in codebook_service.codebook(project).codes}
    finally:
        project.close()


def _coded(folder: Path, code: str) -> list[str]:
    project = open_project(folder)
    try:
        frame = coding_service.list_codings(project, codes=[code], viewer="anna")
        return sorted(frame["coder"])
    finally:
        project.close()


async def _answer(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` (no pauses) into the question the screen asks, replacing its default."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, AskModal))
    modal = pilot.app.screen
    assert isinstance(modal, AskModal)
    modal.query_one(Input).value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()


def _go_to(screen: CodebookScreen, code: str) -> None:
    table = screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(code))


def test_codebook_editing_each_undone(team_dir: Path) -> None:
    asyncio.run(_journey(team_dir))


async def _journey(folder: Path) -> None:
    before = _codes(folder)
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
        coding = app.screen
        assert isinstance(coding, CodingScreen)
        await pilot.press("K")
        await wait_until(pilot, lambda: isinstance(app.screen, CodebookScreen))
        screen = app.screen
        assert isinstance(screen, CodebookScreen)

        # create "Zelfbeeld" in group content
        _go_to(screen, "open_vraag")
        await pilot.press("n")
        await _answer(pilot, "Zelfbeeld")
        await _answer(pilot, before["onderwerp"][1])
        created = {k: v for k, v in _codes(folder).items() if k not in before}
        assert list(created.values()) == [("Zelfbeeld", before["onderwerp"][1], "#888888")]
        assert any(o.id in created for o in coding.query_one(CodebookPanel)._options)
        await pilot.press("u")
        await pilot.pause()
        assert _codes(folder) == before

        # rename, recolour, regroup: each stored, each undone
        _go_to(screen, "feedback")
        await pilot.press("r")
        await _answer(pilot, "Terugkoppeling")
        assert _codes(folder)["feedback"][0] == "Terugkoppeling"
        assert coding.codes["feedback"].name == "Terugkoppeling"
        await pilot.press("c")
        await _answer(pilot, "#112233")
        assert _codes(folder)["feedback"][2] == "#112233"
        await pilot.press("g")
        await _answer(pilot, "phases")
        assert _codes(folder)["feedback"][1] == "phases"
        await pilot.press("u", "u", "u")
        await pilot.pause()
        assert _codes(folder) == before

        # a refused step: a colour that is none, a group that does not exist
        await pilot.press("c")
        await _answer(pilot, "blauw")
        assert "Refused" in screen_text(app) and "#4E79A7" in screen_text(app)
        await pilot.press("g")
        await _answer(pilot, "fases")
        assert _codes(folder) == before

        # merge Gesloten vraag (anna's turn 4) into Open vraag; undo moves the coding back
        _go_to(screen, "gesloten_vraag")
        await pilot.press("m")
        await _answer(pilot, "Open vrag")  # a typo is refused with the closest name
        assert "did you mean 'Open vraag'" in screen_text(app)
        assert "gesloten_vraag" in _codes(folder)
        await pilot.press("m")
        await _answer(pilot, "Open vraag")
        assert "gesloten_vraag" not in _codes(folder)
        assert _coded(folder, "open_vraag") == ["anna", "anna", "bob"]
        await pilot.press("u")
        await pilot.pause()
        assert _codes(folder) == before
        assert _coded(folder, "open_vraag") == ["anna", "bob"]
        assert _coded(folder, "gesloten_vraag") == ["anna"]


def test_undo_of_a_create_refused_once_the_code_has_codings(team_dir: Path) -> None:
    async def journey() -> None:
        app = QcodeApp(team_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("K")
            await wait_until(pilot, lambda: isinstance(app.screen, CodebookScreen))
            await pilot.press("n")
            await _answer(pilot, "Zelfbeeld")
            await _answer(pilot, "content")
            latest = codebook_service.latest_edit(app.project)
            assert latest is not None and latest.after == "Zelfbeeld"
            key = latest.code
            first = coding_service.list_codings(app.project, viewer="anna")["document"].iloc[0]
            coding_service.add_coding(app.project, first, key, "anna", utterance=1)
            await pilot.press("u")
            await pilot.pause()
            assert "would orphan" in screen_text(app)
            assert "Zelfbeeld" in [n for n, _, _ in _codes(team_dir).values()]
            assert codebook_service.latest_edit(app.project) == latest  # still there to undo later

    asyncio.run(journey())


def test_codebook_snapshot(team_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def settle(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = QcodeApp(team_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["K", "_", "j", "j"], run_before=settle)
