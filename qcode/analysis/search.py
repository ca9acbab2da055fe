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
import os
import time
from collections.abc import Callable, Iterable, Sequence
from enum import StrEnum
from functools import partial
from typing import TypeVar

import regex

from qcode.analysis.isolated import run_forked_all
from qcode.analysis.relaxed import relaxed_patterns, start_anchored
from qcode.errors import QcodeError

DEFAULT_TIME_LIMIT = 10.0
"""Seconds a regular expression may run over the whole corpus before it is stopped.

An ordinary pattern scans 10,000 chats in well under a second; one with catastrophic
backtracking does not finish on a single turn in a lifetime. Ten seconds tells them apart
even on a busy machine.
"""

SCAN_PROCESSES = min(os.cpu_count() or 1, 4)
"""Child processes a regular expression search is split over (one per core, up to four): the
scan is the largest part of a regex search, and its parts are independent documents."""

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


L = TypeVar("L")

Spans = Callable[[], tuple[Sequence[int], Sequence[int], Sequence[L]]]
"""Starts, ends and labels of the texts ``text[starts[i]:ends[i]]`` to search, sorted and not
overlapping; called only for a text the whole-text scan hits (working them out costs)."""


def find_in_spans(
    pattern: regex.Pattern[str],
    cores: Sequence[regex.Pattern[str]],
    text: str,
    spans: Spans[L],
    left: Callable[[], float | None] | None = None,
    anchored: bool = False,
) -> list[tuple[L, int, int]]:
    """Non-empty matches of ``pattern`` in each span of ``text``, each span searched alone.

    Returns (span label, start, end) with offsets into ``text``, by start. Searching every span
    on its own costs a call per span (700,000 for 10,000 chats); instead ``cores``, patterns
    one of which matches wherever ``pattern`` does (the pattern without its zero-width checks,
    perhaps split into its alternatives: :func:`plain_core`, :func:`relaxed_patterns`) and
    none of which matches empty text, each scan the whole text once, and only the spans a
    match touches are searched. Exact: a match of ``pattern`` at position p of a span means a
    core matches at p, and a left-to-right scan for that core then yields a match that covers
    p, so that span is searched. With ``anchored`` (:func:`relaxed.start_anchored`: a match can
    only start at a span's start) p is the span's start, so only spans whose start a core match
    covers are searched: ``(?i)^ok`` then skips the many turns with "ook" or "zoek" inside.
    ``left`` gives the seconds the engine may still run (the in-process time limit).
    """
    timeout = left or (lambda: None)
    touched: dict[int, None] = {}
    starts: Sequence[int] = ()
    ends: Sequence[int] = ()
    labels: Sequence[L] = ()
    bisect_right = bisect.bisect_right
    bisect_left = bisect.bisect_left
    for core in cores:
        for m in core.finditer(text, timeout=timeout()):
            if not starts:
                starts, ends, labels = spans()
            start, end = m.span()
            if anchored:
                i = bisect_left(starts, start)  # the first span starting inside the match
            else:
                i = bisect_right(starts, start) - 1
                if i < 0 or ends[i] <= start:
                    i += 1  # the match starts between spans (or before the first)
            while i < len(starts) and starts[i] < end:
                touched[i] = None
                i += 1
    found: list[tuple[L, int, int]] = []
    for i in touched:
        base = starts[i]
        found.extend(
            (labels[i], base + m.start(), base + m.end())
            for m in pattern.finditer(text[base : ends[i]], timeout=timeout())
            if m.end() > m.start()
        )
    found.sort(key=lambda f: (f[1], f[2]))
    return found


Group = tuple[K, str, Spans[L]]
"""(key, text, spans): a document's text and the turns in it to search."""


def find_regex(
    pattern: regex.Pattern[str], groups: Iterable[Group[K, L]], time_limit: float = DEFAULT_TIME_LIMIT
) -> list[tuple[K, L, int, int]]:
    """(group key, span label, start, end) of every non-empty match of a user's pattern.

    Each span (a turn) is searched on its own, so ``^``, ``$`` and look-arounds mean what they
    mean for one turn; offsets are into the group's text. Where :func:`relaxed_patterns` gives
    patterns, they scan each group's whole text once and only the spans it touches are
    searched (:func:`find_in_spans`, as for plain queries); otherwise every span is searched.
    The time limit covers the whole search. The scan runs in child processes, the groups
    split between :data:`SCAN_PROCESSES` of them, which are killed at the limit
    (:mod:`qcode.analysis.isolated`); the parent spends nothing per turn. Where there is no
    child, the scan runs here and the ``regex`` engine checks the limit while matching.
    Either way a catastrophic turn is stopped.

    Raises:
        SearchError: when the limit is reached (the message says so and suggests a fix).
    """
    everything = list(groups)
    size = -(-len(everything) // SCAN_PROCESSES) or 1
    parts = [everything[at : at + size] for at in range(0, len(everything), size)]
    try:
        scanned = run_forked_all([partial(_scan, pattern, part) for part in parts], time_limit)
        found = [hit for part in scanned for hit in part] if scanned is not None else None
        if found is None:
            found = _scan(pattern, everything, time.monotonic() + time_limit)
    except TimeoutError:
        raise SearchError(
            f"The pattern '{pattern.pattern}' was stopped after {time_limit:g} s: it takes too "
            "long (nested repetition such as (a+)+ or (a|aa)+ makes a pattern try very many "
            "ways). Simplify it, search for plain words, or allow more time (--time-limit).",
            title="Pattern too slow",
        ) from None
    return found


def _scan(
    pattern: regex.Pattern[str], groups: Iterable[Group[K, L]], deadline: float | None = None
) -> list[tuple[K, L, int, int]]:
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

    relaxed = relaxed_patterns(pattern)
    anchored = relaxed is not None and start_anchored(pattern)
    found: list[tuple[K, L, int, int]] = []
    for key, text, spans in groups:
        if relaxed is not None:
            found.extend((key, label, s, e) for label, s, e in find_in_spans(pattern, relaxed, text, spans, left, anchored))
            continue
        starts, ends, labels = spans()
        if deadline is None:
            search = pattern.search
            candidates: Iterable[int] = [
                i for i, (s, e) in enumerate(zip(starts, ends, strict=True)) if search(text[s:e]) is not None
            ]
        else:
            candidates = range(len(starts))
        for i in candidates:
            base = starts[i]
            found.extend(
                (key, labels[i], base + m.start(), base + m.end())
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
