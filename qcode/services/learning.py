"""``qcode learn``, learned suggestions and ``qcode suggestions trust``: the machine as a coder.

Training data are the project's human codings (origins manual, accepted suggestion and
consensus) at each code's unit (a chat utterance, an e-mail sentence; ``suggest.learn``),
in the documents the chosen coders coded: a unit of such a document without the code is a
negative, and one where a coder *rejected* a suggestion of the code weighs double. Features
come from the suggester's parse plus the rules' output on the unit, so the pipeline runs once
per document. Nothing here uses the network: the model is fitted and applied in-process and
stored in the project database (``storage.learned``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from qcode.codebook.model import Codebook, Unit
from qcode.coding.model import AUTO_CODER, Origin
from qcode.errors import SuggestionError
from qcode.services.project import Project, now
from qcode.storage import codebooks as codebook_store
from qcode.storage import corpus
from qcode.storage import learned as learned_store
from qcode.storage import suggestions as suggestion_store
from qcode.storage.codings import CodingFilter, coder_names, coding_rows
from qcode.storage.settings import get_setting
from qcode.storage.suggestions import NewSuggestion

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from sqlalchemy.orm import Session

    from qcode.suggest.engine import Suggester
    from qcode.suggest.learn import LearnedModel, LearnUnit, TrainingSet
    from qcode.suggest.values import Suggestion, UtteranceInput
    from qcode.transcripts.model import Document, Utterance

HUMAN_ORIGINS = (Origin.MANUAL.value, Origin.SUGGESTION.value, Origin.CONSENSUS.value)
DEFAULT_PRECISION_BAR = 0.6
PRECISION_BAR_SETTING = "suggestion_precision_bar"
"""Database setting (shared by the team) for the bar; ``qcode learn --precision-bar`` sets it."""


def learnable_codes(book: Codebook, suggester: Suggester) -> list[str]:
    """Codes people apply to turns or sentences: not automatic ones, not phases or other
    codes whose rules work on stretches of turns (``unit: segment`` in their rules file),
    not document or case codes. The codebook's ``unit`` of many turn codes is ``segment``
    (Compliment woorden may cover a few words), so the rules' unit decides where there are rules.
    """
    stretches = {c.code for c in suggester.ruleset.codes if c.unit == "segment"}
    return [
        c.id for c in book.codes
        if not c.automatic and c.exclusive != "phase" and c.id not in stretches
        and c.unit in (Unit.UTTERANCE, Unit.SEGMENT)
    ]


def precision_bar(project: Project) -> float:
    with project.session() as session:
        text = get_setting(session, PRECISION_BAR_SETTING, "")
    try:
        return float(text) if text else DEFAULT_PRECISION_BAR
    except ValueError:
        return DEFAULT_PRECISION_BAR


def set_precision_bar(project: Project, value: float) -> None:
    """Store the bar (0–1) for the whole team.

    Raises:
        SuggestionError: the value lies outside 0–1.
    """
    from qcode.storage.settings import set_setting

    if not 0.0 <= value <= 1.0:
        raise SuggestionError(f"The precision bar must lie between 0 and 1 (got {value}).")
    with project.session() as session:
        set_setting(session, PRECISION_BAR_SETTING, repr(float(value)))


def _human_coders(project: Project, coders: Sequence[str] | None) -> list[str]:
    """The coders named, or every coder but ``auto`` (consensus codings are a coder too)."""
    if coders:
        return sorted(set(coders))
    with project.session() as session:
        return sorted(c.name for c in coder_names(session) if c.name != AUTO_CODER)


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Half of the shorter span lies in the other: a coding on part of a long turn counts."""
    common = min(a_end, b_end) - max(a_start, b_start)
    return common > 0 and 2 * common >= min(a_end - a_start, b_end - b_start)


@dataclass
class _Labels:
    codings: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    rejected: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)


def _labels(project: Project, coders: Sequence[str], codes: Sequence[str]) -> _Labels:
    labels = _Labels()
    with project.session() as session:
        wanted = set(codes)
        for row in coding_rows(session, CodingFilter(coders=list(coders))):
            if row["origin"] in HUMAN_ORIGINS:  # any code marks the document as coded by them
                spans = labels.codings.setdefault(row["document"], [])
                if row["code"] in wanted:
                    spans.append((row["start"], row["end"], row["code"]))
        for coder in coders:
            for row in suggestion_store.suggestion_rows(session, None, coder, "rejected"):
                if row["code"] in codes:
                    labels.rejected.setdefault(row["document"], []).append((row["start"], row["end"], row["code"]))
    return labels


def document_units(
    suggester: Suggester, document: Document
) -> list[tuple[Utterance, UtteranceInput, list[Suggestion], Doc, list[LearnUnit]]]:
    """Each utterance with its rule suggestions, parse and learning units (one pipeline pass)."""
    from qcode.suggest.learn import make_units
    from qcode.suggest.values import UtteranceInput

    items = [
        UtteranceInput(str(u.index), u.role.value, u.text, document.channel.value,
                       u.time.isoformat() if u.time else None, document.key)
        for u in document.utterances
    ]
    result = []
    for u, item, (rules, doc) in zip(document.utterances, items, suggester.analyse(items), strict=True):
        result.append((u, item, rules, doc, make_units(item, doc, rules, document.case_key, u.index)))
    return result


def training_set(
    project: Project, suggester: Suggester, coders: Sequence[str], codes: Sequence[str],
    on_document: Callable[[str], None] | None = None,
) -> TrainingSet:
    """Every unit of the documents these coders coded, labelled with their codes."""
    from qcode.suggest.learn import TrainingSet

    labels = _labels(project, coders, codes)
    by_document = project_units(project, suggester, sorted(labels.codings), on_document)
    units: list[LearnUnit] = []
    positives: list[frozenset[str]] = []
    rejected: list[frozenset[str]] = []
    for key, (doc, found) in by_document.items():
        starts = {u.index: u.start for u in doc.utterances}
        for unit in found:
            start = starts[unit.turn] + unit.start
            end = starts[unit.turn] + unit.end
            units.append(unit)
            positives.append(frozenset(
                c for s, e, c in labels.codings.get(key, []) if _overlaps(s, e, start, end)
            ))
            rejected.append(frozenset(
                c for s, e, c in labels.rejected.get(key, []) if _overlaps(s, e, start, end)
            ))
    return TrainingSet(units, positives, rejected)


def project_units(
    project: Project, suggester: Suggester, keys: Sequence[str],
    on_document: Callable[[str], None] | None = None,
) -> dict[str, tuple[Document, list[LearnUnit]]]:
    """The learning units of these documents: from the feature cache where it is current,
    else from one pipeline pass over all the others (then cached)."""
    from qcode.suggest.learn import features_key, make_units, units_from_json, units_json
    from qcode.suggest.values import UtteranceInput

    key = features_key(dict(suggester.nlp.meta), suggester.rules_version)
    with project.session() as session:
        cached = learned_store.cached_units(session, list(keys), key)
        documents = [d for d in (corpus.load_document(session, k) for k in keys) if d is not None]
    result: dict[str, tuple[Document, list[LearnUnit]]] = {}
    fresh: list[Document] = []
    for doc in documents:
        if doc.key in cached:
            turns = {u.index: u.text for u in doc.utterances}
            result[doc.key] = (doc, units_from_json(cached[doc.key], doc.key, doc.case_key, doc.channel.value, turns))
            if on_document:
                on_document(doc.key)
        else:
            fresh.append(doc)
    items = [
        (doc, u, UtteranceInput(str(u.index), u.role.value, u.text, doc.channel.value,
                                u.time.isoformat() if u.time else None, doc.key))
        for doc in fresh for u in doc.utterances
    ]
    made: dict[str, list[LearnUnit]] = {doc.key: [] for doc in fresh}
    analysed = suggester.analyse(i for _, _, i in items) if items else iter(())
    for (doc, u, item), (rules, parsed) in zip(items, analysed, strict=True):
        made[doc.key].extend(make_units(item, parsed, rules, doc.case_key, u.index))
    if fresh:
        with project.session() as session:
            for doc in fresh:
                learned_store.store_units(session, doc.key, key, units_json(made[doc.key]))
    for doc in fresh:
        result[doc.key] = (doc, made[doc.key])
        if on_document:
            on_document(doc.key)
    return {k: result[k] for k in keys if k in result}


@dataclass(frozen=True)
class LearnSummary:
    version: int
    units: int
    documents: int
    codes: dict[str, int]
    """Learned code id → positive units."""
    skipped: dict[str, int]
    """Code id → positive units, for codes with too few to learn (fewer than 2)."""
    estimates: dict[str, Any]
    digest: str


def learn(
    project: Project,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    suggester: Suggester | None = None,
    on_document: Callable[[str], None] | None = None,
) -> LearnSummary:
    """Fit and store a new model version from the coders' codings.

    Raises:
        SuggestionError: no human codings to learn from (or no Dutch pipeline).
    """
    from qcode.services.suggestions import project_suggester  # suggesting imports this module
    from qcode.suggest.learn import LEARNER, fit

    engine = suggester or project_suggester(project)
    with project.session() as session:
        book = codebook_store.stored_codebook(session)
        wanted = list(codes) if codes else learnable_codes(book, engine)
        if codes:
            wanted = [codebook_store.find_code(session, c).key for c in codes]
    engine.use_codebook(book)
    who = _human_coders(project, coders)
    training = training_set(project, engine, who, wanted, on_document)
    if not training.units or not any(training.positives):
        raise SuggestionError(
            "Nothing to learn from: no manual, accepted or consensus codings"
            + (f" by {', '.join(who)}" if coders else "") + " at utterance level."
        )
    model = fit(training, wanted)
    counts = {c: sum(c in p for p in training.positives) for c in wanted}
    estimates = _estimates(training, list(model.codes))
    from qcode.storage.learned import StoredModel

    record = StoredModel(
        0, now(), book.version, engine.rules_version, list(who), sorted(model.codes), len(training.units),
        training.digest(), LEARNER, estimates, model.to_json(),
    )
    with project.session() as session:
        version = learned_store.save_model(session, record)
    return LearnSummary(
        version, len(training.units), len({u.document for u in training.units}),
        {c: counts[c] for c in sorted(model.codes)},
        {c: n for c, n in counts.items() if n and c not in model.codes}, estimates, record.digest,
    )


def _estimates(training: TrainingSet, codes: Sequence[str]) -> dict[str, Any]:
    """Cross-validated precision of each code's learned-only suggestions (hides weak codes).

    With a single case nothing can be estimated; the codes are then marked unmeasured.
    """
    from qcode.analysis.suggester_trust import precision_of, presence_table
    from qcode.suggest.learn_cv import cross_validate

    try:
        cv = cross_validate(training, codes, shares=(1.0,))
    except SuggestionError:
        note = "coded units from one case only: code a second case to measure it"
        return {c: {"precision": None, "suggested": 0, "note": note} for c in codes}
    result: dict[str, Any] = {}
    for code in codes:
        table = presence_table(
            [code in p for p in training.positives],
            [code in found and code not in u.rule_codes for found, u in zip(cv.learned, training.units, strict=True)],
        )
        suggested = int(table[:, 1].sum())
        precision = float(precision_of(table.astype(float))) if suggested else None
        result[code] = {"precision": precision, "suggested": suggested}
    return result


# -- suggesting with the model ---------------------------------------------------------------


@dataclass
class ActiveModel:
    """The newest stored model, ready to suggest: what it hides and why."""

    version: int
    model: LearnedModel
    hidden: dict[str, str]
    """Code id → why its learned-only suggestions are not offered by default."""
    names: dict[str, str]
    experimental: bool = False

    def combine(
        self, unit_list: Sequence[LearnUnit], rules: list[Suggestion]
    ) -> tuple[list[tuple[Suggestion, str, str]], list[tuple[LearnUnit, str, float, str]]]:
        """Rule suggestions with their source (``rule``/``both``) and extra explanation, plus
        learned-only suggestions ``(unit, code, confidence, explanation)``."""
        from qcode.suggest.learn import explain, learned_suggestions

        learned = [s for found in learned_suggestions(self.model, unit_list) for s in found]
        marked: list[tuple[Suggestion, str, str]] = []
        confirmed: set[tuple[str, int, int]] = set()
        for s in rules:
            agree = [
                ls for ls in learned
                if ls.code == s.code_id and ls.unit.start < s.end and s.start < ls.unit.end
            ]
            if agree:
                best = max(agree, key=lambda ls: ls.confidence)
                marked.append((s, "both", explain(best, self.version, self.names)))
                confirmed.update((ls.code, ls.unit.start, ls.unit.end) for ls in agree)
            else:
                marked.append((s, "rule", ""))
        alone = []
        for ls in learned:
            if (ls.code, ls.unit.start, ls.unit.end) in confirmed:
                continue
            if ls.code in self.hidden and not self.experimental:
                continue
            text = explain(ls, self.version, self.names)
            if ls.code in self.hidden:
                text = f"experimental: {text}"
            alone.append((ls.unit, ls.code, ls.confidence, text))
        return marked, alone


def active_model(project: Project, experimental: bool = False) -> ActiveModel | None:
    """The newest model with the codes below the precision bar hidden; None if none learned."""
    from qcode.suggest.learn import LearnedModel

    with project.session() as session:
        stored = learned_store.latest_model(session)
        book = codebook_store.stored_codebook(session)
    if stored is None:
        return None
    try:
        model = LearnedModel.from_json(stored.model)
    except ValueError as error:
        raise SuggestionError(f"Learned model {stored.version}: {error}") from error
    bar = precision_bar(project)
    hidden = {}
    for code, estimate in stored.estimates.items():
        offered, reason = offer(estimate.get("precision"), bar)
        if not offered:
            hidden[code] = str(estimate.get("note") or reason)
    return ActiveModel(stored.version, model, hidden, {c.id: c.name for c in book.codes}, experimental)


def suggestions_with_model(
    suggester: Suggester, active: ActiveModel | None, document: Document,
    units_out: list[LearnUnit] | None = None,
) -> list[NewSuggestion]:
    """Rule suggestions (those the model agrees with carry its version) plus learned ones.

    ``units_out`` collects the document's learning units, so ``qcode suggest`` fills the
    feature cache from the parse it does anyway and a later ``qcode learn`` need not parse.
    """
    found: list[NewSuggestion] = []
    for u, _item, rules, _doc, units in document_units(suggester, document):
        if units_out is not None:
            units_out.extend(units)
        if active is None:
            found.extend(
                NewSuggestion(s.code_id, u.index, u.start + s.start, u.start + s.end, s.confidence, s.rule, s.explanation)
                for s in rules
            )
            continue
        marked, alone = active.combine(units, rules)
        for s, source, extra in marked:
            found.append(NewSuggestion(
                s.code_id, u.index, u.start + s.start, u.start + s.end, s.confidence, s.rule,
                f"{s.explanation}; {extra}" if extra else s.explanation,
                active.version if source == "both" else None,
            ))
        for unit, code, confidence, text in alone:
            found.append(NewSuggestion(
                code, u.index, u.start + unit.start, u.start + unit.end, round(confidence, 3), "learned", text,
                active.version,
            ))
    return found


def cache_units(session: Session, suggester: Suggester, document: str, units: Sequence[LearnUnit]) -> None:
    """Keep a document's units in the feature cache (``qcode suggest`` calls it)."""
    from qcode.suggest.learn import features_key, units_json

    learned_store.store_units(session, document, features_key(dict(suggester.nlp.meta), suggester.rules_version),
                              units_json(units))


def offer(precision: float | None, bar: float) -> tuple[bool, str]:
    """A code's learned suggestions are offered when their cross-validated precision reaches
    the bar; rule suggestions follow the rules' own bar (docs/suggestions.md)."""
    if precision is None:
        return False, "the model never suggested it beyond the rules in cross-validation"
    if precision < bar:
        return False, f"learned suggestions' precision {precision:.2f} is below the bar {bar:.2f}"
    return True, ""



def code_names(project: Project) -> dict[str, str]:
    with project.session() as session:
        return {c.id: c.name for c in codebook_store.stored_codebook(session).codes}



def jsonl_rows(active: ActiveModel | None) -> Callable[[UtteranceInput, list[Suggestion], Doc], list[dict[str, object]]]:
    """Output rows of ``qcode suggest --input`` inside a project: each with its ``source``.

    ``rule`` (the rules alone), ``learned`` (the model alone; ``model`` names its version) or
    ``both`` (rule and model agree). Without a learned model every row is ``rule``.
    """
    from dataclasses import asdict

    from qcode.suggest.learn import make_units

    def rows(item: UtteranceInput, found: list[Suggestion], doc: Doc) -> list[dict[str, object]]:
        if active is None:
            return [{**asdict(s), "source": "rule", "model": None} for s in found]
        marked, alone = active.combine(make_units(item, doc, found, "", 0), found)
        result: list[dict[str, object]] = []
        for s, source, extra in marked:
            row = {**asdict(s), "source": source, "model": active.version if source == "both" else None}
            if extra:
                row["explanation"] = f"{s.explanation}; {extra}"
            result.append(row)
        for unit, code, confidence, text in alone:
            result.append({
                "code": active.names.get(code, code), "start": unit.start, "end": unit.end,
                "confidence": round(confidence, 3), "rule": "learned", "explanation": text,
                "code_id": code, "experimental": code in active.hidden, "source": "learned",
                "model": active.version,
            })
        return sorted(result, key=lambda r: (int(str(r["start"])), str(r["code"])))

    return rows
