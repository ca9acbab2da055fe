"""Suggestion services that need no project: the ``--input`` JSONL path and gold evaluation.

The store-backed workflow (``qcode suggest --case/--document``) builds on the same engine;
these functions only read and write JSON lines.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path
from typing import IO, TYPE_CHECKING

from qcode.suggest.evaluation import CodeScore, evaluate, read_utterances

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from qcode.suggest.engine import Suggester
    from qcode.suggest.values import Suggestion, UtteranceInput

RowsOf = Callable[["UtteranceInput", "list[Suggestion]", "Doc"], "list[dict[str, object]]"]


def make_suggester(
    model_setting: str | None = None, rules_dir: Path | None = None, experimental: bool = False
) -> Suggester:
    """Load the pipeline and rules (raises SuggestionError with install advice if missing).

    ``experimental`` also offers the codes below the precision bar, labelled "experimental".
    """
    from qcode.suggest.engine import Suggester
    from qcode.suggest.nlp import load_pipeline
    from qcode.suggest.ruleset import default_rules_dir

    return Suggester(
        load_pipeline(model_setting), rules_dir or default_rules_dir(), experimental=experimental
    )


def suggest_jsonl(
    input: IO[str],
    output: IO[str],
    model_setting: str | None = None,
    rules_dir: Path | None = None,
    source: str = "<stdin>",
    experimental: bool = False,
    rows_of: RowsOf | None = None,
) -> int:
    """Read ``{"id", "speaker", "text"[, "channel", "time", "document"]}`` lines, write one
    result line each.

    Lines with the same ``document`` are each other's context, in file order, even when other
    lines stand between them. Output lines are ``{"id", "suggestions": [{"code", "code_id",
    "start", "end", "confidence", "rule", "explanation", "experimental"}]}`` in input order.
    Returns the number of lines written. ``rows_of`` turns one input's suggestions (with
    its parse) into output rows instead: inside a project it adds the learned model's
    suggestions and each row's ``source`` (``services.learning.jsonl_rows``).

    Raises:
        SuggestionError: no Dutch pipeline; TranscriptParseError: a malformed input line.
    """
    suggester = make_suggester(model_setting, rules_dir, experimental)
    items = [item for item, _ in read_utterances(input, source)]
    order = sorted(range(len(items)), key=_grouping(items))
    results: list[list[dict[str, object]]] = [[] for _ in items]
    analysed = suggester.analyse(items[i] for i in order)
    for index, (suggested, doc) in zip(order, analysed, strict=True):
        results[index] = rows_of(items[index], suggested, doc) if rows_of else [asdict(s) for s in suggested]
    for item, rows in zip(items, results, strict=True):
        output.write(json.dumps({"id": item.id, "suggestions": rows}, ensure_ascii=False) + "\n")
    return len(items)


def _grouping(items: list[UtteranceInput]) -> Callable[[int], tuple[int, int]]:
    """Sort key: lines of one document together (at its first line's place), in file order."""
    first: dict[str, int] = {}
    for index, item in enumerate(items):
        if item.document is not None:
            first.setdefault(item.document, index)

    def key(index: int) -> tuple[int, int]:
        document = items[index].document
        return (index if document is None else first[document], index)

    return key


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
