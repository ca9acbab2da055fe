"""Finding words, lemmas and patterns in turns, and showing them in context (keyword in context).

Pure functions over texts: the service hands in the turns' texts (and, for lemma search, the
stored token lines) and gets spans back. Three kinds of query:

* **plain**: whole words, case-insensitive, ``*`` standing for any letters within a word.
  "Whole word" follows the one word rule (:mod:`qcode.transcripts.words`): ``school`` does
  not match inside ``schoolreis`` nor inside ``school-app`` (one word), and matches in
  ``school.`` and ``(school)``. Several words match as a phrase, any white space between them.
* **regex**: a Python regular expression, run by the ``regex`` package (the same syntax as
  ``re``) with a time limit, so a pattern with catastrophic backtracking is stopped with a
  message instead of hanging the program. Case-sensitive unless it says ``(?i)``.
* **lemma**: words whose lemma or whose own (lower-cased) form is one of the query's terms.
  Tokens and lemmas come from the Dutch spaCy pipeline (:mod:`qcode.suggest.lemmas`) and are
  stored once per document as *token lines* (:mod:`qcode.analysis.lemma_lines`), which a
  search scans with a literal search.

Offsets are Python string indices, as everywhere in qcode.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from functools import partial
from typing import TypeVar

import regex

from qcode.analysis.isolated import run_forked
from qcode.errors import QcodeError

DEFAULT_TIME_LIMIT = 10.0
"""Seconds a regular expression may run over the whole corpus before it is stopped.

An ordinary pattern scans 10,000 chats in well under a second; one with catastrophic
backtracking does not finish on a single turn in a lifetime. Ten seconds tells them apart
even on a busy machine.
"""

CONTEXT_WORDS = 6
"""Words shown before and after a hit."""

_LETTER = r"[^\W_]"
_JOINER = r"['’\-]"
_WILD = rf"(?:{_LETTER}|{_JOINER}(?={_LETTER}))*"
"""What ``*`` stands for in a plain query: letters and digits, internal hyphens/apostrophes."""
_BEFORE = rf"(?<!{_LETTER})(?<!{_LETTER}{_JOINER})"
_AFTER = rf"(?!{_LETTER})(?!{_JOINER}{_LETTER})"



class SearchMode(StrEnum):
    PLAIN = "plain"
    LEMMA = "lemma"
    REGEX = "regex"


class SearchError(QcodeError, ValueError):
    """A query that cannot be run: empty, an invalid pattern, or one that ran too long."""


K = TypeVar("K")


def query_words(query: str) -> list[str]:
    """The words of a plain or lemma query; refuses one with nothing to look for."""
    words = query.split()
    if not words or all(set(w) <= {"*"} for w in words):
        raise SearchError("Give a word to search for (a lone * would match every word).")
    return words


def plain_pattern(query: str) -> regex.Pattern[str]:
    """Whole words, case-insensitive, ``*`` as wildcard, several words as a phrase."""
    return regex.compile(_BEFORE + _plain_core(query) + _AFTER, regex.IGNORECASE | regex.VERSION0)


def plain_core(query: str) -> regex.Pattern[str]:
    """The plain pattern without its word-boundary checks: matches wherever the full one does."""
    return regex.compile(_plain_core(query), regex.IGNORECASE | regex.VERSION0)


def _plain_core(query: str) -> str:
    parts = [_WILD.join(regex.escape(piece) for piece in word.split("*")) for word in query_words(query)]
    return r"\s+".join(parts)


def user_pattern(query: str) -> regex.Pattern[str]:
    """Compile a user's regular expression, with a message saying where it is wrong."""
    if not query:
        raise SearchError("Give a regular expression to search for.")
    try:
        pattern = regex.compile(query, regex.VERSION0)
    except regex.error as error:
        pos: int | None = getattr(error, "pos", None)
        reason: str = getattr(error, "msg", str(error))
        where = f" at character {pos + 1}" if pos is not None else ""
        raise SearchError(
            f"Not a valid regular expression{where}: {reason}. (Python syntax; without "
            "--regex the query is read as words.)",
            title="Invalid pattern",
        ) from error
    if pattern.fullmatch(""):
        raise SearchError(
            f"The pattern '{query}' also matches empty text, so it would hit everywhere; "
            "make it require at least one character (e.g. + instead of *).",
            title="Invalid pattern",
        )
    return pattern


def find_in_spans(
    pattern: regex.Pattern[str],
    core: regex.Pattern[str],
    text: str,
    starts: Sequence[int],
    ends: Sequence[int],
) -> list[tuple[int, int, int]]:
    """Matches of ``pattern`` in the spans ``text[starts[i]:ends[i]]``, each span searched alone.

    Returns (span number, start, end) with offsets into ``text``. Spans are sorted and do not
    overlap. Searching every span on its own costs a call per span (700,000 for 10,000 chats);
    instead ``core``, a pattern that matches wherever ``pattern`` does (the same pattern without
    its look-arounds), scans the whole text once, and only the spans a ``core`` match touches
    are searched. Exact: a match of ``pattern`` at position p of a span means ``core`` matches
    at p, and a left-to-right scan for ``core`` then yields a match that covers p, so that span
    is searched.
    """
    touched: dict[int, None] = {}
    for m in core.finditer(text):
        first = max(bisect.bisect_right(starts, m.start()) - 1, 0)
        last = bisect.bisect_left(starts, m.end()) - 1
        for i in range(first, last + 1):
            if starts[i] < m.end() and m.start() < ends[i]:
                touched.setdefault(i)
    found: list[tuple[int, int, int]] = []
    for i in touched:
        base = starts[i]
        found.extend((i, base + m.start(), base + m.end()) for m in pattern.finditer(text[base : ends[i]]))
    return sorted(found)


_ESCAPE = regex.compile(r"\\.", regex.DOTALL)
_ANCHOR_ESCAPES = set("AZzGKm")
"""``\\A``, ``\\Z``, ``\\z``, ``\\G``, ``\\K`` and ``regex``'s ``\\m`` (word start) look outside a turn."""
_WHOLE_TEXT_UNSAFE = regex.compile(r"[\^$]|\(\?[=!>(]|\(\?<[=!]|[*+?}]\+|\(\?[a-zA-Z-]*[mswx]")


def scans_whole_text(pattern: str) -> bool:
    """Whether a pattern matched in the whole stored text finds every turn a match is in.

    True when its only zero-width checks are word boundaries (``\\b``, ``\\B``): no anchors,
    look-arounds, atomic groups, possessive quantifiers or ``m``/``s``/``x`` flags. Such a
    pattern matches a turn's text exactly as it matches the same characters inside the whole
    text, as long as the turn has no word character right outside it (``clean_edges`` in the
    search index). Judged on the pattern's text, erring on the safe side: a ``^`` in ``[^a]``
    also counts as an anchor, which only costs speed.
    """
    if any(m.group()[1] in _ANCHOR_ESCAPES for m in _ESCAPE.finditer(pattern)):
        return False
    return _WHOLE_TEXT_UNSAFE.search(_ESCAPE.sub("", pattern)) is None


def whole_text_pattern(pattern: regex.Pattern[str]) -> tuple[regex.Pattern[str], bool] | None:
    """The pattern to scan a document's whole text with, and whether that needs clean edges.

    None when the pattern must go turn by turn (:func:`scans_whole_text`). Otherwise, without a
    character class (where ``\\b`` is a backspace) its ``\\b``/``\\B`` are dropped: a pattern
    without zero-width checks matches wherever the same characters stand, whatever borders the
    turn, so every turn with a match is touched by the scan; and a pattern that starts with a
    literal is found by a fast literal search (``\\b(?:examens?|school)\\b`` scans about as fast
    as the plain query ``school``). The turns touched are then searched with the real pattern.
    """
    if not scans_whole_text(pattern.pattern):
        return None
    if "[" in pattern.pattern:
        return pattern, True
    stripped = "".join(
        m.group() if m.group() not in ("\\b", "\\B") else ""
        for m in regex.finditer(r"\\.|[^\\]+", pattern.pattern, flags=regex.DOTALL)
    )
    try:
        relaxed = regex.compile(stripped, pattern.flags)
    except regex.error:  # pragma: no cover - dropping a zero-width check keeps a pattern valid
        return pattern, True
    return (pattern, True) if relaxed.search("") is not None else (relaxed, False)


Spans = Callable[[], tuple[Sequence[int], Sequence[int]]]
Group = tuple[K, str, Spans, bool]
"""(key, text, spans, clean edges): ``spans()`` gives the starts and ends of the texts
``text[starts[i]:ends[i]]`` to search, worked out only for a text the whole-text scan hits."""


def find_regex(
    pattern: regex.Pattern[str], groups: Iterable[Group[K]], time_limit: float = DEFAULT_TIME_LIMIT
) -> list[tuple[K, int, int, int]]:
    """(group key, span number, start, end) of every non-empty match of a user's pattern.

    Each span (a turn) is searched on its own, so ``^``, ``$`` and look-arounds mean what they
    mean for one turn; offsets are into the group's text. A pattern that
    :func:`scans_whole_text` is first run over the group's whole text, and only the spans a
    match touches are searched (as :func:`find_in_spans` does for plain queries). The time
    limit covers the whole search. The scan runs in a child process that is killed at the
    limit (:mod:`qcode.analysis.isolated`); ``groups`` may be a generator, which the child then
    runs, so the parent spends nothing per turn. Where there is no child, the scan runs here
    and the ``regex`` engine checks the limit while matching. Either way a catastrophic turn
    is stopped.

    Raises:
        SearchError: when the limit is reached (the message says so and suggests a fix).
    """
    try:
        found = run_forked(partial(_scan, pattern, groups), time_limit)
        if found is None:
            found = _scan(pattern, groups, time.monotonic() + time_limit)
    except TimeoutError:
        raise SearchError(
            f"The pattern '{pattern.pattern}' was stopped after {time_limit:g} s: it takes too "
            "long (nested repetition such as (a+)+ or (a|aa)+ makes a pattern try very many "
            "ways). Simplify it, search for plain words, or allow more time (--time-limit).",
            title="Pattern too slow",
        ) from None
    return found


def _scan(
    pattern: regex.Pattern[str], groups: Iterable[Group[K]], deadline: float | None = None
) -> list[tuple[K, int, int, int]]:
    """Every non-empty match; with a deadline, the engine checks it while matching.

    Raises:
        TimeoutError: past the deadline.
    """

    def left() -> float | None:
        if deadline is None:
            return None
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        return remaining

    whole = whole_text_pattern(pattern)
    found: list[tuple[K, int, int, int]] = []
    for key, text, spans, clean in groups:
        if whole is not None and (clean or not whole[1]):
            if whole[0].search(text, timeout=left()) is None:
                continue
            starts, ends = spans()
            touched: dict[int, None] = {}
            for m in whole[0].finditer(text, timeout=left()):
                first = max(bisect.bisect_right(starts, m.start()) - 1, 0)
                for i in range(first, bisect.bisect_left(starts, m.end())):
                    if starts[i] < m.end() and m.start() < ends[i]:
                        touched.setdefault(i)
            candidates: Iterable[int] = touched
        elif deadline is None:
            starts, ends = spans()
            search = pattern.search
            candidates = [i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if search(text[s:e]) is not None]
        else:
            starts, ends = spans()
            candidates = range(len(starts))
        for i in candidates:
            base = starts[i]
            found.extend(
                (key, i, base + m.start(), base + m.end())
                for m in pattern.finditer(text[base : ends[i]], timeout=left())
                if m.end() > m.start()
            )
    return found


_SENTENCE_END = regex.compile(r"[.!?…]+(?=\s|$)|\n")


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) of ``text`` around ``text[start:end]``, white space trimmed.

    A sentence ends at ``.``, ``!``, ``?`` or ``…`` followed by white space or the end, or at a
    line break: a rule for chat text (no capital needed after the stop), not spaCy's parser, so
    coding by sentence works without the pipeline.
    """
    begin, finish = 0, len(text)
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            begin = m.end()
        elif m.start() >= end:
            finish = m.end() if m.group() != "\n" else m.start()
            break
    while begin < finish and text[begin].isspace():
        begin += 1
    while finish > begin and text[finish - 1].isspace():
        finish -= 1
    return (begin, finish) if begin < finish else (start, end)


def context(text: str, start: int, end: int, words: int = CONTEXT_WORDS) -> tuple[str, str, str]:
    """(words before, the hit, words after) with line breaks shown as spaces.

    Words here are runs of non-space characters. Only a window of 40 characters a word is
    looked at, so a hit in a long e-mail stays cheap; a word the window cuts is left out.
    """
    window = max(start - 40 * words, 0)
    before = text[window:start].split()
    if window > 0 and before and not text[window - 1].isspace():
        before = before[1:]
    stop = min(end + 40 * words, len(text))
    after = text[end:stop].split()
    if stop < len(text) and after and not text[stop].isspace():
        after = after[:-1]
    flat = " ".join(text[start:end].split())
    left = " ".join(before[-words:])
    right = " ".join(after[:words])
    if left and text[start - 1 : start].isspace():
        left += " "
    if right and text[end : end + 1].isspace():
        right = " " + right
    return left, flat, right
