"""Krippendorff's unitized alpha: the 2004 worked example and hand-computed cases."""

from __future__ import annotations

import math

import pytest

from qcode.analysis.unitized import (
    Section,
    category_disagreements,
    section_distance,
    unitized_alpha,
)

# Krippendorff (2004), Content Analysis 2nd ed., p. 254: continuum 150..450, observers i and j,
# categories c and k. Published: D_o(c) = 0.0144, D_e(c) = 0.0532, alpha_c = 0.7286,
# D_o(k) = 0, D_e(k) = 0.0490.
EXAMPLE = {
    "i": [(225, 295, "c"), (370, 400, "c"), (180, 240, "k"), (300, 350, "k")],
    "j": [(220, 300, "c"), (355, 375, "c"), (400, 420, "c"), (180, 240, "k"), (300, 350, "k")],
}


def test_krippendorff_2004_category_c() -> None:
    d_o, d_e = category_disagreements(EXAMPLE, 300, "c", begin=150)
    assert round(d_o, 4) == 0.0144
    assert round(d_e, 4) == 0.0532
    assert round(1 - d_o / d_e, 4) == 0.7286


def test_krippendorff_2004_category_k() -> None:
    d_o, d_e = category_disagreements(EXAMPLE, 300, "k", begin=150)
    assert d_o == 0
    assert round(d_e, 4) == 0.0490
    assert unitized_alpha(EXAMPLE, 300, begin=150, categories=["k"]) == 1.0


def test_krippendorff_2004_pooled() -> None:
    # Pooled: 1 - (0.0144 + 0) / (0.0532 + 0.0490), within the rounding of the published parts.
    assert unitized_alpha(EXAMPLE, 300, begin=150) == pytest.approx(0.8587, abs=5e-4)


def test_section_distances_from_krippendorff_2004() -> None:
    # p. 254 distances: units (225,70) vs (220,80): 5² + 5² = 50; (370,30) vs (355,20): 15²+25².
    assert section_distance(Section(225, 70, True), Section(220, 80, True)) == 50
    assert section_distance(Section(370, 30, True), Section(355, 20, True)) == 850
    # unit (400, 20) of j inside the gap (400, 50) of i: 20².
    assert section_distance(Section(400, 50, False), Section(400, 20, True)) == 400


def test_identical_segmentations_give_one() -> None:
    same = [(10, 20, "x"), (50, 70, "x")]
    assert unitized_alpha({"a": same, "b": list(same), "c": list(same)}, 100) == 1.0


def test_small_case_by_hand() -> None:
    # L = 10, coder a: unit [2,5), coder b: unit [3,5).
    # Observed: sections a = gap(0,2) unit(2,3) gap(5,5); b = gap(0,3) unit(3,2) gap(5,5).
    # Intersecting pairs: gap-gap 0; a-unit(2,3) vs b-gap(0,3): not inside -> 0;
    # units: (2-3)² + (5-5)² = 1; a-gap(5,5) vs b-gap 0. Sum over both orders = 2;
    # D_o = 2 / (2*1*100) = 0.01.
    # Expected: units l=3 and l=2 (N=2), gaps 2,5,3,5.
    # l=3: (N-1)/3 (2*27 - 27 + 3) = 10; gaps >= 3: 5,3,5 -> (3 + 1 + 3) = 7, * 9 = 63 -> 73
    # l=2: (1/3)(16 - 12 + 2) = 2; gaps >= 2: 2,5,3,5 -> 1+4+2+4 = 11, * 4 = 44 -> 46
    # numerator = (73 + 46) * 2 / 10 = 23.8; denominator = 2*10*19 - (3*2 + 2*1) = 372
    segments = {"a": [(2, 5, "x")], "b": [(3, 5, "x")]}
    d_o, d_e = category_disagreements(segments, 10, "x")
    assert d_o == pytest.approx(0.01)
    assert d_e == pytest.approx(23.8 / 372)
    assert unitized_alpha(segments, 10) == pytest.approx(1 - 0.01 / (23.8 / 372))


def test_unit_in_gap_counts_its_length_squared() -> None:
    # a marks [0,4), b nothing: pairs (unit 4 inside b's gap 10) -> 16, both orders -> 32.
    d_o, _ = category_disagreements({"a": [(0, 4, "x")], "b": []}, 10, "x")
    assert d_o == pytest.approx(32 / (2 * 100))


def test_nobody_marked_anything_is_nan() -> None:
    assert math.isnan(unitized_alpha({"a": [], "b": []}, 10, categories=["x"]))


def test_needs_two_coders() -> None:
    with pytest.raises(ValueError):
        category_disagreements({"a": [(0, 1, "x")]}, 10, "x")
