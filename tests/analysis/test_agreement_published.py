"""Published worked examples, reproduced to three decimals (expected values typed from print)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from qcode.analysis.agreement import (
    category_counts,
    coefficients,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
)

NA = np.nan

# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", section C: 4 observers,
# 12 units, values 1-5, missing values.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NA, NA, NA],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NA, 3],
        [NA, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NA],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NA],
    ]
)

# Fleiss (1971): 30 patients, 6 psychiatrists each, 5 diagnoses (R irr::diagnoses layout).
FLEISS_1971 = np.array(
    [
        [4, 4, 4, 4, 4, 4],
        [2, 2, 2, 5, 5, 5],
        [2, 3, 3, 3, 3, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 2, 2, 4, 4, 4],
        [1, 1, 3, 3, 3, 3],
        [3, 3, 3, 3, 5, 5],
        [1, 1, 3, 3, 3, 4],
        [1, 1, 4, 4, 4, 4],
        [5, 5, 5, 5, 5, 5],
        [1, 4, 4, 4, 4, 4],
        [1, 2, 4, 4, 4, 4],
        [2, 2, 2, 3, 3, 3],
        [1, 4, 4, 4, 4, 4],
        [2, 2, 4, 4, 4, 5],
        [3, 3, 3, 3, 3, 5],
        [1, 1, 1, 4, 5, 5],
        [1, 1, 1, 1, 1, 2],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 5, 5, 5],
        [5, 5, 5, 5, 5, 5],
        [2, 4, 4, 4, 4, 4],
        [2, 2, 4, 5, 5, 5],
        [1, 1, 4, 4, 4, 4],
        [1, 4, 4, 4, 4, 5],
        [2, 2, 2, 2, 2, 4],
        [1, 1, 1, 1, 5, 5],
        [2, 2, 4, 4, 4, 4],
        [1, 3, 3, 3, 3, 3],
        [5, 5, 5, 5, 5, 5],
    ]
)

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories (counts).
WIKIPEDIA_FLEISS = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_krippendorff_2011_example(level: str, expected: float) -> None:
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level), 3) == expected


def test_krippendorff_2011_nominal_by_hand() -> None:
    # Krippendorff (2011) gives the nominal figure as 1 - (40 - 1) * 10/3 ... : alpha = 0.743
    # from n = 40 pairable values; check n and the rounded value through the coincidences.
    from qcode.analysis.agreement_alpha import coincidences, count_values, encode_values

    index, domain = encode_values(KRIPPENDORFF_2011)
    o = coincidences(count_values(index, len(domain)))
    assert o.sum() == pytest.approx(40.0)
    assert list(o.sum(axis=1)) == pytest.approx([9, 13, 10, 5, 3])


def test_fleiss_1971_diagnoses() -> None:
    counts = category_counts(FLEISS_1971.T)
    assert counts.shape == (30, 5)
    assert round(fleiss_kappa(counts), 3) == 0.430


def test_wikipedia_fleiss_example() -> None:
    # Wikipedia: P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210.
    assert round(fleiss_kappa(WIKIPEDIA_FLEISS), 3) == 0.210


def test_cohen_wikipedia_50_proposals() -> None:
    # 20 yes-yes, 5 yes-no, 10 no-yes, 15 no-no: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)
    assert percent_agreement(np.array([a, b], dtype=float)) == pytest.approx(0.7)


def test_cohen_ignores_units_with_a_missing_value() -> None:
    a = [1, 1, 0, 0, 1, NA]
    b = [1, 0, 0, 0, NA, 1]
    # Units 1-4: p_o = 3/4; marginals a (2 ones, 2 zeros), b (1 one, 3 zeros): p_e = 1/2.
    assert cohen_kappa(a, b) == pytest.approx((0.75 - 0.5) / 0.5)


def test_ac1_two_coders_by_hand() -> None:
    # Gwet (2008): AC1 = (p_a - p_e) / (1 - p_e), p_e = 2 * pi * (1 - pi) for 2 categories,
    # pi = mean share of "yes". 50-proposal table: pi = (25/50 + 30/50) / 2 = 0.55.
    a = [1] * 25 + [0] * 25
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    pe = 2 * 0.55 * 0.45
    assert gwet_ac1(np.array([a, b], dtype=float)) == pytest.approx((0.7 - pe) / (1 - pe))


def test_ac1_keeps_two_categories_for_unused_code() -> None:
    never = np.zeros((2, 20))
    assert math.isnan(gwet_ac1(never))
    assert gwet_ac1(never, categories=(0, 1)) == pytest.approx(1.0)


def test_coefficients_bundle_and_warnings() -> None:
    # A rare code: 2 coders, 100 utterances, agree on 96 absences, disagree on 4.
    a = np.zeros(100)
    b = np.zeros(100)
    a[:2] = 1
    b[2:4] = 1
    result = coefficients(np.vstack([a, b]), bootstrap=200, categories=(0.0, 1.0))
    assert result.n_units == 100
    assert result.percent_agreement == pytest.approx(0.96)
    # kappa: p_o = .96, p_e = .98*.98 + .02*.02 = .9608 -> (0.96 - 0.9608) / 0.0392
    assert result.cohen_kappa == pytest.approx((0.96 - 0.9608) / 0.0392)
    assert result.warnings and "prevalence paradox" in result.warnings[0]
    assert "AC1" in result.warnings[0]
    assert result.alpha_ci is not None
    assert result.alpha_ci[0] <= result.krippendorff_alpha <= result.alpha_ci[1]
    as_json = result.to_dict()
    assert as_json["n_units"] == 100 and isinstance(as_json["alpha_ci"], list)


def test_undefined_alpha_is_nan_and_warned() -> None:
    same = np.ones((3, 12))
    result = coefficients(same, bootstrap=0)
    assert math.isnan(result.krippendorff_alpha)
    assert result.percent_agreement == 1.0
    assert any("undefined" in w for w in result.warnings)
    assert result.to_dict()["krippendorff_alpha"] is None
