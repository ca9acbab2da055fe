"""How tables look to the people who read them: headers and role labels, applied at write time.

Tables are built with snake_case column names and role values (``counsellor``), which is what
scripts and the other modules rely on. When a person reads them (the XLSX in Excel, the
workbench export), :func:`for_people` is handed to the writer, which renames the columns and
labels the roles as it writes, in one place. So a column added by any table builder later
(a ``memo`` column, a new sheet) gets a readable header without being listed anywhere: a
snake_case name it does not know becomes words (``settled_by`` -> ``Settled by``).

Columns named after data (document and case keys, code names, case attributes) are listed by
their table builder in ``frame.attrs["data_columns"]`` and are written exactly as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from qcode.transcripts.roles import ROLE_LABELS

DATA_COLUMNS = "data_columns"
"""Key in ``DataFrame.attrs``: columns whose names are data, never renamed."""

HEADERS: dict[str, str] = {
    "quotation": "Quotation ID",
    "n_codes": "Number of codes",
    "code": "Code",
    "id": "Code ID",
    "definition_en": "Definition (English)",
    "definition_nl": "Definition (Dutch)",
    "memo": "Memo",
    "created": "Created",
}
"""Headers that are more than the column name in words; every other name is put in words."""

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def header(column: str, headers: Mapping[str, str] = HEADERS) -> str:
    """The readable header of a snake_case column; other names (data) are kept as they are."""
    if column in headers:
        return headers[column]
    if _IDENTIFIER.match(column):
        words = column.replace("_", " ")
        return words[0].upper() + words[1:]
    return column


@dataclass(frozen=True)
class Display:
    """What the writer changes on the way out; the empty Display writes tables as they are."""

    headers: Mapping[str, str] | None = None
    """Column -> header overrides; None keeps the column names."""
    roles: Mapping[str, str] = field(default_factory=dict)
    """Role value -> label, applied to every column named ``role``."""

    def apply(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A copy of ``frame`` with readable headers and role labels (data columns untouched)."""
        if self.headers is None and not self.roles:
            return frame
        data = set(frame.attrs.get(DATA_COLUMNS, ()))
        out = frame.copy()
        if self.roles and "role" in out.columns:
            out["role"] = out["role"].map(self._roles)
        if self.headers is not None:
            names = [c if c in data else header(str(c), self.headers) for c in out.columns]
            out.columns = _unique(names)
        return out

    def _roles(self, value: object) -> object:
        if not isinstance(value, str) or not value:
            return value
        return "; ".join(self.roles.get(part, part) for part in value.split("; "))


def _unique(names: list[str]) -> list[str]:
    """Headers made unique (``Code`` and ``Code (2)``), so no column hides another."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        result.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return result


def for_people(role_labels: bool = True) -> Display:
    """Readable headers, and the study's role labels (Hulpverlener, Hulpvrager) if asked."""
    return Display(HEADERS, {r.value: label for r, label in ROLE_LABELS.items()} if role_labels else {})


AS_NAMES = Display()
"""Tables as built: snake_case names and role values, for scripts."""
