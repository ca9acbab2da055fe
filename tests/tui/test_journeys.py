"""Pilot-driven journeys against a real project store (SQLite in tmp_path)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from qcode.services import codings as coding_service
from qcode.services import workbench
from qcode.services.corpus import get_document
from qcode.services.project import open_project
from qcode.services.suggestions import ShownSuggestion, list_suggestions
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from tests.tui.screen_text import screen_text


def first_document(folder: Path) -> str:
    """The browser's first row (the corpus may change; the journey does not depend on it)."""
    project = open_project(folder)
    try:
        return workbench.corpus_overview(project, "anna")[0].document
    finally:
        project.close()


async def _goto(pilot, app: QcodeApp, turn: int) -> None:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, CodingScreen)
    await pilot.press("home")
    for _ in range(turn):
        await pilot.press("j")
    assert screen.state.cursor == turn


def _anna_codings(folder: Path, doc_key: str) -> set[tuple[str, int, int, str]]:
    project = open_project(folder)
    try:
        frame = coding_service.list_codings(project, documents=[doc_key], coders=["anna"], viewer="anna")
        return {(r.code, int(r.start), int(r.end), r.origin) for r in frame.itertuples()}
    finally:
        project.close()


def test_code_accept_reject_undo_quit_reopen(demo_dir: Path, spacy_model: str) -> None:
    asyncio.run(_journey(demo_dir))


async def _journey(demo_dir: Path) -> None:
    DOC = first_document(demo_dir)
    project = open_project(demo_dir)
    doc = get_document(project, DOC)
    project.close()
    u = doc.utterances
    app = QcodeApp(demo_dir, coder="anna")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "coder: anna" in screen_text(app)
        await pilot.press("enter")  # first document of the browser
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen) and screen.document.key == DOC
        await app.workers.wait_for_complete()  # the suggester ran in a thread
        await pilot.pause()
        # The first suggestion of each utterance after 11 (what "a"/"x" act on).
        pending: dict[int, ShownSuggestion] = {}
        for s in screen.state.suggestions:
            if s.turn > 11:
                pending.setdefault(s.turn, s)
        first, second, third = sorted(pending)[:3]

        # Five utterances coded with hotkeys (y, w, g, f, i).
        for turn, key in zip((1, 3, 5, 7, 9), "ywgfi", strict=True):
            await _goto(pilot, app, turn)
            await pilot.press(key)
        # One span by selecting the first 5 characters of utterance 11.
        await _goto(pilot, app, 11)
        await pilot.press("enter")
        for _ in range(5):
            await pilot.press("shift+right")
        await pilot.press("f")
        await pilot.pause()
        # Accept two suggestions, reject one.
        for turn in (first, second):
            await _goto(pilot, app, turn)
            await pilot.press("a")
        await _goto(pilot, app, third)
        await pilot.press("x")
        # Undo reverts the latest coding change: the coding made by accepting the second.
        await pilot.press("u")
        await pilot.pause()
        await pilot.press("q")

    expected = {
        ("verificatie_interpretatie", u[1].start, u[1].end, "manual"),
        ("open_vraag", u[3].start, u[3].end, "manual"),
        ("gesloten_vraag", u[5].start, u[5].end, "manual"),
        ("feedback", u[7].start, u[7].end, "manual"),
        ("uitnodiging_inhoudsbepaling", u[9].start, u[9].end, "manual"),
        ("feedback", u[11].start, u[11].start + 5, "manual"),
        (pending[first].code, pending[first].start, pending[first].end, "accepted suggestion"),
    }
    assert _anna_codings(demo_dir, DOC) == expected
    project = open_project(demo_dir)
    decided = {s["id"]: s["status"] for s in list_suggestions(project, "anna", DOC, status="all")}
    decided = {t: decided[pending[t].id] for t in (first, third)}
    project.close()
    assert decided[third] == "rejected"
    assert decided[first] == "accepted"

    # Reopen: the workbench shows exactly what was saved.
    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        mine = {(c.code, c.start, c.end, c.origin) for c in screen.state.codings if c.coder == "anna"}
        assert mine == expected
        assert "Verificatie interpretatie" in screen_text(app)
        await pilot.press("q")


def test_range_toggle_memo_and_redo(demo_dir: Path) -> None:
    asyncio.run(_range_journey(demo_dir))


async def _range_journey(demo_dir: Path) -> None:
    DOC = first_document(demo_dir)
    project = open_project(demo_dir)
    doc = get_document(project, DOC)
    project.close()
    app = QcodeApp(demo_dir, coder="bob", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        # Phase over utterances 0..3: mark, move, hotkey 1 (Intake).
        await pilot.press("r", "j", "j", "j", "1")
        await pilot.press("j", "y", "y")  # apply then remove again (toggle)
        await pilot.press("semicolon")
        await pilot.press(*"let op")
        await pilot.press("ctrl+s")
        await pilot.press("u", "U")  # undo the removal, redo it
        await pilot.pause()
        mine = {(c.code, c.start, c.end) for c in screen.state.codings if c.coder == "bob"}
        assert mine == {("intake", doc.utterances[0].start, doc.utterances[3].end)}
        assert screen.state.memo_turns == {4}
        await pilot.press("q")
