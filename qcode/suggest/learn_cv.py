"""Cross-validation of the learned suggester, grouped by case, and its learning curve.

A case never scores a model that learned from it: the folds are scikit-learn's
``GroupKFold`` over the units' cases, so every unit is predicted once, by a model fitted on
the other cases. The learning curve refits each fold's model on growing shares of its
training cases (whole cases, in a seeded order) and scores the same held-out units, so the
points differ only in how much was learned from.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qcode.errors import SuggestionError
from qcode.suggest.learn import TrainingSet, fit, learned_suggestions

CURVE_SHARES = (0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class CurveRun:
    """Held-out predictions of models that learned from ``share`` of each fold's cases."""

    share: float
    train_units: float
    """Mean number of units the fold models learned from."""
    train_positives: dict[str, float]
    """Per code, the mean number of positive units they learned from."""
    learned: list[frozenset[str]]
    """Per unit (training order), the codes the held-out model suggested."""


@dataclass(frozen=True)
class CrossValidation:
    folds: int
    learned: list[frozenset[str]]
    """Per unit, the learned codes at full training size."""
    confidence: list[dict[str, float]]
    curve: list[CurveRun]


def fold_count(cases: Sequence[str], folds: int) -> int:
    distinct = len(set(cases))
    if distinct < 2:
        raise SuggestionError(
            "Cross-validation needs coded units from at least two cases (a case never scores "
            f"a model that learned from it); the codings cover {distinct}."
        )
    return min(folds, distinct)


def cross_validate(
    training: TrainingSet, codes: Sequence[str], folds: int = 5, seed: int = 0,
    shares: Sequence[float] = CURVE_SHARES, learner: Callable[[], Any] | None = None,
) -> CrossValidation:
    """Predict every unit with a model that never saw its case.

    Raises:
        SuggestionError: fewer than two cases.
    """
    import numpy as np
    from sklearn.model_selection import GroupKFold

    cases = [u.case for u in training.units]
    k = fold_count(cases, folds)
    n = len(training.units)
    full: list[frozenset[str]] = [frozenset()] * n
    confidence: list[dict[str, float]] = [{} for _ in range(n)]
    by_share: dict[float, list[frozenset[str]]] = {s: [frozenset()] * n for s in shares}
    sizes: dict[float, list[int]] = {s: [] for s in shares}
    positives: dict[float, dict[str, list[int]]] = {s: {c: [] for c in codes} for s in shares}
    rng = random.Random(seed)
    splitter = GroupKFold(n_splits=k)
    for train_rows, test_rows in splitter.split(np.zeros(n), groups=cases):
        train_cases = sorted({cases[i] for i in train_rows})
        rng.shuffle(train_cases)
        held_out = [training.units[i] for i in test_rows]
        for share in shares:
            keep = set(train_cases[: max(1, round(share * len(train_cases)))])
            rows = [int(i) for i in train_rows if cases[i] in keep]
            subset = training.subset(rows)
            sizes[share].append(len(rows))
            for code in codes:
                positives[share][code].append(sum(code in p for p in subset.positives))
            model = fit(subset, codes, learner=learner)
            for row, found in zip(test_rows, learned_suggestions(model, held_out, neighbours=0), strict=True):
                by_share[share][row] = frozenset(s.code for s in found)
                if share == shares[-1]:
                    full[row] = by_share[share][row]
                    confidence[row] = {s.code: s.confidence for s in found}
    curve = [
        CurveRun(
            share, float(np.mean(sizes[share])),
            {c: float(np.mean(v)) for c, v in positives[share].items()}, by_share[share],
        )
        for share in shares
    ]
    return CrossValidation(k, full, confidence, curve)
