"""Which position convention a source's selections use, checked selection by selection.

REFI-QDA does not say how positions count (see :mod:`qcode.export.refi_text`), and a wrong
guess shifts every coding silently: one character per earlier line break, or per earlier
emoji. Most tools write the selected text into ``PlainTextSelection@name`` (QualCoder whole,
ATLAS.ti and qcode shortened with ``…``), so the text itself decides: per source, the
convention under which most names equal their selected text wins, and every selection is
checked. A selection whose name fits no convention is reported, never stored shifted.
Sources whose selections carry no names (NVivo writes ``name=""``) keep the file's default,
unchecked; so do sources where no name fits any convention (names that are titles, not text).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from qcode.export.refi_text import Convention, SourceText

_ELLIPSES = ("…", "...")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Selection:
    """The position part of one ``<PlainTextSelection>``."""

    start: int
    end: int
    name: str


@dataclass(frozen=True, slots=True)
class Placement:
    """Where each selection of one source lands in the stored text."""

    convention: Convention
    """The convention the source was read with."""
    checked: bool
    """Whether the selections' names confirmed it (False: no usable names, default kept)."""
    spans: tuple[tuple[int, int] | None, ...]
    """Stored span per selection, in input order; None where it is not placed."""
    misfits: tuple[int, ...]
    """Indices of selections whose name matches their text under no convention."""
    outside: tuple[int, ...]
    """Indices of selections that lie outside the text under the source's convention."""
    others: int = 0
    """Selections placed under another convention than the source's (their name said so)."""


def _folded(text: str, strict: bool) -> str:
    return _SPACE.sub(" ", text) if strict else " ".join(text.split())


def name_fits(name: str, text: str, strict: bool = False) -> bool:
    """Whether a selection's ``name`` is its text, whole or shortened with an ellipsis.

    White space runs are compared as single spaces (names are one line; qcode and ATLAS.ti
    fold line breaks), so a CRLF in the name still fits the stored LF. Loosely, white space
    at either end is ignored too (writers strip names); strictly it is not, which tells a
    span that ends one character late, on a line break, from the right one.
    """
    wanted, got = _folded(name, strict), _folded(text, strict)
    if wanted == got:
        return True
    for mark in _ELLIPSES:
        if wanted.endswith(mark) and len(wanted) > len(mark):
            stem = wanted[: -len(mark)].rstrip()
            if got.startswith(stem) and len(got) >= len(stem):
                return True
    return False


def _fit(text: SourceText, selection: Selection, convention: Convention) -> int:
    """2 if the name fits the span strictly, 1 loosely, 0 not at all."""
    span = text.span(selection.start, selection.end, convention)
    if span is None:
        return 0
    piece = text.text[span[0] : span[1]]
    if name_fits(selection.name, piece, strict=True):
        return 2
    return 1 if name_fits(selection.name, piece) else 0


def place_selections(
    text: SourceText, selections: Sequence[Selection], preferred: Sequence[Convention]
) -> Placement:
    """Choose the source's convention from the names and place every selection.

    Args:
        text: The source's text.
        selections: Its selections, in file order.
        preferred: Conventions to try first, the first being the default when names cannot
            decide (e.g. UTF-16 for NVivo); the others follow in :class:`Convention` order.
    """
    order = list(dict.fromkeys([*preferred, *Convention]))
    named = [i for i, s in enumerate(selections) if s.name.strip()]
    grades = {i: {c: _fit(text, selections[i], c) for c in order} for i in named}
    fitting = {i: {c for c, g in grades[i].items() if g} for i in named}

    def score(c: Convention) -> tuple[int, int, int]:
        strict = sum(grades[i][c] == 2 for i in named)
        return strict, sum(c in fitting[i] for i in named), -order.index(c)

    best = max(order, key=score)
    checked = score(best)[1] > 0
    if not checked:
        best = order[0]
    spans: list[tuple[int, int] | None] = []
    misfits: list[int] = []
    outside: list[int] = []
    others = 0
    for i, selection in enumerate(selections):
        convention = best
        if checked and i in fitting and best not in fitting[i]:
            if not fitting[i]:
                misfits.append(i)
                spans.append(None)
                continue
            convention = max(fitting[i], key=lambda c: (grades[i][c], -order.index(c)))
            others += 1
        span = text.span(selection.start, selection.end, convention)
        if span is None:
            outside.append(i)
        spans.append(span)
    return Placement(best, checked, tuple(spans), tuple(misfits), tuple(outside), others)
