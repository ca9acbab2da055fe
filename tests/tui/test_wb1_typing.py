"""Issue 16, "Found, to fix": keys typed with no pauses, suggestions under the cursor, a manual
coding equal to a suggestion, and ``.`` next uncoded. Every sequence is typed in one burst
(``type_fast``) and the stored codings are read back from the store."""

from __future__ import annotations

import asyncio
from pathlib import Path

from qcode.services import codings as coding_service
from qcode.services import suggestions as suggestion_service
from qcode.services import team as team_service
from qcode.services.corpus import get_document
from qcode.services.project import open_project
from qcode.storage import suggestions as suggestion_store
from qcode.storage.suggestions import NewSuggestion
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.screens.confirm import ConfirmModal
from tests.tui.fast_keys import type_fast
from tests.tui.screen_text import screen_text
from tests.tui.test_journeys import first_document


def _codings(folder: Path, doc: str, coder: str = "anna") -> set[tuple[str, int, int, str]]:
    project = open_project(folder)
    try:
        frame = coding_service.list_codings(project, documents=[doc], coders=[coder], viewer=coder)
        return {(r.code, int(r.start), int(r.end), r.origin) for r in frame.itertuples()}
    finally:
        project.close()


def _spans(folder: Path, doc: str) -> list[tuple[int, int]]:
    project = open_project(folder)
    try:
        return [(u.start, u.end) for u in get_document(project, doc).utterances]
    finally:
        project.close()


def _suggest(folder: Path, doc: str, items: list[tuple[str, int, float]]) -> None:
    """Store suggestions (code, turn index, confidence) as the suggester would."""
    spans = _spans(folder, doc)
    project = open_project(folder)
    try:
        from qcode.services.project import now

        with project.session() as session:
            suggestion_store.store_suggestions(
                session, doc, "test-rules",
                [
                    NewSuggestion(code, turn, spans[turn][0], spans[turn][1], conf, f"rule-{code}", f"test {code}")
                    for code, turn, conf in items
                ],
                now(),
            )
    finally:
        project.close()


async def _open(pilot, app: QcodeApp) -> CodingScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CodingScreen)
    return screen


def test_fast_typing_codes_in_typing_order(demo_dir: Path) -> None:
    """``w r j j 2`` in one burst: Open vraag on turn 1, Probleemanalyse on turns 1–3."""
    doc = first_document(demo_dir)
    spans = _spans(demo_dir, doc)

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            await type_fast(pilot, "w", "r", "j", "j", "2")
            assert screen.state.mark is None
            assert "marked" not in screen_text(app)
            # And once more further on, mixing moves, a mark, two codes and an undo.
            await type_fast(pilot, "j", "j", "j", "g", "f", "u", "j", "r", "j", "1")

    asyncio.run(run())
    mine = {(c, s, e) for c, s, e, _ in _codings(demo_dir, doc)}
    assert mine == {
        ("open_vraag", spans[0][0], spans[0][1]),
        ("probleemanalyse", spans[0][0], spans[2][1]),
        ("gesloten_vraag", spans[5][0], spans[5][1]),
        ("intake", spans[6][0], spans[7][1]),
    }


def test_accept_and_reject_act_on_the_suggestion_under_the_cursor(demo_dir: Path) -> None:
    doc = first_document(demo_dir)
    spans = _spans(demo_dir, doc)
    _suggest(demo_dir, doc, [("open_vraag", 3, 0.9), ("feedback", 3, 0.8), ("gesloten_vraag", 3, 0.7)])

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            # to turn 4 (index 3); skip to the second suggestion and accept it; then the list
            # starts again at the first remaining one: skip it, reject the next (the third).
            await type_fast(pilot, "j", "j", "j", "]", "a", "]", "x")
            assert [s.code for s in screen.state.suggestions_at(3)] == ["open_vraag"]

    asyncio.run(run())
    assert _codings(demo_dir, doc) == {("feedback", spans[3][0], spans[3][1], "accepted suggestion")}
    project = open_project(demo_dir)
    try:
        status = {r["code"]: r["status"] for r in suggestion_service.list_suggestions(project, "anna", doc, "all")}
    finally:
        project.close()
    assert status == {"open_vraag": "pending", "feedback": "accepted", "gesloten_vraag": "rejected"}


def test_accept_all_says_what_it_covers_first(demo_dir: Path) -> None:
    doc = first_document(demo_dir)
    n = len(_spans(demo_dir, doc))
    far = n - 1
    _suggest(demo_dir, doc, [("open_vraag", 1, 0.9), ("open_vraag", far, 0.9), ("feedback", 1, 0.8)])

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            await type_fast(pilot, "j", "A")
            assert isinstance(app.screen, ConfirmModal)
            question = app.screen.question
            assert "Accept all 2 pending suggestions of Open vraag" in question
            assert f"turns 2, {far + 1}" in question
            assert "1 of these turns are not on screen" in question
            assert "other codes stay pending" in question
            await type_fast(pilot, "n")  # no: nothing accepted
            assert app.screen is screen and len(screen.state.suggestions) == 3
            await type_fast(pilot, "A", "y")
            assert [s.code for s in screen.state.suggestions] == ["feedback"]

    asyncio.run(run())
    assert {c for c, *_ in _codings(demo_dir, doc)} == {"open_vraag"}
    assert len(_codings(demo_dir, doc)) == 2


def test_keys_after_a_yes_answer_act_on_what_the_answer_left(demo_dir: Path) -> None:
    """`A y a` typed with no pauses: the accept-all the yes answered lands first, so `a` then
    accepts the suggestion left under the cursor (Feedback), not one accept-all was taking."""
    doc = first_document(demo_dir)
    n = len(_spans(demo_dir, doc))
    _suggest(demo_dir, doc, [("open_vraag", 1, 0.9), ("open_vraag", n - 1, 0.9), ("feedback", 1, 0.8)])

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            await type_fast(pilot, "j")
            await type_fast(pilot, "A", "y", "a")
            assert screen.state.suggestions == []

    asyncio.run(run())
    got = sorted((c, o) for c, _s, _e, o in _codings(demo_dir, doc))
    assert got == [("feedback", "accepted suggestion"), ("open_vraag", "accepted suggestion"),
                   ("open_vraag", "accepted suggestion")]


def test_manual_coding_equal_to_a_suggestion_is_one_coding(demo_dir: Path) -> None:
    """Coding by hand what is suggested resolves the suggestion; accepting it then (from the
    CLI, another window) links to that coding instead of storing a second one."""
    doc = first_document(demo_dir)
    spans = _spans(demo_dir, doc)
    _suggest(demo_dir, doc, [("open_vraag", 2, 0.9), ("feedback", 4, 0.8)])

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            await type_fast(pilot, "j", "j", "w")
            assert screen.state.suggestions_at(2) == []
            assert "? Open vraag" not in screen_text(app)

    asyncio.run(run())
    assert _codings(demo_dir, doc) == {("open_vraag", spans[2][0], spans[2][1], "manual")}
    project = open_project(demo_dir)
    try:
        rows = {r["code"]: r for r in suggestion_service.list_suggestions(project, "anna", doc, "all")}
        assert rows["open_vraag"]["status"] == "accepted"
        assert rows["feedback"]["status"] == "pending"
    finally:
        project.close()


def test_accepting_a_suggestion_already_coded_by_hand_keeps_one_coding(demo_dir: Path) -> None:
    doc = first_document(demo_dir)
    project = open_project(demo_dir)
    try:
        team_service.add_coder(project, "anna")
        manual = coding_service.add_coding(project, doc, "feedback", "anna", utterance=4)
    finally:
        project.close()
    _suggest(demo_dir, doc, [("feedback", 4, 0.8)])
    project = open_project(demo_dir)
    try:
        [s] = suggestion_service.list_suggestions(project, "anna", doc)
        assert suggestion_service.accept(project, s["id"], "anna") == manual
        assert suggestion_service.list_suggestions(project, "anna", doc) == []
        # Undoing the manual coding puts the suggestion back to pending, as for an accepted one.
        assert coding_service.undo(project, "anna", readable=True) == "Undid adding Feedback on turn 5"
        assert [r["code"] for r in suggestion_service.list_suggestions(project, "anna", doc)] == ["feedback"]
    finally:
        project.close()
    assert _codings(demo_dir, doc) == set()


def test_next_uncoded_skips_phases_and_counts_utterance_codes(demo_dir: Path) -> None:
    """A phase over the whole chat does not make its turns coded; an utterance-level code does."""
    doc = first_document(demo_dir)
    n = len(_spans(demo_dir, doc))

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            roles = [u.role.value for u in screen.document.utterances]
            await type_fast(pilot, "r", "end", "1")  # Intake over every turn
            await type_fast(pilot, "home", "w")  # Open vraag on turn 1
            await type_fast(pilot, ".")
            expected = next(t for t in range(1, n) if roles[t] != "system")
            assert screen.state.cursor == expected
            assert "Every turn" not in screen_text(app)

    asyncio.run(run())


def test_keys_typed_right_after_opening_a_document_reach_it(demo_dir: Path) -> None:
    """``enter j y`` in one burst from the corpus browser: the chat opens, the cursor moves to
    turn 2 and Verificatie interpretatie is coded there (not the browser's cursor moved)."""
    doc = first_document(demo_dir)
    spans = _spans(demo_dir, doc)

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await type_fast(pilot, "enter", "j", "y", "/", *"feedback", "enter", "j")
            screen = app.screen
            assert isinstance(screen, CodingScreen) and screen.state.cursor == 2

    asyncio.run(run())
    assert {(c, s, e) for c, s, e, _ in _codings(demo_dir, doc)} == {
        ("verificatie_interpretatie", spans[1][0], spans[1][1]),
        ("feedback", spans[1][0], spans[1][1]),
    }
