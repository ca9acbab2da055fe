"""What an import could not bring in, or brought in as something else: one line per kind.

A REFI file carries more than qcode holds (links, graphs, annotations, ...). Nothing may be
dropped without a word, and a long list of per-item warnings hides what matters, so every
reader counts what it leaves out here and the user sees one summary line per kind:

    left out on import: 3 Links (qcode has no links between items)
    kept as memos: 2 case descriptions

Readers call :meth:`ImportTally.left_out` for what they drop and :meth:`ImportTally.kept`
for what they store in another form; moving a kind from the first to the second (when
qcode learns to hold it) is a one-line change at the reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportTally:
    """Counts per kind of what one import left out and what it kept in another form."""

    _left: dict[str, int] = field(default_factory=dict)
    """Kind -> count, in the order first reported."""
    _reasons: dict[str, str] = field(default_factory=dict)
    """Kind -> why it was left out (shown in brackets)."""
    _kept: dict[tuple[str, str], int] = field(default_factory=dict)
    """(as what, kind) -> count, in the order first reported."""

    def left_out(self, kind: str, count: int = 1, reason: str = "") -> None:
        """Count ``count`` items of ``kind`` as not imported (nothing is counted for 0)."""
        if count <= 0:
            return
        self._left[kind] = self._left.get(kind, 0) + count
        if reason:
            self._reasons.setdefault(kind, reason)

    def kept(self, kind: str, count: int, as_what: str) -> None:
        """Count ``count`` items of ``kind`` as stored in another form (``as_what``: "memos")."""
        if count > 0:
            self._kept[(as_what, kind)] = self._kept.get((as_what, kind), 0) + count

    def count_left_out(self, kind: str) -> int:
        """How many items of ``kind`` were left out (0 if none)."""
        return self._left.get(kind, 0)

    def lines(self) -> list[str]:
        """The summary lines, kept kinds after the ones left out."""
        lines = [
            f"left out on import: {count} {kind}"
            + (f" ({self._reasons[kind]})" if kind in self._reasons else "")
            for kind, count in self._left.items()
        ]
        lines += [f"kept as {as_what}: {count} {kind}"
                  for (as_what, kind), count in self._kept.items()]
        return lines

    def __bool__(self) -> bool:
        return bool(self._left or self._kept)
