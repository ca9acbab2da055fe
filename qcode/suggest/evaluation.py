"""Precision, recall and F1 per code against a labelled JSONL file.

The gold file has one object per line, ``{"id", "speaker", "text", "codes": [...]}`` (plus
optional ``channel``). An utterance counts as a true positive for a code when both the gold
labels and the suggestions contain that code, whatever the span: coders code utterances.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from qcode.errors import SuggestionError, TranscriptParseError
from qcode.suggest.values import Suggestion, UtteranceInput


class SuggestsUtterances(Protocol):
    """Anything with :meth:`~qcode.suggest.engine.Suggester.suggest`."""

    def suggest(
        self, items: Iterable[UtteranceInput], batch_size: int = ..., n_process: int = ...
    ) -> Iterator[list[Suggestion]]: ...


@dataclass(frozen=True)
class CodeScore:
    """Counts and scores for one code."""

    code: str
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class GoldItem:
    """One labelled utterance."""

    item: UtteranceInput
    codes: frozenset[str]


def read_utterances(lines: Iterable[str], source: str) -> Iterator[tuple[UtteranceInput, Any]]:
    """Parse JSONL lines into inputs; yields the raw object too (for ``codes``).

    Raises:
        TranscriptParseError: naming the source and line of a malformed object.
    """
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise TranscriptParseError(source, number, f"not valid JSON: {error.msg}") from error
        if not isinstance(data, dict):
            raise TranscriptParseError(source, number, "expected a JSON object")
        missing = [k for k in ("id", "speaker", "text") if k not in data]
        if missing:
            raise TranscriptParseError(source, number, f"missing field(s): {', '.join(missing)}")
        speaker = data["speaker"]
        if speaker not in ("counsellor", "client", "system"):
            raise TranscriptParseError(
                source, number, f"speaker must be counsellor, client or system, not {speaker!r}"
            )
        if not isinstance(data["text"], str):
            raise TranscriptParseError(source, number, "text must be a string")
        channel = data.get("channel", "chat")
        if channel not in ("chat", "email"):
            raise TranscriptParseError(source, number, f"channel must be chat or email: {channel!r}")
        time = data.get("time")
        document = data.get("document")
        if document is not None and not isinstance(document, str | int):
            raise TranscriptParseError(source, number, "document must be a string")
        item = UtteranceInput(
            str(data["id"]), speaker, data["text"], channel, None if time is None else str(time),
            None if document is None else str(document),
        )
        yield item, data


def read_gold(path: Path) -> list[GoldItem]:
    """Read a labelled file; every line needs a ``codes`` list."""
    if not path.is_file():
        raise SuggestionError(f"{path}: no such gold file")
    items: list[GoldItem] = []
    with path.open(encoding="utf-8") as handle:
        for number, (item, data) in enumerate(read_utterances(handle, str(path)), start=1):
            codes = data.get("codes")
            if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
                raise TranscriptParseError(path, number, "'codes' must be a list of code names")
            items.append(GoldItem(item, frozenset(codes)))
    return items


def score(gold: list[GoldItem], predicted: list[set[str]]) -> list[CodeScore]:
    """Per-code counts, for every code in the gold labels or the predictions, sorted by name."""
    codes = sorted({c for g in gold for c in g.codes} | {c for p in predicted for c in p})
    scores = []
    for code in codes:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if code in g.codes and code in p)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if code not in g.codes and code in p)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if code in g.codes and code not in p)
        scores.append(CodeScore(code, tp, fp, fn))
    return scores


def evaluate(gold: Path, suggester: SuggestsUtterances) -> list[CodeScore]:
    """Suggest for every gold utterance and score per code (utterance level)."""
    items = read_gold(Path(gold))
    predicted = [
        {s.code for s in found} for found in suggester.suggest(g.item for g in items)
    ]
    return score(items, predicted)


def mistakes(gold: Path, suggester: SuggestsUtterances) -> Iterator[tuple[GoldItem, set[str]]]:
    """Gold items whose suggested codes differ from the labels (for rule development)."""
    items = read_gold(Path(gold))
    for g, found in zip(items, suggester.suggest(g.item for g in items), strict=True):
        codes = {s.code for s in found}
        if codes != set(g.codes):
            yield g, codes
