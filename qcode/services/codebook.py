"""The project's codebook: read it, load a codebook file, and edit it (create, rename, recolour,
regroup, merge), each edit undoable, from the workbench and the CLI alike.

The rules are the store's (``qcode.storage.codebooks``): a name is unique among live codes, a
merge moves every coding explicitly, and nothing is removed while a coding, a removed but
undoable coding, a suggestion or a merged code still refers to it; that is what "would orphan
codings" means, and such a step is refused with the reason. Each call commits the change and
its record (table ``codebook_edits``, migration 0009) in one transaction and returns a
:class:`CodebookEdit`; :func:`undo_last` takes back the newest edit not undone yet, in this
session or any later one, and marks it undone (the record stays).

A codebook file loaded later (``qcode codebook load``) still wins for the codes it lists; a
code made here that the file lacks is dropped only if it has no codings (the store's rule).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.codebook.load import COLOUR_RE, DEFAULT_COLOUR, load_codebook
from qcode.codebook.model import Codebook
from qcode.errors import QcodeError
from qcode.services.project import Project, now
from qcode.storage import codebook_edits as edit_store
from qcode.storage import codebooks as codebook_store

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def codebook(project: Project) -> Codebook:
    with project.session() as session:
        return codebook_store.stored_codebook(session)


def load_codebook_file(project: Project, path: Path) -> codebook_store.CodebookChanges:
    """Load a codebook file (new, or a new version); refuses changes that orphan codings."""
    book = load_codebook(path)
    with project.session() as session:
        return codebook_store.save_codebook(session, book, now())


class EditKind(StrEnum):
    CREATE = "create"
    RENAME = "rename"
    RECOLOUR = "recolour"
    MOVE = "move"
    MERGE = "merge"


@dataclass(frozen=True, slots=True)
class CodebookEdit:
    """One committed change to the codebook, with what is needed to take it back."""

    kind: EditKind
    code: str
    """Stable id of the code changed (for a merge: the code merged away)."""
    before: str
    """Name, colour or group before (create: empty; merge: the source's name)."""
    after: str
    """Name, colour or group after (merge: the target's name)."""
    moved: tuple[int, ...] = ()
    """Merge: ids of the codings moved to the target."""
    id: int = 0
    """Its record in the store (``codebook_edits``)."""

    def describe(self) -> str:
        """What was done, as the status line says it."""
        if self.kind is EditKind.CREATE:
            return f"created code '{self.after}'"
        if self.kind is EditKind.RENAME:
            return f"renamed '{self.before}' to '{self.after}'"
        if self.kind is EditKind.RECOLOUR:
            return f"recoloured {self.code} from {self.before} to {self.after}"
        if self.kind is EditKind.MOVE:
            return f"moved {self.code} from group {self.before} to {self.after}"
        return f"merged '{self.before}' into '{self.after}' ({len(self.moved)} coding(s) moved)"


def check_colour(colour: str) -> str:
    """A colour as the codebook files take it (``#4E79A7``), or a clear refusal."""
    colour = colour.strip()
    if not COLOUR_RE.match(colour):
        raise QcodeError(f"'{colour}' is not a colour like \"#4E79A7\".", title="Not a colour")
    return colour.upper()


def _recorded(session: Session, edit: CodebookEdit, editor: str) -> CodebookEdit:
    """Store the edit's record in the edit's own transaction (both commit, or neither)."""
    number = edit_store.record_edit(
        session, edit.kind.value, edit.code, edit.before, edit.after, list(edit.moved), editor, now()
    )
    return replace(edit, id=number)


def create_code(
    project: Project, name: str, group: str, colour: str = DEFAULT_COLOUR, editor: str = ""
) -> CodebookEdit:
    colour = check_colour(colour or DEFAULT_COLOUR)
    with project.session() as session:
        key = edit_store.create_code(session, name, group, colour)
        return _recorded(session, CodebookEdit(EditKind.CREATE, key, "", name.strip()), editor)


def rename_code(project: Project, code: str, new_name: str, editor: str = "") -> CodebookEdit:
    new_name = new_name.strip()
    if not new_name:
        raise QcodeError("A code needs a name.", title="No name")
    with project.session() as session:
        row = codebook_store.find_code(session, code)
        before, key = row.name, row.key
        codebook_store.rename_code(session, key, new_name)
        return _recorded(session, CodebookEdit(EditKind.RENAME, key, before, new_name), editor)


def recolour_code(project: Project, code: str, colour: str, editor: str = "") -> CodebookEdit:
    colour = check_colour(colour)
    with project.session() as session:
        key = codebook_store.find_code(session, code).key
        before = edit_store.set_code_look(session, key, colour=colour).colour
        return _recorded(session, CodebookEdit(EditKind.RECOLOUR, key, before, colour), editor)


def move_code(project: Project, code: str, group: str, editor: str = "") -> CodebookEdit:
    with project.session() as session:
        key = codebook_store.find_code(session, code).key
        before = edit_store.set_code_look(session, key, group=group.strip()).group
        return _recorded(session, CodebookEdit(EditKind.MOVE, key, before, group.strip()), editor)


def merge_codes(project: Project, source: str, target: str, editor: str = "") -> CodebookEdit:
    with project.session() as session:
        src, dst = codebook_store.find_code(session, source), codebook_store.find_code(session, target)
        names = (src.name, dst.name)
        key = src.key
        moved = codebook_store.merge_code_ids(session, src.key, dst.key)
        return _recorded(session, CodebookEdit(EditKind.MERGE, key, names[0], names[1], tuple(moved)), editor)


def latest_edit(project: Project) -> CodebookEdit | None:
    """The newest edit not undone yet (what :func:`undo_last` would take back)."""
    with project.session() as session:
        found = edit_store.latest_edit(session)
    return _edit(found) if found is not None else None


def _edit(found: edit_store.StoredEdit) -> CodebookEdit:
    return CodebookEdit(EditKind(found.kind), found.code, found.before, found.after, tuple(found.moved), found.id)


def undo_last(project: Project) -> tuple[CodebookEdit, str] | None:
    """Take back the newest codebook edit not undone yet; None if there is none.

    Refused (StorageError, nothing changed) where undoing would orphan codings, e.g. removing
    a created code that has codings by now.
    """
    with project.session() as session:
        found = edit_store.latest_edit(session)
        if found is None:
            return None
        edit = _edit(found)
        if edit.kind is EditKind.CREATE:
            edit_store.delete_code(session, edit.code)
        elif edit.kind is EditKind.RENAME:
            codebook_store.rename_code(session, edit.code, edit.before)
        elif edit.kind is EditKind.RECOLOUR:
            edit_store.set_code_look(session, edit.code, colour=edit.before)
        elif edit.kind is EditKind.MOVE:
            edit_store.set_code_look(session, edit.code, group=edit.before)
        else:
            edit_store.unmerge_codes(session, edit.code, list(edit.moved))
        edit_store.mark_undone(session, edit.id, now())
    return edit, f"Undid: {edit.describe()}."


def code_usage(project: Project) -> dict[str, int]:
    """Live codings per code id (the codebook screen's count column)."""
    with project.session() as session:
        return edit_store.live_counts_by_key(session)


def groups(project: Project) -> list[str]:
    with project.session() as session:
        return codebook_store.code_groups(session)
