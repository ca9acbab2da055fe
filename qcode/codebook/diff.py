"""What changes between two versions of a codebook, and whether codings would survive it.

Codings point at code ids. A new codebook version may rename codes (same id, new name) and
add codes freely; removing an id is only safe when no coding uses it, or after the codings
have been merged into another code. The store calls :func:`check_no_orphans` before it
replaces a project's codebook, so a researcher is told *which* codes and *how many* codings
are at stake instead of silently losing work.
"""

from __future__ import annotations

from collections.abc import Mapping

from qcode.codebook.model import Codebook
from qcode.errors import CodebookError


def removed_code_ids(old: Codebook, new: Codebook) -> set[str]:
    """Ids of ``old`` that ``new`` no longer has."""
    return {code.id for code in old.codes} - {code.id for code in new.codes}


def renamed_codes(old: Codebook, new: Codebook) -> dict[str, tuple[str, str]]:
    """Code id → (old name, new name) for every code kept under a different name."""
    new_names = {code.id: code.name for code in new.codes}
    return {
        code.id: (code.name, new_names[code.id])
        for code in old.codes
        if code.id in new_names and new_names[code.id] != code.name
    }


def check_no_orphans(old: Codebook, new: Codebook, codings_per_code: Mapping[str, int]) -> None:
    """Refuse a codebook change that would leave codings pointing at a removed code.

    Args:
        old: The codebook the project uses now.
        new: The codebook that would replace it.
        codings_per_code: Number of stored codings per code id (ids without codings may be
            missing or 0).

    Raises:
        CodebookError: naming every removed code that still has codings, with counts, and
            what to do instead (keep the id, or merge the codings first).
    """
    at_stake = sorted(
        (code_id, codings_per_code.get(code_id, 0))
        for code_id in removed_code_ids(old, new)
        if codings_per_code.get(code_id, 0) > 0
    )
    if not at_stake:
        return
    names = {code.id: code.name for code in old.codes}
    listing = "; ".join(
        f"'{names[code_id]}' (id {code_id}): {count} coding{'s' if count != 1 else ''}"
        for code_id, count in at_stake
    )
    raise CodebookError(
        new.source or new.id,
        None,
        f"this version of codebook '{new.id}' drops codes that still have codings: {listing}. "
        "Keep their ids (a rename only changes 'name'), or merge their codings into another "
        "code first.",
    )
