"""Percent agreement, Cohen's kappa, Fleiss' kappa and Gwet's AC1 (all nominal, unweighted).

Missing values follow Gwet (2014), *Handbook of Inter-Rater Reliability*, 4th ed., ch. 2 and 5,
as the ``irrCAC`` package implements it: observed agreement is averaged over units rated by at
least two coders, category prevalences over all units rated at least once. With complete data
these reduce to Fleiss (1971) and Gwet (2008) exactly. Cohen's kappa (Cohen 1960) uses the units
both coders rated.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from qcode.analysis.agreement_alpha import count_values, encode_values


def category_counts(
    data: ArrayLike, categories: Sequence[float] | None = None
) -> NDArray[np.int64]:
    """Units × categories table (how many coders chose each category) from coders × units data.

    ``categories`` adds columns for categories nobody chose; the columns are in sorted order.
    """
    if categories is None:
        index, domain = encode_values(data)
        return count_values(index, len(domain))
    matrix = np.asarray(data, dtype=np.float64)
    missing = np.isnan(matrix)
    domain = np.unique(np.concatenate([matrix[~missing], np.asarray(categories, dtype=float)]))
    index = np.where(missing, len(domain), np.searchsorted(domain, np.where(missing, 0, matrix)))
    return count_values(index.astype(np.intp), len(domain))


def _observed_agreement(counts: NDArray[np.float64]) -> float:
    """Mean over units with 2+ ratings of the share of agreeing coder pairs."""
    m = counts.sum(axis=1)
    rated = m >= 2
    if not rated.any():
        return float("nan")
    c = counts[rated]
    pairs = (c * (c - 1)).sum(axis=1) / (m[rated] * (m[rated] - 1))
    return float(pairs.mean())


def _prevalences(counts: NDArray[np.float64]) -> NDArray[np.float64]:
    """Mean over units rated at least once of each category's share of the unit's ratings."""
    m = counts.sum(axis=1)
    rated = m >= 1
    if not rated.any():  # no ratings at all: prevalences are undefined, not a numpy warning
        return np.full(counts.shape[1], np.nan, dtype=np.float64)
    return np.asarray((counts[rated] / m[rated, None]).mean(axis=0), dtype=np.float64)


def _chance_corrected(observed: float, chance: float) -> float:
    if np.isnan(observed) or chance >= 1.0:
        return float("nan")
    return (observed - chance) / (1.0 - chance)


def percent_agreement(data: ArrayLike) -> float:
    """Share of agreeing coder pairs, averaged over units rated by two or more coders.

    For two coders this is the plain share of units on which they agree.
    """
    return _observed_agreement(category_counts(data).astype(np.float64))


def cohen_kappa(a: ArrayLike, b: ArrayLike) -> float:
    """Cohen's (1960) kappa for two coders over the units both rated (NaN marks missing)."""
    first = np.asarray(a, dtype=np.float64)
    second = np.asarray(b, dtype=np.float64)
    if first.shape != second.shape or first.ndim != 1:
        raise ValueError("cohen_kappa needs two 1-D sequences of equal length")
    both = ~(np.isnan(first) | np.isnan(second))
    index, domain = encode_values(np.vstack([first[both], second[both]]))
    n = int(both.sum())
    if n == 0:
        return float("nan")
    q = len(domain)
    table = np.bincount(index[0] * q + index[1], minlength=q * q).reshape(q, q)
    return float(kappa_from_tables(table))


def kappa_from_tables(tables: ArrayLike) -> NDArray[np.float64]:
    """Cohen's kappa of one q × q contingency table of counts, or of a stack of them.

    The one place Cohen's formula is written: :func:`cohen_kappa` and the bootstrap over
    resampled tables (``agreement_bootstrap.bootstrap_table_ci``) both use it. NaN where the
    chance agreement is 1 (no variation) or a table is empty.
    """
    counts = np.asarray(tables, dtype=np.float64)
    total = counts.sum(axis=(-2, -1))
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = counts / total[..., None, None]
        observed = np.trace(shares, axis1=-2, axis2=-1)
        chance = np.einsum("...i,...i->...", shares.sum(axis=-1), shares.sum(axis=-2))
        kappa = (observed - chance) / (1.0 - chance)
    return np.asarray(np.where((chance >= 1.0) | (total == 0), np.nan, kappa), dtype=np.float64)


def fleiss_kappa(counts: ArrayLike) -> float:
    """Fleiss' (1971) kappa from a subjects × categories table of rating counts.

    Rows may have different totals (missing ratings); then this is Gwet's generalisation, which
    equals Fleiss' formula when every subject has the same number of ratings.
    """
    table = np.asarray(counts, dtype=np.float64)
    if table.ndim != 2:
        raise ValueError("fleiss_kappa needs a 2-D subjects × categories table")
    observed = _observed_agreement(table)
    prevalence = _prevalences(table)
    return _chance_corrected(observed, float((prevalence**2).sum()))


def gwet_ac1(data: ArrayLike, categories: Sequence[float] | None = None) -> float:
    """Gwet's (2008) AC1 from coders × units data (NaN = missing).

    Args:
        data: coders × units matrix.
        categories: all possible categories. AC1's chance agreement depends on their number
            ``q``; by default only the categories observed count (as ``irrCAC`` does). Pass
            ``(0, 1)`` for presence/absence data so a code nobody applied still has ``q = 2``.
    """
    counts = category_counts(data, categories)
    table = counts.astype(np.float64)
    q = table.shape[1]
    if q < 2:
        return float("nan")
    observed = _observed_agreement(table)
    prevalence = _prevalences(table)
    chance = float((prevalence * (1 - prevalence)).sum() / (q - 1))
    return _chance_corrected(observed, chance)
