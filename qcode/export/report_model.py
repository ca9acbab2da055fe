"""The report as values: sections of figures, tables and charts (built by qcode.services.report).

Writers (HTML, XLSX, JSON) only lay these out. A chart always draws one of its section's
tables, so every figure a chart shows is also in ``report.json`` and ``report.xlsx``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class ReportTable:
    """One table: a sheet in report.xlsx, a list of records in report.json."""

    key: str
    """Stable name (sheet name, JSON key)."""
    title: str
    frame: pd.DataFrame
    note: str = ""
    """What the reader needs to read it right (shown under the table)."""
    show: bool = True
    """False: only in the data files (e.g. long per-conversation lists), not in the HTML."""


@dataclass(frozen=True)
class ReportChart:
    """A chart drawn from a table of the same section."""

    key: str
    title: str
    kind: str
    """``bars``, ``histogram``, ``timeline`` or ``transitions`` (see qcode.export.charts)."""
    table: str
    """Key of the table it draws."""
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportSection:
    key: str
    title: str
    intro: str
    figures: Mapping[str, Any] = field(default_factory=dict)
    """Single figures: name → number or text."""
    tables: tuple[ReportTable, ...] = ()
    charts: tuple[ReportChart, ...] = ()
    notes: tuple[str, ...] = ()
    """Warnings and caveats, shown as a list."""

    def table(self, key: str) -> ReportTable:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)


@dataclass(frozen=True)
class Report:
    title: str
    created: str
    """ISO 8601 time the report was made."""
    sections: tuple[ReportSection, ...]
    colours: Mapping[str, str] = field(default_factory=dict)
    """Code id → the codebook colour."""
    names: Mapping[str, str] = field(default_factory=dict)
    """Code id → the Dutch label."""

    def section(self, key: str) -> ReportSection:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Every table, keyed ``section_table`` (the XLSX sheets)."""
        return {f"{s.key}_{t.key}": t.frame for s in self.sections for t in s.tables}
