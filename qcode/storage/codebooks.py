"""Storing codebooks and codes; renames and merges that keep every coding.

Codings point at a code's integer row id, and a code's ``key`` (the codebook's stable id)
never changes, so renaming a code touches one row and merging moves codings explicitly.
A new codebook version that drops a code still holding codings is refused: that would orphan
a person's work.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from qcode.codebook.model import Code, Codebook, Unit
from qcode.errors import StorageError, UnknownNameError
from qcode.storage.schema import CodebookRow, CodeRow, CodingRow


def _live_counts(session: Session, code_ids: list[int]) -> dict[int, int]:
    if not code_ids:
        return {}
    rows = session.execute(
        select(CodingRow.code_id, func.count())
        .where(CodingRow.code_id.in_(code_ids), CodingRow.deleted_at.is_(None))
        .group_by(CodingRow.code_id)
    ).all()
    return {code_id: int(n) for code_id, n in rows}


class CodebookChanges(NamedTuple):
    """What loading a codebook did: how many codes it added and how many it updated."""

    added: int
    updated: int


def save_codebook(session: Session, codebook: Codebook, now: datetime) -> CodebookChanges:
    """Load a codebook (or a new version of one).

    Raises:
        StorageError: the new version drops codes that still have codings, or reuses a code
            id that belongs to a different codebook.
    """
    book = session.scalars(
        select(CodebookRow).where(
            CodebookRow.key == codebook.id, CodebookRow.version == codebook.version
        )
    ).first()
    if book is None:
        book = CodebookRow(
            key=codebook.id,
            name=codebook.name,
            version=codebook.version,
            source=codebook.source,
            groups=_groups_json(codebook),
            loaded_at=now,
        )
        session.add(book)
        session.flush()
    elif codebook.parents:  # a new JSON value, so the change is seen and stored
        book.groups = {**book.groups, "parents": _groups_json(codebook)["parents"]}
    same_book_ids = select(CodebookRow.id).where(CodebookRow.key == codebook.id)
    existing = {
        r.key: r
        for r in session.scalars(
            select(CodeRow).where(CodeRow.key.in_([c.id for c in codebook.codes]))
        )
    }
    previous = {
        r.key: r
        for r in session.scalars(
            select(CodeRow).where(
                CodeRow.codebook_id.in_(same_book_ids), CodeRow.merged_into.is_(None)
            )
        )
    }
    for key, row in existing.items():
        owner = session.get(CodebookRow, row.codebook_id)
        if owner is not None and owner.key != codebook.id:
            raise StorageError(
                f"Code id '{key}' already belongs to codebook '{owner.key}'. "
                "Give the code another id in your codebook file."
            )
    dropped = [row for key, row in previous.items() if key not in {c.id for c in codebook.codes}]
    in_use = _live_counts(session, [r.id for r in dropped])
    if in_use:
        listing = ", ".join(f"{r.name} ({in_use[r.id]} codings)" for r in dropped if r.id in in_use)
        raise StorageError(
            f"Codebook '{codebook.id}' version {codebook.version} drops codes that still have "
            f"codings: {listing}. Keep them in the file, or merge them into another code first "
            "(qcode codes merge), so no coding is orphaned."
        )
    for gone in dropped:
        session.delete(gone)
    added = updated = 0
    for position, code in enumerate(codebook.codes):
        current = existing.get(code.id)
        values = dict(
            name=code.name,
            group=code.group,
            unit=code.unit.value,
            definition_en=code.definition_en,
            definition_nl=code.definition_nl,
            colour=code.colour,
            hotkey=code.hotkey,
            automatic=code.automatic,
            suggestible=code.suggestible,
            exclusive=code.exclusive,
            position=position,
            codebook_id=book.id,
        )
        if current is None:
            session.add(CodeRow(key=code.id, **values))
            added += 1
        else:
            for name, value in values.items():
                setattr(current, name, value)
            updated += 1
    session.flush()
    return CodebookChanges(added, updated)


def _groups_json(codebook: Codebook) -> dict[str, object]:
    """The codebook row's JSON: ordered groups, and sub-code parents (no column needed)."""
    data: dict[str, object] = {"groups": [list(g) for g in codebook.groups]}
    if codebook.parents:
        data["parents"] = [list(p) for p in codebook.parents]
    return data


def stored_codebook(session: Session) -> Codebook:
    """All live (not merged-away) codes of the project, as one codebook in file order."""
    books = session.scalars(select(CodebookRow).order_by(CodebookRow.id)).all()
    rows = session.scalars(
        select(CodeRow)
        .where(CodeRow.merged_into.is_(None))
        .order_by(CodeRow.codebook_id, CodeRow.position)
    ).all()
    groups: list[tuple[str, str]] = []
    parents: dict[str, str] = {}
    for book in books:
        for key, label in book.groups.get("groups", []):
            if key not in [g for g, _ in groups]:
                groups.append((key, label))
        parents.update({str(c): str(p) for c, p in book.groups.get("parents", [])})
    live = {r.key for r in rows}
    first = books[-1] if books else None
    return Codebook(
        id=first.key if first else "empty",
        name=first.name if first else "(no codebook)",
        version=first.version if first else "0",
        codes=tuple(_code(r) for r in rows),
        groups=tuple(groups),
        source=first.source if first else "",
        parents=tuple((c, p) for c, p in parents.items() if c in live and p in live),
    )


def _code(row: CodeRow) -> Code:
    return Code(
        id=row.key,
        name=row.name,
        group=row.group,
        unit=Unit(row.unit),
        definition_en=row.definition_en,
        definition_nl=row.definition_nl,
        colour=row.colour,
        hotkey=row.hotkey,
        automatic=row.automatic,
        exclusive=row.exclusive,
        suggestible=row.suggestible,
    )


def code_row_ids(session: Session) -> dict[str, int]:
    """Stable code key -> row id for every code, merged ones resolved to their target."""
    rows = session.execute(select(CodeRow.key, CodeRow.id, CodeRow.merged_into)).all()
    ids = {key: row_id for key, row_id, _ in rows}
    merged = {key: into for key, _, into in rows if into}
    for key, into in merged.items():
        target = into
        while target in merged:
            target = merged[target]
        ids[key] = ids[target]
    return ids


def find_code(session: Session, name_or_key: str) -> CodeRow:
    """A live code by stable key or (case-insensitive) name."""
    row: CodeRow | None = session.scalars(
        select(CodeRow).where(CodeRow.key == name_or_key, CodeRow.merged_into.is_(None))
    ).first()
    if row is None:
        row = session.scalars(
            select(CodeRow).where(
                func.lower(CodeRow.name) == name_or_key.casefold(), CodeRow.merged_into.is_(None)
            )
        ).first()
    if row is None:
        raise UnknownNameError("code", name_or_key, live_code_names(session), see="qcode codes list")
    return row


def live_code_names(session: Session) -> list[str]:
    """The Dutch labels of every code not merged away, for "did you mean" hints."""
    return list(session.scalars(select(CodeRow.name).where(CodeRow.merged_into.is_(None))))


def code_groups(session: Session) -> list[str]:
    """The code groups of the live codes (phases, content, technique, ...)."""
    return sorted(set(session.scalars(select(CodeRow.group).where(CodeRow.merged_into.is_(None)))))


def rename_code(session: Session, name_or_key: str, new_name: str) -> None:
    row = find_code(session, name_or_key)
    clash = session.scalars(
        select(CodeRow).where(func.lower(CodeRow.name) == new_name.casefold(), CodeRow.id != row.id)
    ).first()
    if clash is not None and clash.merged_into is None:
        raise StorageError(
            f"A code named '{clash.name}' exists already; merge instead of renaming."
        )
    row.name = new_name


def merge_codes(session: Session, source: str, target: str) -> int:
    """Move every coding of ``source`` to ``target``; returns the number of codings moved."""
    return len(merge_code_ids(session, source, target))


def merge_code_ids(session: Session, source: str, target: str) -> list[int]:
    """:func:`merge_codes`, returning the ids of the codings moved (what an undo moves back)."""
    src = find_code(session, source)
    dst = find_code(session, target)
    if src.id == dst.id:
        raise StorageError("A code cannot be merged into itself.")
    moved = [
        int(i)
        for (i,) in session.execute(
            update(CodingRow)
            .where(CodingRow.code_id == src.id)
            .values(code_id=dst.id)
            .returning(CodingRow.id)
        ).all()
    ]
    src.merged_into = dst.key
    session.flush()
    return moved


def codebook_keys(session: Session) -> set[str]:
    """The keys of every codebook the project has loaded (any version)."""
    return set(session.scalars(select(CodebookRow.key)))
