"""Issue 16's smaller fixes: toasts by code and turn, Esc in the coder picker, the palette's
Dutch definitions, one line per code in the codebook panel."""

from __future__ import annotations

import asyncio
from pathlib import Path

from qcode.codebook.load import load_codebook
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coder import CoderScreen
from qcode.tui.screens.coding import CodingScreen
from tests.tui.fast_keys import type_fast
from tests.tui.test_wb1_typing import _open

CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "klikvoorhulp.yaml"


def _toasts(app: QcodeApp) -> list[str]:
    return [n.message for n in app._notifications]


def test_undo_and_redo_toasts_name_code_and_turn_not_ids(demo_dir: Path) -> None:
    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await _open(pilot, app)
            await type_fast(pilot, "j", "j", "w", "u")
            await type_fast(pilot, "U")
            await type_fast(pilot, "r", "j", "1", "u")
            toasts = _toasts(app)
            assert "Undid adding Open vraag on turn 3" in toasts
            assert "Redid adding Open vraag on turn 3" in toasts
            assert "Undid adding Intake on turns 3–4" in toasts
            assert not any("coding " in t for t in toasts)  # no ids

    asyncio.run(run())


def test_escape_in_the_coder_picker_keeps_the_current_coder(demo_dir: Path) -> None:
    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("c")  # the browser's "switch coder"
            await pilot.pause()
            assert isinstance(app.screen, CoderScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, CoderScreen) and app.coder == "anna"

    asyncio.run(run())


def test_escape_with_no_coder_yet_says_how_to_go_on(demo_dir: Path) -> None:
    async def run() -> None:
        app = QcodeApp(demo_dir, auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, CoderScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, CoderScreen)
            assert any("Choose a coder" in t for t in _toasts(app))

    asyncio.run(run())


def test_palette_shows_the_dutch_definition_first(demo_dir: Path) -> None:
    book = load_codebook(CODEBOOK)
    dutch = {f"code: {c.name}": c.definition_nl for c in book.codes if not c.automatic and c.definition_nl}

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            assert isinstance(screen, CodingScreen)
            shown = {title: help_text for title, help_text, _ in screen.palette_commands()}
            for title, definition in dutch.items():
                assert shown[title] == definition
            open_vraag = next(c for c in book.codes if c.id == "open_vraag")
            assert shown["code: Open vraag"] != open_vraag.definition_en

    asyncio.run(run())


def test_next_uncoded_counts_the_groups_the_project_chooses(demo_dir: Path) -> None:
    """With ``next_uncoded_groups = ["phases"]`` a phase over the whole chat leaves nothing uncoded."""
    toml = demo_dir / "qcode.toml"
    text = toml.read_text(encoding="utf-8")
    assert "next_uncoded_groups = []" in text
    toml.write_text(text.replace("next_uncoded_groups = []", 'next_uncoded_groups = ["phases"]'), encoding="utf-8")

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            await type_fast(pilot, "r", "end", "1", "home", ".")
            assert screen.state.cursor == 0
            assert any("Every turn has" in t for t in _toasts(app))

    asyncio.run(run())


def test_own_badges_come_first_on_a_busy_turn(team_dir: Path) -> None:
    """Turn 3 of the team chat: anna's Open vraag, Intake and three more, then bob's Open vraag.
    In bob's view at 80 columns his own badge is the first after the speaker, not cut off."""
    from qcode.services import codings as coding_service
    from qcode.services import workbench
    from qcode.services.project import open_project
    from tests.tui.screen_text import screen_text

    project = open_project(team_dir)
    try:
        doc = workbench.corpus_overview(project, "sam")[0].document
        for code in ("verificatie_interpretatie", "feedback", "uitnodiging_inhoudsbepaling"):
            coding_service.add_coding(project, doc, code, "anna", utterance=2)
    finally:
        project.close()

    async def run() -> None:
        app = QcodeApp(team_dir, coder="bob", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            await type_fast(pilot, "j", "j")
            header = next(line for line in screen_text(app).splitlines() if "(anna)" in line and "Open vraag" in line)
            assert header.index("Open vraag ") < header.index("(anna)")
            assert screen.state.cursor == 2

    asyncio.run(run())
