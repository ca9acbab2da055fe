"""Learning on the report development set: does the learned model add to the rules?

The "Done when" check of issue 15: a project whose only codings are a coder's labels of the
real report fragments. Each dev row is one unit (a chat utterance or an e-mail sentence), its
labels the row's codes; the six target codes are unknown (not negative) on ``unassessed`` rows
and for ``ignore_codes``, as the set's README scores them. Models learn from some cases and
suggest for the others (``learn_cv``, grouped by the report's case number); the suggestions
are scored exactly as the rules are (``devset.score_devset``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from qcode.suggest.devset import SCORED_CODES, TARGET_CODES, DevRow, score_devset
from qcode.suggest.engine import Suggester
from qcode.suggest.evaluation import CodeScore
from qcode.suggest.learn import LearnUnit, TrainingSet, unit_features
from qcode.suggest.learn_cv import CrossValidation, cross_validate


@dataclass(frozen=True)
class DevLearning:
    training: TrainingSet
    rules: list[set[str]]
    """Per row, the code names the rules suggest."""
    codes: list[str]
    """Code ids learned (the scored codes)."""
    cv: CrossValidation
    names: dict[str, str]

    def combined(self, learned: Sequence[frozenset[str]] | None = None) -> list[set[str]]:
        """Per row, the code names of rules plus learned suggestions."""
        found = self.cv.learned if learned is None else learned
        return [r | {self.names[c] for c in f} for r, f in zip(self.rules, found, strict=True)]


def dev_training_set(rows: Sequence[DevRow], suggester: Suggester) -> tuple[TrainingSet, list[set[str]]]:
    """One unit per row, features from the same parse the rules ran on."""
    units, positives, unknown, rules = [], [], [], []
    for row, (found, doc) in zip(rows, suggester.analyse(r.item for r in rows), strict=True):
        text = row.item.text
        units.append(LearnUnit(
            row.item.document or row.item.id, row.case, row.item.channel, 0, 0, len(text), text,
            unit_features(doc, 0, len(text), row.item, found),
            frozenset(s.code_id for s in found),
        ))
        positives.append(frozenset(suggester.code_id(c) for c in row.codes))
        skipped = set(row.ignore) | (set(TARGET_CODES) if row.target_status == "unassessed" else set())
        unknown.append(frozenset(suggester.code_id(c) for c in skipped))
        rules.append({s.code for s in found})
    return TrainingSet(units, positives, [frozenset()] * len(units), unknown), rules


def learn_on_devset(
    rows: Sequence[DevRow], suggester: Suggester, folds: int = 5, seed: int = 0,
    learner: Callable[[], Any] | None = None,
) -> DevLearning:
    training, rules = dev_training_set(rows, suggester)
    codes = [suggester.code_id(c) for c in SCORED_CODES]
    cv = cross_validate(training, codes, folds=folds, seed=seed, learner=learner)
    names = {suggester.code_id(c): c for c in SCORED_CODES}
    return DevLearning(training, rules, codes, cv, names)


def scores(rows: Sequence[DevRow], predicted: Sequence[set[str]]) -> list[CodeScore]:
    return score_devset(rows, predicted)
