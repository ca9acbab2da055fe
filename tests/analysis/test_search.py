"""The matching rules of qcode search, on hand-made texts (counts worked out by hand)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.analysis.lemma_lines import find_tokens, lemma_query, token_line
from qcode.analysis.search import (
    SearchError,
    context,
    find_in_spans,
    find_regex,
    plain_core,
    plain_pattern,
    relaxed_patterns,
    sentence_span,
    user_pattern,
)


def _found(query: str, texts: list[str]) -> list[tuple[int, str]]:
    """Matches in each text, found the way a search does: one scan of the texts laid end to end."""
    joined = "\n".join(texts)
    starts = [sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts))]
    ends = [start + len(t) for start, t in zip(starts, texts, strict=True)]
    found = find_in_spans(plain_pattern(query), [plain_core(query)], joined, lambda: (starts, ends, range(len(texts))))
    return [(i, joined[s:e]) for i, s, e in found]


def test_spans_are_searched_on_their_own() -> None:
    # "school" right after a letter in the whole text, but at the start of its span
    text = "xschool school-app xx school"
    assert find_in_spans(plain_pattern("school"), [plain_core("school")], text, lambda: ([1, 22], [7, 28], "ab")) == [
        ("a", 1, 7), ("b", 22, 28),
    ]


def test_plain_query_is_whole_word_and_ignores_case() -> None:
    texts = ["School is stom. op school, (school)", "schoolreis en naschools", "geen school-app"]
    assert _found("school", texts) == [(0, "School"), (0, "school"), (0, "school")]


def test_wildcard_stays_within_a_word() -> None:
    texts = ["ik schaam me, ze schaamde zich", "beschaamd en schaamte", "schaam je"]
    assert _found("schaam*", texts) == [(0, "schaam"), (0, "schaamde"), (1, "schaamte"), (2, "schaam")]
    assert _found("*schaam*", texts)[2:4] == [(1, "beschaamd"), (1, "schaamte")]


def test_phrase_matches_across_white_space_but_not_across_turns() -> None:
    texts = ["ik heb geen\nzin meer", "ik heb geen", "zin"]
    assert _found("geen zin", texts) == [(0, "geen\nzin")]


def test_regex_characters_in_a_plain_query_are_literal() -> None:
    assert _found("a.b", ["a.b axb"]) == [(0, "a.b")]


def test_empty_query_is_refused() -> None:
    with pytest.raises(SearchError):
        plain_pattern("  ")
    with pytest.raises(SearchError):
        plain_pattern("*")


def _starts(texts: list[str]) -> list[int]:
    return [sum(len(t) + 1 for t in texts[:i]) for i in range(len(texts))]


def _group(texts: list[str]) -> tuple[str, str, Callable[[], tuple[list[int], list[int], range]]]:
    """The texts laid end to end on separate lines, as one group for find_regex."""
    starts = _starts(texts)
    ends = [s + len(t) for s, t in zip(starts, texts, strict=True)]
    return ("doc", "\n".join(texts), lambda: (starts, ends, range(len(texts))))


def _regex(pattern: str, texts: list[str]) -> list[tuple[int, int, int]]:
    """(text number, start, end) within each text."""
    starts = _starts(texts)
    found = find_regex(user_pattern(pattern), [_group(texts)])
    return [(i, s - starts[i], e - starts[i]) for _, i, s, e in found]


def test_regex_runs_per_turn_like_python_re() -> None:
    texts = ["ja\nja", "ja", "nee ja"]
    pattern = r"^ja$"
    expected = [(i, m.start(), m.end()) for i, t in enumerate(texts) for m in re.finditer(pattern, t)]
    assert _regex(pattern, texts) == expected == [(1, 0, 2)]


def test_invalid_regex_names_the_position() -> None:
    with pytest.raises(SearchError, match="character 3"):
        user_pattern("(a")


def test_regex_matching_empty_text_is_refused() -> None:
    with pytest.raises(SearchError, match="empty"):
        user_pattern("a*")


def test_catastrophic_regex_is_stopped_within_its_limit() -> None:
    texts = ["a" * 40 + "b"]
    started = time.monotonic()
    with pytest.raises(SearchError, match=r"stopped after 0\.5 s"):
        find_regex(user_pattern("(a|aa)+$"), [_group(texts)], time_limit=0.5)
    assert time.monotonic() - started < 2.0


def test_classic_nested_quantifier_answers_quickly() -> None:
    # (a+)+$ hangs Python's re on this text; the regex engine recognises it, so no limit is needed.
    started = time.monotonic()
    assert find_regex(user_pattern("(a+)+$"), [_group(["a" * 40 + "b"])], time_limit=0.5) == []
    assert time.monotonic() - started < 0.5


def test_lemma_pattern_matches_form_or_lemma_token_by_token() -> None:
    line = token_line(
        [[("ik", "ik"), ("schaamde", "schamen"), ("me", "me")], [("schamen", "schamen")], [("vragen", "vraag")]]
    )
    assert line == "ik schaamde|schamen me\nschamen\nvragen|vraag\n"
    assert find_tokens(lemma_query([["schamen"]]), line) == [(1, 1), (3, 3)]
    assert find_tokens(lemma_query([["vraag"]]), line) == [(4, 4)]
    assert find_tokens(lemma_query([["ik"], ["schamen"]]), line) == [(0, 1)]
    # a phrase never runs from one turn into the next
    assert find_tokens(lemma_query([["me"], ["schamen"]]), line) == []
    assert find_tokens(lemma_query([["scha*"]]), line) == [(1, 1), (3, 3)]


def test_sentence_span_uses_stops_and_line_breaks() -> None:
    text = "Hoi! ik ben 15 en ik schaam me. wat moet ik doen?\nnog iets"
    start = text.index("schaam")
    assert text[slice(*sentence_span(text, start, start + 6))] == "ik ben 15 en ik schaam me."
    start = text.index("iets")
    assert text[slice(*sentence_span(text, start, start + 4))] == "nog iets"


def test_context_takes_words_either_side() -> None:
    text = "een twee drie vier vijf zes zeven acht school negen\ntien"
    start = text.index("school")
    before, hit, after = context(text, start, start + 6, words=3)
    assert (before.strip(), hit, after.strip()) == ("zes zeven acht", "school", "negen tien")


def test_regex_in_process_where_no_child_can_be_forked(monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS/Windows path: the same hits, and the engine's own timeout stops a bad pattern."""
    import qcode.analysis.search as search_module

    texts = ["ja\nja", "ja", "nee ja", "Jaja ja"]
    forked = find_regex(user_pattern(r"\bja\b"), [_group(texts)])
    monkeypatch.setattr(search_module, "run_forked_all", lambda works, seconds: None)
    assert find_regex(user_pattern(r"\bja\b"), [_group(texts)]) == forked
    assert len(forked) == sum(len(re.findall(r"\bja\b", t)) for t in texts)
    started = time.monotonic()
    with pytest.raises(SearchError, match="stopped"):
        find_regex(user_pattern("(a|aa)+$"), [_group(["a" * 40 + "b"])], time_limit=0.5)
    assert time.monotonic() - started < 3.5  # the limit plus slack for a loaded machine


def test_forked_child_is_killed_at_the_limit() -> None:
    from qcode.analysis.isolated import CAN_FORK, run_forked

    if not CAN_FORK:
        pytest.skip("no fork on this platform: the in-process path is tested above")
    assert run_forked(lambda: [1, 2, 3], 5.0) == [1, 2, 3]
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        run_forked(lambda: time.sleep(30), 0.3)
    assert time.monotonic() - started < 2.0
    assert run_forked(lambda: 1 / 0, 5.0) is None  # a failing child: the caller falls back


def test_forked_children_run_at_once_and_are_all_killed_at_the_limit() -> None:
    from qcode.analysis.isolated import CAN_FORK, run_forked_all

    if not CAN_FORK:
        pytest.skip("no fork on this platform: the in-process path is tested above")
    started = time.monotonic()
    assert run_forked_all([lambda: (time.sleep(0.5), "a")[1], lambda: (time.sleep(0.5), "b")[1]], 5.0) == ["a", "b"]
    assert time.monotonic() - started < 0.95  # side by side, not one after the other
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        run_forked_all([lambda: 1, lambda: time.sleep(30)], 0.3)
    assert time.monotonic() - started < 2.0
    assert run_forked_all([lambda: 1, lambda: 1 / 0], 5.0) is None


HARD_PATTERNS = [
    r"\bja\b", r"(?i)JA", r"j[a-z]", r"ja|nee", r"\Bja", r"^ja", r"ja$", r"(?<=x)ja", r"ja(?!a)", r"^ja$",
    r"(?i)^ok[eé]?\b", r"\b(?:examens?|school)\b", r"(?:^|x)ja", r"[^a]ja", r"ja[^\w]", r"(?m)^ja", r"(?s)a.j",
    r"\Aja", r"ja\Z", r"(ja|nee)(?=!)", r"(?<!\w)ja(?!\w)", r"[$^]", r"\$|\^", r"a++j", r"(?>ja+)!", r"[[:alpha:]]a!",
    r"\p{L}a\b", r"j(?=a)a", r"(?:\bja\b|\bnee\b)", r"(ja)\1", r"(?x) j a", r"x?ja|n(?=ee)",
]
"""Patterns with anchors, look-arounds, classes, alternations and the ones left turn by turn."""
TEXTS = ["ja\nja", "ja", "nee ja", "Jaja ja", "xja", "jaa ja!", "(ja)", "okee", "OK! oké", "school examen", "$5 ^^", "jaja!"]


@pytest.mark.parametrize("pattern", HARD_PATTERNS)
def test_regex_hits_do_not_depend_on_how_the_text_is_scanned(pattern: str) -> None:
    """The same hits as the engine run on every turn on its own, the plain loop (the reference;
    the regex package, since Python's re reads POSIX classes differently)."""
    turn_by_turn = regex.compile(pattern, regex.VERSION0)
    expected = [(i, m.start(), m.end()) for i, t in enumerate(TEXTS) for m in turn_by_turn.finditer(t) if m.end() > m.start()]
    assert _regex(pattern, TEXTS) == expected


@given(st.lists(st.text(alphabet="jaxnek! \n", max_size=12), min_size=1, max_size=6))
@settings(max_examples=60, deadline=None)
def test_regex_hits_match_re_turn_by_turn_on_random_turns(texts: list[str]) -> None:
    for pattern in (r"\bja\b", r"^ja|e$", r"(?<=x)a+", r"(?:ja|ne)(?!k)", r"[^a\n]k", r"(?m)^ja",
                    r"^(?:ja|ne)k?", r"\Aj?a+", r"(?i)^[^j]a"):
        expected = [(i, m.start(), m.end()) for i, t in enumerate(texts) for m in re.finditer(pattern, t)]
        assert _regex(pattern, texts) == expected, pattern


@pytest.mark.parametrize(
    "pattern,scan",
    [(r"\bschool\b", ["school"]), (r"\b(?:examens?|school)\b", ["examens?", "school"]), (r"(?i)^ok[eé]?\b", ["(?i)ok[eé]?"]),
     (r"(?<=x)ja(?!a)", ["ja"]), (r"[\b^$]a", [r"[\b^$]a"]), (r"\$5", [r"\$5"]), (r"(?:^|,)ja", ["(?:|,)ja"]),
     (r"(ja|nee)!", ["(ja|nee)!"]), (r"\p{L}+\b", [r"\p{L}+"]), (r"a{2,3}$", ["a{2,3}"]),
     (r"(a)\1", None), (r"(?x) a", None), (r"\bja\b{2}", None), (r"^$|a", None), (r"(?:ab){e<=1}", None),
     (r"a\Kb", None), (r"(a)?(?(1)b|c)", None), (r"(?r)ab", None), (r"|".join("abcdefghij"), ["|".join("abcdefghij")])],
)
def test_the_whole_text_scan_drops_zero_width_checks(pattern: str, scan: list[str] | None) -> None:
    found = relaxed_patterns(regex.compile(pattern, regex.VERSION0))
    assert (None if found is None else [p.pattern for p in found]) == scan


@pytest.mark.parametrize(
    "pattern,anchored",
    [(r"^ja", True), (r"(?i)^ok[eé]?\b", True), (r"\Aja", True), (r"^(?:ja|nee)", True), (r"(?i)(?s)^a.b", True),
     (r"^ja|nee", False), (r"(?:^|x)ja", False), (r"(?m)^ja", False), (r"ja^", False), (r"x?^ja", False),
     (r"(^ja)", False), (r"\bja", False)],
)
def test_start_anchored_only_where_every_match_starts_a_turn(pattern: str, anchored: bool) -> None:
    from qcode.analysis.relaxed import start_anchored

    assert start_anchored(regex.compile(pattern, regex.VERSION0)) is anchored
