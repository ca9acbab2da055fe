"""Bootstrap confidence intervals for Krippendorff's alpha and for statistics of a 2-coder table.

Units are resampled with replacement (the nonparametric bootstrap over units that Zapf et al.
2016, BMC Medical Research Methodology 16:93, recommend for alpha) and the percentile interval is
reported. This is not Hayes & Krippendorff's (2007) macro, which resamples pairs of values.

Speed: a unit enters alpha only through its row of value counts, so units with identical rows
are interchangeable. Resampling N units with replacement is therefore the same as drawing
multinomial counts of the distinct rows (``K`` of them, a handful for presence/absence data), and
each replicate costs O(K·V²) instead of O(N).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from qcode.analysis.agreement_alpha import check_level, distances, encode_values, value_patterns


def _alpha_per_replicate(
    weights: NDArray[np.float64],
    patterns: NDArray[np.float64],
    domain: NDArray[np.float64],
    level: str,
) -> NDArray[np.float64]:
    """Alpha for each row of ``weights`` (replicates × distinct patterns)."""
    pair_weight = 1.0 / (patterns.sum(axis=1) - 1)
    marginals = weights @ patterns  # replicates × values
    n = marginals.sum(axis=1)
    if level != "ordinal":
        delta = distances(domain, marginals[0], level)
        per_pattern = np.einsum("kv,vw,kw->k", patterns, delta, patterns) * pair_weight
        observed = weights @ per_pattern
        expected = np.einsum("bv,vw,bw->b", marginals, delta, marginals)
    else:
        observed = np.empty(len(weights))
        expected = np.empty(len(weights))
        for b in range(len(weights)):
            delta = distances(domain, marginals[b], level)
            per_pattern = np.einsum("kv,vw,kw->k", patterns, delta, patterns) * pair_weight
            observed[b] = weights[b] @ per_pattern
            expected[b] = marginals[b] @ delta @ marginals[b]
    with np.errstate(divide="ignore", invalid="ignore"):
        result = 1.0 - (n - 1) * observed / expected
    return np.where(expected > 0, result, np.nan)


def bootstrap_alpha_ci(
    data: ArrayLike,
    level: str = "nominal",
    n_boot: int = 1000,
    seed: int = 0,
    conf: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval for alpha, resampling pairable units.

    Replicates where alpha is undefined (no variation left) are dropped; when all are, the
    interval is ``(nan, nan)``.
    """
    check_level(level)
    if not 0 < conf < 1:
        raise ValueError("conf must lie strictly between 0 and 1")
    index, domain = encode_values(data)
    if len(domain) == 0 or n_boot < 1:
        return float("nan"), float("nan")
    patterns, frequency = value_patterns(index, len(domain))
    pairable = patterns.sum(axis=1) >= 2
    patterns, frequency = patterns[pairable], frequency[pairable]
    if len(patterns) == 0:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(frequency.sum(), frequency / frequency.sum(), size=n_boot)
    alphas = _alpha_per_replicate(
        weights.astype(np.float64), patterns.astype(np.float64), domain, level
    )
    alphas = alphas[~np.isnan(alphas)]
    if len(alphas) == 0:
        return float("nan"), float("nan")
    tail = (1 - conf) / 2
    low, high = np.quantile(alphas, [tail, 1 - tail])
    return float(low), float(high)


def bootstrap_table_ci(
    table: ArrayLike,
    statistic: Callable[[NDArray[np.float64]], NDArray[np.float64]],
    n_boot: int = 1000,
    seed: int = 0,
    conf: float = 0.95,
) -> tuple[float, float]:
    """Percentile bootstrap interval of a statistic of two coders' contingency table.

    Resampling N units with replacement is drawing multinomial cell counts of the table (the
    same shortcut as for alpha above), so ``statistic`` gets a stack of replicate tables
    (``n_boot × q × q``) and returns one value each, NaN where undefined (dropped). Used for
    Cohen's kappa (``agreement_kappa.kappa_from_tables``) and for the suggester's precision,
    recall and F1 against a coder (``analysis.suggester_trust``).
    """
    if not 0 < conf < 1:
        raise ValueError("conf must lie strictly between 0 and 1")
    counts = np.asarray(table, dtype=np.int64)
    total = int(counts.sum())
    if total == 0 or n_boot < 1:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(total, counts.ravel() / total, size=n_boot).reshape(n_boot, *counts.shape)
    values = statistic(draws.astype(np.float64))
    values = values[~np.isnan(values)]
    if len(values) == 0:
        return float("nan"), float("nan")
    tail = (1 - conf) / 2
    low, high = np.quantile(values, [tail, 1 - tail])
    return float(low), float(high)
