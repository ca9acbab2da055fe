"""Krippendorff's alpha for any number of coders, missing values and four levels of measurement.

The implementation follows Krippendorff (2011), "Computing Krippendorff's alpha-reliability"
(University of Pennsylvania, ASC papers 43): values are paired within units into a coincidence
matrix ``o``, and ``alpha = 1 - (n - 1) * sum(o * delta) / sum(n_c * n_k * delta)``. It is
vectorised with numpy (one ``bincount`` builds the units × values table, one matrix product the
coincidences), so a million units take well under a second; the ``krippendorff`` package is
used only in the tests as a cross-check.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[str, ...] = ("nominal", "ordinal", "interval", "ratio")

_CHUNK_CELLS = 1 << 24
"""Largest units × values block built at once; bounds memory for data with many values."""


def check_level(level: str) -> None:
    """Refuse an unknown level of measurement early, with the valid choices in the message."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")


def encode_values(data: ArrayLike) -> tuple[NDArray[np.intp], NDArray[np.float64]]:
    """Map a coders × units matrix (NaN = missing) to value indices.

    Returns:
        ``(index, domain)``: ``index`` has the shape of ``data`` with ``len(domain)`` where a
        value is missing; ``domain`` is the sorted array of distinct values (needed in order for
        the ordinal, interval and ratio metrics).
    """
    matrix = np.asarray(data, dtype=np.float64)
    if matrix.ndim != 2:
        raise ValueError("reliability data must be a 2-D coders × units matrix")
    missing = np.isnan(matrix)
    present = matrix[~missing]
    if present.size == 0:
        return np.zeros(matrix.shape, dtype=np.intp), np.empty(0)
    low, high = present.min(), present.max()
    if np.all(present == np.round(present)) and high - low < 4 * present.size + 1024:
        # Small integer range (codes, ratings): offset indexing avoids sorting every value.
        offset = np.where(missing, 0, matrix - low).astype(np.intp)
        used = np.bincount(offset[~missing], minlength=int(high - low) + 1) > 0
        remap = np.cumsum(used) - 1
        domain = np.flatnonzero(used).astype(np.float64) + low
        index = np.where(missing, len(domain), remap[offset])
        return index.astype(np.intp), domain
    domain, inverse = np.unique(present, return_inverse=True)
    index = np.full(matrix.shape, len(domain), dtype=np.intp)
    index[~missing] = inverse.ravel()
    return index, domain


def count_values(index: NDArray[np.intp], n_values: int) -> NDArray[np.int64]:
    """Units × values table: how many coders gave each value to each unit."""
    n_units = index.shape[1]
    keys = np.arange(n_units, dtype=np.intp)[None, :] * (n_values + 1) + index
    table = np.bincount(keys.ravel(), minlength=n_units * (n_values + 1))
    return table.reshape(n_units, n_values + 1)[:, :n_values].astype(np.int64)


def value_patterns(
    index: NDArray[np.intp], n_values: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The distinct rows of the units × values table and how many units have each.

    Alpha depends on a unit only through its row of value counts, and with few coders and
    values there are few distinct rows. Each unit's row is read as a number in base
    ``coders + 1`` (``sum over coders of base ** value``), so the table is never built and the
    distinct rows come from one ``bincount`` (or a 1-D ``unique``) instead of a row sort.
    Falls back to sorting the full table when the number would not fit in 62 bits.
    """
    base = index.shape[0] + 1
    if n_values * np.log2(base) < 62:
        powers = np.append(base ** np.arange(n_values, dtype=np.int64), 0)
        keys = powers[index].sum(axis=0)
        if base**n_values <= 1 << 22:
            frequency = np.bincount(keys)
            distinct = np.flatnonzero(frequency).astype(np.int64)
            frequency = frequency[distinct]
        else:
            distinct, frequency = np.unique(keys, return_counts=True)
        patterns = (distinct[:, None] // powers[None, :n_values]) % base
        return patterns.astype(np.int64), frequency.astype(np.int64)
    rows, frequency = np.unique(count_values(index, n_values), axis=0, return_counts=True)
    return rows.astype(np.int64), frequency.astype(np.int64)


def coincidences(
    counts: NDArray[np.int64], frequency: NDArray[np.int64] | None = None
) -> NDArray[np.float64]:
    """The coincidence matrix ``o_ck = sum_u (n_uc n_uk - [c=k] n_uc) / (m_u - 1)``.

    Units with fewer than two values are not pairable and contribute nothing (Krippendorff 2011,
    step B). ``frequency`` weights each row (rows from :func:`value_patterns`). Large tables
    are processed in chunks of units.
    """
    n_values = counts.shape[1]
    weight = np.ones(len(counts)) if frequency is None else frequency.astype(np.float64)
    total = np.zeros((n_values, n_values))
    step = max(1, _CHUNK_CELLS // max(n_values, 1))
    for first in range(0, counts.shape[0], step):
        block = counts[first : first + step]
        m = block.sum(axis=1)
        pairable = m >= 2
        block = block[pairable].astype(np.float64)
        weighted = block * (weight[first : first + step][pairable] / (m[pairable] - 1))[:, None]
        total += weighted.T @ block
        total -= np.diag(weighted.sum(axis=0))
    return total


def distances(
    domain: NDArray[np.float64], marginals: NDArray[np.float64], level: str
) -> NDArray[np.float64]:
    """Squared difference ``delta²_ck`` between values for a level (Krippendorff 2011, part E)."""
    check_level(level)
    c = domain[:, None]
    k = domain[None, :]
    if level == "nominal":
        return np.asarray(c != k, dtype=np.float64)
    if level == "interval":
        return np.asarray((c - k) ** 2, dtype=np.float64)
    if level == "ratio":
        total = c + k
        ratio = np.divide(c - k, total, out=np.zeros_like(total * 1.0), where=total != 0)
        return np.asarray(ratio**2, dtype=np.float64)
    # ordinal: (sum_{g=c..k} n_g - (n_c + n_k) / 2)²
    cumulative = np.concatenate(([0.0], np.cumsum(marginals)))
    idx = np.arange(len(domain))
    low = np.minimum(idx[:, None], idx[None, :])
    high = np.maximum(idx[:, None], idx[None, :])
    between = cumulative[high + 1] - cumulative[low]
    return np.asarray(
        (between - (marginals[:, None] + marginals[None, :]) / 2) ** 2, dtype=np.float64
    )


def alpha_from_coincidences(
    o: NDArray[np.float64], domain: NDArray[np.float64], level: str
) -> float:
    """Alpha from a coincidence matrix; NaN when there is no variation to disagree about."""
    marginals = o.sum(axis=1)
    n = marginals.sum()
    if n <= 1:
        return float("nan")
    delta = distances(domain, marginals, level)
    expected = float(marginals @ delta @ marginals)
    if expected == 0:
        return float("nan")
    return float(1.0 - (n - 1) * float((o * delta).sum()) / expected)


def krippendorff_alpha(data: ArrayLike, level: str = "nominal") -> float:
    """Krippendorff's alpha of a coders × units matrix with NaN for missing values.

    Returns NaN when alpha is undefined: fewer than two pairable values, or every pairable
    value the same (no expected disagreement).

    Example:
        >>> krippendorff_alpha([[1, 2, 3, 3], [1, 2, 3, 4]], "nominal")  # doctest: +ELLIPSIS
        0.6956...
    """
    check_level(level)
    index, domain = encode_values(data)
    if len(domain) == 0:
        return float("nan")
    o = coincidences(*value_patterns(index, len(domain)))
    return alpha_from_coincidences(o, domain, level)
