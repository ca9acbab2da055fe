"""Charts that read well at the size they are shown (PNG bytes, drawn with matplotlib's Agg).

Rules, for every chart: horizontal bars with the Dutch labels beside them, the value written
at the end of each bar, one colour per code from the codebook, and a figure height that grows
with the number of bars (about a third of an inch per bar), so nothing is squeezed. Charts
only draw the tables handed to them; they compute nothing (histogram bins come with the table).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

WIDTH = 7.5
"""Inches: fits an A4 page with margins, and a browser column."""
BAR_HEIGHT = 0.32
DPI = 150
NEUTRAL = "#4C72B0"
"""Bars that stand for no code (histograms)."""
LABEL_WIDTH = 28
"""Characters per line of a bar label (longer Dutch labels wrap instead of shrinking the plot)."""
SERIES_ALPHA = (1.0, 0.6, 0.35, 0.2)
SERIES_HATCH = ("", "//", "..", "xx")
MAX_TIMELINE = 80
"""Conversations drawn in one timeline; the table holds them all."""


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _png(figure: Any) -> bytes:
    plt = _pyplot()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _value_text(value: float, percent: bool, decimals: int) -> str:
    if value != value:  # NaN
        return "–"
    return f"{value * 100:.0f} %" if percent else f"{value:,.{decimals}f}"


@dataclass(frozen=True)
class BarSeries:
    name: str
    values: Sequence[float]
    colours: Sequence[str]


def bar_chart(
    labels: Sequence[str],
    series: Sequence[BarSeries],
    title: str,
    percent: bool = True,
    xlabel: str = "",
    decimals: int = 1,
) -> bytes:
    """Horizontal bars, labels on the left in the given order (top to bottom).

    Several series share a row per label; they keep the label's colour and are told apart by
    shade and hatching (a legend says which is which).
    """
    plt = _pyplot()
    n, k = len(labels), max(1, len(series))
    rows = max(1, n * k)
    figure, axis = plt.subplots(figsize=(WIDTH, 0.9 + BAR_HEIGHT * rows + (0.3 if k > 1 else 0.0)))
    height = 0.8 / k
    largest = 0.0
    for number, one in enumerate(series):
        positions = [i + (number - (k - 1) / 2) * height for i in range(n)]
        values = [0.0 if v != v else float(v) for v in one.values]
        largest = max([largest, *values])
        bars = axis.barh(
            positions, values, height=height * 0.92, color=list(one.colours),
            alpha=SERIES_ALPHA[number % len(SERIES_ALPHA)],
            hatch=SERIES_HATCH[number % len(SERIES_HATCH)], edgecolor="#333333", linewidth=0.3,
            label=one.name,
        )
        for bar, raw in zip(bars, one.values, strict=True):
            axis.text(
                bar.get_width(), bar.get_y() + bar.get_height() / 2,
                " " + _value_text(float(raw), percent, decimals),
                va="center", ha="left", fontsize=8 if k > 1 else 10,
            )
    axis.set_yticks(range(n))
    axis.set_yticklabels([textwrap.fill(str(label), LABEL_WIDTH) for label in labels], fontsize=10)
    axis.set_ylim(n - 0.5, -0.5)
    limit = 1.0 if percent else largest
    axis.set_xlim(0, (limit or 1.0) * 1.18)
    if percent:
        axis.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v * 100:.0f} %"))
    axis.set_xlabel(xlabel)
    axis.set_title(title, loc="left", fontsize=11, pad=22 if k > 1 else 6)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)
    axis.grid(axis="x", alpha=0.3)
    axis.set_axisbelow(True)
    if k > 1:
        handles = [
            plt.Rectangle((0, 0), 1, 1, facecolor="#888888", alpha=SERIES_ALPHA[i % len(SERIES_ALPHA)],
                          hatch=SERIES_HATCH[i % len(SERIES_HATCH)], edgecolor="#333333", linewidth=0.3)
            for i in range(k)
        ]
        axis.legend(handles, [s.name for s in series], loc="lower left", bbox_to_anchor=(0.0, 1.0),
                    ncol=k, fontsize=8, frameon=False, borderaxespad=0.2)
    return _png(figure)


def histogram_chart(bins: pd.DataFrame, title: str, xlabel: str) -> bytes:
    """Vertical bars of a binned table (``bin_start``, ``bin_end``, ``count``), counts on top."""
    plt = _pyplot()
    figure, axis = plt.subplots(figsize=(5.0, 3.2))
    if bins.empty:
        axis.text(0.5, 0.5, "no data", ha="center", va="center", transform=axis.transAxes)
        axis.set_axis_off()
    else:
        starts = bins["bin_start"].astype(float).tolist()
        widths = [end - start for start, end in zip(starts, bins["bin_end"].astype(float).tolist(), strict=True)]
        counts = bins["count"].astype(int).tolist()
        bars = axis.bar(starts, counts, width=widths, align="edge", color=NEUTRAL, edgecolor="white")
        for bar, count in zip(bars, counts, strict=True):
            if count:
                axis.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), str(count),
                          ha="center", va="bottom", fontsize=8)
        axis.set_ylim(0, max(counts) * 1.18 + 0.5)
        axis.set_ylabel("number")
    axis.set_xlabel(xlabel)
    axis.set_title(title, loc="left", fontsize=11)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)
    return _png(figure)


def timeline_chart(
    timeline: pd.DataFrame,
    conversations: Sequence[str],
    names: Mapping[str, str],
    colours: Mapping[str, str],
    title: str,
) -> bytes:
    """One band per conversation (0 = start, 1 = end of its text), coloured by phase."""
    plt = _pyplot()
    shown = list(conversations)[:MAX_TIMELINE]
    figure, axis = plt.subplots(figsize=(WIDTH, 1.3 + 0.24 * max(1, len(shown))))
    row = {doc: i for i, doc in enumerate(shown)}
    used: list[str] = []
    for document, code, start, end in timeline[["document", "code", "start", "end"]].itertuples(index=False):
        if document not in row:
            continue
        axis.broken_barh([(float(start), max(float(end) - float(start), 0.004))], (row[document] - 0.4, 0.8),
                         facecolors=colours.get(str(code), NEUTRAL))
        if code not in used:
            used.append(str(code))
    for i in range(len(shown)):
        axis.broken_barh([(0.0, 1.0)], (i - 0.4, 0.8), facecolors="none", edgecolors="#BBBBBB", linewidth=0.4)
    axis.set_yticks(range(len(shown)))
    axis.set_yticklabels(shown, fontsize=7)
    axis.set_ylim(max(1, len(shown)) - 0.5, -0.5)
    axis.set_xlim(0, 1)
    axis.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _p: f"{v * 100:.0f} %"))
    axis.set_xlabel("position in the conversation (share of its text)")
    axis.set_title(title, loc="left", fontsize=11)
    order = [c for c in names if c in used]
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=colours.get(c, NEUTRAL)) for c in order]
    if handles:
        axis.legend(handles, [names[c] for c in order], loc="upper center", bbox_to_anchor=(0.5, -0.6 / max(1, len(shown)) - 0.12),
                    ncol=3, fontsize=7, frameon=False)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)
    return _png(figure)


def transition_chart(
    pairs: pd.DataFrame, names: Mapping[str, str], colours: Mapping[str, str], title: str
) -> bytes:
    """Significant lag-1 pairs: a turn's code (left) → the next turn's code (right).

    Solid arrows: more often than chance (positive adjusted residual), in the left code's
    colour, width growing with the residual; dashed grey: less often than chance.
    """
    plt = _pyplot()
    givens = list(dict.fromkeys(str(c) for c in pairs["given"].tolist()))
    targets = list(dict.fromkeys(str(c) for c in pairs["target"].tolist()))
    rows = max(len(givens), len(targets), 1)
    figure, axis = plt.subplots(figsize=(WIDTH, 1.0 + 0.42 * rows))
    if pairs.empty:
        axis.text(0.5, 0.5, "no significant pairs", ha="center", va="center", transform=axis.transAxes)
    left = {code: (i + 0.5) * rows / max(1, len(givens)) for i, code in enumerate(givens)}
    right = {code: (i + 0.5) * rows / max(1, len(targets)) for i, code in enumerate(targets)}
    for code, y in left.items():
        axis.text(0.28, y, names.get(code, code), ha="right", va="center", fontsize=9,
                  bbox={"boxstyle": "round", "facecolor": colours.get(code, "#DDDDDD"), "alpha": 0.35, "linewidth": 0})
    for code, y in right.items():
        axis.text(0.72, y, names.get(code, code), ha="left", va="center", fontsize=9,
                  bbox={"boxstyle": "round", "facecolor": colours.get(code, "#DDDDDD"), "alpha": 0.35, "linewidth": 0})
    for given, target, z in pairs[["given", "target", "adjusted_residual"]].itertuples(index=False):
        y0, y1 = left[str(given)], right[str(target)]
        positive = float(z) > 0
        axis.annotate(
            "", xy=(0.705, y1), xytext=(0.295, y0),
            arrowprops={
                "arrowstyle": "-|>", "linewidth": min(0.8 + abs(float(z)) / 2.0, 4.0) if positive else 0.8,
                "color": colours.get(str(given), NEUTRAL) if positive else "#AAAAAA",
                "linestyle": "-" if positive else (0, (4, 3)), "shrinkA": 0, "shrinkB": 0,
            },
        )
        if positive:  # label where the arrow leaves its code, so labels of crossing arrows part
            axis.text(0.295 + 0.41 * 0.22, y0 + (y1 - y0) * 0.22, f"z = {float(z):.1f}", fontsize=7,
                      ha="center", va="bottom", color="#222222",
                      bbox={"facecolor": "white", "alpha": 0.8, "linewidth": 0, "pad": 0.5})
    axis.text(0.5, rows + 0.1, "solid: more often than chance (z > 1.96); dashed grey: less often",
              ha="center", va="top", fontsize=7, color="#555555")
    axis.set_xlim(0, 1)
    axis.set_ylim(rows + 0.5, 0)
    axis.set_axis_off()
    axis.set_title(title, loc="left", fontsize=11)
    return _png(figure)
