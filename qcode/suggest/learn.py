"""The learned suggester: one linear model per code, fitted on a team's own codings.

Why logistic regression with balanced class weights on binary features: the comparison in
docs/suggestions.md ("Choosing the learner", ``scripts/evaluate_learning.py --compare``)
measured it against plain logistic regression, other regularisation strengths and linear SVMs
on the report development set and the invented gold sets; it was as good or better
everywhere, fits 5,000 units in well under a second, and gives a probability a coder can read
as confidence.

Why JSON and not pickle: a model is project data that travels with ``copy-project`` and may
come from a colleague's database. Unpickling runs arbitrary code; a fitted logistic regression
is only a vocabulary, a weight per feature and a bias, so it is stored as exactly that
(:meth:`LearnedModel.to_json`) and scored with plain sums. scikit-learn is needed to
*fit*, never to load or to suggest.

A *unit* is what a code is suggested on: a chat utterance, or one sentence of an e-mail (the
suggester's sentence split). Its features come from the parse the rules ran on (lemmas, word
forms, lemma bigrams, POS tags, speaker, channel) plus the rules' own output on the unit
(``rule:<code id>``), so the model stacks on the rules instead of replacing them.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qcode.suggest.values import Suggestion, UtteranceInput

if TYPE_CHECKING:
    from spacy.tokens import Doc

FEATURES_VERSION = 1
"""Bump when :func:`unit_features` changes: a model is only valid with the features it saw."""
MODEL_FORMAT = 1
THRESHOLD = 0.5
"""A learned suggestion is made when the model's probability reaches this."""
EXAMPLES_PER_CODE = 400
"""Positive units kept per code to name the nearest coded fragments (the first ones coded)."""
REJECTED_WEIGHT = 2.0
"""A rejected suggestion is a negative a coder looked at: it weighs twice an uncoded unit."""
LEARNER = "logistic regression (liblinear, C=1, balanced classes, binary features)"


@dataclass(frozen=True, slots=True)
class LearnUnit:
    """One chat utterance or e-mail sentence, with its features."""

    document: str
    case: str
    channel: str
    turn: int
    """0-based utterance index (shown to users from 1)."""
    start: int
    """Character offsets into the utterance's text."""
    end: int
    text: str
    features: frozenset[str]
    rule_codes: frozenset[str]
    """Code ids the rules suggest on this unit."""


@dataclass(frozen=True, slots=True)
class Example:
    """A coded fragment a learned suggestion is compared with in its explanation."""

    document: str
    turn: int
    text: str
    features: tuple[int, ...]


@dataclass
class CodeModel:
    """The fitted logistic regression of one code."""

    code: str
    weights: dict[int, float]
    bias: float
    positives: int
    negatives: int
    examples: list[Example] = field(default_factory=list)

    def probability(self, indices: Iterable[int]) -> float:
        score = self.bias + sum(self.weights.get(i, 0.0) for i in indices)
        return 1.0 / (1.0 + math.exp(-score)) if score > -700 else 0.0


@dataclass
class LearnedModel:
    """Vocabulary plus one :class:`CodeModel` per learned code."""

    features: list[str]
    codes: dict[str, CodeModel]
    threshold: float = THRESHOLD
    _index: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._index = {name: i for i, name in enumerate(self.features)}

    def indices(self, features: Iterable[str]) -> tuple[int, ...]:
        """The vocabulary positions of the features the model knows (unknown ones drop out)."""
        return tuple(sorted({self._index[f] for f in features if f in self._index}))

    def probabilities(self, unit: LearnUnit) -> dict[str, float]:
        known = self.indices(unit.features)
        return {code: model.probability(known) for code, model in self.codes.items()}

    def nearest(self, code: str, unit: LearnUnit, k: int = 3) -> list[tuple[float, Example]]:
        """The ``k`` coded fragments of ``code`` most like ``unit`` (cosine over feature sets).

        A fragment with the very text of the unit is passed over: it would explain nothing.
        """
        known = set(self.indices(unit.features))
        if not known or code not in self.codes:
            return []
        scored = []
        seen = {unit.text}
        for example in self.codes[code].examples:
            if example.text in seen:
                continue  # the unit itself, or a fragment already named
            seen.add(example.text)
            overlap = len(known.intersection(example.features))
            if overlap:
                scored.append((overlap / math.sqrt(len(known) * len(example.features)), example))
        scored.sort(key=lambda pair: -pair[0])
        return scored[:k]

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": MODEL_FORMAT,
                "features_version": FEATURES_VERSION,
                "threshold": self.threshold,
                "features": self.features,
                "codes": {
                    code: {
                        "weights": sorted([i, w] for i, w in m.weights.items()),
                        "bias": m.bias,
                        "positives": m.positives,
                        "negatives": m.negatives,
                        "examples": [[e.document, e.turn, e.text, list(e.features)] for e in m.examples],
                    }
                    for code, m in sorted(self.codes.items())
                },
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> LearnedModel:
        """Rebuild a stored model; only numbers and strings are read, nothing is executed.

        Raises:
            ValueError: the text is not a model of a format this qcode reads.
        """
        data: dict[str, Any] = json.loads(text)
        if data.get("format") != MODEL_FORMAT or data.get("features_version") != FEATURES_VERSION:
            raise ValueError("learned model of another format: run qcode learn again")
        codes = {
            str(code): CodeModel(
                str(code),
                {int(i): float(w) for i, w in m["weights"]},
                float(m["bias"]),
                int(m["positives"]),
                int(m["negatives"]),
                [Example(str(d), int(t), str(x), tuple(int(i) for i in f)) for d, t, x, f in m["examples"]],
            )
            for code, m in data["codes"].items()
        }
        return cls([str(f) for f in data["features"]], codes, float(data["threshold"]))


def unit_features(
    doc: Doc, start: int, end: int, item: UtteranceInput, rules: Sequence[Suggestion]
) -> frozenset[str]:
    """Binary features of the text ``start:end`` of a processed utterance.

    Lemmas and lower-case forms both (the stand-in pipeline gives odd lemmas to about 9 % of
    verbs), lemma bigrams for word order, universal POS tags, whether a question mark ends a
    clause, speaker and channel, and the rules that fire on the unit. No NER: the stand-in has
    none and nothing here may depend on it.
    """
    found: set[str] = {f"speaker:{item.speaker}", f"channel:{item.channel}"}
    previous = "<s>"
    for token in doc:
        if token.idx < start or token.idx >= end or token.is_space:
            continue
        if token.is_punct:
            if token.text == "?":
                found.add("question")
            continue
        lemma = token.lemma_.lower()
        found.add(f"l:{lemma}")
        found.add(f"w:{token.lower_}")
        found.add(f"p:{token.pos_}")
        found.add(f"b:{previous}_{lemma}")
        previous = lemma
    for s in rules:
        if s.start < end and start < s.end:
            found.add(f"rule:{s.code_id}")
            found.add(f"rule_id:{s.rule}")
    return frozenset(found)


def unit_spans(doc: Doc, channel: str) -> list[tuple[int, int]]:
    """A chat utterance is one unit; an e-mail utterance has one unit per sentence."""
    text = doc.text
    if channel != "email":
        return [(0, len(text.rstrip()))] if text.strip() else []
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while end > start and text[end - 1].isspace():
            end -= 1
        if text[start:end].strip():
            spans.append((start, end))
    return spans


def make_units(
    item: UtteranceInput, doc: Doc, rules: Sequence[Suggestion], case: str, turn: int
) -> list[LearnUnit]:
    """The units of one processed utterance."""
    return [
        LearnUnit(
            item.document or item.id, case, item.channel, turn, start, end, item.text[start:end],
            unit_features(doc, start, end, item, rules),
            frozenset(s.code_id for s in rules if s.start < end and start < s.end),
        )
        for start, end in unit_spans(doc, item.channel)
    ]


@dataclass(frozen=True)
class TrainingSet:
    """Units with the codes humans gave them and the suggestions humans rejected on them."""

    units: list[LearnUnit]
    positives: list[frozenset[str]]
    rejected: list[frozenset[str]]
    unknown: list[frozenset[str]] | None = None
    """Per unit, codes nobody decided on (the dev set's unassessed rows): left out of fitting."""

    def subset(self, rows: Sequence[int]) -> TrainingSet:
        unknown = None if self.unknown is None else [self.unknown[i] for i in rows]
        return TrainingSet(
            [self.units[i] for i in rows], [self.positives[i] for i in rows],
            [self.rejected[i] for i in rows], unknown,
        )

    def weight(self, row: int, code: str) -> float:
        if self.unknown is not None and code in self.unknown[row]:
            return 0.0
        rejected = code in self.rejected[row] and code not in self.positives[row]
        return REJECTED_WEIGHT if rejected else 1.0

    def digest(self) -> str:
        """SHA-256 over what the model learns from, so a model says which data made it."""
        sha = hashlib.sha256(f"features {FEATURES_VERSION}\n".encode())
        for unit, codes, rejected in zip(self.units, self.positives, self.rejected, strict=True):
            line = [unit.document, str(unit.turn), str(unit.start), str(unit.end), *sorted(codes), "|", *sorted(rejected)]
            sha.update(("\t".join(line) + "\n").encode())
        return sha.hexdigest()


def fit(
    training: TrainingSet, codes: Sequence[str], min_positives: int = 2,
    learner: Callable[[], Any] | None = None,
) -> LearnedModel:
    """Fit one logistic regression per code with at least ``min_positives`` coded units.

    A code every unit carries, or none, cannot be learned and is left out. ``learner`` makes
    another linear scikit-learn estimator (``coef_``, ``intercept_``; a score above 0 means
    "suggest"): only ``scripts/evaluate_learning.py`` uses it, to compare learners.
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    vocabulary = sorted({f for unit in training.units for f in unit.features})
    index = {name: i for i, name in enumerate(vocabulary)}
    rows, cols = [], []
    for row, unit in enumerate(training.units):
        for name in unit.features:
            rows.append(row)
            cols.append(index[name])
    matrix = csr_matrix(
        (np.ones(len(rows)), (rows, cols)), shape=(len(training.units), len(vocabulary))
    )
    models: dict[str, CodeModel] = {}
    for code in codes:
        labels = np.array([code in p for p in training.positives], dtype=np.int8)
        weight = np.array([training.weight(row, code) for row in range(len(labels))])
        positives = int(labels[weight > 0].sum())
        if positives < min_positives or positives == int((weight > 0).sum()):
            continue
        estimator = learner() if learner else LogisticRegression(
            solver="liblinear", C=1.0, class_weight="balanced"
        )
        estimator.fit(matrix, labels, sample_weight=weight)
        coefficients = estimator.coef_[0]
        weights = {int(i): float(coefficients[i]) for i in np.flatnonzero(coefficients)}
        examples = [
            Example(u.document, u.turn, u.text, tuple(sorted(index[f] for f in u.features)))
            for u, p in zip(training.units, training.positives, strict=True) if code in p
        ][:EXAMPLES_PER_CODE]
        models[code] = CodeModel(
            code, weights, float(estimator.intercept_[0]), positives, len(labels) - positives, examples
        )
    return LearnedModel(vocabulary, models)


@dataclass(frozen=True)
class LearnedSuggestion:
    """A code the model proposes for a unit, with why."""

    code: str
    unit: LearnUnit
    confidence: float
    nearest: list[tuple[float, Example]]


def learned_suggestions(
    model: LearnedModel, units: Iterable[LearnUnit], neighbours: int = 3
) -> Iterator[list[LearnedSuggestion]]:
    """Per unit, the codes whose probability reaches the model's threshold, with neighbours
    (none when ``neighbours`` is 0: cross-validation needs only the decisions)."""
    for unit in units:
        found = []
        for code, probability in sorted(model.probabilities(unit).items()):
            if probability >= model.threshold:
                near = model.nearest(code, unit, neighbours) if neighbours else []
                found.append(LearnedSuggestion(code, unit, probability, near))
        yield found


def explain(suggestion: LearnedSuggestion, version: int, names: dict[str, str]) -> str:
    """``learned (model 3, confidence 0.82) from the team's Feedback codings, like:
    casus-01/chat-1 turn 5 "…"; …`` (turns shown from 1)."""
    name = names.get(suggestion.code, suggestion.code)
    like = "; ".join(
        f'{e.document} turn {e.turn + 1} "{_short(e.text)}"' for _, e in suggestion.nearest
    )
    head = f"learned (model {version}, confidence {suggestion.confidence:.2f}) from the team's {name} codings"
    return f"{head}, like: {like}" if like else head


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def units_json(units: Sequence[LearnUnit]) -> str:
    """A document's units for the feature cache (text is re-read from the document)."""
    return json.dumps(
        [[u.turn, u.start, u.end, sorted(u.features), sorted(u.rule_codes)] for u in units],
        ensure_ascii=False, separators=(",", ":"),
    )


def units_from_json(text: str, document: str, case: str, channel: str, turns: dict[int, str]) -> list[LearnUnit]:
    """Rebuild cached units; ``turns`` maps a turn index to its text."""
    return [
        LearnUnit(document, case, channel, int(turn), int(start), int(end), turns.get(int(turn), "")[start:end],
                  frozenset(features), frozenset(rules))
        for turn, start, end, features, rules in json.loads(text)
    ]


def features_key(nlp_meta: dict[str, Any], rules_version: str) -> str:
    """What cached features depend on: this module's features, the rules, the pipeline."""
    return f"{FEATURES_VERSION}|{rules_version}|{nlp_meta.get('lang', '')}_{nlp_meta.get('name', '')}-{nlp_meta.get('version', '')}"
