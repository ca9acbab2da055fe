"""Does learning add to the rules? Cross-validated by case on the report development set.

    QCODE_SPACY_MODEL=../shared/models/nl_ud_sm_selftrained \\
        .venv/bin/python scripts/evaluate_learning.py [--devset DIR] [--compare] [--markdown]

Each dev row is a unit labelled with its codes (a project whose only codings are a coder's
labels of the report fragments); models learn from some cases and suggest for the others
(``qcode.suggest.learn_devset``), scored by the set's README like the rules. Prints, per
code: rules alone, rules + learned, and the learned model alone; then the learning curve.
``--compare`` also runs the candidate learners on the dev set and on the invented gold sets
(each gold row its own group), with and without the rules' output as features.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from qcode.services.suggestions import make_suggester
from qcode.suggest.devset import DevRow, default_devset_dir, read_devset, score_devset
from qcode.suggest.engine import Suggester
from qcode.suggest.evaluation import CodeScore, read_utterances
from qcode.suggest.learn_cv import cross_validate
from qcode.suggest.learn_devset import dev_training_set, learn_on_devset

GOLD = Path(__file__).resolve().parents[1] / "tests" / "suggest"


def _mean(scores: Sequence[CodeScore]) -> float:
    return sum(s.f1 for s in scores) / len(scores)


def _learners() -> dict[str, Callable[[], Any] | None]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    return {
        "logistic regression, balanced classes, C=1 (chosen)": None,
        "logistic regression, C=1": lambda: LogisticRegression(solver="liblinear"),
        "logistic regression, balanced classes, C=0.3": lambda: LogisticRegression(
            solver="liblinear", class_weight="balanced", C=0.3
        ),
        "logistic regression, balanced classes, C=3": lambda: LogisticRegression(
            solver="liblinear", class_weight="balanced", C=3.0
        ),
        "linear SVM, C=0.5": lambda: LinearSVC(C=0.5),
        "linear SVM, balanced classes, C=0.5": lambda: LinearSVC(C=0.5, class_weight="balanced"),
    }


def gold_rows() -> list[DevRow]:
    """The invented gold sets as dev rows: every code scored on every row, each row a group."""
    rows = []
    for name in ("gold.jsonl", "gold_heldout.jsonl"):
        with (GOLD / name).open(encoding="utf-8") as handle:
            for item, raw in read_utterances(handle, name):
                codes = frozenset(str(c) for c in raw.get("codes", []))
                rows.append(DevRow(replace(item, document=None), codes, "negative", frozenset(), item.id))
    return rows


def compare(rows: Sequence[DevRow], suggester: Suggester, label: str, codes: Sequence[str]) -> None:
    training, rules = dev_training_set(rows, suggester)
    plain = replace(training, units=[
        replace(u, features=frozenset(f for f in u.features if not f.startswith("rule"))) for u in training.units
    ])
    ids = [suggester.code_id(c) for c in codes]
    names = dict(zip(ids, codes, strict=True))
    print(f"\n{label}: {len(rows)} rows, mean F1 over {len(codes)} codes, rules alone "
          f"{_mean(score_devset(rows, rules, codes)):.2f}")
    print("| learner | rules + learned | learned alone | learned alone, no rule features | fit s |")
    print("|---|---|---|---|---|")
    for name, learner in _learners().items():
        start = time.perf_counter()
        cv = cross_validate(training, ids, shares=(1.0,), learner=learner)
        seconds = time.perf_counter() - start
        bare = cross_validate(plain, ids, shares=(1.0,), learner=learner)
        combined = [r | {names[c] for c in f} for r, f in zip(rules, cv.learned, strict=True)]
        alone = [{names[c] for c in f} for f in cv.learned]
        without = [{names[c] for c in f} for f in bare.learned]
        print(f"| {name} | {_mean(score_devset(rows, combined, codes)):.2f} | "
              f"{_mean(score_devset(rows, alone, codes)):.2f} | {_mean(score_devset(rows, without, codes)):.2f} | "
              f"{seconds:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=default_devset_dir())
    parser.add_argument("--compare", action="store_true", help="compare candidate learners")
    parser.add_argument("--markdown", action="store_true", help="print docs tables")
    args = parser.parse_args()
    rows = read_devset(args.devset)
    suggester = make_suggester()
    result = learn_on_devset(rows, suggester)
    rules = score_devset(rows, result.rules)
    combined = score_devset(rows, result.combined())
    alone = score_devset(rows, [{result.names[c] for c in f} for f in result.cv.learned])
    print(f"{len(rows)} rows, {len({r.case for r in rows})} cases, {result.cv.folds} folds by case; "
          f"rules {suggester.rules_version}")
    print("| code | n | rules P | rules R | rules F1 | + learned P | + learned R | + learned F1 | learned alone F1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r, c, a in zip(rules, combined, alone, strict=True):
        print(f"| {r.code} | {r.tp + r.fn} | {r.precision:.2f} | {r.recall:.2f} | {r.f1:.2f} | "
              f"{c.precision:.2f} | {c.recall:.2f} | {c.f1:.2f} | {a.f1:.2f} |")
    print(f"| **mean** | | | | **{_mean(rules):.2f}** | | | **{_mean(combined):.2f}** | {_mean(alone):.2f} |")
    print("\nLearning curve (mean F1 over the scored codes; units = mean training units per fold)")
    print("| units learned from | rules + learned | learned alone |")
    print("|---|---|---|")
    for run in result.cv.curve:
        with_rules = score_devset(rows, result.combined(run.learned))
        by_model = score_devset(rows, [{result.names[c] for c in f} for f in run.learned])
        print(f"| {run.train_units:.0f} | {_mean(with_rules):.2f} | {_mean(by_model):.2f} |")
    if args.compare:
        from qcode.suggest.devset import SCORED_CODES

        compare(rows, suggester, "Report dev set", SCORED_CODES)
        gold = gold_rows()
        codes = sorted({c for r in gold for c in r.codes})
        compare(gold, suggester, "Invented gold sets", codes)


if __name__ == "__main__":
    main()
