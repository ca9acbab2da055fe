"""Issue 15's "Done when" on real text: learning from some report cases and suggesting for the
others (grouped by case) never does worse than the rules alone.

The dev set (``../shared/data/report-dev``) is read where it lies. Each labelled row is one
unit, as if a coder had coded only the report's fragments; the rows' labels are the codings.
"""

from __future__ import annotations

import os

import pytest

from qcode.suggest.devset import read_devset, score_devset
from qcode.suggest.learn_devset import learn_on_devset
from tests.suggest.test_devset import DEVSET


@pytest.fixture(scope="module")
def learned(suggester):  # type: ignore[no-untyped-def]
    if not (DEVSET / "utterance_labels.jsonl").is_file():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the report development set at {DEVSET}")
        pytest.skip(f"no report development set at {DEVSET}")
    rows = read_devset(DEVSET)
    return rows, learn_on_devset(rows, suggester)


@pytest.mark.model
def test_rules_plus_learning_is_no_worse_than_rules_alone(learned) -> None:  # type: ignore[no-untyped-def]
    rows, result = learned
    assert result.cv.folds == 5 and len({r.case for r in rows}) >= 10
    rules = score_devset(rows, result.rules)
    combined = score_devset(rows, result.combined())
    mean = lambda scores: sum(s.f1 for s in scores) / len(scores)  # noqa: E731
    assert mean(combined) >= mean(rules)
    for rule, both in zip(rules, combined, strict=True):
        assert both.precision >= rule.precision - 0.1, rule.code

