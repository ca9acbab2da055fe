"""Match the codes of an incoming codebook to a project's codes before anything is stored.

Without matching, a project exported, edited in QualCoder (which gives every code a new GUID)
and imported again gets every code twice: ``codings --code Intake`` finds the old code by
name and none of the new codings, and case counts double. An incoming code is therefore the
existing code with

1. the same id, or the GUID an export gave that code (``guid_of``), else
2. the same name (case-insensitive) in the same group: group key or label alike, since
   a REFI file knows only the label. A code without a group of its own (REFI top level)
   matches a code of that name in any group when the name is unique in the project.

Otherwise it is a new code; its group becomes the project's group of the same label, if any.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from qcode.codebook.model import Code, Codebook


@dataclass(frozen=True, slots=True)
class CodeMatch:
    """What one incoming code becomes."""

    incoming: Code
    existing: Code | None
    """The project's code it is taken as; None for a new code."""
    how: str
    """``id``, ``GUID``, ``name in group``, ``name`` or ``new``."""


def _group_names(codebook: Codebook) -> dict[str, str]:
    """Group key and label (case-folded) → group key."""
    names: dict[str, str] = {}
    for key, label in codebook.groups:
        names.setdefault(key.casefold(), key)
        names.setdefault(label.casefold(), key)
    for code in codebook.codes:
        names.setdefault(code.group.casefold(), code.group)
    return names


def match_codes(incoming: Codebook, existing: Codebook, guid_of: Callable[[str], str],
                loose_group: str) -> list[CodeMatch]:
    """One :class:`CodeMatch` per incoming code, in the incoming order.

    Args:
        incoming: The codebook read from the file.
        existing: The project's codebook.
        guid_of: The GUID an export gives a code of a given id.
        loose_group: The group key of codes without a group of their own (``imported``).
    """
    by_id = {c.id: c for c in existing.codes}
    by_guid = {guid_of(c.id): c for c in existing.codes}
    groups = _group_names(existing)
    labels = dict(incoming.groups)
    by_name: dict[tuple[str, str], Code] = {}
    named: dict[str, list[Code]] = {}
    for code in existing.codes:
        by_name.setdefault((code.group, code.name.casefold()), code)
        named.setdefault(code.name.casefold(), []).append(code)
    matches = []
    for code in incoming.codes:
        if code.id in by_id:
            matches.append(CodeMatch(code, by_id[code.id], "id"))
            continue
        if code.id in by_guid:
            matches.append(CodeMatch(code, by_guid[code.id], "GUID"))
            continue
        name = code.name.casefold()
        group = groups.get(code.group.casefold()) or groups.get(
            labels.get(code.group, code.group).casefold())
        if group is not None and (group, name) in by_name:
            matches.append(CodeMatch(code, by_name[(group, name)], "name in group"))
        elif code.group == loose_group and len(named.get(name, [])) == 1:
            matches.append(CodeMatch(code, named[name][0], "name"))
        else:
            matches.append(CodeMatch(code, None, "new"))
    return matches


def apply_matches(incoming: Codebook, existing: Codebook, matches: list[CodeMatch],
                  ) -> tuple[Codebook, dict[str, str]]:
    """The codebook of the new codes only, and incoming code id → the id codings must use.

    New codes join the project's group of the same key or label; sub-code parents follow
    the mapping.
    """
    ids = {m.incoming.id: (m.existing.id if m.existing else m.incoming.id) for m in matches}
    groups = _group_names(existing)
    labels = dict(incoming.groups)
    fresh: list[Code] = []
    used: dict[str, str] = {}
    for match in matches:
        if match.existing is not None:
            continue
        code = match.incoming
        label = labels.get(code.group, code.group)
        key = groups.get(code.group.casefold()) or groups.get(label.casefold()) or code.group
        used.setdefault(key, dict(existing.groups).get(key, label))
        fresh.append(replace(code, group=key))
    parents = tuple((ids.get(c, c), ids.get(p, p)) for c, p in incoming.parents
                    if ids.get(c, c) != ids.get(p, p))
    book = replace(incoming, codes=tuple(fresh), groups=tuple(used.items()), parents=parents)
    return book, ids
