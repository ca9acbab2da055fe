"""A terminal bar chart of shares (0..1): one group of bars per label, one bar per series."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content

BLOCK = "█"
PARTIAL = " ▏▎▍▌▋▊▉"
"""Eighth-blocks, so a 40-cell bar resolves shares to 1/320."""

SERIES_STYLES = ("$primary", "$accent", "$success", "$warning")
"""Theme variables (no fixed colours), one per series, cycling."""


def bar(share: float, width: int) -> str:
    """A bar ``share`` (clamped to 0..1) of ``width`` cells long, in eighths of a cell."""
    eighths = round(max(0.0, min(1.0, share)) * width * 8)
    full, rest = divmod(eighths, 8)
    return BLOCK * full + (PARTIAL[rest] if rest else "")


def grouped_bars(
    values: Mapping[str, Mapping[str, float]],
    labels: Sequence[str],
    series: Sequence[str],
    width: int = 40,
) -> Content:
    """``values[label][series]`` as bars scaled to 100 %, labels in the given order.

    Every label gets one row per series, so a share of 0 shows as an empty bar rather than a
    missing row (a phase no case went through is a finding, not a gap in the chart).
    """
    parts: list[str | tuple[str, str]] = []
    pad = max((len(s) for s in series), default=0)
    for label in labels:
        parts.append((f"{label}\n", "bold"))
        for number, name in enumerate(series):
            share = float(values.get(label, {}).get(name, 0.0))
            parts.append(f"  {name:<{pad}} ")
            parts.append((f"{bar(share, width):<{width}}", SERIES_STYLES[number % len(SERIES_STYLES)]))
            parts.append(f" {share * 100:5.1f} %\n")
    return Content.assemble(*parts)


def coloured_bars(rows: Sequence[tuple[str, float, str]], width: int = 40) -> Content:
    """One bar per ``(label, share, colour)``: the label beside it, the bar in the code's
    colour (from the codebook; a theme colour when it has none), the percentage after it."""
    pad = min(max((len(label) for label, _s, _c in rows), default=0), 34)
    parts: list[str | tuple[str, str]] = []
    for label, share, colour in rows:
        shown = label if len(label) <= pad else label[: pad - 1] + "…"
        parts.append(f"{shown:>{pad}} ")
        parts.append((f"{bar(share, width):<{width}}", colour or SERIES_STYLES[0]))
        parts.append(f" {share * 100:5.1f} %\n")
    return Content.assemble(*parts)
