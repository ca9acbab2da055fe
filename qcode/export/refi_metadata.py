"""Restore what REFI cannot carry from the ``qcode metadata`` note of a qcode export.

The note is written by :mod:`qcode.export.refi_write`; files from other tools have none, and
then codes keep GUID ids, the segment unit and the description as English definition.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from qcode.codebook.model import Codebook, Unit
from qcode.coding.model import CONSENSUS_CODER, Coding, Origin
from qcode.errors import ExportError
from qcode.export.guids import normalise_guid
from qcode.export.refi_model import Settled
from qcode.export.refi_xml import METADATA_NOTE, parse_datetime

_TEXT: tuple[type, ...] = (str,)
_FLAG: tuple[type, ...] = (bool,)
_CODE_FIELDS = {
    **dict.fromkeys(
        ("id", "group", "unit", "definition_en", "definition_nl", "hotkey", "exclusive"), _TEXT
    ),
    "automatic": _FLAG, "suggestible": _FLAG,
}
_TURN_TYPES: tuple[tuple[type, ...], ...] = (
    (int,), _TEXT, _TEXT, (str, type(None)), (int,), (int,), (int,), _FLAG, _FLAG, _TEXT, _TEXT
)
"""One saved turn: index, role, speaker, time, start, end, line, out of order, continued,
quoted, subject (as ``refi_write._turns`` writes it)."""
_DECISION_TYPES: tuple[tuple[type, ...], ...] = (
    _TEXT, (int,), (int,), _TEXT, _TEXT, _FLAG, (str, type(None)), _TEXT, _TEXT
)
"""One consensus decision: document, start, end, code id, settled by, withdrawn, time,
detail, memo (as ``refi_write._metadata`` writes it)."""
_KINDS = {str: "text", bool: "true or false", int: "a whole number", type(None): "null"}


class _Damaged(Exception):
    """Where the note breaks its shape, and what was expected there."""


def _expect(value: Any, types: tuple[type, ...], where: str) -> None:
    # bool is an int in Python, but not in the note's JSON: 1 is no flag, true no number
    ok = isinstance(value, types) and (bool in types or not isinstance(value, bool))
    if not ok:
        raise _Damaged(f"{where} must be {' or '.join(_KINDS[t] for t in types)}")


def _table(meta: dict[str, Any], name: str, fields: Mapping[str, tuple[type, ...]]) -> None:
    table = meta.get(name, {})
    if not isinstance(table, dict):
        raise _Damaged(f"'{name}' must be an object")
    for guid, entry in table.items():
        if not isinstance(entry, dict):
            raise _Damaged(f"'{name}.{guid}' must be an object")
        for field, types in fields.items():
            if field in entry:
                _expect(entry[field], types, f"'{name}.{guid}.{field}'")


def _check(meta: Any) -> None:
    if not isinstance(meta, dict):
        raise _Damaged("the note must hold a JSON object")
    book = meta.get("codebook", {})
    if not isinstance(book, dict):
        raise _Damaged("'codebook' must be an object")
    for field in ("id", "name", "version", "source"):
        if field in book:
            _expect(book[field], _TEXT, f"'codebook.{field}'")
    groups = book.get("groups", [])
    if not isinstance(groups, list) or not all(
        isinstance(g, list) and len(g) == 2 and all(isinstance(s, str) for s in g) for g in groups
    ):
        raise _Damaged("'codebook.groups' must be a list of [key, label] pairs of text")
    _table(meta, "codes", _CODE_FIELDS)
    _table(meta, "codings", {"origin": _TEXT, "detail": _TEXT})
    _table(meta, "documents", {"key": _TEXT, "case": _TEXT, "source": _TEXT})
    for guid, entry in meta.get("documents", {}).items():
        turns = entry.get("utterances", [])
        if not isinstance(turns, list):
            raise _Damaged(f"'documents.{guid}.utterances' must be a list")
        for number, turn in enumerate(turns):
            where = f"documents.{guid}.utterances[{number}]"
            if not isinstance(turn, list) or len(turn) != len(_TURN_TYPES):
                raise _Damaged(f"'{where}' must be a list of {len(_TURN_TYPES)} values")
            for position, (value, types) in enumerate(zip(turn, _TURN_TYPES, strict=True)):
                _expect(value, types, f"'{where}[{position}]'")
    decisions = meta.get("decisions", [])
    if not isinstance(decisions, list):
        raise _Damaged("'decisions' must be a list")
    for number, row in enumerate(decisions):
        where = f"decisions[{number}]"
        if not isinstance(row, list) or len(row) != len(_DECISION_TYPES):
            raise _Damaged(f"'{where}' must be a list of {len(_DECISION_TYPES)} values")
        for position, (value, types) in enumerate(zip(row, _DECISION_TYPES, strict=True)):
            _expect(value, types, f"'{where}[{position}]'")
    coders = meta.get("coders", [])
    if not isinstance(coders, list) or not all(isinstance(c, str) for c in coders):
        raise _Damaged("'coders' must be a list of names (text)")


def check_metadata(text: str, where: str) -> dict[str, Any]:
    """The ``qcode metadata`` note read and checked against the shape qcode writes.

    Only qcode writes this note, so a note that breaks its shape was damaged or edited by
    hand; reading on would crash deep in the import (``'list' object has no attribute
    'items'``) or import wrong values, so it is refused, naming the key.

    Raises:
        ExportError: The note is no JSON, or a key holds the wrong kind of value.
    """
    hint = f"remove the '{METADATA_NOTE}' note to import the file as one from another tool"
    try:
        meta = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise ExportError(
            f"{where}: the '{METADATA_NOTE}' note is not valid JSON ({error}); {hint}"
        ) from None
    try:
        _check(meta)
    except _Damaged as error:
        raise ExportError(f"{where}: the '{METADATA_NOTE}' note is damaged: {error}; {hint}") from None
    return dict(meta)


def restore_decisions(meta: dict[str, Any]) -> tuple[Settled, ...]:
    """The consensus decisions a qcode export saved (checked by :func:`check_metadata`)."""
    found = []
    for document, start, end, code, by, withdrawn, time, detail, memo in meta.get("decisions", []):
        coding = Coding(document, start, end, code, CONSENSUS_CODER, Origin.CONSENSUS, memo, detail,
                        parse_datetime(time))
        found.append(Settled(coding, by, withdrawn))
    return tuple(found)


def restore_codebook(codebook: Codebook, meta: dict[str, Any]) -> Codebook:
    """Put back stable ids, groups, units and the other code fields a qcode export saved.

    Names and colours come from the file itself, so edits made in another tool survive.
    """
    saved = {normalise_guid(g): v for g, v in meta.get("codes", {}).items() if isinstance(v, dict)}
    codes = []
    new_ids: dict[str, str] = {}
    for code in codebook.codes:
        fields = saved.get(code.id)
        if fields is None:
            codes.append(code)
            continue
        new_ids[code.id] = str(fields.get("id", code.id))
        try:
            unit = Unit(fields.get("unit", "segment"))
        except ValueError:
            unit = Unit.SEGMENT
        codes.append(replace(
            code, id=str(fields.get("id", code.id)), group=str(fields.get("group", code.group)),
            unit=unit, definition_en=str(fields.get("definition_en", "")),
            definition_nl=str(fields.get("definition_nl", "")),
            hotkey=str(fields.get("hotkey", "")), automatic=bool(fields.get("automatic", False)),
            exclusive=str(fields.get("exclusive", "")),
            suggestible=bool(fields.get("suggestible", False)),
        ))
    book = meta.get("codebook", {})
    saved_groups = book.get("groups")
    groups = (tuple((str(k), str(v)) for k, v in saved_groups)
              if isinstance(saved_groups, list) else codebook.groups)
    return Codebook(
        id=str(book.get("id", codebook.id)), name=str(book.get("name", codebook.name)),
        version=str(book.get("version", codebook.version)), codes=tuple(codes), groups=groups,
        source=str(book.get("source", codebook.source)),
        parents=tuple((new_ids.get(c, c), new_ids.get(p, p)) for c, p in codebook.parents),
    )
