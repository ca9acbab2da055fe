"""The learned model without spaCy: fitting, the JSON form, grouped CV and the trust figures,
each checked against scikit-learn computed independently in the test."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from qcode.analysis.agreement_kappa import cohen_kappa, kappa_from_tables
from qcode.analysis.suggester_trust import presence_table, trust_score
from qcode.suggest.learn import LearnedModel, LearnUnit, TrainingSet, fit, learned_suggestions
from qcode.suggest.learn_cv import cross_validate

WORDS = ["school", "leraar", "cijfer", "zus", "moeder", "geld", "moe", "thuis", "klopt", "begrijp"]


def _units(n: int = 60, seed: int = 3) -> TrainingSet:
    """Units of six cases; 'school' or 'leraar' makes code A likely, 'klopt' code B."""
    rng = random.Random(seed)
    units, positives = [], []
    for i in range(n):
        words = rng.sample(WORDS, 3)
        units.append(LearnUnit(f"d{i % 6}", f"case-{i % 6}", "chat" if i % 3 else "email", i, 0, 9,
                               " ".join(words), frozenset(f"l:{w}" for w in words), frozenset()))
        labels = set()
        if ("school" in words or "leraar" in words) and rng.random() < 0.9:
            labels.add("A")
        if "klopt" in words:
            labels.add("B")
        positives.append(frozenset(labels))
    return TrainingSet(units, positives, [frozenset()] * n)


def _sklearn_probabilities(train: TrainingSet, test: list[LearnUnit], code: str) -> np.ndarray:
    vectoriser = DictVectorizer(sparse=False)
    x = vectoriser.fit_transform([{f: 1 for f in u.features} for u in train.units])
    y = [code in p for p in train.positives]
    model = LogisticRegression(solver="liblinear", C=1.0, class_weight="balanced").fit(x, y)
    known = [{f: 1 for f in u.features if f in vectoriser.vocabulary_} for u in test]
    return np.asarray(model.predict_proba(vectoriser.transform(known))[:, 1])


def test_stored_model_scores_like_scikit_learn_and_is_plain_json() -> None:
    training = _units()
    model = LearnedModel.from_json(fit(training, ["A", "B"]).to_json())
    for code in ("A", "B"):
        ours = [model.probabilities(u)[code] for u in training.units]
        assert ours == pytest.approx(_sklearn_probabilities(training, training.units, code).tolist(), abs=1e-9)
    data = json.loads(model.to_json())  # data only: lists, numbers and strings
    assert set(data) == {"format", "features_version", "threshold", "features", "codes"}
    assert all(isinstance(f, str) for f in data["features"])


def test_a_model_of_another_format_is_refused() -> None:
    text = fit(_units(), ["A"]).to_json().replace('"format":1', '"format":99')
    with pytest.raises(ValueError, match="another format"):
        LearnedModel.from_json(text)


def test_rejected_suggestions_weigh_against_the_code() -> None:
    training = _units()
    plain = fit(training, ["A"])
    rejected = [frozenset({"A"}) if "l:moe" in u.features else frozenset() for u in training.units]
    weighted = fit(TrainingSet(training.units, training.positives, rejected), ["A"])
    moe = plain.features.index("l:moe")
    assert weighted.codes["A"].weights.get(moe, 0.0) < plain.codes["A"].weights.get(moe, 0.0)


def test_cross_validation_is_leave_one_case_out_on_a_fixed_split() -> None:
    """With as many folds as cases, each case is predicted by a model fitted on the others."""
    training = _units()
    cv = cross_validate(training, ["A"], folds=6, shares=(1.0,))
    assert cv.folds == 6
    for case in sorted({u.case for u in training.units}):
        rows = [i for i, u in enumerate(training.units) if u.case != case]
        test = [u for u in training.units if u.case == case]
        expected = _sklearn_probabilities(training.subset(rows), test, "A") >= 0.5
        got = [("A" in cv.learned[i]) for i, u in enumerate(training.units) if u.case == case]
        assert got == expected.tolist()


def test_learning_curve_learns_from_growing_shares_of_cases() -> None:
    cv = cross_validate(_units(), ["A"], folds=3)
    sizes = [run.train_units for run in cv.curve]
    assert sizes == sorted(sizes) and sizes[0] < sizes[-1]
    assert cv.curve[-1].learned == cv.learned


def test_one_case_cannot_be_cross_validated() -> None:
    from qcode.errors import SuggestionError

    training = _units()
    one = TrainingSet([u.__class__(**{**{s: getattr(u, s) for s in u.__slots__}, "case": "x"})
                       for u in training.units], training.positives, training.rejected)
    with pytest.raises(SuggestionError, match="at least two cases"):
        cross_validate(one, ["A"])


def test_trust_figures_match_scikit_learn_and_the_kappa_reference() -> None:
    rng = np.random.default_rng(11)
    gold = rng.random(300) < 0.3
    guess = np.where(rng.random(300) < 0.8, gold, ~gold)
    score = trust_score("A", "all", gold.tolist(), guess.tolist(), n_boot=2000)
    p, r, f, _ = precision_recall_fscore_support(gold, guess, average="binary", zero_division=0)
    assert (score.precision, score.recall, score.f1) == pytest.approx((p, r, f), abs=1e-12)
    assert score.kappa == pytest.approx(cohen_kappa_score(gold, guess), abs=1e-12)
    assert score.positives == int(gold.sum()) and score.units == 300
    # the interval against a plain index bootstrap written here (other random stream: loose)
    draws = rng.integers(0, 300, size=(2000, 300))
    naive = [cohen_kappa_score(gold[d], guess[d]) for d in draws]
    low, high = score.intervals["kappa"]
    assert low == pytest.approx(np.quantile(naive, 0.025), abs=0.03)
    assert high == pytest.approx(np.quantile(naive, 0.975), abs=0.03)
    assert low < score.kappa < high


def test_no_suggestion_at_all_gives_zero_precision_like_scikit_learn() -> None:
    gold = [True, False, True, False]
    score = trust_score("A", "all", gold, [False] * 4, n_boot=50)
    p, r, f, _ = precision_recall_fscore_support(gold, [False] * 4, average="binary", zero_division=0)
    assert (score.precision, score.recall, score.f1) == (p, r, f) == (0.0, 0.0, 0.0)


def test_one_kappa_formula_for_a_table_and_for_a_stack() -> None:
    rng = np.random.default_rng(5)
    a, b = rng.integers(0, 3, 50), rng.integers(0, 3, 50)
    table = np.zeros((3, 3))
    np.add.at(table, (a, b), 1)
    assert float(kappa_from_tables(table)) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    assert float(kappa_from_tables(np.stack([table, table]))[1]) == pytest.approx(cohen_kappa(a, b), abs=1e-12)
    assert presence_table([1, 1, 0], [1, 0, 0]).tolist() == [[1, 0], [1, 1]]


def test_learned_suggestions_name_their_nearest_coded_fragments() -> None:
    training = _units()
    model = fit(training, ["A"])
    school = LearnUnit("new", "c9", "chat", 0, 0, 20, "school leraar cijfer",
                       frozenset({"l:school", "l:leraar", "l:cijfer"}), frozenset())
    [found] = list(learned_suggestions(model, [school]))
    assert [s.code for s in found] == ["A"]
    near = found[0].nearest
    assert len(near) in (1, 2, 3)
    assert all("school" in e.text or "leraar" in e.text or "cijfer" in e.text for _, e in near)
    assert [s for s, _ in near] == sorted((s for s, _ in near), reverse=True)
