"""Statistics, agreement, disagreements and adjudication for supervisors and analysts.

Every figure is computed in ``qcode.analysis`` on frames built here from the store; this module
only gathers, filters (blind mode included) and stores consensus decisions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from qcode.analysis import agreement_breakdown as breakdown
from qcode.analysis import frequencies
from qcode.analysis.agreement import Coefficients, coefficients, read_reliability_table
from qcode.analysis.disagreements import COLUMNS as DISAGREEMENT_COLUMNS
from qcode.analysis.reliability import agreement_report
from qcode.analysis.reliability_units import as_texts
from qcode.coding.model import Origin
from qcode.config import make_private_dir
from qcode.errors import QcodeError
from qcode.services import consensus
from qcode.services.coding import visible_coders
from qcode.services.frames import (
    cases_frame,
    codes_frame,
    codings_frame,
    documents_frame,
    utterances_frame,
)
from qcode.services.project import Project
from qcode.storage import codebooks as codebook_store
from qcode.storage.codings import CodingFilter


@dataclass(frozen=True)
class StatsFilter:
    """Which codings count. ``coder`` may be ``consensus``; attributes filter cases."""

    coder: Sequence[str] | None = None
    channel: str | None = None
    group: str | None = None
    case_attributes: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Frames:
    codings: pd.DataFrame
    utterances: pd.DataFrame
    documents: pd.DataFrame
    cases: pd.DataFrame
    codes: pd.DataFrame


def load_frames(project: Project, viewer: str | None = None) -> Frames:
    with project.session() as session:
        return Frames(
            codings=codings_frame(session, CodingFilter(), visible_coders(session, viewer)),
            utterances=utterances_frame(session),
            documents=documents_frame(session),
            cases=cases_frame(session),
            codes=codes_frame(session),
        )


def _filtered(frames: Frames, flt: StatsFilter) -> pd.DataFrame:
    return frequencies.filter_codings(
        frames.codings,
        coder=list(flt.coder) if flt.coder else None,
        channel=flt.channel,
        group=flt.group,
        case_attributes=dict(flt.case_attributes) if flt.case_attributes else None,
        cases=frames.cases,
    )


def _named(table: pd.DataFrame, codes: pd.DataFrame, column: str = "code") -> pd.DataFrame:
    """Add the Dutch code label beside the stable id, as users read labels."""
    names = dict(zip(codes["code"], codes["name"], strict=True))
    out = table.reset_index() if column not in table.columns else table.copy()
    out.insert(1, "name", [names.get(c, c) for c in out[column]])
    return out


def stats(project: Project, table: str, by: str = "case", flt: StatsFilter | None = None, viewer: str | None = None) -> pd.DataFrame:
    """One statistics table: counts, shares, phases or cooccurrence."""
    flt = flt or StatsFilter()
    frames = load_frames(project, viewer)
    cases = frames.cases
    if flt.case_attributes:
        for key, value in flt.case_attributes.items():
            if key not in cases.columns:
                raise QcodeError(f"No case attribute '{key}'; known: {', '.join(map(str, cases.columns[1:]))}")
            cases = cases[cases[key].astype(str) == str(value)]
    codings = _filtered(frames, flt)
    documents = frames.documents[frames.documents["case"].isin(cases["case"])]
    if table == "counts":
        return _named(frequencies.code_counts(codings, by), frames.codes)
    if table == "shares":
        return _named(
            frequencies.case_shares(codings, cases, documents, by_channel=by == "channel", codes=frames.codes),
            frames.codes,
        )
    if table == "phases":
        return frequencies.phase_profile(codings, frames.codes, documents)
    if table == "cooccurrence":
        return _named(frequencies.cooccurrence(codings, "utterance", frames.utterances), frames.codes)
    raise QcodeError(f"Unknown table '{table}' (counts, shares, phases, cooccurrence).")


def phase_chart(project: Project, out: Path, flt: StatsFilter | None = None, viewer: str | None = None) -> Path:
    """Bar chart of the share of cases with each phase, per channel (the study's figure)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shares = stats(project, "shares", by="channel", flt=flt or StatsFilter(), viewer=viewer)
    frames_codes = load_frames(project, viewer).codes
    phases = list(frames_codes.loc[frames_codes["group"] == "phases", "code"])
    data = shares[shares["code"].isin(phases)].pivot_table(index="name", columns="channel", values="share", fill_value=0.0)
    order = [n for n in frames_codes.loc[frames_codes["group"] == "phases", "name"] if n in data.index]
    data = data.reindex(order)
    figure, axis = plt.subplots(figsize=(9, 4.5))
    (data * 100).plot.bar(ax=axis)
    axis.set_ylabel("% of cases")
    axis.set_xlabel("")
    axis.set_title("Phases of the help process per channel")
    axis.set_ylim(0, 100)
    figure.tight_layout()
    make_private_dir(out.parent)
    figure.savefig(out, dpi=120)
    plt.close(figure)
    return out


def agreement_from_table(path: Path, level: str = "nominal", bootstrap: int = 1000) -> Coefficients:
    """Coefficients for a reliability data matrix in a CSV (units x coders)."""
    _units, _coders, matrix = read_reliability_table(path, level=level)
    return coefficients(matrix, level=level, bootstrap=bootstrap)


def _code_keys(project: Project, codes: Sequence[str] | None) -> list[str] | None:
    if not codes:
        return None
    with project.session() as session:
        return [codebook_store.find_code(session, c).key for c in codes]


def project_agreement(
    project: Project,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    unit: str = "utterance",
    overlap: float = 0.5,
    bootstrap: int = 1000,
    viewer: str | None = None,
) -> pd.DataFrame:
    """Per-code (and pooled) agreement between coders on the documents they all coded."""
    if len(coders) < 2:
        raise QcodeError("Agreement needs at least two coders (--coders A,B).")
    frames = load_frames(project, viewer)
    missing = [c for c in coders if c not in set(frames.codings["coder"])]
    if missing:
        raise QcodeError(f"No codings by {', '.join(missing)} (visible to you).")
    keys = _code_keys(project, codes)
    wanted = frames.codes if keys is None else frames.codes[frames.codes["code"].isin(keys)]
    codings = frames.codings[frames.codings["coder"].isin(list(coders))]
    return agreement_report(
        codings, frames.utterances, wanted, list(coders), unit=unit,  # type: ignore[arg-type]
        overlap=overlap, include_absent=True, bootstrap=bootstrap, documents=frames.documents,
    )


def agreement_breakdown(
    project: Project,
    coders: Sequence[str],
    by: str,
    codes: Sequence[str] | None = None,
    viewer: str | None = None,
) -> pd.DataFrame:
    """Pooled agreement per coder pair (``by="pair"``, plus all coders) or per document, case
    or channel (:mod:`qcode.analysis.agreement_breakdown`)."""
    if len(coders) < 2:
        raise QcodeError("Agreement needs at least two coders (--coders A,B).")
    frames = load_frames(project, viewer)
    missing = [c for c in coders if c not in set(frames.codings["coder"])]
    if missing:
        raise QcodeError(f"No codings by {', '.join(missing)} (visible to you).")
    keys = _code_keys(project, codes)
    wanted = as_texts(frames.codes["code"]) if keys is None else keys
    codings = frames.codings[frames.codings["coder"].isin(list(coders))]
    if by == "pair":
        return breakdown.pairwise_agreement(codings, frames.utterances, list(coders), wanted)
    if by in ("document", "case", "channel"):
        return breakdown.agreement_by(codings, frames.utterances, list(coders), wanted, by)  # type: ignore[arg-type]
    raise QcodeError(f"Unknown breakdown '{by}' (pair, document, case, channel).")


def disagreements(
    project: Project, coders: Sequence[str], codes: Sequence[str] | None = None, viewer: str | None = None
) -> pd.DataFrame:
    """Open units where coders differ, with the rule behind any suggestion a coder accepted.

    The units are agreement's (:mod:`qcode.services.consensus`); units already settled by a
    consensus decision are left out. One row per code; ``set`` names a code's exclusive set.
    """
    found = consensus.units(project, coders, codes, viewer)
    found = found[(found["status"] == "open") & ~found["settled"]]
    frames = load_frames(project, viewer)
    accepted = frames.codings[frames.codings["origin"] == Origin.SUGGESTION.value]
    rules: dict[tuple[str, int, str], str] = {}
    for doc, utt, code, coder, detail in accepted[["document", "utterance", "code", "coder", "detail"]].itertuples(index=False):
        if not pd.isna(utt):
            rules[(str(doc), int(utt), str(code))] = f"{coder}: {detail}"
    keys = zip(found["document"], found["utterance"], found["code"], strict=True)
    found = found.assign(rules=[rules.get((str(d), int(u), str(c)), "") for d, u, c in keys])
    names = dict(zip(frames.codes["code"], frames.codes["name"], strict=True))
    found = found.assign(name=[names.get(c, c) for c in found["code"]])
    return found[[*DISAGREEMENT_COLUMNS, "name", "set", "rules"]].reset_index(drop=True)


pair_matrix = breakdown.pair_matrix
seed_consensus = consensus.seed_consensus
adjudicate = consensus.adjudicate
