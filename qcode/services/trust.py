"""``qcode suggestions trust`` and the workbench's trust screen: the suggester scored like a coder.

Every unit of the documents the coder coded is predicted by the rules plus a model fitted on
the *other* cases only (``suggest.learn_cv``: k-fold grouped by case), and compared with the
coder's codings through the agreement code (``analysis.suggester_trust``). The learning curve
comes from the same cross-validation runs at growing training sizes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from qcode.errors import SuggestionError
from qcode.services.learning import (
    learnable_codes,
    offer,
    precision_bar,
    training_set,
)
from qcode.services.project import Project
from qcode.services.suggestions import project_suggester
from qcode.storage import codebooks as codebook_store

if TYPE_CHECKING:
    from qcode.analysis.suggester_trust import CurvePoint, TrustScore
    from qcode.suggest.engine import Suggester
    from qcode.suggest.learn import TrainingSet
    from qcode.suggest.learn_cv import CrossValidation


@dataclass(frozen=True)
class TrustRow:
    score: TrustScore
    offered: bool
    """Whether the code's learned suggestions are offered by default (see :func:`offer`)."""
    reason: str
    learned_precision: float | None
    """Precision of the suggestions the model made beyond the rules (None: it made none)."""
    learned_suggested: int


@dataclass(frozen=True)
class TrustReport:
    coder: str
    folds: int
    units: int
    bar: float
    rows: list[TrustRow]
    curve: list[CurvePoint]
    names: dict[str, str]
    not_coded: list[str]
    """Codes the suggester proposed that the coder never used (not scored)."""
    vectors: dict[str, tuple[list[bool], list[bool], list[str]]]
    """Per code: the coder's and the suggester's decision per unit, and the unit's channel
    (what the figures are computed from; tests recompute them with scikit-learn)."""


def trust(
    project: Project, coder: str, suggester: Suggester | None = None, folds: int = 5,
    n_boot: int = 1000, on_document: Callable[[str], None] | None = None,
) -> TrustReport:
    """The suggester (rules plus a model learned from the other cases) against ``coder``.

    Every unit of the documents ``coder`` coded is predicted by a model fitted on the other
    cases only (k-fold grouped by case); a unit counts as suggested when the rules or that
    model suggest the code. Per code and channel (all, chat, email).

    Raises:
        SuggestionError: fewer than two cases coded, or nothing coded.
    """
    from qcode.suggest.learn_cv import cross_validate

    engine = suggester or project_suggester(project)
    with project.session() as session:
        book = codebook_store.stored_codebook(session)
    engine.use_codebook(book)
    codes = learnable_codes(book, engine)
    training = training_set(project, engine, [coder], codes, on_document)
    if not any(training.positives):
        raise SuggestionError(f"{coder} has no manual, accepted or consensus codings at utterance level.")
    cv = cross_validate(training, codes, folds=folds)
    bar = precision_bar(project)
    coded = [c for c in codes if any(c in p for p in training.positives)]
    suggested = [c for c in codes if c not in coded and any(c in u.rule_codes for u in training.units)]
    channels = [u.channel for u in training.units]
    rows: list[TrustRow] = []
    vectors: dict[str, tuple[list[bool], list[bool], list[str]]] = {}
    for code in coded:
        gold = [code in p for p in training.positives]
        guess = _decisions(training, cv.learned, code)
        vectors[code] = (gold, guess, channels)
        rows.extend(_code_rows(code, gold, guess, _beyond_rules(training, cv.learned, code), channels, bar, n_boot))
    return TrustReport(
        coder, cv.folds, len(training.units), bar, rows, _curve(training, cv, coded),
        {c.id: c.name for c in book.codes}, suggested, vectors,
    )


def _decisions(training: TrainingSet, learned: Sequence[frozenset[str]], code: str) -> list[bool]:
    """Per unit: do the rules or the held-out model suggest ``code``?"""
    return [code in u.rule_codes or code in f for u, f in zip(training.units, learned, strict=True)]


def _beyond_rules(training: TrainingSet, learned: Sequence[frozenset[str]], code: str) -> list[bool]:
    """Per unit: does the model suggest ``code`` where the rules do not (a learned suggestion)?"""
    return [code in f and code not in u.rule_codes for u, f in zip(training.units, learned, strict=True)]


def _code_rows(
    code: str, gold: list[bool], guess: list[bool], beyond: list[bool], channels: list[str], bar: float,
    n_boot: int,
) -> list[TrustRow]:
    """One row per channel; offered or not is decided for the code as a whole."""
    from qcode.analysis.suggester_trust import trust_score

    made = sum(beyond)
    learned_precision = sum(g and b for g, b in zip(gold, beyond, strict=True)) / made if made else None
    offered, reason = offer(learned_precision, bar)
    rows = []
    for channel in ("all", "chat", "email"):
        keep = [i for i, c in enumerate(channels) if channel in ("all", c)]
        if keep:
            score = trust_score(code, channel, [gold[i] for i in keep], [guess[i] for i in keep], n_boot)
            rows.append(TrustRow(score, offered, reason, learned_precision, made))
    return rows


def _curve(training: TrainingSet, cv: CrossValidation, coded: Sequence[str]) -> list[CurvePoint]:
    from qcode.analysis.suggester_trust import CurvePoint, f1_score_of

    points = []
    for run in cv.curve:
        for code in coded:
            gold = [code in p for p in training.positives]
            f1 = f1_score_of(gold, _decisions(training, run.learned, code))
            points.append(CurvePoint(code, run.train_units, run.train_positives.get(code, 0.0), f1))
    return points


def trust_json(report: TrustReport) -> list[dict[str, Any]]:
    """One object per code and channel (the ``--format json`` contract of issue 15)."""
    import math

    def number(value: float) -> float | None:
        return None if math.isnan(value) else round(value, 4)

    rows = []
    for row in report.rows:
        s = row.score
        item: dict[str, Any] = {
            "code": report.names.get(s.code, s.code), "code_id": s.code, "channel": s.channel,
            "units": s.units, "positives": s.positives, "suggested": s.suggested,
            "precision": number(s.precision), "recall": number(s.recall), "f1": number(s.f1),
            "kappa": number(s.kappa),
        }
        for name, (low, high) in s.intervals.items():
            item[f"{name}_ci"] = [number(low), number(high)]
        item["learned_precision"] = None if row.learned_precision is None else round(row.learned_precision, 4)
        item["learned_suggested"] = row.learned_suggested
        item["offered"] = row.offered
        item["reason"] = row.reason
        rows.append(item)
    return rows


def curve_json(report: TrustReport) -> list[dict[str, Any]]:
    return [
        {"code": report.names.get(p.code, p.code), "code_id": p.code, "units": round(p.units, 1),
         "positives": round(p.positives, 1), "f1": round(p.f1, 4)}
        for p in report.curve
    ]


def _figure(value: float) -> str:
    return "  -  " if value != value else f"{value:5.2f}"  # NaN: undefined (no variation)


def trust_text(report: TrustReport, name_width: int = 26) -> str:
    """The trust report as plain text within 80 columns (CLI and workbench screen)."""
    channels = {r.score.channel for r in report.rows if r.score.channel != "all"}
    lines = [
        f"Suggester (rules + learned) against {report.coder}, {report.units} units,",
        f"{report.folds}-fold cross-validation by case; precision bar {report.bar:.2f}.",
        f"{'code':{name_width}} {'chan':5} {'pos':>4} {'P':>5} {'R':>5} {'F1':>5} {'κ':>5} {'κ 95% CI':>11}",
    ]
    for row in report.rows:
        s = row.score
        if s.channel != "all" and len(channels) < 2:
            continue
        name = report.names.get(s.code, s.code) if s.channel == "all" else ""
        low, high = s.intervals["kappa"]
        interval = "" if low != low else f"{low:.2f}–{high:.2f}"
        mark = "" if row.offered or s.channel != "all" else " *"
        lines.append(
            f"{name[:name_width]:{name_width}} {s.channel:5} {s.positives:4d} {_figure(s.precision)} "
            f"{_figure(s.recall)} {_figure(s.f1)} {_figure(s.kappa)} {interval:>11}{mark}"
        )
    hidden = [r for r in report.rows if r.score.channel == "all" and not r.offered]
    if hidden:
        lines.append("")
        lines.append("* Learned suggestions not offered by default (rule suggestions still are):")
        for r in hidden:
            lines.append(f"  {report.names.get(r.score.code, r.score.code)}: {r.reason}")
    if report.not_coded:
        lines.append("")
        names = ", ".join(report.names.get(c, c) for c in report.not_coded)
        lines.append(f"Suggested but never coded by {report.coder} (not scored): {names}")
    sizes = sorted({round(p.units) for p in report.curve})
    if sizes:
        lines.append("")
        lines.append("Learning curve: F1 by the number of coded units learned from")
        lines.append(f"{'code':{name_width}} " + " ".join(f"{n:>6}" for n in sizes))
        for code in dict.fromkeys(p.code for p in report.curve):
            points = {round(p.units): p.f1 for p in report.curve if p.code == code}
            lines.append(
                f"{report.names.get(code, code)[:name_width]:{name_width}} "
                + " ".join(f"{points[n]:6.2f}" if n in points else "      " for n in sizes)
            )
    return "\n".join(lines)
