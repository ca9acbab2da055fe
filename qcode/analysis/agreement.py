"""Inter-coder agreement: one entry point that reports every coefficient side by side.

The coefficients themselves live in :mod:`qcode.analysis.agreement_alpha` (Krippendorff's
alpha), :mod:`qcode.analysis.agreement_kappa` (percent agreement, Cohen, Fleiss, Gwet) and
:mod:`qcode.analysis.agreement_bootstrap`; they are re-exported here so callers import one
module. See ``docs/agreement.md`` for formulas, references and the warning rules.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from qcode.analysis.agreement_alpha import (
    LEVELS,
    check_level,
    count_values,
    encode_values,
    krippendorff_alpha,
)
from qcode.analysis.agreement_bootstrap import bootstrap_alpha_ci
from qcode.analysis.agreement_kappa import (
    category_counts,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
)
from qcode.analysis.agreement_table import AgreementDataError, read_reliability_table

__all__ = [
    "LEVELS",
    "PREVALENCE_LIMIT",
    "AgreementDataError",
    "Coefficients",
    "bootstrap_alpha_ci",
    "category_counts",
    "coefficients",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "prevalence_warnings",
    "read_reliability_table",
]

PREVALENCE_LIMIT = 0.9
"""Warn when one category holds at least this share of all pairable ratings."""

MIN_UNITS = 10
"""Warn when fewer pairable units than this: every coefficient is then mostly noise."""


@dataclass(frozen=True, slots=True)
class Coefficients:
    """Every agreement coefficient for one set of reliability data, with its unit count."""

    n_units: int
    """Units rated by at least two coders (the pairable units every coefficient uses)."""
    n_coders: int
    percent_agreement: float
    cohen_kappa: float | None
    """Only for exactly two coders."""
    fleiss_kappa: float | None
    krippendorff_alpha: float
    alpha_ci: tuple[float, float] | None
    """Percentile bootstrap interval; None when no bootstrap was asked for."""
    gwet_ac1: float | None
    warnings: tuple[str, ...]
    level: str = "nominal"
    """Level of measurement alpha used; the kappas and AC1 are always nominal (unweighted)."""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping: NaN becomes None, the interval a two-item list."""
        result = asdict(self)
        for key, value in result.items():
            if isinstance(value, float) and math.isnan(value):
                result[key] = None
        if self.alpha_ci is not None:
            result["alpha_ci"] = [None if math.isnan(v) else v for v in self.alpha_ci]
        result["warnings"] = list(self.warnings)
        return result


def prevalence_warnings(
    data: ArrayLike,
    ac1: float | None,
    limit: float = PREVALENCE_LIMIT,
    min_units: int = MIN_UNITS,
) -> tuple[str, ...]:
    """The warnings to print beside kappa and alpha (rules in docs/agreement.md).

    1. One category holds ``limit`` or more of the pairable ratings: the prevalence paradox
       (Feinstein & Cicchetti 1990) makes kappa and alpha unstable and low even with high
       agreement; AC1 is quoted beside them.
    2. Every pairable rating is the same: kappa and alpha are undefined.
    3. Fewer than ``min_units`` pairable units.
    """
    index, domain = encode_values(data)
    counts = count_values(index, len(domain))
    counts = counts[counts.sum(axis=1) >= 2]
    notes: list[str] = []
    total = counts.sum()
    if total == 0:
        return ("no unit was rated by two or more coders: nothing to compare",)
    shares = counts.sum(axis=0) / total
    top = int(np.argmax(shares))
    ac1_text = "n/a" if ac1 is None or math.isnan(ac1) else f"{ac1:.3f}"
    if len(domain) == 1:
        notes.append(
            f"every rating is {domain[0]:g}: kappa and alpha are undefined "
            f"(no variation); AC1 = {ac1_text}"
        )
    elif shares[top] >= limit:
        notes.append(
            f"value {domain[top]:g} makes up {shares[top]:.0%} of ratings: kappa and alpha "
            f"are unstable at this prevalence (prevalence paradox); AC1 = {ac1_text}"
        )
    if len(counts) < min_units:
        notes.append(f"only {len(counts)} units rated by two or more coders")
    return tuple(notes)


def _none_if_nan(value: float) -> float | None:
    return None if math.isnan(value) else value


def coefficients(
    data: ArrayLike,
    level: str = "nominal",
    bootstrap: int = 1000,
    seed: int = 0,
    categories: tuple[float, ...] | None = None,
) -> Coefficients:
    """All coefficients for a coders × units matrix (NaN = missing).

    Args:
        data: coders × units.
        level: level of measurement for alpha.
        bootstrap: number of bootstrap replicates for alpha's interval (0 = none).
        seed: seed of the bootstrap, so a report can be reproduced.
        categories: all possible categories, for AC1's chance term (``(0, 1)`` for presence).
    """
    check_level(level)
    matrix = np.asarray(data, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("reliability data must be a 2-D coders × units matrix")
    n_coders = matrix.shape[0]
    rated = (~np.isnan(matrix)).sum(axis=0)
    n_units = int((rated >= 2).sum())
    counts = category_counts(matrix)
    ac1 = gwet_ac1(matrix, categories)
    ci = bootstrap_alpha_ci(matrix, level, bootstrap, seed) if bootstrap > 0 else None
    return Coefficients(
        n_units=n_units,
        n_coders=n_coders,
        percent_agreement=percent_agreement(matrix),
        cohen_kappa=cohen_kappa(matrix[0], matrix[1]) if n_coders == 2 else None,
        fleiss_kappa=fleiss_kappa(counts),
        krippendorff_alpha=krippendorff_alpha(matrix, level),
        alpha_ci=ci,
        gwet_ac1=_none_if_nan(ac1),
        warnings=prevalence_warnings(matrix, ac1),
        level=level,
    )
