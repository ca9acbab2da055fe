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
from qcode.services.frames import (
    cases_frame,
    codes_frame,
    codings_frame,
    documents_frame,
    utterances_frame,
)
from qcode.services.project import Project
from qcode.services.team import visible_coders
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
        utterances = utterances_frame(session)
        documents = documents_frame(session, utterances=utterances)
        return Frames(
            codings=codings_frame(session, CodingFilter(), visible_coders(session, viewer), utterances, documents),
            utterances=utterances,
            documents=documents,
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
    return stats_from_frames(load_frames(project, viewer), table, by, flt)


def stats_from_frames(frames: Frames, table: str, by: str = "case", flt: StatsFilter | None = None) -> pd.DataFrame:
    """:func:`stats` on frames already loaded (the report computes every table from one load)."""
    flt = flt or StatsFilter()
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


def shares_chart(
    project: Project, out: Path, group: str | None = None, flt: StatsFilter | None = None, viewer: str | None = None
) -> Path:
    """Horizontal bars: share of cases with each code (of ``group``, or all), per channel.

    The numbers are those of ``stats(table="shares", by="channel")``; the chart is drawn by
    :mod:`qcode.export.charts` (Dutch labels beside the bars, codebook colours, values on them).
    """
    from qcode.analysis.code_summary import codebook_order
    from qcode.export.atomic import write_atomically
    from qcode.export.charts import BarSeries, bar_chart

    frames = load_frames(project, viewer)
    shares = stats_from_frames(frames, "shares", by="channel", flt=flt or StatsFilter())
    with project.session() as session:
        groups = codebook_store.stored_codebook(session).groups
    codes = codebook_order(frames.codes, groups)
    if group is not None:
        codes = codes[codes["group"] == group]
    channels = sorted({str(c) for c in shares["channel"]})
    labels = [str(n) for n in codes["name"]]
    colours = [str(c or "#4C72B0") for c in codes["colour"]]
    series = []
    for channel in channels:
        mine = shares[shares["channel"] == channel].set_index("code")["share"]
        cases = int(shares.loc[shares["channel"] == channel, "cases"].max())
        series.append(BarSeries(f"{channel} ({cases} cases)", [float(mine.get(c, 0.0)) for c in codes["code"]], colours))
    title = "Share of cases with each phase, per channel" if group == "phases" else "Share of cases with each code, per channel"
    png = bar_chart(labels, series, title)

    def write(tmp: Path) -> None:
        tmp.write_bytes(png)

    make_private_dir(out.parent)
    return write_atomically(out, write, force=True)


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
    return agreement_from_frames(load_frames(project, viewer), project, coders, codes, unit, overlap, bootstrap)


def agreement_from_frames(
    frames: Frames,
    project: Project,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    unit: str = "utterance",
    overlap: float = 0.5,
    bootstrap: int = 1000,
) -> pd.DataFrame:
    """:func:`project_agreement` on frames already loaded (and perhaps narrowed to some cases)."""
    if len(coders) < 2:
        raise QcodeError("Agreement needs at least two coders (--coders A,B).")
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
