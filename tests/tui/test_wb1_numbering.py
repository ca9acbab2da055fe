"""One turn numbering, from 1, in every command, JSON key and workbench line (issue 16).

The test picks one turn of one document by its text, never by a number qcode printed, and
checks that every place names it with the same number: its position in the document
counted by hand from 1."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

from click.testing import CliRunner

from qcode.cli import main
from qcode.services.corpus import get_document
from qcode.services.project import now, open_project
from qcode.storage import suggestions as suggestion_store
from qcode.storage.suggestions import NewSuggestion
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from tests.tui.screen_text import screen_text
from tests.tui.test_journeys import first_document


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _pick_turn(folder: Path, doc_key: str) -> tuple[int, str, str]:
    """(1-based position, text, a distinctive word) of a client turn well inside the document."""
    project = open_project(folder)
    try:
        doc = get_document(project, doc_key)
    finally:
        project.close()
    for position, u in enumerate(doc.utterances, start=1):  # counted by hand, from 1
        words = [w for w in re.findall(r"[a-z]{7,}", u.text.lower())]
        others = " ".join(v.text.lower() for v in doc.utterances if v is not u)
        unique = [w for w in words if w not in others]
        if position >= 4 and u.role.value == "client" and unique:
            return position, u.text, unique[0]
    raise AssertionError("no client turn with a word of its own")


def test_every_command_and_the_workbench_number_a_turn_alike(demo_dir: Path) -> None:
    doc = first_document(demo_dir)
    turn, text, word = _pick_turn(demo_dir, doc)
    p = ["--project", str(demo_dir)]
    _run("coders", *p, "--add", "anna")
    _run("coders", *p, "--add", "bram")

    # qcode show: the row numbered `turn` holds the text.
    shown = _run("show", *p, doc)
    assert re.search(rf"│\s*{turn}\s*│", shown)
    assert "│ turn" in shown or "turn" in shown.splitlines()[3]

    # qcode code --utterance N codes exactly that turn; codings agrees (turn from 1, index from 0).
    _run("code", *p, doc, "Open vraag", "--utterance", str(turn), "--coder", "anna")
    _run("code", *p, doc, "Gesloten vraag", "--utterance", str(turn), "--coder", "bram")
    [coding] = json.loads(_run("codings", *p, "--coder", "anna", "--format", "json"))
    assert (coding["turn"], coding["index"]) == (turn, turn - 1)
    assert coding["text"] == text
    table = _run("codings", *p, "--coder", "anna")
    assert re.search(rf"│\s*{turn}\s*│", table)

    # qcode disagreements (JSON and table) and adjudicate name the same turn.
    rows = json.loads(_run("disagreements", *p, "--coders", "anna,bram", "--format", "json"))
    assert {(r["turn"], r["index"]) for r in rows} == {(turn, turn - 1)}
    assert re.search(rf"{re.escape(doc)}\s+{turn}\s+Open vraag", _run("disagreements", *p, "--coders", "anna,bram"))
    _run("coders", *p, "--add", "sam", "--supervisor")
    settled = _run(
        "adjudicate", *p, "--coders", "anna,bram", "--by", "sam", "--document", doc,
        "--code", "Open vraag", "--utterance", str(turn), "--decision", "apply",
    )
    assert f"#{turn}" in settled

    # qcode search: the word of that turn is found on that turn.
    [hit] = [h for h in json.loads(_run("search", *p, word, "--format", "json")) if h["document"] == doc]
    assert (hit["turn"], hit["index"]) == (turn, turn - 1)

    # qcode suggestions: a suggestion stored on that turn's index is listed as #turn.
    project = open_project(demo_dir)
    try:
        u = get_document(project, doc).utterances[turn - 1]
        with project.session() as session:
            suggestion_store.store_suggestions(
                session, doc, "t", [NewSuggestion("feedback", turn - 1, u.start, u.end, 0.8, "r", "why")], now()
            )
    finally:
        project.close()
    [suggestion] = json.loads(_run("suggestions", *p, "--coder", "anna", "--format", "json"))
    assert (suggestion["turn"], suggestion["index"]) == (turn, turn - 1)
    assert f"{doc} #{turn} " in _run("suggestions", *p, "--coder", "anna")

    # The workbench: the cursor on the coded turn says "turn N/M".
    async def workbench() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, CodingScreen)
            for _ in range(turn - 1):
                await pilot.press("j")
            await pilot.pause()
            n = len(screen.document.utterances)
            assert f"turn {turn}/{n}" in screen_text(app)
            assert "• Open vraag" in screen_text(app)

    asyncio.run(workbench())


def test_turn_zero_is_refused_with_a_clear_message(demo_dir: Path) -> None:
    doc = first_document(demo_dir)
    _run("coders", "--project", str(demo_dir), "--add", "anna")
    for option in ("--utterance", "--to-utterance"):
        args = ["code", "--project", str(demo_dir), doc, "Open vraag", "--utterance", "1", option, "0", "--coder", "anna"]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2
        assert "turns count from 1" in result.output and "Traceback" not in result.output
    far = CliRunner().invoke(main, ["code", "--project", str(demo_dir), doc, "Open vraag", "--utterance", "9999", "--coder", "anna"])
    assert far.exit_code != 0 and "has no turn 9999: its turns are 1–" in far.output
    late = CliRunner().invoke(
        main, ["adjudicate", "--project", str(demo_dir), "--coders", "anna", "--by", "anna", "--document", doc,
               "--code", "Open vraag", "--utterance", "0", "--decision", "apply"],
    )
    assert late.exit_code == 2 and "turns count from 1" in late.output
