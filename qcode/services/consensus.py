"""Settling disagreements into the consensus coding, with an audit trail.

The units are agreement's units (:mod:`qcode.analysis.disagreements`): seeding copies every
agreed unit, the review lists every open one, and a decision settles units, never less than
a whole exclusive set on one utterance (one decision: A's phase, B's phase, or another one).

Only a supervisor settles (:func:`require_adjudicator`). Every decision is stored as consensus
codings (coder ``consensus``) carrying who decided (``decided_by``), when (``created``), the
codings it was made from and the decision (``detail``), and the supervisor's memo (``memo``);
a decision against a code is a withdrawn consensus coding, so it is remembered too, and a
decision taken back in the review queue stays stored, marked undone (who, when). The export
writes them all as the "consensus decisions" sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy.orm import Session

from qcode.analysis.disagreements import decision_items, review_units, seed_spans
from qcode.coding.model import CONSENSUS_CODER, Coding, Origin
from qcode.errors import QcodeError
from qcode.services.frames import codes_frame, codings_frame, utterances_frame
from qcode.services.project import Project, now
from qcode.services.team import visible_coders
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import decisions as decision_store
from qcode.storage.codings import CodingFilter

DETAIL_LIMIT = 500
NOT_UNDONE = decision_store.UndoneDecision("", None, "")
"""The decision-trail columns of a decision nobody took back."""
"""Length of the ``detail`` column: the audit text is cut to fit."""


@dataclass(frozen=True)
class Decision:
    """One decision on a review item.

    ``choice`` is ``coder`` (take ``coder``'s codes), ``both`` (every code any coder applied),
    ``neither`` (none of them) or ``other`` (``other_code`` instead).
    """

    choice: str
    coder: str = ""
    other_code: str = ""
    memo: str = ""


@dataclass
class Settled:
    """What a decision stored: the consensus coding ids (to undo it) and a line for people."""

    ids: list[int] = field(default_factory=list)
    summary: str = ""


def require_adjudicator(session: Session, name: str) -> None:
    """Only a supervisor settles disagreements, also while the project has none.

    Before this rule a coder could settle their own disagreement in a project without a
    supervisor (issue 17); now the first supervisor has to be made explicitly.
    """
    if not coding_store.is_supervisor(session, name):
        raise QcodeError(
            f"Only a supervisor can settle disagreements; {name or 'you'} is not one. "
            "Make one with: qcode coders --add NAME --supervisor (an existing coder too).",
            title="Not allowed",
        )


def _units(project: Project, coders: Sequence[str], codes: Sequence[str] | None, viewer: str | None) -> pd.DataFrame:
    with project.session() as session:
        visible = visible_coders(session, viewer)
        codings = codings_frame(session, CodingFilter(), visible)
        consensus = codings_frame(session, CodingFilter(coders=[CONSENSUS_CODER], include_deleted=True))
        utterances = utterances_frame(session)
        book = codes_frame(session)
        keys = [codebook_store.find_code(session, c).key for c in codes] if codes else None
    exclusive = dict(zip(book["code"], book["exclusive"].fillna(""), strict=True))
    return review_units(codings, utterances, list(coders), keys, exclusive, consensus)


def units(project: Project, coders: Sequence[str], codes: Sequence[str] | None = None, viewer: str | None = None) -> pd.DataFrame:
    """Every unit of agreement someone applied a code to: agreed or open, settled or not."""
    return _units(project, coders, codes, viewer)


def review_items(
    project: Project,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    viewer: str | None = None,
    scope: tuple[str, str] | None = None,
) -> list[dict[str, object]]:
    """The open decisions, ordered by code and document (one per exclusive set and turn).

    ``scope`` (``("document" | "case" | "channel", key)``) keeps the items of one part, as
    the agreement screen's per-part rows open them.
    """
    found = _units(project, coders, codes, viewer)
    if scope is not None:
        column, key = scope
        if column not in ("document", "case", "channel"):
            raise QcodeError(f"Unknown scope '{column}' (document, case, channel).")
        found = found[found[column].astype(str) == key]
    return decision_items(found)


def code_key(project: Project, code: str) -> str:
    """The stable id of a code given by name or id (refused with "did you mean" if unknown)."""
    with project.session() as session:
        return codebook_store.find_code(session, code).key


def _audit(decision: str, sources: Sequence[tuple[int, str]]) -> str:
    codings = ", ".join(f"#{coding_id} {coder}" for coding_id, coder in sorted(set(sources)))
    text = f"{decision}; from codings {codings}" if codings else decision
    return text if len(text) <= DETAIL_LIMIT else text[: DETAIL_LIMIT - 1] + "…"


def seed_consensus(project: Project, coders: Sequence[str], by: str) -> int:
    """Copy every agreed, unsettled unit into the consensus; returns how many were copied.

    The consensus coding spans the utterance, or the coders' own span when they all marked
    the same one inside it; a phase agreed on consecutive turns becomes one coding over them
    (:func:`~qcode.analysis.disagreements.seed_spans`).
    """
    with project.session() as session:
        require_adjudicator(session, by)
    found = _units(project, coders, None, by)
    agreed = found[(found["status"] == "agreed") & ~found["settled"]]
    moment = now()
    with project.session() as session:
        # Only phases (segment codes of an exclusive group) merge over consecutive turns: two
        # compliments on consecutive turns are two compliments, one Intake over them is one phase.
        segment_codes = {
            c.id for c in codebook_store.stored_codebook(session).codes if c.unit.value == "segment" and c.exclusive
        }
        for span in seed_spans(agreed, segment_codes):
            detail = _audit(f"agreed by {span['coders_with']} (seeded)", span["sources"])  # type: ignore[arg-type]
            coding = Coding(
                str(span["document"]), int(span["start"]), int(span["end"]), str(span["code"]),  # type: ignore[call-overload]
                CONSENSUS_CODER, Origin.CONSENSUS, detail=detail,
            )
            decision_store.add_decision(session, coding, moment, by, withdrawn=False)
    return len(agreed)


def _clip(spans: Sequence[tuple[int, int, str]], code: str, start: int, end: int) -> list[tuple[int, int]]:
    """The coder's spans of ``code`` on the unit, cut to the utterance."""
    clipped = {(max(s, start), min(e, end)) for s, e, c in spans if c == code}
    return sorted((s, e) for s, e in clipped if e > s)


def settle(project: Project, item: dict[str, object], decision: Decision, by: str) -> Settled:
    """Store one decision on a review item (from :func:`review_items`).

    Codes kept are stored on the span the chosen coder marked (cut to the utterance), or the
    utterance; every other code at stake is stored as withdrawn, so the item is settled.

    Raises:
        QcodeError: not a supervisor; an exclusive set given two codes; an unknown choice.
    """
    codes = [str(c) for c in item["codes"]]  # type: ignore[attr-defined]
    by_coder: dict[str, list[str]] = item["by_coder"]  # type: ignore[assignment]
    spans: dict[str, list[tuple[int, int, str]]] = item["spans"]  # type: ignore[assignment]
    start, end = int(item["start"]), int(item["end"])  # type: ignore[call-overload]
    document = str(item["document"])
    with project.session() as session:
        require_adjudicator(session, by)
        keep: dict[str, list[tuple[int, int]]] = {}
        if decision.choice == "coder":
            if decision.coder not in by_coder:
                raise QcodeError(f"{decision.coder} did not code this unit.")
            for code in by_coder[decision.coder]:
                keep[code] = _clip(spans.get(decision.coder, []), code, start, end) or [(start, end)]
            label = f"{decision.coder}'s"
        elif decision.choice == "both":
            for coder, applied in by_coder.items():
                for code in applied:
                    keep.setdefault(code, _clip(spans.get(coder, []), code, start, end) or [(start, end)])
            label = "both"
        elif decision.choice == "neither":
            label = "neither"
        elif decision.choice == "other":
            other = codebook_store.find_code(session, decision.other_code)
            if item["set"] and other.exclusive != item["set"]:
                raise QcodeError(f"{other.name} is not in the set '{item['set']}'; choose one of its codes.")
            keep[other.key] = [(start, end)]
            label = f"another code ({other.name})"
        else:
            raise QcodeError(f"Unknown decision '{decision.choice}'.")
        if item["set"] and len(keep) > 1:
            raise QcodeError(f"The codes of '{item['set']}' exclude each other: choose one.")
        names = {c.key: c.name for c in (codebook_store.find_code(session, k) for k in {*codes, *keep})}
        kept = ", ".join(names[k] for k in keep) or "no code"
        detail = _audit(f"{label}: {kept}", item["sources"])  # type: ignore[arg-type]
        moment = now()
        settled = Settled(summary=f"{document} #{int(str(item['utterance'])) + 1}: {kept} ({label})")  # turns from 1
        for code, code_spans in keep.items():
            for s, e in code_spans:
                coding = Coding(document, s, e, code, CONSENSUS_CODER, Origin.CONSENSUS, memo=decision.memo, detail=detail)
                settled.ids.append(decision_store.add_decision(session, coding, moment, by, withdrawn=False))
        for code in codes:
            if code not in keep:
                coding = Coding(document, start, end, code, CONSENSUS_CODER, Origin.CONSENSUS, memo=decision.memo, detail=detail)
                settled.ids.append(decision_store.add_decision(session, coding, moment, by, withdrawn=True))
        return settled


def undo_decision(project: Project, settled: Settled, by: str) -> int:
    """Take back a decision made in this review session; the units are open again.

    Nothing is erased: the decision's codings stay in the audit trail marked undone, with who
    undid them and when (:func:`decisions`), and count nowhere else.
    """
    with project.session() as session:
        require_adjudicator(session, by)
        return decision_store.undo_decisions(session, settled.ids, by, now())


def adjudicate(project: Project, document: str, start: int, end: int, code: str, apply: bool, by: str, memo: str = "") -> int:
    """Settle one code on one span: the consensus has ``code`` there (``apply``) or not."""
    with project.session() as session:
        require_adjudicator(session, by)
        key = codebook_store.find_code(session, code).key
        decision = "applied" if apply else "rejected"
        coding = Coding(document, start, end, key, CONSENSUS_CODER, Origin.CONSENSUS, memo=memo, detail=decision)
        return decision_store.add_decision(session, coding, now(), by, withdrawn=not apply)


def decisions(project: Project, viewer: str | None = None) -> pd.DataFrame:
    """The audit trail: every consensus decision, kept or withdrawn, in document order."""
    with project.session() as session:
        visible = visible_coders(session, viewer)
        if visible is not None and CONSENSUS_CODER not in visible:
            return pd.DataFrame(columns=DECISION_COLUMNS)
        everything = CodingFilter(coders=[CONSENSUS_CODER], include_deleted=True, include_undone=True)
        rows = coding_store.coding_rows(session, everything)
        frame = codings_frame(session, everything)
        undone = decision_store.undone_decisions(session)
    decided = {r["id"]: (r["decided_by"] or "", r["deleted_at"]) for r in rows}
    records = []
    for r in frame.itertuples():
        taken_back = undone.get(int(r.id), NOT_UNDONE)  # type: ignore[arg-type]  # pandas-stubs: a cell may be anything
        records.append(
            {
                "document": r.document, "case": r.case, "channel": r.channel, "utterance": r.utterance,
                "code": r.code_name, "code_id": r.code, "group": r.group,
                "decision": "undone" if taken_back.was else "withdrawn" if decided[r.id][1] is not None else "kept",
                "settled_by": decided[r.id][0], "settled_at": r.created, "from": r.detail, "memo": r.memo,
                "start": r.start, "end": r.end, "text": r.text,
                "undone_by": taken_back.by, "undone_at": taken_back.at, "was": taken_back.was,
            }
        )
    return pd.DataFrame(records, columns=DECISION_COLUMNS)


DECISION_COLUMNS = [
    "document", "case", "channel", "utterance", "code", "code_id", "group", "decision", "settled_by", "settled_at",
    "from", "memo", "start", "end", "text", "undone_by", "undone_at", "was",
]
"""Columns of the audit trail (export sheet "consensus decisions"). ``decision`` is ``kept``,
``withdrawn`` (the code was decided against) or ``undone`` (the decision was taken back in the
review queue, by ``undone_by`` at ``undone_at``; ``was`` says what it had been). An undone
decision counts nowhere, but is never erased."""


@dataclass(frozen=True)
class Turn:
    """One utterance shown around a unit under review."""

    index: int
    role: str
    speaker: str
    text: str
    unit: bool
    """True for the utterance being decided."""


@dataclass(frozen=True)
class ReviewContext:
    """What a supervisor needs beside a review item to decide it."""

    channel: str
    turns: tuple[Turn, ...]
    """Up to two turns before the unit, the unit, up to two after."""
    marks: dict[str, list[tuple[int, int, str]]]
    """Coder → (start, end, code name) of what they marked on the unit, relative to its text."""
    codes: dict[str, list[str]]
    """Coder → the names of every code they applied to the unit's utterance (not only the
    codes at stake)."""


CONTEXT_TURNS = 2
"""Turns shown before and after the unit under review."""


def review_context(project: Project, item: dict[str, object], coders: Sequence[str], viewer: str | None = None) -> ReviewContext:
    """The turns around a review item and what each coder did on it (blind mode applied)."""
    from qcode.storage import corpus

    document = str(item["document"])
    index = int(item["utterance"])  # type: ignore[call-overload]
    with project.session() as session:
        doc = corpus.load_document(session, document)
        if doc is None:
            raise QcodeError(f"No document '{document}' in this project.")
        visible = visible_coders(session, viewer)
        rows = codings_frame(session, CodingFilter(documents=[document], coders=list(coders)), visible)
    position = next(p for p, u in enumerate(doc.utterances) if u.index == index)
    unit = doc.utterances[position]
    around = doc.utterances[max(0, position - CONTEXT_TURNS) : position + CONTEXT_TURNS + 1]
    turns = tuple(Turn(u.index, u.role.value, u.speaker, u.text, u.index == index) for u in around)
    marks: dict[str, list[tuple[int, int, str]]] = {c: [] for c in coders}
    codes: dict[str, list[str]] = {c: [] for c in coders}
    at_stake = {str(c) for c in item["codes"]}  # type: ignore[attr-defined]
    for row in rows.to_dict("records"):
        start, end = max(int(row["start"]), unit.start), min(int(row["end"]), unit.end)
        if end <= start:
            continue
        coder, name = str(row["coder"]), str(row["code_name"])
        if name not in codes[coder]:
            codes[coder].append(name)
        if str(row["code"]) in at_stake:
            marks[coder].append((start - unit.start, end - unit.start, name))
    return ReviewContext(doc.channel.value, turns, marks, codes)
