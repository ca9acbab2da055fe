"""Suggestion services that need no project: the ``--input`` JSONL path and gold evaluation.

The store-backed workflow (``qcode suggest --case/--document``) builds on the same engine;
these functions only read and write JSON lines.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict
from itertools import tee
from pathlib import Path
from typing import IO, TYPE_CHECKING

from qcode.suggest.evaluation import CodeScore, evaluate, read_utterances

if TYPE_CHECKING:
    from qcode.suggest.engine import Suggester


def make_suggester(model_setting: str | None = None, rules_dir: Path | None = None) -> Suggester:
    """Load the pipeline and rules (raises SuggestionError with install advice if missing)."""
    from qcode.suggest.engine import Suggester
    from qcode.suggest.nlp import load_pipeline
    from qcode.suggest.ruleset import default_rules_dir

    return Suggester(load_pipeline(model_setting), rules_dir or default_rules_dir())


def suggest_jsonl(
    input: IO[str],
    output: IO[str],
    model_setting: str | None = None,
    rules_dir: Path | None = None,
    source: str = "<stdin>",
) -> int:
    """Read ``{"id", "speaker", "text"[, "channel", "time"]}`` lines, write one result line each.

    Output lines are ``{"id", "suggestions": [{"code", "start", "end", "confidence", "rule",
    "explanation"}]}`` in input order. Returns the number of lines written.

    Raises:
        SuggestionError: no Dutch pipeline; TranscriptParseError: a malformed input line.
    """
    suggester = make_suggester(model_setting, rules_dir)
    items, ids = tee(item for item, _ in read_utterances(input, source))
    written = 0
    for item, found in zip(ids, suggester.suggest(items), strict=True):
        record = {"id": item.id, "suggestions": [asdict(s) for s in found]}
        output.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def evaluate_gold(
    gold: Path, model_setting: str | None = None, rules_dir: Path | None = None
) -> list[CodeScore]:
    """Precision, recall and F1 per code on a labelled JSONL file."""
    suggester = make_suggester(model_setting, rules_dir)
    return evaluate(gold, suggester)


def score_rows(scores: list[CodeScore]) -> Iterator[dict[str, object]]:
    """Plain rows for tables and JSON output."""
    for s in scores:
        yield {
            "code": s.code, "tp": s.tp, "fp": s.fp, "fn": s.fn,
            "precision": round(s.precision, 3), "recall": round(s.recall, 3), "f1": round(s.f1, 3),
        }


def pipeline_description(
    model_setting: str | None = None, setting_origin: str = "set in the project setting spacy_model"
) -> str:
    """Which pipeline :func:`make_suggester` will load: name, version and where from.

    ``qcode suggest`` prints it first, so a coder can tell which pipeline produced the
    suggestions (raises SuggestionError with install advice if there is none).
    """
    from qcode.suggest.nlp import choose_pipeline

    return choose_pipeline(model_setting, setting_origin).describe()
