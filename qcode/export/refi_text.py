"""Source texts of REFI files and the conversion of foreign offsets to qcode offsets.

qcode stores LF-only text and counts offsets in code points. Foreign sources differ:
NVivo 12 writes ``Sources/*.txt`` with a BOM and CRLF line ends and counts positions in
UTF-16 code units of the CRLF text without the BOM (checked against the NVivo 12.6 example:
only that reading puts every selection on word boundaries); other tools count code points
of the text as written. A :class:`SourceText` turns such a position into an index of the
stored text, so a coding still covers the same characters after CRLF → LF.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SourceText:
    """The stored (LF-only) text of one source and how to map foreign positions into it."""

    text: str
    removed: tuple[int, ...]
    """Code-point positions (in the raw text) of each CR dropped from a CRLF pair."""
    astral: tuple[int, ...]
    """UTF-16 unit positions where a surrogate pair starts; empty unless counting UTF-16."""
    raw_length: int
    """Length of the raw text in the unit positions are counted in."""

    def position(self, foreign: int) -> int:
        """Index into :attr:`text` of a position as the foreign file counts it."""
        code_point = foreign - bisect_left(self.astral, foreign - 1) if self.astral else foreign
        return code_point - bisect_left(self.removed, code_point)


def load_source_text(data: bytes | str, utf16_positions: bool = False) -> SourceText:
    """Decode a source (UTF-8, BOM tolerated), store it LF-only, and remember the shifts.

    Args:
        data: The bytes of ``Sources/<guid>.txt`` or the text of ``<PlainTextContent>``.
        utf16_positions: The file counts positions in UTF-16 code units (NVivo).
    """
    raw = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    raw = raw.removeprefix("\ufeff")
    removed = tuple(i for i, ch in enumerate(raw) if ch == "\r" and raw[i + 1 : i + 2] == "\n")
    astral: list[int] = []
    if utf16_positions:
        shift = 0
        for i, ch in enumerate(raw):
            if ord(ch) > 0xFFFF:
                astral.append(i + shift)
                shift += 1
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    length = len(raw) + len(astral)
    return SourceText(text, removed, tuple(astral), length)
