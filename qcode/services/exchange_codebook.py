"""The codebook half of a REFI-QDA import: incoming codes matched to the project's codes.

``services.exchange.import_qdpx`` and ``import_codebook`` call :func:`plan_codes` before
anything is stored, so the mapping a user sees with ``--dry-run`` is the one applied
(:mod:`qcode.codebook.matching` holds the rules).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from qcode.codebook.matching import CodeMatch, apply_matches, match_codes
from qcode.codebook.model import Codebook
from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER, Coding
from qcode.export.refi_codebook import IMPORTED_GROUP, code_guid
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store


@dataclass(frozen=True)
class CodePlan:
    """The incoming codes matched to the project's, and what will be stored."""

    matches: tuple[CodeMatch, ...]
    new_codes: Codebook
    """Only the codes that are new (under a codebook key the project does not have yet)."""
    ids: dict[str, str]
    """Incoming code id → the code id codings are stored with."""
    groups: dict[str, str]
    """Group key → label, of the project and of the new codes (for the mapping lines)."""

    def lines(self) -> list[str]:
        """One line per incoming code: what it becomes, and why."""
        lines = []
        for match in self.matches:
            code = match.incoming
            group = dict(self.new_codes.groups).get(code.group) or code.group
            if match.existing is None:
                target = next(c for c in self.new_codes.codes if c.id == code.id)
                lines.append(f"{code.name} ({group}) -> new code in group "
                             f"{self.groups.get(target.group, target.group)}")
            else:
                have = match.existing
                lines.append(f"{code.name} ({group}) -> {have.name} "
                             f"({self.groups.get(have.group, have.group)}) [same {match.how}]")
        return lines


def _free_key(taken: set[str], wanted: str) -> str:
    """A codebook key not used yet, so saving new codes never touches another codebook."""
    if wanted not in taken:
        return wanted
    n = 2
    while f"{wanted} ({n})" in taken:
        n += 1
    return f"{wanted} ({n})"


def plan_codes(session: Session, incoming: Codebook) -> CodePlan:
    """Match ``incoming`` to the stored codebook; nothing is written."""
    existing = codebook_store.stored_codebook(session)
    matches = match_codes(incoming, existing, code_guid, IMPORTED_GROUP[0])
    book, ids = apply_matches(incoming, existing, matches)
    book = replace(book, id=_free_key(codebook_store.codebook_keys(session), book.id))
    groups = {**dict(book.groups), **dict(existing.groups)}
    return CodePlan(tuple(matches), book, ids, groups)


def store_codes(session: Session, plan: CodePlan, now: datetime) -> int:
    """Store the plan's new codes (and sub-code parents); returns how many codes were added."""
    if not plan.new_codes.codes and not plan.new_codes.parents:
        return 0
    return codebook_store.save_codebook(session, plan.new_codes, now).added


def remap(codings: Iterable[Coding], ids: dict[str, str]) -> list[Coding]:
    """Codings with their code ids as the plan maps them."""
    return [replace(c, code=ids.get(c.code, c.code)) for c in codings]


def register_coders(session: Session, names: Iterable[str], now: datetime) -> list[str]:
    """Register the file's users as coders (kind ``imported``), so none is lost without codings."""
    registered = []
    for name in names:
        if name.strip():
            kind = {AUTO_CODER: "auto", CONSENSUS_CODER: "consensus"}.get(name, "imported")
            coding_store.ensure_coder(session, name, now, kind=kind)
            registered.append(name)
    return registered
