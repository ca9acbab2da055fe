"""Showing a service's DataFrame in a Textual DataTable, numbers formatted, nothing computed."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from rich.cells import cell_len
from textual.widgets import DataTable

MISSING = "–"
"""Shown for NaN/None: a coefficient that is undefined (e.g. no variation) is not zero."""


def format_cell(value: Any, digits: int = 3) -> str:
    """Text of one cell: floats to ``digits`` decimals, missing values as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def fill_table(
    table: DataTable[Any],
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    labels: Mapping[str, str] | None = None,
    key: str | None = None,
    widths: Mapping[str, int] | None = None,
) -> None:
    """Replace the table's content with ``frame``'s ``columns`` (all by default).

    ``labels`` renames column headers; ``key`` names the column whose value becomes each
    row's key (so a selected row can be mapped back to, say, a code id); ``widths`` caps
    columns (long Dutch code labels would push the numbers off an 80-column terminal).
    """
    shown = list(columns) if columns is not None else [str(c) for c in frame.columns]
    names = labels or {}
    caps = widths or {}
    records = frame.to_dict("records")
    cells = [[format_cell(record.get(c)) for c in shown] for record in records]
    table.clear(columns=True)
    for number, column in enumerate(shown):
        # Widths are set here rather than left to DataTable, which sizes columns on its next
        # idle moment: until then a busy app (or a snapshot test) shows them truncated.
        label = names.get(column, column)
        natural = max([cell_len(label), *(cell_len(row[number]) for row in cells)])
        table.add_column(label, width=min(natural, caps.get(column, natural)))
    for record, row in zip(records, cells, strict=True):
        table.add_row(*row, key=str(record[key]) if key is not None else None)
