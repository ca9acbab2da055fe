"""Every workbench key binding, with a stable id users can remap in ``qcode.toml``.

Remapping: in the project's ``qcode.toml``, a ``[keys]`` table maps a binding id to a key
(``"coding.accept" = "ctrl+a"``); the app passes it to ``App.set_keymap``. Letter keys that
are not listed here belong to the codebook (each code's hotkey), so the defaults avoid them.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.keys import _character_to_key


def key_name(key: str) -> str:
    """Textual's name for a key as written in a binding, a keymap or a codebook hotkey
    (``?`` -> ``question_mark``), as ``Binding.make_bindings`` normalises it."""
    key = key.strip()
    return _character_to_key(key) if len(key) == 1 and not key.isalnum() else key


APP_BINDINGS: list[BindingType] = [
    Binding("question_mark,f1", "help", "Help", id="app.help"),
    Binding("q", "quit", "Quit", id="app.quit"),
    Binding("ctrl+p", "command_palette", "Commands", id="app.palette", show=False),
]

BROWSER_BINDINGS: list[BindingType] = [
    Binding("enter", "open_document", "Open", id="browser.open", show=False),
    Binding("f", "filter", "Filter", id="browser.filter"),
    Binding("s", "statistics", "Statistics", id="browser.statistics"),
    Binding("g", "agreement", "Agreement", id="browser.agreement"),
    Binding("e", "export", "Export", id="browser.export"),
    Binding("c", "switch_coder", "Coder", id="browser.coder"),
    Binding("b", "release_blind", "Release blind", id="browser.release", show=False),
    Binding("slash", "search", "Search", id="browser.search", show=False),
    Binding("K", "show_codebook", "Codebook", id="browser.codebook", show=False),
]

CODING_BINDINGS: list[BindingType] = [
    Binding("escape", "back", "Corpus", id="coding.back", show=False),
    Binding("down,j", "move(1)", "Next", id="coding.next", show=False),
    Binding("up,k", "move(-1)", "Previous", id="coding.previous", show=False),
    Binding("pagedown", "page(1)", "Page down", id="coding.page_down", show=False),
    Binding("pageup", "page(-1)", "Page up", id="coding.page_up", show=False),
    Binding("home", "jump(0)", "First", id="coding.first", show=False),
    Binding("end", "jump(-1)", "Last", id="coding.last", show=False),
    Binding("full_stop", "next_uncoded", "Next uncoded", id="coding.next_uncoded"),
    Binding("r", "mark", "Mark range", id="coding.mark"),
    Binding("enter", "select_span", "Select text", id="coding.select", show=False),
    Binding("delete,backspace", "remove", "Remove", id="coding.remove", show=False),
    Binding("a", "accept", "Accept", id="coding.accept"),
    Binding("x", "reject", "Reject", id="coding.reject"),
    Binding("A", "accept_all", "Accept all", id="coding.accept_all", show=False),
    Binding("u,ctrl+z", "undo", "Undo", id="coding.undo"),
    Binding("U,ctrl+y", "redo", "Redo", id="coding.redo", show=False),
    Binding("semicolon", "memo_utterance", "Memo", id="coding.memo", show=False),
    Binding("colon", "memo_document", "Doc memo", id="coding.memo_document", show=False),
    Binding("p", "suggest", "Suggest", id="coding.suggest", show=False),
    Binding("Z", "toggle_quoted", "Quoted", id="coding.quoted", show=False),
    Binding("F", "fragments", "Fragments", id="coding.fragments", show=False),
    Binding("S", "toggle_stripes", "Stripes", id="coding.stripes", show=False),
    Binding("K", "show_codebook", "Codebook", id="coding.codebook", show=False),
    Binding("right_square_bracket", "next_suggestion", "Next suggestion", id="coding.next_suggestion", show=False),
    Binding("slash", "find_code", "Find code", id="coding.find_code"),
]

CODE_FILTER_BINDINGS: list[BindingType] = [
    Binding("escape", "close", "Close", id="code_filter.close"),
    Binding("down", "highlight(1)", "Next code", id="code_filter.next", show=False),
    Binding("up", "highlight(-1)", "Previous code", id="code_filter.previous", show=False),
    Binding("pagedown", "highlight(8)", "Page down", id="code_filter.page_down", show=False),
    Binding("pageup", "highlight(-8)", "Page up", id="code_filter.page_up", show=False),
]

STATISTICS_BINDINGS: list[BindingType] = [
    Binding("escape", "app.pop_screen", "Back", id="statistics.back"),
    Binding("t", "next_tab", "Next table", id="statistics.next_table"),
    Binding("c", "next_coder", "Coder filter", id="statistics.coder"),
]

TRUST_BINDINGS: list[BindingType] = [
    Binding("escape", "app.pop_screen", "Back", id="trust.back"),
    Binding("l", "learn", "Learn now", id="trust.learn"),
    Binding("r", "recompute", "Recompute", id="trust.recompute"),
]

AGREEMENT_BINDINGS: list[BindingType] = [
    Binding("escape", "app.pop_screen", "Back", id="agreement.back"),
    Binding("enter", "disagreements", "Units", id="agreement.open"),
    Binding("r", "review", "Review queue", id="agreement.review"),
    Binding("p", "next_view", "Per pair/part", id="agreement.view"),
    Binding("s", "seed_consensus", "Seed consensus", id="agreement.seed"),
    Binding("b", "release_blind", "Release blind", id="agreement.release"),
]

UNITS_BINDINGS: list[BindingType] = [
    Binding("escape", "app.pop_screen", "Back", id="units.back"),
    Binding("r", "review", "Review disagreed", id="units.review"),
]

REVIEW_BINDINGS: list[BindingType] = [
    Binding("escape", "app.pop_screen", "Back", id="review.back"),
    Binding("a", "take(0)", "1st coder's", id="review.first"),
    Binding("b", "take(1)", "2nd coder's", id="review.second"),
    Binding("c", "take(2)", "3rd coder's", id="review.third", show=False),
    Binding("d", "take(3)", "4th coder's", id="review.fourth", show=False),
    Binding("t", "both", "Both", id="review.both"),
    Binding("n", "neither", "Neither", id="review.neither"),
    Binding("o", "other", "Other code", id="review.other"),
    Binding("m", "memo", "Memo", id="review.memo"),
    Binding("u", "undo", "Undo", id="review.undo"),
    Binding("right,j", "step(1)", "Next", id="review.next", show=False),
    Binding("left,k", "step(-1)", "Previous", id="review.previous", show=False),
]

CODER_BINDINGS: list[BindingType] = [
    Binding("escape", "cancel", "Keep current coder", id="coder.cancel"),
]

ASK_BINDINGS: list[BindingType] = [
    Binding("escape", "cancel", "Cancel", id="ask.cancel"),
]

SEARCH_BINDINGS: list[BindingType] = [
    Binding("escape", "back", "Back", id="search.back"),
    Binding("space", "mark", "Mark", id="search.mark"),
    Binding("asterisk", "mark_all", "Mark all", id="search.mark_all", show=False),
    Binding("c", "code_marked", "Code marked", id="search.code"),
    Binding("u,ctrl+z", "undo", "Undo", id="search.undo"),
    Binding("m", "cycle_mode", "Mode", id="search.mode", show=False),
    Binding("s", "cycle_speaker", "Speaker", id="search.speaker", show=False),
    Binding("h", "cycle_channel", "Channel", id="search.channel", show=False),
    Binding("o", "toggle_quoted", "Quoted", id="search.quoted", show=False),
    Binding("n", "cycle_unit", "Unit", id="search.unit", show=False),
    Binding("slash", "focus_query", "Query", id="search.query", show=False),
]

CONFIRM_BINDINGS: list[BindingType] = [
    Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
    Binding("n,escape", "answer(False)", "No", id="confirm.no"),
]

SPAN_BINDINGS: list[BindingType] = [
    Binding("escape", "cancel", "Cancel", id="span.cancel"),
]

FRAGMENTS_BINDINGS: list[BindingType] = [
    Binding("escape", "back", "Back", id="fragments.back"),
    Binding("enter", "open_fragment", "Open in transcript", id="fragments.open"),
    Binding("slash", "focus_filter", "Filter", id="fragments.filter"),
    Binding("o", "other_code", "Other code", id="fragments.code"),
]

CODEBOOK_BINDINGS: list[BindingType] = [
    Binding("escape", "app.pop_screen", "Back", id="codebook.back"),
    Binding("n", "new_code", "New", id="codebook.new"),
    Binding("r", "rename", "Rename", id="codebook.rename"),
    Binding("c", "recolour", "Colour", id="codebook.colour"),
    Binding("g", "move_group", "Group", id="codebook.group"),
    Binding("m", "merge", "Merge", id="codebook.merge"),
    Binding("u,ctrl+z", "undo", "Undo", id="codebook.undo"),
    Binding("f", "fragments", "Fragments", id="codebook.fragments"),
]

MEMO_LIST_BINDINGS: list[BindingType] = [
    Binding("escape", "back", "Back", id="memos.back"),
    Binding("enter", "go", "Go to", id="memos.go", show=False),
    Binding("e", "edit", "Edit", id="memos.edit"),
    Binding("n", "new", "New", id="memos.new"),
    Binding("d", "clear", "Clear", id="memos.clear"),
    Binding("k", "cycle_kind", "Kind", id="memos.kind"),
    Binding("u,ctrl+z", "undo", "Undo", id="memos.undo"),
    Binding("slash", "focus_search", "Search", id="memos.search"),
]

ALL_BINDINGS: dict[str, list[BindingType]] = {
    "Everywhere": APP_BINDINGS,
    "Coder picker": CODER_BINDINGS,
    "Corpus browser": BROWSER_BINDINGS,
    "Transcript": CODING_BINDINGS,
    "Text selection": SPAN_BINDINGS,
    "Find code": CODE_FILTER_BINDINGS,
    "Yes/no questions": CONFIRM_BINDINGS,
    "Search": SEARCH_BINDINGS,
    "Statistics": STATISTICS_BINDINGS,
    "Agreement": AGREEMENT_BINDINGS,
    "Review queue": REVIEW_BINDINGS,
    "Fragments": FRAGMENTS_BINDINGS,
    "Codebook editor": CODEBOOK_BINDINGS,
    "Memo list": MEMO_LIST_BINDINGS,
    "Units behind a figure": UNITS_BINDINGS,
    "Trust": TRUST_BINDINGS,
}
