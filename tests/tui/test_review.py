"""Pilot journeys through the review queue (issue 17): a supervisor settles disagreements.

The team: ``team_dir`` (tests/tui/conftest.py: anna and bob on the first chat, sam the
supervisor) plus a phase disagreement (bob: Probleemanalyse on utterance 1, where anna has
Intake) and, on an e-mail, two sentences each coder marked with a different code.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from qcode.services import codings as coding_service
from qcode.services import consensus, workbench
from qcode.services import team as team_service
from qcode.services.corpus import get_document
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.agreement import AgreementScreen
from qcode.tui.screens.review import ReviewScreen
from qcode.tui.screens.units import UnitsScreen
from tests.tui.screen_text import screen_text
from tests.tui.waiting import wait_until

SIZE = (80, 24)
MAIL = "casus-04/mail-2014-03-12"
INTERPRETATION = "Uit je mail begrijp ik"
COMPLIMENT = "wat goed dat je het opschrijft"


def _sentence(text: str, opening: str) -> tuple[int, int]:
    start = text.index(opening)
    end = text.index(".", start) + 1
    return start, end


@pytest.fixture
def review_dir(team_dir: Path) -> Path:
    project = open_project(team_dir)
    try:
        chat = workbench.corpus_overview(project, "sam")[0].document
        coding_service.add_coding(project, chat, "probleemanalyse", "bob", utterance=1)
        mail = get_document(project, MAIL)
        reply = mail.utterances[1]
        for coder, code, opening in (("anna", "verificatie_interpretatie", INTERPRETATION), ("bob", "compliment_woorden", COMPLIMENT)):
            start, end = _sentence(reply.text, opening)
            coding_service.add_coding(project, MAIL, code, coder, start=reply.start + start, end=reply.start + end)
    finally:
        project.close()
    return team_dir


def _consensus(folder: Path) -> dict[tuple[str, int, int], str]:
    """(code, start, end) → kept / withdrawn, of every consensus decision."""
    project = open_project(folder)
    try:
        trail = consensus.decisions(project, viewer="sam")
        return {(r.code, int(r.start), int(r.end)): r.decision for r in trail.itertuples()}
    finally:
        project.close()


async def _open_review(pilot: Pilot[Any]) -> ReviewScreen:
    app = pilot.app
    await pilot.press("g")
    await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.shown_view == "code")
    await pilot.press("r")
    await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded)
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def _go_to(pilot: Pilot[Any], screen: ReviewScreen, label: str, utterance: int | None = None) -> None:
    for _ in range(len(screen.items)):
        item = screen.current()
        if item is not None and item["code"] == label and (utterance is None or item["utterance"] == utterance):
            return
        await pilot.press("j")
    raise AssertionError(f"no review item {label} #{utterance}")


def test_review_queue_settles_a_phase_turn_and_an_email_span_with_undo(review_dir: Path) -> None:
    asyncio.run(_review(review_dir))


async def _review(folder: Path) -> None:
    project = open_project(folder)
    try:
        chat = get_document(project, workbench.corpus_overview(project, "sam")[0].document)
        reply = get_document(project, MAIL).utterances[1]
    finally:
        project.close()
    app = QcodeApp(folder, coder="sam", auto_suggest=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_review(pilot)
        labels = [(i["code"], i["utterance"]) for i in screen.items]
        # Ordered by code (then document and turn); phases on a turn are one item.
        assert labels == sorted(labels, key=lambda x: x[0]) and ("set:phase", 1) in labels
        assert labels.count(("set:phase", 1)) == 1
        total = len(labels)

        # The phase turn: anna's Intake against bob's Probleemanalyse, one decision.
        await _go_to(pilot, screen, "set:phase", 1)
        shown = screen_text(app)
        assert "phase (Intake / Probleemanalyse)" in shown
        assert "[a] anna: Intake" in shown and "[b] bob: Probleemanalyse" in shown
        assert chat.utterances[0].text[:20] in shown and chat.utterances[3].text[:20] in shown  # turns around
        await pilot.press("m")
        await pilot.press(*"hulpvraag verkend", "enter")
        await pilot.pause()
        assert "Memo for the next decision: hulpvraag verkend" in screen_text(app)
        await pilot.press("b")  # bob's
        await pilot.pause()
        u1 = chat.utterances[1]
        assert _consensus(folder)[("Probleemanalyse", u1.start, u1.end)] == "kept"
        assert _consensus(folder)[("Intake", u1.start, u1.end)] == "withdrawn"
        assert len(screen.items) == total - 1 and ("set:phase", 1) not in [(i["code"], i["utterance"]) for i in screen.items]

        # The e-mail: anna marked one sentence, bob another; each mark is shown as its text.
        await _go_to(pilot, screen, "verificatie_interpretatie")
        shown = screen_text(app)
        start, end = _sentence(reply.text, INTERPRETATION)
        assert f"[a] anna: Verificatie interpretatie  marked “{reply.text[start:end][:30]}" in shown
        assert "[b] bob: —" in shown and "also: Compliment woorden" in shown
        await pilot.press("a")  # anna's: the consensus gets her sentence, not the whole mail
        await pilot.pause()
        assert _consensus(folder)[("Verificatie interpretatie", reply.start + start, reply.start + end)] == "kept"
        await pilot.press("u")  # undo: the item is back, the decision kept in the trail as undone
        await pilot.pause()
        assert _consensus(folder)[("Verificatie interpretatie", reply.start + start, reply.start + end)] == "undone"
        assert screen.current() is not None and screen.current()["code"] == "verificatie_interpretatie"  # type: ignore[index]
        await pilot.press("o")
        await pilot.press(*"Feedback", "enter")
        await pilot.pause()
        assert _consensus(folder)[("Feedback", reply.start, reply.end)] == "kept"
        assert _consensus(folder)[("Verificatie interpretatie", reply.start, reply.end)] == "withdrawn"
        assert len(screen.items) == total - 2
        await pilot.press("escape", "escape")
        await pilot.press("q")


def test_review_queue_refuses_a_coder_who_is_not_a_supervisor(review_dir: Path) -> None:
    async def run() -> None:
        app = QcodeApp(review_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _open_review(pilot)
            before = len(screen.items)
            await pilot.press("a")
            await pilot.pause()
            assert len(screen.items) == before
            await pilot.press("q")
        assert _consensus(review_dir) == {}

    asyncio.run(run())


async def _settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_snapshot_review_phase_item(review_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def to_phase(pilot: Pilot[Any]) -> None:
        screen = await _open_review(pilot)
        await _go_to(pilot, screen, "set:phase", 1)
        await _settle(pilot)

    app = QcodeApp(review_dir, coder="sam", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=to_phase)


def test_snapshot_review_email_span(review_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def to_mail(pilot: Pilot[Any]) -> None:
        screen = await _open_review(pilot)
        await _go_to(pilot, screen, "compliment_woorden")
        await _settle(pilot)

    app = QcodeApp(review_dir, coder="sam", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=to_mail)


@pytest.fixture
def trio_dir(review_dir: Path) -> Path:
    """``review_dir`` with a third coder, cas, on the first chat."""
    project = open_project(review_dir)
    try:
        chat = workbench.corpus_overview(project, "sam")[0].document
        team_service.add_coder(project, "cas")
        coding_service.add_coding(project, chat, "open_vraag", "cas", utterance=2)
        coding_service.add_coding(project, chat, "feedback", "cas", utterance=4)
    finally:
        project.close()
    return review_dir


async def _pair_view(pilot: Pilot[Any]) -> AgreementScreen:
    app = pilot.app
    await pilot.press("g")
    await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.shown_view == "code")
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.shown_view == "pair")
    screen = app.screen
    assert isinstance(screen, AgreementScreen)
    return screen


def test_pair_matrix_and_the_review_behind_a_cell(trio_dir: Path) -> None:
    from textual.widgets import DataTable

    from qcode.services import analysis
    from qcode.tui.widgets.frame_table import format_cell

    project = open_project(trio_dir)
    try:
        pairs = analysis.agreement_breakdown(project, ["anna", "bob", "cas"], "pair", viewer="sam")
    finally:
        project.close()
    expected = {(r.coder_a, r.coder_b): format_cell(r.alpha) for r in pairs.itertuples()}

    async def run() -> None:
        app = QcodeApp(trio_dir, coder="sam", auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            screen = await _pair_view(pilot)
            assert screen.coders == ["anna", "bob", "cas"]
            table = screen.query_one(DataTable)
            for row, a in enumerate(screen.coders):
                cells = [str(c) for c in table.get_row_at(row)]
                assert cells[0] == a
                for column, b in enumerate(screen.coders, 1):
                    key = (a, b) if (a, b) in expected else (b, a)
                    assert cells[column] == ("–" if a == b else expected[key])
            assert f"all coders: α {expected[('(all coders)', '')]}," in screen_text(app)
            table.move_cursor(row=0, column=3)  # anna × cas
            await pilot.press("enter")  # every unit behind the cell (tests/tui/test_agreement_units.py)
            await wait_until(pilot, lambda: isinstance(app.screen, UnitsScreen) and app.screen.loaded)
            await pilot.press("r")  # and the review queue of its disagreements
            await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded)
            review = app.screen
            assert isinstance(review, ReviewScreen) and review.coders == ["anna", "cas"]
            assert all(set(i["by_coder"]) <= {"anna", "cas"} for i in review.items) and review.items
            await pilot.press("escape", "escape")
            await pilot.press("p")  # per document
            await wait_until(pilot, lambda: screen.shown_view == "document")
            await pilot.press("enter", "r")
            await wait_until(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.loaded)
            scoped = app.screen
            assert isinstance(scoped, ReviewScreen) and scoped.scope is not None
            assert {i["document"] for i in scoped.items} == {scoped.scope[1]}
            await pilot.press("q")

    asyncio.run(run())


def test_snapshot_pair_matrix(trio_dir: Path, snap_compare: Callable[..., bool]) -> None:
    async def to_pairs(pilot: Pilot[Any]) -> None:
        await _pair_view(pilot)
        await _settle(pilot)

    app = QcodeApp(trio_dir, coder="sam", auto_suggest=False)
    assert snap_compare(app, terminal_size=SIZE, run_before=to_pairs)


def test_the_coder_picker_marks_supervisors(review_dir: Path) -> None:
    from textual.widgets import OptionList

    from qcode.tui.screens.coder import CoderScreen

    async def run() -> None:
        app = QcodeApp(review_dir, auto_suggest=False)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: isinstance(app.screen, CoderScreen))
            options = app.screen.query_one(OptionList)
            labels = {str(options.get_option_at_index(i).id): str(options.get_option_at_index(i).prompt) for i in range(options.option_count)}
            assert labels["sam"] == "sam (supervisor)" and labels["anna"] == "anna"
            await pilot.press("q")

    asyncio.run(run())
