"""Consensus decisions: the supervisor's settlements, kept, withdrawn and undone.

A decision is a coding by the reserved coder ``consensus`` with ``decided_by`` set; a withdrawn
one has ``deleted_at`` from the start, and an undone one keeps its row, marked ``undone_at``,
``undone_by`` and ``undone_from`` (migration 0006), so the audit trail never loses a decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session, aliased

from qcode.coding.model import Coding
from qcode.storage.codings import add_coding, ensure_coder
from qcode.storage.schema import CoderRow, CodingRow


def add_decision(session: Session, coding: Coding, now: datetime, decided_by: str, withdrawn: bool) -> int:
    """Store one consensus decision: the code kept on the span, or (``withdrawn``) not.

    A withdrawn decision is a consensus coding with ``deleted_at`` set from the start, so it
    counts as no coding but remembers that the unit was settled, and by whom. Nothing is
    logged for undo: a supervisor's ``qcode undo`` must not bring a rejected code back to life;
    decisions are taken back with :func:`undo_decisions`.
    """
    coding_id = add_coding(session, coding, now, log=False, decided_by=decided_by)
    if withdrawn:
        row = session.get(CodingRow, coding_id)
        assert row is not None
        row.deleted_at = now
    return coding_id


def undo_decisions(session: Session, coding_ids: Sequence[int], by: str, now: datetime) -> int:
    """Take back consensus decisions (the review queue's undo), keeping them in the audit trail.

    The decision stays stored, marked undone by ``by`` at ``now`` with what it had been
    (``undone_from``: kept or withdrawn); ``deleted_at`` is set (if the decision kept its code)
    so it counts as no coding and settles no unit anywhere. A decision already undone, and any
    coding that is not a consensus decision, is left alone. Returns how many were undone.
    """
    undoer = ensure_coder(session, by, now)
    consensus = select(CoderRow.id).where(CoderRow.kind == "consensus")
    # The decision's memo stays with it: the audit trail shows what was decided, and why.
    result = session.execute(
        update(CodingRow)
        .where(
            CodingRow.id.in_(list(coding_ids)),
            CodingRow.coder_id.in_(consensus),
            CodingRow.undone_at.is_(None),
        )
        .values(
            undone_at=now,
            undone_by=undoer,
            undone_from=case((CodingRow.deleted_at.is_(None), "kept"), else_="withdrawn"),
            deleted_at=func.coalesce(CodingRow.deleted_at, now),
            version=CodingRow.version + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


class UndoneDecision(NamedTuple):
    """Who took a consensus decision back, when, and what the decision had been."""

    by: str
    at: datetime | None
    was: str
    """What the decision had been (``undone_from``: e.g. kept or withdrawn)."""


def undone_decisions(session: Session) -> dict[int, UndoneDecision]:
    """Every undone consensus decision, by coding id."""
    undoer = aliased(CoderRow)
    rows = session.execute(
        select(CodingRow.id, undoer.name, CodingRow.undone_at, CodingRow.undone_from)
        .join(undoer, undoer.id == CodingRow.undone_by)
        .where(CodingRow.undone_at.is_not(None))
    )
    return {int(i): UndoneDecision(str(name), at, str(was)) for i, name, at, was in rows}
