"""Issue 15 in the workbench: "learn now" in a worker while coding goes on, and the trust
screen (Pilot), with an 80x24 snapshot. The project is the learning tests' eight coded cases."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from qcode.services import codings as coding_service
from qcode.services import learning
from qcode.services import trust as trust_service
from qcode.services.project import open_project
from qcode.storage import learned as learned_store
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.trust import TrustScreen
from tests.suggest.learning_project import coded_project
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until

SIZE = (80, 24)


@pytest.fixture
def coded_dir(tmp_path: Path, spacy_model: str) -> Path:
    project = coded_project(tmp_path)
    folder = project.folder
    project.close()
    return folder


async def _palette(pilot: Pilot[Any], command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await pilot.pause(0.3)
    await pilot.press("enter")
    await pilot.pause()


def _models(folder: Path) -> int:
    project = open_project(folder)
    try:
        with project.session() as session:
            return len(learned_store.model_versions(session))
    finally:
        project.close()


def test_learn_now_runs_in_a_worker_while_coding_goes_on(coded_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Learning is held until the coder has opened a document and coded a turn: only a
    worker lets that happen; then the model is stored and a toast says so."""
    release = threading.Event()
    real = learning.learn

    def held(*args: Any, **kwargs: Any) -> learning.LearnSummary:
        assert release.wait(30), "the test never released the learning"
        return real(*args, **kwargs)

    monkeypatch.setattr(learning, "learn", held)
    asyncio.run(_learn_journey(coded_dir, release))
    assert _models(coded_dir) == 1


async def _learn_journey(folder: Path, release: threading.Event) -> None:
    app = QcodeApp(folder, coder="bram", auto_suggest=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _palette(pilot, "learn: now")
        learning_workers = [w for w in app.workers if w.group == "learn"]
        assert learning_workers and not learning_workers[0].is_finished
        await pilot.press("enter")  # open the first document while the model is being fitted
        for _ in range(200):
            await pilot.pause(0.02)
            if isinstance(app.screen, CodingScreen) and app.screen.document.key:
                break
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        key = screen.document.key
        assert not learning_workers[0].is_finished
        await pilot.press("down")
        await _palette(pilot, "code: Open vraag")
        project = open_project(folder)
        try:
            mine = coding_service.list_codings(project, coders=["bram"], viewer="bram")
        finally:
            project.close()
        assert list(mine["document"]) == [key]  # committed while learning still waits
        release.set()
        for _ in range(500):
            await pilot.pause(0.02)
            if learning_workers[0].is_finished:
                break
        await pilot.pause(0.2)
        assert learning_workers[0].is_finished
        assert any("Learned model 1" in str(n.message) for n in app._notifications)


def test_trust_screen_shows_the_services_figures(coded_dir: Path) -> None:
    asyncio.run(_trust_journey(coded_dir))


async def _trust_journey(folder: Path) -> None:
    project = open_project(folder)
    try:
        expected = {(r["code_id"], r["channel"]): r for r in trust_service.trust_json(trust_service.trust(project, "anna", n_boot=500))}
    finally:
        project.close()
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await _palette(pilot, "show: trust")
        await wait_until(pilot, lambda: isinstance(app.screen, TrustScreen) and app.screen.report is not None)
        text = screen_text(app)
        school = expected[("schoolzorgen", "all")]
        line = next(x for x in text.splitlines() if "Schoolzorgen" in x and " all " in x)
        assert f"{school['precision']:.2f}" in line and f"{school['f1']:.2f}" in line
        assert "Learning curve" in text
        assert "Verificatie interpretatie: the model never suggested it beyond the rules" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, TrustScreen)


def test_trust_screen_snapshot(coded_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def open_trust(pilot: Pilot[Any]) -> None:
        await _palette(pilot, "show: trust")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, TrustScreen) and pilot.app.screen.report is not None)

    app = QcodeApp(coded_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_trust)
