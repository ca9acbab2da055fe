"""The suggester as a coder: precision, recall, F1 and Cohen's kappa against one human.

The suggester and the coder each say, per unit, whether a code applies; that is the same
two-coder presence/absence table the agreement commands compare two humans with, so kappa is
``agreement_kappa.kappa_from_tables`` and the 95 % intervals come from
``agreement_bootstrap.bootstrap_table_ci`` (units resampled). Precision, recall and F1 are
scikit-learn's binary definitions (``precision_recall_fscore_support`` with
``zero_division=0``), which the tests check against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from qcode.analysis.agreement_bootstrap import bootstrap_table_ci
from qcode.analysis.agreement_kappa import kappa_from_tables


def presence_table(gold: ArrayLike, guess: ArrayLike) -> NDArray[np.int64]:
    """2 × 2 counts: rows the coder (absent, present), columns the suggester."""
    coder = np.asarray(gold, dtype=bool)
    machine = np.asarray(guess, dtype=bool)
    if coder.shape != machine.shape:
        raise ValueError("gold and guess need the same length")
    table = np.zeros((2, 2), dtype=np.int64)
    np.add.at(table, (coder.astype(np.intp), machine.astype(np.intp)), 1)
    return table


def _ratio(top: NDArray[np.float64], bottom: NDArray[np.float64]) -> NDArray[np.float64]:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1), 0.0)


def precision_of(tables: NDArray[np.float64]) -> NDArray[np.float64]:
    return _ratio(tables[..., 1, 1], tables[..., 1, 1] + tables[..., 0, 1])


def recall_of(tables: NDArray[np.float64]) -> NDArray[np.float64]:
    return _ratio(tables[..., 1, 1], tables[..., 1, 1] + tables[..., 1, 0])


def f1_of(tables: NDArray[np.float64]) -> NDArray[np.float64]:
    tp = tables[..., 1, 1]
    return _ratio(2 * tp, 2 * tp + tables[..., 0, 1] + tables[..., 1, 0])


MEASURES = {"precision": precision_of, "recall": recall_of, "f1": f1_of, "kappa": kappa_from_tables}


@dataclass(frozen=True)
class TrustScore:
    """One code on one channel: the figures and their 95 % bootstrap intervals."""

    code: str
    channel: str
    units: int
    positives: int
    """Units the coder gave the code."""
    suggested: int
    precision: float
    recall: float
    f1: float
    kappa: float
    intervals: dict[str, tuple[float, float]]


def trust_score(
    code: str, channel: str, gold: Sequence[bool], guess: Sequence[bool], n_boot: int = 1000, seed: int = 0
) -> TrustScore:
    """Figures of one code; kappa is NaN when neither side varies (all units alike)."""
    table = presence_table(gold, guess)
    as_float = table.astype(np.float64)
    values = {name: float(measure(as_float)) for name, measure in MEASURES.items()}
    intervals = {
        name: bootstrap_table_ci(table, measure, n_boot=n_boot, seed=seed) for name, measure in MEASURES.items()
    }
    return TrustScore(
        code, channel, int(table.sum()), int(table[1].sum()), int(table[:, 1].sum()),
        values["precision"], values["recall"], values["f1"], values["kappa"], intervals,
    )


@dataclass(frozen=True)
class CurvePoint:
    """F1 of a code when the model learned from ``units`` coded units (``positives`` of them)."""

    code: str
    units: float
    positives: float
    f1: float


def f1_score_of(gold: Sequence[bool], guess: Sequence[bool]) -> float:
    return float(f1_of(presence_table(gold, guess).astype(np.float64)))
