"""Suggestions: the suggester, the project's suggestion workflow, and the project-less JSONL side.

In a project the suggester (``qcode.suggest``) works on utterance texts; this module maps its
utterance-relative offsets to document offsets, stores the result per document with the rules
version, and turns an accepted suggestion into a coding with origin "accepted suggestion".
Without a project (``qcode suggest --input``, gold evaluation) the same engine reads and writes
JSON lines. :func:`make_suggester` is the one place a suggester is built.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from qcode.coding.model import Coding, Origin
from qcode.services.learning import cache_units
from qcode.services.project import Project, now
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import corpus
from qcode.storage import suggestions as suggestion_store
from qcode.storage.suggestions import NewSuggestion
from qcode.suggest.evaluation import CodeScore, evaluate, read_utterances
from qcode.transcripts.model import Document

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from qcode.services.learning import ActiveModel
    from qcode.suggest.engine import Suggester
    from qcode.suggest.learn import LearnUnit
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


@dataclass
class SuggestSummary:
    documents: int = 0
    unchanged: int = 0
    added: int = 0
    superseded: int = 0


def project_suggester(project: Project, experimental: bool = False) -> Suggester:
    """The project's suggester: :func:`qcode.services.suggestions.make_suggester` with the
    project's pipeline setting (raises SuggestionError with install advice if no pipeline)."""

    return make_suggester(project.settings.spacy_model or None, experimental=experimental)


def suggestions_for(
    suggester: Suggester, document: Document, learned: ActiveModel | None = None,
    units_out: list[LearnUnit] | None = None,
) -> list[NewSuggestion]:
    """Run the suggester over one document; offsets become document offsets.

    Suggestions carry the code's stable id, so a renamed code keeps its suggestions; the
    suggester has checked every rule's code against the project's codebook beforehand.
    ``learned`` adds the learned model's suggestions; ``units_out`` collects the learning
    units of the same parse (``services.learning``).
    """
    from qcode.suggest.values import UtteranceInput

    items = [
        UtteranceInput(
            id=str(u.index),
            speaker=u.role.value,
            text=u.text,
            channel=document.channel.value,
            time=u.time.isoformat() if u.time else None,
            document=document.key,
        )
        for u in document.utterances
    ]
    found: list[NewSuggestion] = []
    if learned is not None or units_out is not None:
        from qcode.services.learning import suggestions_with_model

        found = suggestions_with_model(suggester, learned, document, units_out)
    else:
        for u, suggestions in zip(document.utterances, suggester.suggest(items), strict=True):
            for s in suggestions:
                found.append(NewSuggestion(
                    s.code_id, u.index, u.start + s.start, u.start + s.end, s.confidence, s.rule, s.explanation
                ))
    for seg in suggester.suggest_segments(items):
        key = suggester.code_id(seg.code)
        if key not in suggester.names or not items:
            continue
        first, last = document.utterances[seg.first_index], document.utterances[seg.last_index]
        found.append(
            NewSuggestion(
                key,
                first.index if seg.first_index == seg.last_index else None,
                first.start,
                last.end,
                seg.confidence,
                seg.rule,
                seg.explanation,
            )
        )
    return found


def suggest_documents(
    project: Project,
    documents: Sequence[str] | None = None,
    on_document: Callable[[str], None] | None = None,
    suggester: Suggester | None = None,
    learned: ActiveModel | None = None,
) -> SuggestSummary:
    """Suggest codes for documents; documents already done by these rules are skipped.

    ``learned``: the project's learned model (``services.learning.active_model``) adds its
    suggestions and marks the rule suggestions it agrees with; a new model re-runs documents.

    Raises:
        CodebookError: a rule names a code id the project's codebook lacks (file and line).
    """
    engine = suggester or project_suggester(project)
    version = engine.rules_version + (f"+model{learned.version}" if learned else "")
    summary = SuggestSummary()
    with project.session() as session:
        keys = list(documents) if documents is not None else corpus.document_keys(session)
        book = codebook_store.stored_codebook(session)
    engine.use_codebook(book)
    for key in keys:
        with project.session() as session:
            if suggestion_store.last_run(session, key) == version:
                summary.unchanged += 1
                if on_document:
                    on_document(key)
                continue
            doc = corpus.load_document(session, key)
        if doc is None:
            continue
        units: list[LearnUnit] = []
        found = suggestions_for(engine, doc, learned, units)
        with project.session() as session:
            changes = suggestion_store.store_suggestions(session, key, version, found, now())
            cache_units(session, engine, key, units)
        summary.documents += 1
        summary.added += changes.added
        summary.superseded += changes.superseded
        if not (changes.added or changes.superseded):
            summary.unchanged += 1
        if on_document:
            on_document(key)
    return summary


def list_suggestions(
    project: Project, coder: str, document: str | None = None, status: str = "pending"
) -> list[dict[str, Any]]:
    """The coder's suggestions, each with ``text``: the turn it is on (people decide on it)."""
    with project.session() as session:
        rows = suggestion_store.suggestion_rows(session, document, coder, status)
        documents = sorted({str(r["document"]) for r in rows})
        turns = {(u.document, u.index): u.text for u in corpus.utterance_rows(session, documents)} if rows else {}
        spread = sorted({str(r["document"]) for r in rows if r["utterance"] is None})
        texts = {d.document: d.text for d in corpus.document_rows(session, spread)} if spread else {}
    for row in rows:
        if row["utterance"] is None:  # a segment over several turns: its text, cut short
            span = texts.get(row["document"], "")[row["start"] : row["end"]]
            row["text"] = span if len(span) <= SEGMENT_TEXT else span[: SEGMENT_TEXT - 1] + "…"
        else:
            row["text"] = turns.get((row["document"], row["utterance"]), "")
    return rows


SEGMENT_TEXT = 300
"""Characters of a segment suggestion's text shown with it (a phase can span many turns)."""


@dataclass(frozen=True, slots=True)
class ShownSuggestion:
    """A suggestion as the workbench shows it and acts on it (accept, reject, accept all)."""

    id: int
    document: str
    code: str
    """Code id."""
    code_name: str
    utterance: int | None
    """Index of its utterance; None for a segment over several turns (a phase)."""
    turn: int
    """Index of the turn it is shown on: its utterance, or the turn a segment starts in."""
    start: int
    end: int
    """Its span in the document's text."""
    confidence: float
    explanation: str
    """Why it was suggested, in words (the rule's or the model's reason)."""
    rule: str
    """What made it: the rule's id (or the learned model's)."""
    status: str
    """pending, accepted or rejected (for the coder who asked)."""


def shown_suggestions(rows: Iterable[Mapping[str, Any]], turn_starts: Sequence[int]) -> list[ShownSuggestion]:
    """The stored suggestion rows (``storage.suggestions.suggestion_rows``) of one document, for the screen.

    ``turn_starts`` are the document's utterance starts, in order: a segment suggestion sits on
    the turn where it starts.
    """
    shown = []
    for r in rows:
        utterance = r["utterance"]
        turn = utterance if utterance is not None else max(bisect_right(turn_starts, r["start"]) - 1, 0)
        shown.append(
            ShownSuggestion(
                id=int(r["id"]), document=str(r["document"]), code=str(r["code"]), code_name=str(r["code_name"]),
                utterance=utterance, turn=int(turn), start=int(r["start"]), end=int(r["end"]),
                confidence=float(r["confidence"]), explanation=str(r["explanation"] or ""),
                rule=str(r["rule"] or ""), status=str(r["status"]),
            )
        )
    return shown


def accept(project: Project, suggestion_id: int, coder: str) -> int:
    """Accept: one transaction creates the coding and records the decision."""
    with project.session() as session:
        s = suggestion_store.suggestion(session, suggestion_id)
        moment = now()
        coding = Coding(s.document, s.start, s.end, s.code, coder, Origin.SUGGESTION, detail=s.rule)
        # Already coded so by hand: the suggestion resolves to that coding, never a second copy.
        existing = suggestion_store.live_coding_id(session, coding)
        if existing is not None:
            suggestion_store.link_suggestion(session, existing, suggestion_id)
            suggestion_store.decide(session, suggestion_id, coder, "accepted", moment, existing)
            return existing
        coding_id = coding_store.add_coding(session, coding, moment, suggestion_id=suggestion_id)
        suggestion_store.decide(session, suggestion_id, coder, "accepted", moment, coding_id)
        return coding_id


def reject(project: Project, suggestion_id: int, coder: str) -> None:
    with project.session() as session:
        suggestion_store.decide(session, suggestion_id, coder, "rejected", now())


def accept_all(project: Project, document: str, code: str, coder: str) -> int:
    """Accept every pending suggestion of one code in one document; returns how many."""
    with project.session() as session:
        key = codebook_store.find_code(session, code).key
        pending = [
            s for s in suggestion_store.suggestion_rows(session, document, coder) if s["code"] == key
        ]
    for s in pending:
        accept(project, s["id"], coder)
    return len(pending)
