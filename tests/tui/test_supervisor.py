"""Pilot journeys through the supervisor screens: statistics, agreement, adjudication."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import DataTable

from qcode.services import analysis, workbench
from qcode.services import codings as coding_service
from qcode.services.corpus import get_document
from qcode.services.project import open_project
from qcode.transcripts.model import Document
from qcode.tui.app import QcodeApp
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.screens.review import ReviewScreen
from qcode.tui.screens.statistics import StatisticsScreen
from qcode.tui.screens.units import UnitsScreen
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until


def _first_chat(folder: Path) -> tuple[Document, int]:
    """The first document (the one team_dir codes) and how many cases have a chat."""
    project = open_project(folder)
    try:
        overview = workbench.corpus_overview(project, "sam")
        chat_cases = {s.case for s in overview if s.channel == "chat"}
        return get_document(project, overview[0].document), len(chat_cases)
    finally:
        project.close()


def _consensus(folder: Path) -> set[tuple[str, int, int, str]]:
    project = open_project(folder)
    try:
        frame = coding_service.list_codings(project, coders=["consensus"], viewer="sam")
        return {(r.code, int(r.start), int(r.end), r.origin) for r in frame.itertuples()}
    finally:
        project.close()


def _agreement_shown(app: QcodeApp) -> bool:
    screen = app.screen
    return isinstance(screen, AgreementScreen) and screen.query_one(DataTable).row_count > 0


async def _open_agreement_row(pilot, app: QcodeApp, code: str) -> None:  # type: ignore[no-untyped-def]
    """From the agreement screen, open the units behind ``code`` (enter), then their review queue (r)."""
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=table.get_row_index(code))
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, UnitsScreen) and app.screen.loaded)
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded)


def test_supervisor_adjudicates_into_consensus(team_dir: Path) -> None:
    asyncio.run(_adjudicate(team_dir))


async def _adjudicate(folder: Path) -> None:
    doc, _ = _first_chat(folder)
    u = doc.utterances
    app = QcodeApp(folder, coder="sam", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "(supervisor)" in screen_text(app)
        await pilot.press("g")
        await wait_until(pilot, lambda: _agreement_shown(app))
        assert isinstance(app.screen, AgreementScreen)
        table = app.screen.query_one(DataTable)
        # Gesloten vraag: anna 1 of the 44 utterances, bob none. By hand: agreement 43/44;
        # Cohen's kappa = (p_o - p_e)/(1 - p_e) with p_e = 43/44 * 1 + 1/44 * 0 = p_o, so 0.
        row = table.get_row("gesloten_vraag")
        header = [str(c.label) for c in table.columns.values()]
        cells = dict(zip(header, map(str, row), strict=True))
        assert cells["% agree"] == f"{(len(u) - 1) / len(u):.3f}"
        assert cells["Cohen κ"] == "0.000"

        await _open_agreement_row(pilot, app, "gesloten_vraag")
        shown = screen_text(app)
        assert "Hoe oud ben je" in shown and u[3].text[:30] in shown
        assert "[a] anna: Gesloten vraag" in shown and "[b] bob: —" in shown
        await pilot.press("a")  # anna's: the code applied
        await pilot.pause()
        assert "No open disagreements left" in screen_text(app)

        await pilot.press("escape", "escape")  # review queue, units behind the figure
        await pilot.pause()
        await _open_agreement_row(pilot, app, "feedback")
        await pilot.press("n")  # neither: Feedback rejected
        await pilot.pause()
        assert _consensus(folder) == {("gesloten_vraag", u[3].start, u[3].end, "consensus")}
        # Seeding copies what both coders agree on: Open vraag on utterance 2, nothing else.
        await pilot.press("escape", "escape", "s")
        await pilot.pause()
        await pilot.press("q")

    assert _consensus(folder) == {
        ("gesloten_vraag", u[3].start, u[3].end, "consensus"),
        ("open_vraag", u[2].start, u[2].end, "consensus"),
    }
    project = open_project(folder)
    try:
        left = analysis.disagreements(project, ["anna", "bob"], viewer="sam")
    finally:
        project.close()
    # Both settled (one applied, one rejected); only anna's Intake on utterances 0-3 remains.
    assert sorted(zip(left["code"], left["utterance"], strict=True)) == [("intake", i) for i in range(4)]


def test_coder_without_supervisor_flag_cannot_adjudicate(team_dir: Path) -> None:
    asyncio.run(_refused(team_dir))


async def _refused(folder: Path) -> None:
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("g")
        await wait_until(pilot, lambda: _agreement_shown(app))
        await _open_agreement_row(pilot, app, "gesloten_vraag")
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert len(app.screen.items) == 1  # still there: nothing was settled
        await pilot.press("q")
    assert _consensus(folder) == set()


def test_statistics_chart_shows_phase_share_per_channel(team_dir: Path) -> None:
    asyncio.run(_statistics(team_dir))


async def _statistics(folder: Path) -> None:
    _, chat_cases = _first_chat(folder)
    app = QcodeApp(folder, coder="sam", auto_suggest=False)
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(app.screen, StatisticsScreen) and app.screen.shown_for == (None,))
        lines = screen_text(app).splitlines()
        intake = next(i for i, line in enumerate(lines) if line.strip() == "Intake")
        chat, email = lines[intake + 1], lines[intake + 2]
        # One chat case of chat_cases (9) has Intake: 11.1 %; a 40-cell bar is 40*8/9 = 35.6
        # eighths, rounded to 36: four full blocks and a half block.
        assert chat.split()[0] == "chat" and f"{100 / chat_cases:5.1f} %" in chat
        assert "████▌" in chat and "█████" not in chat
        assert email.split()[0] == "email" and "0.0 %" in email and "█" not in email
        # "c" cycles the coder filter: bob never coded Intake.
        await pilot.press("c", "c")
        await wait_until(pilot, lambda: isinstance(app.screen, StatisticsScreen) and app.screen.shown_for == ("bob",))
        lines = screen_text(app).splitlines()
        assert "Codings of: bob" in "\n".join(lines)
        intake = next(i for i, line in enumerate(lines) if line.strip() == "Intake")
        assert "  0.0 %" in lines[intake + 1] and "█" not in lines[intake + 1]
        await pilot.press("q")
