"""SVG snapshots of the main screens at 80x24 (the smallest terminal the issue requires).

Deterministic by construction: a copy of the demo project (no clock in the header), the
suggester off (no spaCy output), and every worker finished before the screenshot.
Update after an intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from qcode.tui.app import QcodeApp
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.screens.statistics import StatisticsScreen
from tests.tui.waiting import wait_until

SIZE = (80, 24)


async def _settle(pilot: Pilot[Any]) -> None:
    """Wait for every worker (statistics, agreement) and the redraw that follows."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _filled(pilot: Pilot[Any], screen: type, table: str) -> bool:
    """The worker's results are on screen: ``screen`` is current and its ``table`` has rows."""
    current = pilot.app.screen
    return isinstance(current, screen) and current.query_one(table, DataTable).row_count > 0


def test_browser(demo_dir: Path, snap_compare: Callable[..., bool]) -> None:
    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)


def test_coding_screen(team_dir: Path, snap_compare: Callable[..., bool]) -> None:
    app = QcodeApp(team_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["enter", "_", "j", "j", "j"], run_before=_settle)


def test_help(demo_dir: Path, snap_compare: Callable[..., bool]) -> None:
    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, press=["question_mark"], run_before=_settle)


def test_statistics(team_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def open_statistics(pilot: Pilot[Any]) -> None:
        await pilot.press("s")
        await wait_until(pilot, lambda: _filled(pilot, StatisticsScreen, "#shares-table"))

    app = QcodeApp(team_dir, coder="sam", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_statistics)


def test_agreement(team_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def open_agreement(pilot: Pilot[Any]) -> None:
        await pilot.press("g")
        await wait_until(pilot, lambda: _filled(pilot, AgreementScreen, "#agreement"))

    app = QcodeApp(team_dir, coder="sam", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_agreement)
