"""Find the Leestekens marks: ``?``, ``!``, runs of dots, and words written in capitals.

A run of the same mark is one hit (``!!!`` is one exclamation, its span covers the run);
``?!`` is two hits. Runs of three or more dots, the ellipsis ``…`` and mixtures (``…..``) are
one ``...`` hit; single and double dots are ordinary punctuation.

A word "in capitals" has at least two letters, all upper case, and no digit or underscore
attached (``MP3``, ``NAAM_1`` are identifiers, not shouting). It is *not* coded when it is
- an anonymisation placeholder (``NAAM``, ``PLAATS``), or any word inside brackets
  (``[INSTELLING 1]``, ``<NAAM HULPVERLENER>``);
- an acronym from the configured list (``AMW``, ``GGZ``, ``BSN``); a hyphenated or
  apostrophe compound is exempt when it starts with one and the rest is a short ending
  (``AMW'ER``, ``GGZ-EN``) or every part is exempt (``NAAM-PLAATS``);
- inside a URL or e-mail address, or part of an emoticon (``XD``).
"""

from __future__ import annotations

import re

from qcode.coding.autocode.masks import Span, bracketed_spans, is_masked, url_spans

MARK_RE = re.compile(r"\?+|!+|[.…]*(?:…|\.{3})[.…]*")
CAPS_WORD_RE = re.compile(r"(?<![\w'’-])[^\W\d_]+(?:['’-][^\W\d_]+)*(?![\w'’-])")
PART_SPLIT_RE = re.compile(r"['’-]")
SHORT_ENDING = 3
"""Longest inflection written after an acronym that still leaves it an acronym (``'ERS``)."""


def find_marks(text: str, masks: list[Span] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, detail) for every ``?``, ``!`` and dot run outside URLs and ``masks``."""
    ignored = url_spans(text) + list(masks or [])
    hits: list[tuple[int, int, str]] = []
    for match in MARK_RE.finditer(text):
        if is_masked(match.start(), match.end(), ignored):
            continue
        first = match.group()[0]
        detail = first if first in "?!" else "..."
        hits.append((match.start(), match.end(), detail))
    return hits


def find_capitals(
    text: str,
    exempt: frozenset[str],
    masks: list[Span] | None = None,
) -> list[tuple[int, int, str]]:
    """(start, end, ``"CAPS: WORD"``) for every word in capitals that is not exempt.

    Args:
        text: One utterance's text.
        exempt: Placeholders and acronyms, in capitals.
        masks: Extra spans to ignore (emoticons), added to URLs and bracketed text.
    """
    ignored = url_spans(text) + bracketed_spans(text) + list(masks or [])
    hits: list[tuple[int, int, str]] = []
    for match in CAPS_WORD_RE.finditer(text):
        word = match.group()
        letters = sum(1 for char in word if char.isalpha())
        if letters < 2 or not word.isupper() or _is_exempt(word, exempt):
            continue
        if not is_masked(match.start(), match.end(), ignored):
            hits.append((match.start(), match.end(), f"CAPS: {word}"))
    return hits


def _is_exempt(word: str, exempt: frozenset[str]) -> bool:
    parts = PART_SPLIT_RE.split(word)
    if all(part in exempt for part in parts):
        return True
    return parts[0] in exempt and all(len(part) <= SHORT_ENDING for part in parts[1:])
