"""Corpus browser: filter by channel and case attribute, a remapped key, and the mouse."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

from textual.widgets import DataTable

from qcode.config import load_settings, save_settings
from qcode.services.demo import SAMPLE_CORPUS
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen


def _expected(**wanted: str) -> set[str]:
    """Document keys whose manifest row matches, counted from cases.csv independently."""
    keys = set()
    with (SAMPLE_CORPUS / "cases.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if all(row.get(k) == v for k, v in wanted.items()):
                path = Path(row["path"])
                keys.add(f"{row['case_id']}/{path.stem}")
    return keys


def _rows(app: QcodeApp) -> set[str]:
    table = app.screen.query_one(DataTable)
    return {str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)}


def test_filter_with_a_remapped_key_and_open_by_mouse(demo_dir: Path) -> None:
    settings = load_settings(demo_dir)
    settings.keys = {"browser.filter": "slash"}
    save_settings(demo_dir, settings)
    asyncio.run(_walk(demo_dir))


async def _walk(folder: Path) -> None:
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert len(_rows(app)) == 18
        await pilot.press("slash")  # remapped from "f" in qcode.toml [keys]
        await pilot.pause()
        await pilot.press(*"channel=email", "enter")
        await pilot.pause()
        assert _rows(app) == _expected(channel="email")
        await pilot.press("slash")
        await pilot.pause()
        query = "leeftijdsgroep=13-16 channel=chat"
        app.screen.query_one("#filter").value = ""  # type: ignore[attr-defined]
        await pilot.press(*query, "enter")
        await pilot.pause()
        assert _rows(app) == _expected(leeftijdsgroep="13-16", channel="chat")
        first = sorted(_rows(app))[0]
        table = app.screen.query_one(DataTable)
        row = next(i for i in range(table.row_count) if table.coordinate_to_cell_key((i, 0)).row_key.value == first)
        await pilot.click(DataTable, offset=(2, row + 1))  # header row, then the data rows
        await pilot.pause()
        if not isinstance(app.screen, CodingScreen):  # the first click may only move the cursor
            await pilot.click(DataTable, offset=(2, row + 1))
        for _ in range(50):
            if isinstance(app.screen, CodingScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, CodingScreen) and app.screen.document.key == first
        await pilot.press("q")
