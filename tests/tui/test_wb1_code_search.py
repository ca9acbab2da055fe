"""Code search while coding (issue 16 item 3): ``/`` then type to filter the codebook panel by
name, definition or hotkey; enter applies the highlighted code to the turn or marked range.
Typed with no pauses, checked against the store."""

from __future__ import annotations

import asyncio
from pathlib import Path

from qcode.codebook.load import load_codebook
from qcode.tui.app import QcodeApp
from qcode.tui.widgets.code_filter import CodeFilter
from qcode.tui.widgets.codebook_panel import CodebookPanel, code_options, code_rank
from tests.tui.fast_keys import type_fast
from tests.tui.screen_text import screen_text
from tests.tui.test_journeys import first_document
from tests.tui.test_wb1_typing import _codings, _open, _spans

CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "klikvoorhulp.yaml"


def _ids(query: str) -> list[str]:
    return [o.id for o in code_options(load_codebook(CODEBOOK), query) if o.id is not None]


def test_matching_by_name_hotkey_group_and_dutch_definition() -> None:
    book = load_codebook(CODEBOOK)
    assert _ids("open")[0] == "open_vraag"  # name first
    assert _ids("g")[0] == "gesloten_vraag"  # the hotkey typed exactly comes first
    assert _ids("GESLOTEN") == ["gesloten_vraag"]  # case ignored
    # "doorverwezen" is in the Dutch definitions of the three referral codes only.
    assert set(_ids("doorverwezen")) == {
        "doorverwijzing_ftf_maatschappelijk_werk", "doorverwijzing_ftf_interventie", "doorverwijzing_online_interventie",
    }
    assert set(_ids("Gesprekstechniek")) == {c.id for c in book.codes if c.group == "technique"}
    assert _ids("zzzz") == []
    # Without a query: every code, under its group's heading, in codebook order.
    everything = code_options(book)
    assert [o.id for o in everything if o.id is not None] == [
        c.id for g, _ in book.groups for c in [*[c for c in book.codes if c.group == g and not c.automatic],
                                                *[c for c in book.codes if c.group == g and c.automatic]]
    ]
    assert sum(1 for o in everything if o.id is None) == len(book.groups)
    open_vraag = next(c for c in book.codes if c.id == "open_vraag")
    assert code_rank(open_vraag, "") == 0 and code_rank(open_vraag, "xyz") is None


def test_find_a_code_and_apply_it_to_the_turn_and_to_a_range(demo_dir: Path) -> None:
    doc = first_document(demo_dir)
    spans = _spans(demo_dir, doc)

    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await _open(pilot, app)
            panel = screen.query_one(CodebookPanel)
            # On turn 2: search "gesloten" (typed letters are the search's, not hotkeys) and enter.
            await type_fast(pilot, "j", "/", *"gesloten")
            assert isinstance(app.focused, CodeFilter)
            assert panel.highlighted_code() == "gesloten_vraag"
            assert screen_text(app).count("Gesloten vraag") >= 1 and "Intake" not in screen_text(app)
            await type_fast(pilot, "enter")
            assert not isinstance(app.focused, CodeFilter)  # back in the transcript
            assert len(panel.options) > 20  # the whole codebook again
            # A range: mark turns 4–6, then find a phase by its Dutch definition and move down.
            await type_fast(pilot, "j", "j", "r", "j", "j", "/", *"verkennen", "down", "enter")
            # "verkennen" is in Probleemanalyse's and Strategiebepaling's definitions: the second.
            assert screen.state.mark is None
            # Escape leaves the search without coding anything; hotkeys work again after it.
            await type_fast(pilot, "/", *"open", "escape", "w")
            # A query nothing matches: enter says so and codes nothing.
            await type_fast(pilot, "/", *"qqqq", "enter")
            assert isinstance(app.focused, CodeFilter)
            await type_fast(pilot, "escape")

    asyncio.run(run())
    assert {(c, s, e) for c, s, e, _ in _codings(demo_dir, doc)} == {
        ("gesloten_vraag", spans[1][0], spans[1][1]),
        ("strategiebepaling", spans[3][0], spans[5][1]),
        ("open_vraag", spans[5][0], spans[5][1]),
    }
