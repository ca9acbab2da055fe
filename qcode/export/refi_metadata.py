"""Restore what REFI cannot carry from the ``qcode metadata`` note of a qcode export.

The note is written by :mod:`qcode.export.refi_write`; files from other tools have none, and
then codes keep GUID ids, the segment unit and the description as English definition.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from qcode.codebook.model import Codebook, Unit
from qcode.export.guids import normalise_guid


def restore_codebook(codebook: Codebook, meta: dict[str, Any]) -> Codebook:
    """Put back stable ids, groups, units and the other code fields a qcode export saved.

    Names and colours come from the file itself, so edits made in another tool survive.
    """
    saved = {normalise_guid(g): v for g, v in meta.get("codes", {}).items() if isinstance(v, dict)}
    codes = []
    for code in codebook.codes:
        fields = saved.get(code.id)
        if fields is None:
            codes.append(code)
            continue
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
    )
