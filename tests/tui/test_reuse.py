"""One coding screen serves every document: swapping must not leak state between them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from qcode.services import workbench
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from tests.tui.screen_text import screen_text


def _first_two(folder: Path) -> list[str]:
    project = open_project(folder)
    try:
        return [s.document for s in workbench.corpus_overview(project, "anna")[:2]]
    finally:
        project.close()


def test_second_document_reuses_screen_with_fresh_state(team_dir: Path) -> None:
    asyncio.run(_reuse(team_dir))


async def _reuse(folder: Path) -> None:
    first, second = _first_two(folder)
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.document.key == first
        # team_dir: anna coded utterances 0-3 (Intake), 2 (Open vraag) and 3 (Gesloten vraag).
        assert {c.code for c in screen.state.codings if c.coder == "anna"} == {"intake", "open_vraag", "gesloten_vraag"}
        await pilot.press("j", "j", "r", "j")  # cursor 3, a range mark started on 2
        await pilot.press("escape", "escape")  # clear the mark, back to the corpus
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is screen  # the same, already composed screen
        assert screen.document.key == second
        assert screen.state.cursor == 0 and screen.state.mark is None
        assert [c for c in screen.state.codings if c.coder == "anna"] == []
        assert second in screen_text(app)
        await pilot.press("y")  # codes utterance 0 of the second document only
        await pilot.pause()
        mine = [c for c in screen.state.codings if c.coder == "anna"]
        assert [(c.code, c.start) for c in mine] == [("verificatie_interpretatie", screen.document.utterances[0].start)]
        await pilot.press("q")
    project = open_project(folder)
    try:
        stored = workbench.document_codings(project, second, "anna")
    finally:
        project.close()
    assert [(c.code, c.coder) for c in stored if c.coder == "anna"] == [("verificatie_interpretatie", "anna")]
