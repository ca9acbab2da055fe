"""The memo list ("memo: list"), driven with Pilot: read, search, edit, go to the place, come
back, write a turn memo in the transcript, undo; and an 80x24 snapshot."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import update
from textual.pilot import Pilot
from textual.widgets import TextArea

from qcode.coding.memo import MemoKind, MemoTarget
from qcode.services import workbench
from qcode.services.memos import list_memos, write_memo
from qcode.services.project import open_project
from qcode.storage.schema import MemoRow
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.memo import MemoModal
from qcode.tui.screens.memos import MemoListScreen
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until

SIZE = (80, 24)
WRITTEN = datetime(2026, 11, 30, 14, 5)


def _seed(folder: Path) -> tuple[str, str]:
    """Memos by anna and bob on the first two documents, a case and a code."""
    project = open_project(folder)
    try:
        from qcode.services import team as team_service

        for name in ("anna", "bob"):
            team_service.add_coder(project, name)
        overview = workbench.corpus_overview(project, "anna")
        first, second = overview[0], overview[1]
        write_memo(project, MemoTarget.on_document(first.document, 3), "anna", "Hier kantelt het gesprek")
        write_memo(project, MemoTarget.on_document(second.document), "bob", "Doorverwezen naar de huisarts")
        write_memo(project, MemoTarget.on_case(first.case), "anna", "Zelfde hulpvrager als later?")
        write_memo(project, MemoTarget.on_code("Open vraag"), "anna", "Werkdefinitie: laat ruimte")
        with project.session() as session:  # fixed times: the list shows them (snapshot)
            session.execute(update(MemoRow).values(created=WRITTEN, updated=WRITTEN))
        return first.document, second.document
    finally:
        project.close()


def _stored(folder: Path) -> set[tuple[str, str | None, int | None, str, str]]:
    project = open_project(folder)
    try:
        return {(m.kind.value, m.document, m.utterance, m.coder, m.text) for m in list_memos(project, None)}
    finally:
        project.close()


async def _open_list(pilot: Pilot[Any]) -> MemoListScreen:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*"memo: list")
    await pilot.pause(0.3)
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MemoListScreen))
    screen = pilot.app.screen
    assert isinstance(screen, MemoListScreen)
    return screen


async def _type_memo(pilot: Pilot[Any], text: str) -> None:
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MemoModal))
    area = pilot.app.screen.query_one(TextArea)
    area.text = ""
    await pilot.press(*text)
    await pilot.press("ctrl+s")
    await pilot.pause()


def test_memo_list_journey(demo_dir: Path) -> None:
    first, second = _seed(demo_dir)
    asyncio.run(_journey(demo_dir, first, second))


async def _journey(folder: Path, first: str, second: str) -> None:
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _open_list(pilot)
        assert [m.text for m in screen.memos] == [
            "Werkdefinitie: laat ruimte", "Zelfde hulpvrager als later?", "Hier kantelt het gesprek",
            "Doorverwezen naar de huisarts",
        ]
        assert "4 memo(s)" in screen_text(app)

        # search by text (case ignored), then clear the search
        await pilot.press("slash", *"HUISARTS")
        await wait_until(pilot, lambda: len(screen.memos) == 1)
        assert screen.memos[0].coder == "bob"
        await pilot.press("escape")  # leaves the search box, stays on the list
        assert isinstance(app.screen, MemoListScreen)
        await pilot.press("slash", *["backspace"] * 8, "enter")
        await wait_until(pilot, lambda: len(screen.memos) == 4)

        # k cycles the kind of place: coding (none), then turn
        await pilot.press("k")
        assert screen.memos == []
        await pilot.press("k")
        assert [m.kind for m in screen.memos] == [MemoKind.UTTERANCE]

        # edit anna's turn memo; the store has the new text at once
        await pilot.press("e")
        await _type_memo(pilot, "Kantelpunt: hulpvrager opent zich")
        assert ("utterance", first, 3, "anna", "Kantelpunt: hulpvrager opent zich") in _stored(folder)
        assert screen.memos[0].text == "Kantelpunt: hulpvrager opent zich"

        # enter goes to the memo's turn in the transcript; escape comes back to the list
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
        coding = app.screen
        assert isinstance(coding, CodingScreen)
        assert coding.document.key == first and coding.state.cursor == 3
        assert 3 in coding.state.memo_turns
        # a memo on the current turn, written in the transcript (;), shows in the list
        await pilot.press("j", "semicolon")
        await _type_memo(pilot, "Vraag zonder antwoord")
        assert ("utterance", first, 4, "anna", "Vraag zonder antwoord") in _stored(folder)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, MemoListScreen))
        assert [m.text for m in screen.memos] == ["Kantelpunt: hulpvrager opent zich", "Vraag zonder antwoord"]

        # bob's memo is bob's: e writes anna's own memo on the same document
        await pilot.press("k", "k", "k", "k", "k")  # back to all kinds
        await wait_until(pilot, lambda: len(screen.memos) == 5)
        bob = next(i for i, m in enumerate(screen.memos) if m.coder == "bob")
        for _ in range(bob):
            await pilot.press("down")
        await pilot.press("e")
        await _type_memo(pilot, "Ook gezien")
        assert {("document", second, None, "bob", "Doorverwezen naar de huisarts"),
                ("document", second, None, "anna", "Ook gezien")} <= _stored(folder)

        # a new free memo, cleared with d, brought back with u
        await pilot.press("n")
        await _type_memo(pilot, "Week 1: intake overal kort")
        assert ("project", None, None, "anna", "Week 1: intake overal kort") in _stored(folder)
        assert screen.memos[0].kind is MemoKind.PROJECT
        await pilot.press(*["up"] * 6, "d")
        assert not any(t == "Week 1: intake overal kort" for *_, t in _stored(folder))
        await pilot.press("u")
        assert ("project", None, None, "anna", "Week 1: intake overal kort") in _stored(folder)
        await pilot.press("escape")
        assert not isinstance(app.screen, MemoListScreen)


def test_memo_list_snapshot(demo_dir: Path, snap_compare: Callable[..., bool]) -> None:
    _seed(demo_dir)

    async def open_list(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        await _open_list(pilot)
        await pilot.press("down", "down")
        await pilot.pause()

    app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=open_list)


async def _palette(pilot: Pilot[Any], command: str) -> None:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*command)
    await pilot.pause(0.3)
    await pilot.press("enter")


def test_case_and_code_memos_from_the_transcript(demo_dir: Path) -> None:
    first, _ = _seed(demo_dir)
    project = open_project(demo_dir)
    try:
        from qcode.services import codings as coding_service

        coding_service.add_coding(project, first, "Open vraag", "anna", utterance=0)
    finally:
        project.close()
    asyncio.run(_from_transcript(demo_dir, first))


async def _from_transcript(folder: Path, first: str) -> None:
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.open_document(first, turn=0)
        await wait_until(pilot, lambda: isinstance(app.screen, CodingScreen))
        await _palette(pilot, "memo: code")
        await wait_until(pilot, lambda: isinstance(app.screen, MemoModal))
        # the editor opens with anna's own working definition of Open vraag
        assert app.screen.query_one(TextArea).text == "Werkdefinitie: laat ruimte"
        await _type_memo(pilot, "Werkdefinitie: begint met wie/wat/hoe")
        await _palette(pilot, "memo: case")
        await _type_memo(pilot, "Casus met vervolg")
    stored = _stored(folder)
    assert ("code", None, None, "anna", "Werkdefinitie: begint met wie/wat/hoe") in stored
    assert ("case", None, None, "anna", "Casus met vervolg") in stored
