"""Printing tables, CSV and JSON the same way for every command."""

from __future__ import annotations

import json
import sys
from typing import Any

import click


def emit_frame(frame: Any, fmt: str, title: str = "") -> None:
    """Print a pandas DataFrame as a rich table, CSV or JSON records."""
    if fmt == "csv":
        frame.to_csv(sys.stdout, index=False)
        return
    if fmt == "json":
        click.echo(frame.to_json(orient="records", date_format="iso", force_ascii=False, indent=2))
        return
    emit_table(list(frame.columns), frame.astype(object).where(frame.notna(), "").values.tolist(), title)


def emit_table(columns: list[str], rows: list[list[Any]], title: str = "") -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title or None, show_lines=False, header_style="bold")
    for column in columns:
        table.add_column(str(column), overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else _fmt(v) for v in row))
    Console().print(table)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value == value else ""
    return str(value)


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
