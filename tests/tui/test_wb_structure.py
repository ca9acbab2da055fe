"""The workbench's structure (issue 13 item 3), held by tests that fail if it regresses:

- a screen runs in a bare Textual ``App`` that hands it a :class:`WorkbenchContext` (no
  QcodeApp), and asks for other screens only by posting a navigation message;
- each navigation message makes the app push the right screen (``qcode.tui.navigation``);
- a worker's result reaches its screen as a message (the bare app refuses ``call_from_thread``);
- keys typed right behind a navigation message act on the screen it opens;
- codebook and coder changes travel as messages and land in the shared context;
- suggestions on screen are ``ShownSuggestion`` values, built in the services layer.

What is stored is read back through the services (or the store), never from the screen.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from textual import on
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from qcode.services import codebook as codebook_service
from qcode.services import codings as coding_service
from qcode.services import workbench
from qcode.services.corpus import get_document
from qcode.services.project import Project, open_project
from qcode.services.suggestions import ShownSuggestion, shown_suggestions
from qcode.tui.app import QcodeApp
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import (
    ChooseCoder,
    CodebookChanged,
    Navigate,
    OpenDocument,
    Show,
    ShowFragments,
    ShowReview,
    ShowUnits,
)
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.screens.browser import BrowserScreen
from qcode.tui.screens.code_chooser import CodeChooser
from qcode.tui.screens.coder import CoderScreen
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.fragments import FragmentsRead, FragmentsScreen
from qcode.tui.screens.review import ReviewScreen
from qcode.tui.screens.statistics import StatisticsScreen
from qcode.tui.screens.units import UnitsScreen
from qcode.tui.widgets.codebook_panel import CodebookPanel
from tests.tui.fast_keys import type_fast
from tests.tui.screen_text import screen_text
from tests.tui.test_journeys import first_document
from tests.tui.waiting import wait_until

SIZE = (80, 24)


class BareApp(App[None]):
    """A plain Textual app: no QcodeApp, no navigator. It shows one screen and records every
    navigation message the screen posts; a worker calling back into the UI thread fails."""

    def __init__(self, make_screen: Callable[[], Screen[None]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.asked: list[Message] = []

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())

    @on(Navigate)
    def record(self, message: Navigate) -> None:
        self.asked.append(message)

    def call_from_thread(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a worker called the UI from its thread instead of posting a message")


@pytest.fixture
def context(team_dir: Path) -> Iterator[WorkbenchContext]:
    project = open_project(team_dir)
    try:
        yield WorkbenchContext(project, codebook_service.codebook(project), "anna", auto_suggest=False)
    finally:
        project.close()


def _stored(project: Project, coder: str = "anna") -> set[tuple[str, str, int, int]]:
    frame = coding_service.list_codings(project, coders=[coder], viewer=coder)
    return {(r.document, r.code, int(r.start), int(r.end)) for r in frame.itertuples()}


# ---- screens with only a context ---------------------------------------------------------------
def test_the_browser_needs_only_a_context_and_asks_for_the_document_by_message(
    context: WorkbenchContext, team_dir: Path
) -> None:
    first = first_document(team_dir)

    async def run() -> None:
        app = BareApp(lambda: BrowserScreen(context))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, BrowserScreen)
            table = screen.query_one(DataTable)
            assert table.row_count == len(workbench.corpus_overview(context.project, "anna"))
            await pilot.press("enter")
            await pilot.pause()
            assert app.asked == [OpenDocument(first)]
            assert app.screen is screen  # the bare app does not navigate: nothing was pushed
            await pilot.press("s", "K")  # statistics, the codebook: by message too
            await pilot.pause()
            assert app.asked[1:] == [Show("statistics"), Show("codebook")]

    asyncio.run(run())


def test_the_coding_screen_codes_with_only_a_context(context: WorkbenchContext, team_dir: Path) -> None:
    """Open vraag (hotkey w) on turn 2 is committed by the screen alone; F asks for the
    fragments of that code by message."""
    key = first_document(team_dir)
    document = get_document(context.project, key)
    before = _stored(context.project)

    async def run() -> None:
        app = BareApp(lambda: CodingScreen(context, workbench.open_document(context.project, key)))
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CodingScreen)
            await pilot.press("j", "w")
            await pilot.pause()
            await pilot.press("F")
            await pilot.pause()
            highlighted = screen.query_one(CodebookPanel).highlighted_code()
            assert app.asked == [ShowFragments(highlighted or "open_vraag")]

    asyncio.run(run())
    u = document.utterances[1]
    assert _stored(context.project) - before == {(key, "open_vraag", u.start, u.end)}


def test_a_workers_result_reaches_the_screen_as_a_message(context: WorkbenchContext) -> None:
    """The fragments list arrives (the bare app would fail a ``call_from_thread``); a result for
    an older read is ignored, an error for the newest one is shown."""
    expected = len(coding_service.list_codings(context.project, codes=["open_vraag"], viewer="anna"))

    async def run() -> None:
        app = BareApp(lambda: FragmentsScreen(context, "open_vraag"))
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, FragmentsScreen) and app.screen.found is not None)
            screen = app.screen
            assert isinstance(screen, FragmentsScreen) and screen.found is not None
            assert expected >= 1 and screen.query_one(DataTable).row_count == expected
            status = screen.query_one("#fragments-status", Static)
            shown = str(status.render())
            screen.post_message(FragmentsRead(screen._asked - 1, None, "an older read failed"))
            await pilot.pause()
            assert str(status.render()) == shown
            screen.post_message(FragmentsRead(screen._asked, None, "the newest read failed"))
            await pilot.pause()
            assert "the newest read failed" in str(status.render())

    asyncio.run(run())


# ---- navigation ----------------------------------------------------------------------------------
def test_each_navigation_message_pushes_its_screen(team_dir: Path) -> None:
    key = first_document(team_dir)

    async def run() -> None:
        app = QcodeApp(team_dir, coder="sam", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            browser = app.screen
            assert isinstance(browser, BrowserScreen)

            async def shown(message: Navigate, kind: type[Screen[Any]]) -> Screen[Any]:
                app.post_message(message)
                await wait_until(pilot, lambda: isinstance(app.screen, kind))
                return app.screen

            coding = await shown(OpenDocument(key, turn=3), CodingScreen)
            assert isinstance(coding, CodingScreen) and coding.document.key == key
            await wait_until(pilot, lambda: coding.state.cursor == 3)
            fragments = await shown(ShowFragments("open_vraag"), FragmentsScreen)
            assert isinstance(fragments, FragmentsScreen) and fragments.code == "open_vraag"
            app.pop_screen()
            app.pop_screen()
            await shown(ShowFragments(None), CodeChooser)
            app.pop_screen()
            await shown(Show("statistics"), StatisticsScreen)
            app.pop_screen()
            await shown(Show("agreement"), AgreementScreen)
            review = await shown(ShowReview(["anna", "bob"], ["open_vraag"]), ReviewScreen)
            assert isinstance(review, ReviewScreen) and (review.coders, review.codes) == (["anna", "bob"], ["open_vraag"])
            app.pop_screen()
            units = await shown(ShowUnits(["anna", "bob"], "pair", ("anna", "bob")), UnitsScreen)
            assert isinstance(units, UnitsScreen) and units.key == ("anna", "bob")
            await shown(ChooseCoder(), CoderScreen)

    asyncio.run(run())


def test_keys_typed_behind_a_navigation_message_act_on_the_new_screen(demo_dir: Path) -> None:
    """``enter j j w`` in one burst from the corpus list: the document opens (by message) and
    Open vraag lands on turn 3, not in the list."""
    key = first_document(demo_dir)

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            await type_fast(pilot, "enter", "j", "j", "w")
            assert isinstance(app.screen, CodingScreen)

    asyncio.run(run())
    project = open_project(demo_dir)
    try:
        u = get_document(project, key).utterances[2]
        assert _stored(project) == {(key, "open_vraag", u.start, u.end)}
    finally:
        project.close()


# ---- changes travel as messages ------------------------------------------------------------------
def test_a_codebook_change_reaches_the_context_and_the_coding_screen(demo_dir: Path) -> None:
    key = first_document(demo_dir)

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.open_document(key)
            await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
            coding = app.screen
            assert isinstance(coding, CodingScreen)
            book = app.context.codebook
            renamed = replace(
                book, codes=tuple(replace(c, name="Terugkoppeling") if c.id == "feedback" else c for c in book.codes)
            )
            app.post_message(CodebookChanged(renamed))
            await pilot.pause()
            assert app.context.codebook is renamed
            assert coding.codes["feedback"].name == "Terugkoppeling"

    asyncio.run(run())


def test_switching_coder_changes_the_context_and_the_list(demo_dir: Path) -> None:
    """A new coder typed in the coder dialog (opened by ChooseCoder) codes from then on: the
    header and the corpus list are theirs (anna coded one turn of the first document, carla
    none)."""
    project = open_project(demo_dir)
    try:
        coding_service.add_coding(project, first_document(demo_dir), "open_vraag", "anna", utterance=0)
    finally:
        project.close()

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert str(app.screen.query_one(DataTable).get_row_at(0)[5]).startswith("1/")
            app.post_message(ChooseCoder())
            await wait_until(pilot, lambda: isinstance(app.screen, CoderScreen))
            app.screen.query_one("#new-coder", Input).focus()
            await pilot.pause()
            await pilot.press(*"carla", "enter")
            await wait_until(pilot, lambda: isinstance(app.screen, BrowserScreen))
            await pilot.pause()
            assert app.context.coder == "carla" and app.coder == "carla"
            assert "coder: carla" in screen_text(app)
            browser = app.screen
            assert isinstance(browser, BrowserScreen)
            first = browser.summaries[0]
            assert browser.query_one(DataTable).get_row_at(0)[5] == f"0/0/{first.utterances}"

    asyncio.run(run())
    project = open_project(demo_dir)
    try:
        from qcode.services import team as team_service

        assert "carla" in [name for name, _, _ in team_service.list_coders(project)]
    finally:
        project.close()


def test_learn_now_from_the_trust_screen_is_the_apps_worker_and_the_screen_recomputes(
    demo_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``l`` posts LearnNow; the app's worker (group "learn") posts ModelLearned; the app
    toasts it and tells the screens (ModelReady), so the trust screen computes again. The
    fitting and the cross-validation are stand-ins here (tests/tui/test_trust_screen.py runs
    the real ones)."""
    from qcode.errors import QcodeError
    from qcode.services import learning
    from qcode.services import trust as trust_service
    from qcode.tui.screens.trust import TrustScreen

    asked: list[str] = []

    def trust(project: Project, coder: str, n_boot: int = 500) -> trust_service.TrustReport:
        asked.append(coder)
        raise QcodeError(f"no figures yet (round {len(asked)})")

    summary = learning.LearnSummary(3, 12, 2, {"open_vraag": 5}, {}, {}, "digest")
    release = threading.Event()

    def learn(project: Project) -> learning.LearnSummary:
        assert release.wait(30), "the test never released the learning"
        return summary

    monkeypatch.setattr(trust_service, "trust", trust)
    monkeypatch.setattr(learning, "learn", learn)
    monkeypatch.setattr(learning, "code_names", lambda project: {"open_vraag": "Open vraag"})

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.post_message(Show("trust"))
            await wait_until(pilot, lambda: isinstance(app.screen, TrustScreen) and "round 1" in screen_text(app))
            await pilot.press("l")
            await pilot.pause()
            [worker] = [w for w in app.workers if w.group == "learn"]
            assert worker.node is app and not worker.is_finished  # the app's, not the screen's
            release.set()
            await wait_until(pilot, lambda: "round 2" in screen_text(app))
            assert any("Learned model 3 from 12 units: Open vraag (5)." in str(n.message) for n in app._notifications)
            assert asked == ["anna", "anna"]

    asyncio.run(run())


# ---- suggestions on screen -----------------------------------------------------------------------
def test_shown_suggestions_are_values_with_their_turn() -> None:
    """An utterance's suggestion sits on its utterance; a segment (no utterance) on the turn
    its start falls in: turns start at 0, 10 and 20, so start 15 is turn 1 and 20 is turn 2."""
    starts = [0, 10, 20]
    on_turn = {"id": 7, "document": "d", "code": "open_vraag", "code_name": "Open vraag", "utterance": 2,
               "start": 20, "end": 28, "confidence": 0.75, "rule": "r1", "explanation": "a question",
               "rules_version": "v", "model_version": None, "status": "pending"}
    segment = {**on_turn, "id": 8, "code": "intake", "code_name": "Intake", "utterance": None, "start": 15,
               "end": 27, "confidence": 0.5, "rule": "phase", "explanation": ""}
    at_start = {**segment, "id": 9, "start": 20}
    shown = shown_suggestions([on_turn, segment, at_start], starts)
    assert shown == [
        ShownSuggestion(7, "d", "open_vraag", "Open vraag", 2, 2, 20, 28, 0.75, "a question", "r1", "pending"),
        ShownSuggestion(8, "d", "intake", "Intake", None, 1, 15, 27, 0.5, "", "phase", "pending"),
        ShownSuggestion(9, "d", "intake", "Intake", None, 2, 20, 27, 0.5, "", "phase", "pending"),
    ]
