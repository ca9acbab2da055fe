"""Write tables as CSV files or one XLSX workbook; they only write, never compute.

CSV is UTF-8 with a BOM so Excel detects the encoding (``sep=";"`` for Dutch Excel, whose
list separator is a semicolon). XLSX has one sheet per table with a bold, frozen header row
and column widths set from the content. Every file is written atomically (see ``atomic``)
and an existing file is only overwritten with ``force``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import pandas as pd
import xlsxwriter

from qcode.errors import ExportError
from qcode.export.atomic import refuse_existing, write_atomically
from qcode.export.display import AS_NAMES, Display
from qcode.export.summary import ExportSummary

WORKBOOK_NAME = "qcode-tables.xlsx"
_MAX_WIDTH = 60
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def csv_targets(names: list[str], out: Path) -> list[Path]:
    """One ``<name>.csv`` per table in folder ``out``, or ``<out>-<name>.csv`` for a prefix.

    ``out`` is a folder when it exists as one or has no suffix; otherwise its stem is a prefix.
    """
    if out.is_dir() or not out.suffix:
        return [out / f"{name}.csv" for name in names]
    return [out.with_name(f"{out.stem}-{name}.csv") for name in names]


def xlsx_target(out: Path) -> Path:
    """The workbook file: ``out`` itself if it ends in ``.xlsx``, else a file inside it."""
    return out if out.suffix.lower() == ".xlsx" else out / WORKBOOK_NAME


def write_tables(
    tables: Mapping[str, pd.DataFrame], out: Path, fmt: Literal["csv", "xlsx"] = "csv",
    sep: str = ",", force: bool = False, display: Display = AS_NAMES,
) -> ExportSummary:
    """Write every table; nothing is written if any target exists and ``force`` is not set.

    ``display`` (``qcode.export.display``) renames headers and labels roles as the tables are
    written, the one place where tables get their look for people.

    Args:
        tables: Table name → DataFrame (names become file or sheet names).
        out: Folder (default ``exports/``), a CSV file prefix, or an ``.xlsx`` file.
        fmt: ``csv`` or ``xlsx``.
        sep: CSV field separator (``;`` for Dutch Excel).
        force: Overwrite existing files.
        display: Headers and role labels for people, or the column names as they are.

    Raises:
        ExportError: Bad format or separator, a target exists, or a file cannot be written.
    """
    counts = {name: len(frame) for name, frame in tables.items()}
    tables = {name: display.apply(frame) for name, frame in tables.items()}
    if fmt == "csv":
        if len(sep) != 1:
            raise ExportError(f"CSV separator must be one character, not {sep!r}")
        targets = csv_targets(list(tables), out)
        refuse_existing(targets, force)
        for target, frame in zip(targets, tables.values(), strict=True):
            write_atomically(target, _csv_writer(frame, sep), force=True)
        return ExportSummary(tuple(targets), counts)
    if fmt == "xlsx":
        target = xlsx_target(out)
        write_atomically(target, lambda tmp: _write_xlsx(tables, tmp), force)
        return ExportSummary((target,), counts)
    raise ExportError(f"unknown table format {fmt!r}; use csv or xlsx")


def _csv_writer(frame: pd.DataFrame, sep: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        frame.to_csv(path, sep=sep, index=False, encoding="utf-8-sig", lineterminator="\r\n")

    return write


def sheet_names(names: list[str]) -> list[str]:
    """Excel-safe, unique sheet names (≤ 31 characters, no ``[]:*?/\\``)."""
    result: list[str] = []
    for name in names:
        base = _SHEET_FORBIDDEN.sub("_", name)[:31] or "Sheet"
        candidate, n = base, 2
        while candidate.casefold() in {r.casefold() for r in result}:
            candidate = f"{base[: 31 - len(str(n)) - 1]}_{n}"
            n += 1
        result.append(candidate)
    return result


def _cell(value: object) -> object:
    """A value xlsxwriter can store, or None for an empty cell."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime) and value.tzinfo is not None:
        value = value.replace(tzinfo=None)  # Excel has no time zones; keep wall-clock time
    if hasattr(value, "item") and not isinstance(value, str | date):
        return value.item()  # numpy scalar
    return value


def _write_xlsx(tables: Mapping[str, pd.DataFrame], path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False,
                                               "strings_to_urls": False})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for sheet_name, frame in zip(sheet_names(list(tables)), tables.values(), strict=True):
        sheet = workbook.add_worksheet(sheet_name)
        widths = [len(str(c)) for c in frame.columns]
        for col, name in enumerate(frame.columns):
            sheet.write_string(0, col, str(name), header)
        for row, record in enumerate(frame.itertuples(index=False, name=None), start=1):
            for col, raw in enumerate(record):
                value = _cell(raw)
                if value is None:
                    continue
                if isinstance(value, datetime):
                    sheet.write_datetime(row, col, value, stamp)
                    widths[col] = max(widths[col], 19)
                elif isinstance(value, bool):
                    sheet.write_boolean(row, col, value)
                elif isinstance(value, int | float):
                    sheet.write_number(row, col, value)
                    widths[col] = max(widths[col], len(str(value)))
                else:
                    text = str(value)
                    sheet.write_string(row, col, text)
                    widths[col] = max(widths[col], max(map(len, text.split("\n"))))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, min(width + 2, _MAX_WIDTH))
        sheet.freeze_panes(1, 0)
        if len(frame.columns):
            sheet.autofilter(0, 0, max(len(frame), 1), len(frame.columns) - 1)
    workbook.close()
