"""The command palette: fuzzy "verb: object" commands that code and navigate."""

from __future__ import annotations

import asyncio
from pathlib import Path

from qcode.services import workbench
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen


def test_palette_codes_the_current_utterance(demo_dir: Path) -> None:
    asyncio.run(_palette(demo_dir))


async def _palette(folder: Path) -> None:
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(50):
            if isinstance(app.screen, CodingScreen):
                break
            await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        document = screen.document
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"code: verificatie")  # fuzzy: lower case, partial name
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        await pilot.press("q")
    project = open_project(folder)
    try:
        stored = [c for c in workbench.document_codings(project, document.key, "anna") if c.coder == "anna"]
    finally:
        project.close()
    first = document.utterances[0]
    assert [(c.code, c.start, c.end) for c in stored] == [("verificatie_interpretatie", first.start, first.end)]
