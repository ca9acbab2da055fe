"""The workbench shows experimental suggestions only on request, labelled as such."""

from __future__ import annotations

import asyncio
from pathlib import Path

from qcode.services import suggestions as suggestion_service
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen


def test_palette_runs_the_suggester_with_experimental_codes(demo_dir: Path, spacy_model: str) -> None:
    key = asyncio.run(_run(demo_dir))
    project = open_project(demo_dir)
    try:
        rows = suggestion_service.list_suggestions(project, "anna", key)
    finally:
        project.close()
    experimental = [r for r in rows if str(r["explanation"]).startswith("experimental:")]
    assert experimental, [(r["code_name"], r["explanation"]) for r in rows]
    assert {r["code_name"] for r in experimental} <= {
        "Hulpverlener domineert", "Hulpvrager domineert", "Overname dominantie", "Evaluatie",
    }


async def _run(folder: Path) -> str:
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(50):
            if isinstance(app.screen, CodingScreen):
                break
            await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"suggest: this document, experimental")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        key = screen.document.key
        await pilot.press("q")
    return key
