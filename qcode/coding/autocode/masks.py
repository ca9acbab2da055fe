"""Stretches of text the paratext scanners must not look into.

A URL is full of ``:/``, ``?`` and ``!``; an e-mail address and a bracketed anonymisation
placeholder (``[INSTELLING 1]``, ``<NAAM>``) are not the writer's own punctuation or shouting.
Each scanner asks :func:`is_masked` before it reports a hit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Span = tuple[int, int]

URL_RE = re.compile(
    r"(?:\b[a-z][a-z0-9+.-]*://|\bwww\.)[^\s<>\"]+"  # with a scheme, or starting with www.
    r"|\b[\w-]+(?:\.[\w-]+)*\.(?:nl|be|com|org|net|eu|info|nu)\b(?:[/?#][^\s<>\"]*)?"  # bare
    r"|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
    re.IGNORECASE,
)
"""URLs, bare domains of the usual Dutch-service TLDs, and e-mail addresses."""

URL_TRAILING = ".,;:!?)(]'\"…"
"""Characters that end a sentence rather than a URL (``kijk op www.x.nl!``)."""

BRACKETED_RE = re.compile(r"\[[^\[\]\n]{1,80}\]|<[^<>\n]{1,80}>|\{[^{}\n]{1,80}\}")
"""Bracketed placeholders as anonymisers write them: ``[INSTELLING 1]``, ``<NAAM>``."""


def url_spans(text: str) -> list[Span]:
    """Spans of URLs and e-mail addresses, trailing sentence punctuation left outside."""
    spans: list[Span] = []
    for match in URL_RE.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in URL_TRAILING:
            end -= 1
        spans.append((start, end))
    return spans


def bracketed_spans(text: str) -> list[Span]:
    """Spans of bracketed placeholders, brackets included."""
    return [match.span() for match in BRACKETED_RE.finditer(text)]


def is_masked(start: int, end: int, masks: Iterable[Span]) -> bool:
    """True when ``[start, end)`` overlaps any mask."""
    return any(start < mask_end and mask_start < end for mask_start, mask_end in masks)
