"""Random data: qcode's coefficients agree with the reference libraries to 1e-9."""

from __future__ import annotations

import math
import warnings

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from irrCAC.raw import CAC
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from qcode.analysis.agreement import (
    category_counts,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
)
from qcode.analysis.agreement_alpha import count_values, encode_values
from qcode.analysis.agreement_bootstrap import _alpha_per_replicate

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def reliability_data(draw: st.DrawFn, missing: bool = True) -> np.ndarray:
    coders = draw(st.integers(2, 5))
    units = draw(st.integers(2, 30))
    values = draw(st.lists(st.sampled_from([1.0, 2.0, 3.0, 4.0, 7.0]), min_size=1, max_size=5))
    cells = st.sampled_from(values + ([math.nan] if missing else []))
    grid = draw(st.lists(cells, min_size=coders * units, max_size=coders * units))
    return np.array(grid).reshape(coders, units)


def _pairable_values(data: np.ndarray) -> np.ndarray:
    rated = (~np.isnan(data)).sum(axis=0) >= 2
    present = data[:, rated]
    return present[~np.isnan(present)]


@SETTINGS
@given(reliability_data(), st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_alpha_matches_krippendorff_package(data: np.ndarray, level: str) -> None:
    assume(len(np.unique(_pairable_values(data))) >= 2)
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert krippendorff_alpha(data, level) == pytest.approx(expected, abs=1e-9)


@SETTINGS
@given(reliability_data(missing=False))
def test_fleiss_matches_statsmodels(data: np.ndarray) -> None:
    counts = category_counts(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        expected = sm_fleiss_kappa(counts, method="fleiss")
    assume(math.isfinite(expected))
    assert fleiss_kappa(counts) == pytest.approx(expected, abs=1e-9)


@SETTINGS
@given(reliability_data())
def test_fleiss_and_ac1_match_irrcac_with_missing_values(data: np.ndarray) -> None:
    frame = pd.DataFrame(data.T)
    assume((~np.isnan(data)).sum(axis=0).max() >= 2)
    assume(((~np.isnan(data)).sum(axis=0) >= 1).sum() >= 2)  # irrCAC divides by n - 1
    assume(len(np.unique(data[~np.isnan(data)])) >= 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cac = CAC(frame, digits=15)
        fleiss = cac.fleiss()["est"]["coefficient_value"]
        ac1 = CAC(frame, digits=15).gwet()["est"]["coefficient_value"]
    ours_fleiss = fleiss_kappa(category_counts(data))
    assume(math.isfinite(fleiss) and math.isfinite(ours_fleiss))
    assert ours_fleiss == pytest.approx(fleiss, abs=1e-9)
    assert gwet_ac1(data) == pytest.approx(ac1, abs=1e-9)


@SETTINGS
@given(reliability_data(missing=False).filter(lambda d: d.shape[0] == 2))
def test_cohen_matches_scikit_learn(data: np.ndarray) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = cohen_kappa_score(data[0], data[1])
    ours = cohen_kappa(data[0], data[1])
    if math.isnan(expected):
        assert math.isnan(ours)
    else:
        assert ours == pytest.approx(expected, abs=1e-9)


@SETTINGS
@given(
    reliability_data(),
    st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
    st.integers(0, 2**32 - 1),
)
def test_bootstrap_replicate_equals_alpha_of_resampled_units(
    data: np.ndarray, level: str, seed: int
) -> None:
    """The pattern-count shortcut gives exactly alpha of an explicitly resampled data set."""
    index, domain = encode_values(data)
    counts = count_values(index, len(domain))
    pairable = np.flatnonzero(counts.sum(axis=1) >= 2)
    assume(len(pairable) >= 1)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(pairable, size=len(pairable), replace=True)
    resampled = data[:, chosen]
    assume(len(np.unique(_pairable_values(resampled))) >= 2)
    patterns, inverse = np.unique(counts[pairable], axis=0, return_inverse=True)
    position = {unit: i for i, unit in enumerate(pairable)}
    weights = np.bincount(
        inverse.ravel()[[position[u] for u in chosen]], minlength=len(patterns)
    ).astype(float)
    ours = _alpha_per_replicate(weights[None, :], patterns.astype(float), domain, level)[0]
    expected = krippendorff.alpha(reliability_data=resampled, level_of_measurement=level)
    assert ours == pytest.approx(expected, abs=1e-9)
