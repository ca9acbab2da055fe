"""Editing the codebook from the workbench: new codes, colours, groups, and the edit log.

Beside :mod:`qcode.storage.codebooks` (which loads codebooks, renames and merges): the rules
that keep every coding are the same. A code is removed only when nothing refers to it (no
coding, live or removed-but-undoable, no suggestion, no code merged into it), since removing it
would orphan them. Every edit is kept in ``codebook_edits`` so a later session can undo it.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qcode.codebook.model import Unit
from qcode.errors import StorageError, UnknownNameError
from qcode.storage.codebooks import _live_counts, code_groups, find_code, live_code_names
from qcode.storage.schema import CodebookEditRow, CodebookRow, CodeRow, CodingRow, SuggestionRow


def new_code_key(session: Session, name: str) -> str:
    """A stable id for a code made in the workbench: its name as a slug, unique in the project."""
    slug = "_".join(re.findall(r"[0-9a-z]+", name.casefold())) or "code"
    taken = set(session.scalars(select(CodeRow.key)))
    key, n = slug, 2
    while key in taken:
        key, n = f"{slug}_{n}", n + 1
    return key


def create_code(session: Session, name: str, group: str, colour: str) -> str:
    """Add a code (no hotkey, unit utterance) at the end of its group; returns its stable id.

    Raises:
        StorageError: empty name, or a live code has that name already.
        UnknownNameError: no code is in ``group``.
    """
    name = name.strip()
    if not name:
        raise StorageError("A code needs a name.")
    if name.casefold() in {n.casefold() for n in live_code_names(session)}:
        raise StorageError(f"A code named '{name}' exists already.")
    if group not in code_groups(session):
        raise UnknownNameError("group", group, code_groups(session), see="qcode codes list")
    book = session.scalars(select(CodebookRow).order_by(CodebookRow.id.desc())).first()
    if book is None:
        raise StorageError("Load a codebook first (qcode codebook load FILE).")
    position = session.scalar(select(func.max(CodeRow.position)).where(CodeRow.codebook_id == book.id))
    key = new_code_key(session, name)
    session.add(
        CodeRow(
            key=key, codebook_id=book.id, name=name, group=group, unit=Unit.UTTERANCE.value,
            definition_en="", definition_nl="", colour=colour, hotkey="", automatic=False,
            suggestible=False, exclusive="", position=(position or 0) + 1,
        )
    )
    session.flush()
    return key


def delete_code(session: Session, key: str) -> None:
    """Remove a code nothing refers to (the undo of :func:`create_code`).

    Raises:
        StorageError: codings (live, or removed but still undoable) or suggestions use it;
            deleting it would orphan them.
    """
    row = find_code(session, key)
    codings = session.scalar(select(func.count()).select_from(CodingRow).where(CodingRow.code_id == row.id)) or 0
    suggestions = session.scalar(
        select(func.count()).select_from(SuggestionRow).where(SuggestionRow.code_id == row.id)
    ) or 0
    merged = list(session.scalars(select(CodeRow.name).where(CodeRow.merged_into == row.key)))
    if merged:
        raise StorageError(
            f"'{row.name}' holds the codings of {', '.join(merged)} (merged into it); "
            "removing it would orphan them."
        )
    if codings or suggestions:
        live = _live_counts(session, [row.id]).get(row.id, 0)
        raise StorageError(
            f"'{row.name}' is used by {live} coding(s)"
            + (f" ({codings - live} removed but undoable)" if codings > live else "")
            + (f" and {suggestions} suggestion(s)" if suggestions else "")
            + "; removing the code would orphan them. Merge it into another code instead."
        )
    session.delete(row)
    session.flush()


class CodeLook(NamedTuple):
    """How a code shows in the workbench: its badge colour and the group it is listed under."""

    colour: str
    group: str


def set_code_look(
    session: Session, name_or_key: str, *, colour: str | None = None, group: str | None = None
) -> CodeLook:
    """Give a code another colour and/or group; returns its look before (for the edit log).

    Raises:
        UnknownNameError: no code is in ``group``.
    """
    row = find_code(session, name_or_key)
    before = CodeLook(row.colour, row.group)
    if group is not None and group != row.group:
        groups = code_groups(session)
        if group not in groups:
            raise UnknownNameError("group", group, groups, see="qcode codes list")
        row.group = group
    if colour is not None:
        row.colour = colour
    session.flush()
    return before


def unmerge_codes(session: Session, source: str, coding_ids: list[int]) -> int:
    """Undo :func:`merge_code_ids`: bring ``source`` back and move those codings back to it.

    Only codings still on the merge target move (one moved on since stays where it is);
    returns how many moved.
    """
    row = session.scalars(select(CodeRow).where(CodeRow.key == source)).first()
    if row is None or row.merged_into is None:
        raise StorageError(f"Code '{source}' is not merged into another code; nothing to undo.")
    target = find_code(session, row.merged_into)
    row.merged_into = None
    moved = 0
    for at in range(0, len(coding_ids), 500):
        moved += len(
            session.execute(
                update(CodingRow)
                .where(CodingRow.id.in_(coding_ids[at : at + 500]), CodingRow.code_id == target.id)
                .values(code_id=row.id)
                .returning(CodingRow.id)
            ).all()
        )
    session.flush()
    return moved


def live_counts_by_key(session: Session) -> dict[str, int]:
    """Live codings per stable code id (codes without codings are missing)."""
    rows = session.execute(
        select(CodeRow.key, func.count())
        .join(CodingRow, CodingRow.code_id == CodeRow.id)
        .where(CodingRow.deleted_at.is_(None))
        .group_by(CodeRow.key)
    ).all()
    return {key: int(n) for key, n in rows}


def record_edit(
    session: Session, kind: str, code: str, before: str, after: str, moved: list[int], editor: str,
    now: datetime,
) -> int:
    """Keep a workbench codebook edit (for undo in any later session); returns its id."""
    row = CodebookEditRow(
        kind=kind, code=code, before=before, after=after, moved={"codings": moved}, editor=editor,
        created=now,
    )
    session.add(row)
    session.flush()
    return row.id


class StoredEdit(NamedTuple):
    """One kept codebook edit, as :func:`record_edit` stored it."""

    id: int
    kind: str
    """What was done: ``create``, ``rename``, ``recolour``, ``move`` or ``merge``."""
    code: str
    """Stable key of the code edited (for a merge: the code merged away)."""
    before: str
    after: str
    moved: list[int]
    """Ids of the codings a merge moved (empty for other edits)."""


def latest_edit(session: Session) -> StoredEdit | None:
    """The newest codebook edit not undone yet; undo goes back one edit at a time."""
    row = session.scalars(
        select(CodebookEditRow).where(CodebookEditRow.undone_at.is_(None)).order_by(CodebookEditRow.id.desc())
    ).first()
    if row is None:
        return None
    moved = [int(i) for i in (row.moved or {}).get("codings", [])]
    return StoredEdit(row.id, row.kind, row.code, row.before, row.after, moved)


def mark_undone(session: Session, edit_id: int, now: datetime) -> None:
    row = session.get(CodebookEditRow, edit_id)
    if row is not None:
        row.undone_at = now
