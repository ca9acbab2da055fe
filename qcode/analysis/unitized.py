"""Krippendorff's unitizing alpha (uα) over a character continuum.

Reference: Krippendorff, K. (1995), "On the reliability of unitizing continuous data",
*Sociological Methodology* 25:47–76, and *Content Analysis*, 2nd ed. (2004), section 11.6,
pp. 251–256. For each category ``c`` every coder's continuum ``[begin, begin + length)`` is cut
into sections: the coder's units of ``c`` and the gaps between them. The observed disagreement
sums, over every pair of coders and every pair of intersecting sections, the squared distance

* both units, overlapping: ``(b_g - b_h)² + (e_g - e_h)²`` (begin and end differences);
* a unit lying wholly inside the other coder's gap: the unit's length squared;
* anything else: 0;

divided by ``m(m-1)L²``. The expected disagreement is Krippendorff's closed form over all ways
the same units and gaps could lie on the continuum (2004, p. 253). uα over several categories
is ``1 - Σ_c D_o(c) / Σ_c D_e(c)``. The test suite reproduces the worked example of
Krippendorff (2004, p. 254; D_o = 0.0144, D_e = 0.0532, uα = 0.7286 for category c), the
values DKPro Statistics' ``KrippendorffAlphaUnitizingAgreement`` tests also use.
This is the per-category coefficient ATLAS.ti reports as α-binary; the cu-α / Cu-α variants of
Krippendorff et al. (2016) are not implemented. pygamma-agreement is not installed here, so
no cross-check against it was made.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

Segment = tuple[int, int, str]
"""``(start, end, category)`` with ``end`` exclusive, as Python string offsets."""


@dataclass(frozen=True, slots=True)
class Section:
    """A stretch of one coder's continuum: a unit of the category, or a gap."""

    begin: int
    length: int
    unit: bool


def _merged_units(segments: Iterable[Segment], category: str) -> list[tuple[int, int]]:
    """The coder's units of one category, overlapping ones merged (touching ones kept apart).

    uα assumes one coder's units of a category do not overlap; merging is how a highlight
    applied twice over the same text is read.
    """
    spans = sorted((s, e) for s, e, c in segments if c == category and e > s)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def sections(units: Sequence[tuple[int, int]], begin: int, length: int) -> list[Section]:
    """Cut ``[begin, begin + length)`` into units and the gaps around them."""
    result: list[Section] = []
    position = begin
    stop = begin + length
    for start, end in units:
        start, end = max(start, begin), min(end, stop)
        if end <= start:
            continue
        if start > position:
            result.append(Section(position, start - position, False))
        result.append(Section(start, end - start, True))
        position = end
    if position < stop:
        result.append(Section(position, stop - position, False))
    return result


def section_distance(g: Section, h: Section) -> int:
    """Krippendorff's squared distance between two intersecting sections of two coders."""
    begin_diff = g.begin - h.begin
    end_diff = (g.begin + g.length) - (h.begin + h.length)
    if g.unit and h.unit and -g.length < begin_diff < h.length:
        return begin_diff**2 + end_diff**2
    if g.unit and not h.unit and begin_diff >= 0 and end_diff <= 0:
        return g.length**2
    if h.unit and not g.unit and begin_diff <= 0 and end_diff >= 0:
        return h.length**2
    return 0


def _pair_disagreement(first: list[Section], second: list[Section]) -> int:
    """Sum of distances over intersecting section pairs (a merge of two partitions)."""
    total = 0
    i = j = 0
    while i < len(first) and j < len(second):
        g, h = first[i], second[j]
        total += section_distance(g, h)
        if g.begin + g.length <= h.begin + h.length:
            i += 1
        else:
            j += 1
    return total


def category_disagreements(
    segments_by_coder: Mapping[str, Sequence[Segment]],
    length: int,
    category: str,
    begin: int = 0,
) -> tuple[float, float]:
    """Observed and expected disagreement ``(D_o, D_e)`` of one category."""
    coders = list(segments_by_coder)
    m = len(coders)
    if m < 2 or length <= 0:
        raise ValueError("unitized alpha needs two or more coders and a non-empty continuum")
    cut = [sections(_merged_units(segments_by_coder[c], category), begin, length) for c in coders]
    observed = 0
    for a in range(m):
        for b in range(a + 1, m):
            observed += 2 * _pair_disagreement(cut[a], cut[b])
    d_observed = observed / (m * (m - 1) * length**2)

    units = [s.length for coder in cut for s in coder if s.unit]
    gaps = sorted((s.length for coder in cut for s in coder if not s.unit), reverse=True)
    n_units = len(units)
    numerator = 0.0
    for size in units:
        within = sum(gap - size + 1 for gap in gaps if gap >= size)
        numerator += (n_units - 1) * (2 * size**3 - 3 * size**2 + size) / 3 + size**2 * within
    numerator *= 2 / length
    denominator = m * length * (m * length - 1) - sum(size * (size - 1) for size in units)
    d_expected = numerator / denominator if denominator else 0.0
    return d_observed, d_expected


def unitized_alpha(
    segments_by_coder: Mapping[str, Sequence[Segment]],
    length: int,
    begin: int = 0,
    categories: Sequence[str] | None = None,
) -> float:
    """Krippendorff's uα of two or more coders' segments over ``[begin, begin + length)``.

    Every coder who coded the continuum must be a key, even with no segments (finding nothing
    is a judgement too). Returns NaN when nobody marked any unit (no expected disagreement).

    Args:
        segments_by_coder: coder → ``(start, end, category)`` segments.
        length: length of the continuum in characters.
        begin: offset where the continuum starts.
        categories: categories to pool; default all that occur.
    """
    wanted = categories or sorted({c for segs in segments_by_coder.values() for _, _, c in segs})
    observed = expected = 0.0
    for category in wanted:
        d_o, d_e = category_disagreements(segments_by_coder, length, category, begin)
        observed += d_o
        expected += d_e
    if expected == 0:
        return float("nan")
    return 1.0 - observed / expected
