"""Write a :class:`~qcode.export.report_model.Report` as report.html, report.xlsx and report.json.

report.html is one self-contained file: the charts are PNG images embedded as ``data:`` URIs,
the style sheet is inline, nothing is fetched, so it opens offline in any browser and prints
on A4 (each figure and table kept on one page where it fits). report.xlsx has one sheet per
table (numbers stored as numbers, via :func:`qcode.export.writers.write_tables`) plus a
``figures`` sheet; report.json has every figure and every table as records.
"""

from __future__ import annotations

import base64
import html
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from qcode.export import charts
from qcode.export.atomic import refuse_existing, write_atomically
from qcode.export.report_model import Report, ReportChart, ReportSection, ReportTable
from qcode.export.writers import write_tables

REPORT_FILES = ("report.html", "report.xlsx", "report.json")
HIDDEN_COLUMNS = {"colour", "group", "label", "total"}
"""Columns the data files keep but a reader of the HTML does not need."""

STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { margin-top: 2.5rem; border-bottom: 2px solid #4C72B0; }
h3 { font-size: 1.05rem; margin-bottom: .3rem; }
table { border-collapse: collapse; display: block; overflow-x: auto; margin: .5rem 0 .3rem; font-size: .85rem; }
th, td { padding: .15rem .5rem; border-bottom: 1px solid #ddd; text-align: left; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
th { background: #DDEBF7; } tr.group td { font-weight: bold; background: #f3f3f3; }
figure { margin: 1rem 0; } figure img { width: 100%; max-width: 46rem; height: auto; }
figure.histogram { display: inline-block; width: 49%; margin: .5rem 0; vertical-align: top; }
figcaption, p.note { font-size: .8rem; color: #555; }
dl.figures { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; }
dl.figures dt { color: #555; } dl.figures dd { margin: 0; font-weight: bold; }
span.swatch { display: inline-block; width: .8em; height: .8em; margin-right: .3em;
              vertical-align: -0.05em; border-radius: 2px; }
nav ol { columns: 2; }
@media print {
  body { max-width: none; margin: 0; font-size: 10pt; }
  h2 { break-before: page; } h2:first-of-type { break-before: auto; }
  figure, table, dl { break-inside: avoid; } nav { display: none; }
}
"""


def _number(value: Any, column: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and column == "p_value" and value < 0.001:
        return "< 0.001"
    if isinstance(value, float) and "share" in column:
        return f"{value * 100:.1f} %"
    if isinstance(value, float):
        return f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _plain(value: Any) -> Any:
    """A JSON value: numpy scalars unwrapped, NaN/NA → null, times as ISO 8601."""
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def report_data(report: Report) -> dict[str, Any]:
    """Everything in the report as plain JSON values (the shape is in docs/report.md)."""
    return {
        "title": report.title,
        "created": report.created,
        "sections": {
            s.key: {
                "title": s.title,
                "figures": {k: _plain(v) for k, v in s.figures.items()},
                "tables": {t.key: records(t.frame) for t in s.tables},
                "notes": list(s.notes),
            }
            for s in report.sections
        },
    }


def _table_html(table: ReportTable, colours: Mapping[str, str]) -> str:
    frame = table.frame
    hidden = HIDDEN_COLUMNS | {"group_label"} | ({"code"} if "name" in frame.columns else set())
    hidden |= {c for c in frame.columns if f"{c}_name" in frame.columns}  # ids beside labels
    shown = [c for c in frame.columns if c not in hidden]
    numeric = {c for c in shown if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])}
    head = "".join(f"<th>{html.escape(str(c).replace('_', ' '))}</th>" for c in shown)
    body: list[str] = []
    group = None
    for row in frame.to_dict("records"):
        if "group_label" in frame.columns and row["group_label"] != group:
            group = row["group_label"]
            body.append(f'<tr class="group"><td colspan="{len(shown)}">{html.escape(str(group))}</td></tr>')
        cells = []
        for column in shown:
            text = html.escape(_number(_plain(row[column]), str(column)))
            if column == "name" and "code" in row and colours.get(str(row["code"])):
                text = f'<span class="swatch" style="background:{html.escape(colours[str(row["code"])])}"></span>{text}'
            css = ' class="n"' if column in numeric else ""
            cells.append(f"<td{css}>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    note = f'<p class="note">{html.escape(table.note)}</p>' if table.note else ""
    return (
        f'<h3>{html.escape(table.title)}</h3><table id="table-{html.escape(table.key)}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{note}"
    )


def _bars(chart: ReportChart, frame: pd.DataFrame, report: Report) -> bytes:
    options = chart.options
    if options.get("skip_last"):
        frame = frame.iloc[:-1]
    if "group" in options:
        frame = frame[frame["group"] == options["group"]]
    if "channel" in options:
        frame = frame[frame["channel"] == options["channel"]]
    if "colour" in frame.columns:
        colours = [str(c) or charts.NEUTRAL for c in frame["colour"]]
    elif "code" in options:
        colours = [report.colours.get(str(c)) or charts.NEUTRAL for c in frame[options["code"]]]
    else:
        colours = [charts.NEUTRAL] * len(frame)
    series = [
        charts.BarSeries(name, [float(v) for v in frame[column]], colours)
        for column, name in options["values"]
        if column in frame.columns
    ]
    return charts.bar_chart(
        [str(v) for v in frame[options["label"]]], series, chart.title,
        percent=bool(options.get("percent", True)), decimals=int(options.get("decimals", 1)),
    )


def render_chart(chart: ReportChart, section: ReportSection, report: Report) -> bytes:
    """PNG bytes of one chart, drawn from its table."""
    frame = section.table(chart.table).frame
    if chart.kind == "bars":
        return _bars(chart, frame, report)
    if chart.kind == "histogram":
        return charts.histogram_chart(frame, chart.title, str(chart.options.get("xlabel", "")))
    if chart.kind == "timeline":
        phases = {c: n for c, n in report.names.items() if c in {str(k) for k in frame["code"].tolist()}}
        return charts.timeline_chart(frame, list(chart.options.get("conversations", [])), phases, report.colours, chart.title)
    if chart.kind == "transitions":
        return charts.transition_chart(frame, report.names, report.colours, chart.title)
    raise ValueError(f"unknown chart kind {chart.kind!r}")


def _figures_html(figures: Mapping[str, Any]) -> str:
    if not figures:
        return ""
    items = "".join(
        f"<dt>{html.escape(k.replace('_', ' '))}</dt><dd>{html.escape(_number(_plain(v), k))}</dd>"
        for k, v in figures.items()
    )
    return f'<dl class="figures">{items}</dl>'


def report_html(report: Report) -> str:
    """The whole report as one HTML document (charts embedded)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(report.title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{html.escape(report.title)}</h1>",
        f'<p class="note">Made {html.escape(report.created)} by qcode. The numbers are also in report.xlsx and report.json.</p>',
        "<nav><ol>" + "".join(f'<li><a href="#{s.key}">{html.escape(s.title)}</a></li>' for s in report.sections) + "</ol></nav>",
    ]
    for section in report.sections:
        parts.append(f'<section id="{section.key}"><h2>{html.escape(section.title)}</h2>')
        parts.append(f"<p>{html.escape(section.intro)}</p>")
        parts.append(_figures_html(section.figures))
        if section.notes:
            parts.append("<ul class=\"notes\">" + "".join(f"<li>{html.escape(n)}</li>" for n in section.notes) + "</ul>")
        for table in section.tables:
            if table.show:
                parts.append(_table_html(table, report.colours))
        for chart in section.charts:
            png = base64.b64encode(render_chart(chart, section, report)).decode("ascii")
            parts.append(
                f'<figure id="chart-{section.key}-{chart.key}" class="{chart.kind}"><img class="chart" '
                f'alt="{html.escape(chart.title)}" src="data:image/png;base64,{png}"></figure>'
            )
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _figures_table(report: Report) -> pd.DataFrame:
    rows = [
        {"section": s.key, "figure": k, "value": _plain(v)} for s in report.sections for k, v in s.figures.items()
    ]
    return pd.DataFrame(rows, columns=["section", "figure", "value"])


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def write_files(report: Report, out: Path, force: bool = False) -> tuple[Path, Path, Path]:
    """report.html, report.xlsx and report.json in folder ``out`` (0700), each written atomically."""
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    targets = (out / REPORT_FILES[0], out / REPORT_FILES[1], out / REPORT_FILES[2])
    refuse_existing(list(targets), force)
    page = report_html(report)
    write_atomically(targets[0], lambda tmp: _write_text(tmp, page), force=True)
    write_tables({"figures": _figures_table(report), **report.tables()}, targets[1], "xlsx", force=True)
    text = json.dumps(report_data(report), ensure_ascii=False, indent=1)
    write_atomically(targets[2], lambda tmp: _write_text(tmp, text), force=True)
    return targets
