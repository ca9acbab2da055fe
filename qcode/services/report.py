"""The study's results chapter: one report with every figure, in the study's order.

Every number comes from a function that another command also uses: the codes table from
:func:`qcode.services.analysis.stats_from_frames` (``qcode stats``), size and time from
:func:`qcode.analysis.measures.document_measures` (``qcode metrics``), agreement from
:func:`qcode.services.analysis.agreement_from_frames` (``qcode agreement``); what no command
had yet lives in ``qcode.analysis`` (case types, conversation phases, size summaries, lag-1
sequences). This module gathers, narrows to the cases asked for, and names things; the
writers in :mod:`qcode.export.report_html` lay the result out. docs/report.md explains it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

import qcode
from qcode.analysis import case_types as case_analysis
from qcode.analysis import conversation_phases as phase_analysis
from qcode.analysis import conversation_size as size_analysis
from qcode.analysis import sequences as sequence_analysis
from qcode.analysis.code_summary import code_table, codebook_order, coder_counts, origin_counts
from qcode.analysis.measures import document_measures
from qcode.analysis.reliability_units import as_texts, covered_documents
from qcode.analysis.response_times import number_turns, response_times
from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER
from qcode.errors import QcodeError
from qcode.export.report_model import Report, ReportChart, ReportSection, ReportTable
from qcode.services.analysis import (
    Frames,
    StatsFilter,
    agreement_from_frames,
    load_frames,
    stats_from_frames,
)
from qcode.services.gc_pause import gc_paused
from qcode.services.project import Project
from qcode.storage import codebooks as codebook_store

PHASES = "phases"
ALL_CODERS = "all coders"


@dataclass(frozen=True)
class ReportOptions:
    """What the report covers."""

    coder: str | None = None
    """Whose codings count (a coder or ``consensus``); None: see :func:`choose_coder`."""
    where: Mapping[str, str] | None = None
    """Case attribute → value: only those cases."""
    bootstrap: int = 1000
    """Bootstrap samples for alpha's interval (as ``qcode agreement``)."""
    viewer: str | None = None
    """Who is asking (blind projects)."""


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    xlsx: Path
    json: Path


def choose_coder(codings: pd.DataFrame) -> str | None:
    """The default: the consensus when there is one, else the only coder, else everyone."""
    coders = set(as_texts(codings["coder"]))
    if CONSENSUS_CODER in coders:
        return CONSENSUS_CODER
    people = coders - {AUTO_CODER}
    return next(iter(people)) if len(people) == 1 else None


def _scoped(frames: Frames, where: Mapping[str, str] | None) -> Frames:
    """The frames narrowed to the cases whose attributes match ``where``."""
    if not where:
        return frames
    cases = frames.cases
    for key, value in where.items():
        if key not in cases.columns:
            known = ", ".join(map(str, cases.columns[1:])) or "none"
            raise QcodeError(f"No case attribute '{key}'; known: {known}")
        cases = cases[cases[key].astype(str) == str(value)]
    if cases.empty:
        raise QcodeError(f"No case has {', '.join(f'{k}={v}' for k, v in where.items())}.")
    keep = set(cases["case"].astype(str))
    return Frames(
        codings=frames.codings[frames.codings["case"].astype(str).isin(keep)],
        utterances=frames.utterances[frames.utterances["case"].astype(str).isin(keep)].reset_index(drop=True),
        documents=frames.documents[frames.documents["case"].astype(str).isin(keep)].reset_index(drop=True),
        cases=cases.reset_index(drop=True),
        codes=frames.codes,
    )


def _named(frame: pd.DataFrame, names: Mapping[str, str], *columns: str) -> pd.DataFrame:
    """Add ``<column>_name`` with the Dutch label beside each code column."""
    out = frame.copy()
    for column in columns:
        position = list(out.columns).index(column) + 1
        out.insert(position, f"{column}_name", [names.get(str(c), str(c)) for c in out[column]])
    return out


def build_report(project: Project, options: ReportOptions | None = None) -> Report:
    """Compute every section (see docs/report.md) from one read of the store."""
    options = options or ReportOptions()
    frames = _scoped(load_frames(project, options.viewer), options.where)
    if frames.documents.empty:
        raise QcodeError("This project has no conversations yet: import transcripts first (qcode import FOLDER).")
    with project.session() as session:
        book = codebook_store.stored_codebook(session)
    coder = options.coder if options.coder is not None else choose_coder(frames.codings)
    if coder is not None and coder not in set(as_texts(frames.codings["coder"])):
        raise QcodeError(f"No codings by '{coder}' (visible to you) in the cases of this report.")
    coders = [coder, AUTO_CODER] if coder is not None else None
    flt = StatsFilter(coder=coders)
    chosen = frames.codings if coders is None else frames.codings[frames.codings["coder"].isin(coders)]
    names = {str(c): str(n) for c, n in zip(frames.codes["code"], frames.codes["name"], strict=True)}
    colours = {str(c): str(k or "") for c, k in zip(frames.codes["code"], frames.codes["colour"], strict=True)}
    ordered = codebook_order(frames.codes, book.groups)
    numbered = number_turns(frames.utterances)  # the turns, shared by response times and sequences
    responses = response_times(frames.utterances, numbered)  # shared by size and sequences
    sections = (
        _corpus(frames),
        _size(frames, responses),
        _codes(frames, flt, book.groups, ordered),
        _phases(frames, chosen, ordered, names),
        _sequences(frames, chosen, ordered, names, responses, numbered),
        _agreement(frames, project, options.bootstrap),
        _method(project, frames, book, coder, options),
    )
    return Report(
        title=f"qcode report: {project.settings.name}",
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        sections=sections,
        colours=colours,
        names=names,
    )


def _corpus(frames: Frames) -> ReportSection:
    per_case = case_analysis.case_types(frames.cases, frames.documents, frames.utterances)
    summary = case_analysis.case_type_summary(per_case)
    total = summary.iloc[-1]
    attributes = case_analysis.attribute_counts(frames.cases)
    listing = per_case.merge(frames.cases, on="case", how="left")
    return ReportSection(
        key="corpus",
        title="Corpus",
        intro="Cases by type of contact (as the study defines them), with their chats and e-mails, and the case attributes.",
        figures={
            "cases": int(total["cases"]),
            "conversations": len(frames.documents),
            "chats": int(total["chats"]),
            "emails": int(total["emails"]),
        },
        tables=(
            ReportTable("case_types", "Cases by type", summary,
                        "Chats: chat sessions. E-mails: messages by counsellor or client. Definitions: docs/report.md."),
            ReportTable("attributes", "Case attributes", attributes),
            ReportTable("cases", "Every case", listing, show=False),
        ),
        charts=(ReportChart("case_types", "Cases by type", "bars", "case_types",
                            {"label": "case_type", "values": [("cases", "cases")], "percent": False, "skip_last": True, "decimals": 0}),),
    )


def _size(frames: Frames, responses: pd.DataFrame) -> ReportSection:
    measures = document_measures(frames.utterances, frames.documents, responses=responses)
    duration = size_analysis.duration_summary(measures)
    silences = size_analysis.silence_summary(measures)
    histograms = size_analysis.size_histograms(measures)
    labels = {
        "chat_duration_minutes": ("Chat duration", "minutes"),
        "words_counsellor": ("Words of the counsellor per conversation", "words"),
        "words_client": ("Words of the client per conversation", "words"),
        "chat_response_minutes": ("Counsellor response time in chats (mean per chat)", "minutes"),
        "email_response_days": ("Counsellor response time to e-mail (mean per thread)", "days"),
        "silences_per_chat": ("Silences (Stiltes) per chat", "silences"),
    }
    tables = [
        ReportTable("roles", "Utterances and words per role", size_analysis.role_summary(measures),
                    "Share of words: of counsellor + client words. Per conversation: mean over the conversations of the channel."),
        ReportTable("responses", "Counsellor response time", size_analysis.response_summary(measures),
                    "Each conversation's mean counsellor response (client turn to the counsellor's next), then mean and median over conversations."),
    ]
    charts = []
    for key, frame in histograms.items():
        title, unit = labels[key]
        tables.append(ReportTable(f"hist_{key}", title, frame, show=False))
        charts.append(ReportChart(f"hist_{key}", title, "histogram", f"hist_{key}", {"xlabel": unit}))
    tables.append(ReportTable("conversations", "Measures per conversation", measures, show=False))
    figures: dict[str, Any] = {f"chat_duration_{k}" if k != "chats" else "chats": v for k, v in duration.items()}
    figures.update({f"silences_{k}" if not k.startswith("silences") else k: v for k, v in silences.items() if k != "chats"})
    return ReportSection(
        key="size",
        title="Size and time",
        intro="How long the chats lasted, how much each side wrote, how fast the counsellor answered, and the silences in chats.",
        figures=figures,
        tables=tuple(tables),
        charts=tuple(charts),
    )


def _codes(frames: Frames, flt: StatsFilter, groups: tuple[tuple[str, str], ...], ordered: pd.DataFrame) -> ReportSection:
    overall = stats_from_frames(frames, "shares", by="case", flt=flt)
    per_channel = stats_from_frames(frames, "shares", by="channel", flt=flt)
    table = code_table(overall, per_channel, frames.codes, groups)
    channels = sorted({str(c) for c in per_channel["channel"]})
    series = [("share", "all cases"), *((f"{c}_share", f"{c} cases") for c in channels)]
    charts = tuple(
        ReportChart(f"codes_{key}", label, "bars", "codes", {"label": "name", "values": series, "percent": True, "group": key})
        for key, label in groups
        if (ordered["group"] == key).any()
    )
    return ReportSection(
        key="codes",
        title="Codes",
        intro="Per code, the number and share of cases in which it occurs at least once, overall and per channel (the study's table).",
        figures={"cases": int(table["cases"].max()) if len(table) else 0},
        tables=(ReportTable("codes", "Share of cases with each code", table,
                            "Per channel: of the cases with at least one conversation in that channel. Same numbers as qcode stats --table shares."),),
        charts=charts,
    )


def _phases(frames: Frames, chosen: pd.DataFrame, ordered: pd.DataFrame, names: Mapping[str, str]) -> ReportSection:
    occurrence = phase_analysis.phase_occurrence(chosen, ordered, frames.documents, PHASES)
    timeline = phase_analysis.phase_timeline(chosen, ordered, frames.documents, PHASES)
    order = phase_analysis.phase_order(timeline, ordered, PHASES)
    patterns = phase_analysis.order_patterns(timeline, dict(names))
    wide = occurrence.pivot(index="code", columns="channel", values="share")
    counts = occurrence.pivot(index="code", columns="channel", values="conversations_with_phase")
    phase_ids = [str(c) for c in ordered.loc[ordered["group"] == PHASES, "code"]]
    shares = pd.DataFrame({"code": phase_ids, "name": [names[c] for c in phase_ids]})
    for channel in wide.columns:
        shares[f"{channel}_with_phase"] = counts.loc[phase_ids, channel].astype("int64").to_numpy()
        shares[f"{channel}_share"] = wide.loc[phase_ids, channel].astype("float64").to_numpy()
    conversations = [str(d) for d in frames.documents.sort_values(["case", "start", "document"])["document"]]
    series = [("all_share", "all conversations"), *((f"{c}_share", f"{c}") for c in wide.columns if c != "all")]
    notes: tuple[str, ...] = ()
    if len(conversations) > 80:
        notes = (f"The timeline shows the first 80 of {len(conversations)} conversations; report.xlsx has them all.",)
    return ReportSection(
        key="phases",
        title="Phases",
        intro="Which phases of the help process occur in what share of conversations, in what order, and where in each conversation.",
        figures={
            "conversations": len(frames.documents),
            "conversations_with_a_phase": int(timeline["document"].nunique()),
        },
        tables=(
            ReportTable("shares", "Conversations with each phase", shares,
                        "Conversations: chat sessions and e-mail threads; 'all' counts both."),
            ReportTable("occurrence", "Conversations with each phase (long)", _named(occurrence, names, "code"), show=False),
            ReportTable("order", "Typical order of the phases", _named(order, names, "code"),
                        "Position: where the phase first appears, as a share of the conversation's text (median over conversations)."),
            ReportTable("patterns", "Most frequent orders", patterns),
            ReportTable("timeline", "Phase codings per conversation", _named(timeline, names, "code"), show=False),
        ),
        charts=(
            ReportChart("occurrence", "Share of conversations with each phase", "bars", "shares",
                        {"label": "name", "code": "code", "values": series, "percent": True}),
            ReportChart("timeline", "Phases per conversation", "timeline", "timeline", {"conversations": conversations}),
        ),
        notes=notes,
    )


def _sequences(
    frames: Frames,
    chosen: pd.DataFrame,
    ordered: pd.DataFrame,
    names: Mapping[str, str],
    responses: pd.DataFrame,
    numbered: pd.DataFrame,
) -> ReportSection:
    wanted = ordered[(ordered["group"] != PHASES) & (ordered["unit"] != "document")]
    turn_table = sequence_analysis.turn_codes(
        chosen, frames.utterances, [str(c) for c in wanted["code"]], numbered
    )
    table = sequence_analysis.transitions(turn_table)
    pairs = sequence_analysis.sequence_pairs(table)
    significant = sequence_analysis.significant_pairs(pairs)
    latency = sequence_analysis.latency_by_code(turn_table, frames.utterances, responses)
    all_names = {**names, sequence_analysis.NO_CODE: sequence_analysis.NO_CODE}
    latency_named = _named(latency, all_names, "code")
    latency_named["label"] = [f"{n} ({r} turn)" for n, r in zip(latency_named["code_name"], latency_named["answered_role"], strict=True)]
    return ReportSection(
        key="sequences",
        title="Sequences",
        intro="Lag-1 sequential analysis: which code of a turn is followed, more or less often than chance, by which code in the other speaker's next turn; and how long the answer takes after each code.",
        figures={
            "turns": len(turn_table),
            "transitions": int(pairs["total"].max()) if len(pairs) else 0,
            "codes_analysed": len(wanted),
            "significant_pairs": len(significant),
        },
        tables=(
            ReportTable("significant", "Significant pairs (p < 0.05)", _named(significant, all_names, "given", "target"),
                        "Adjusted residual as Bakeman & Quera (Allison–Liker); Yule's Q of the collapsed 2 × 2 table. Definitions: docs/report.md."),
            ReportTable("pairs", "Every pair", _named(pairs, all_names, "given", "target"), show=False),
            ReportTable("latency", "Response latency by the code of the turn answered", latency_named,
                        "Minutes for chat, days for e-mail. Answered role: who wrote the turn being answered."),
        ),
        charts=(
            ReportChart("transitions", "Significant transitions (p < 0.05)", "transitions", "significant"),
            ReportChart("latency", "Mean response time in chats after each code (minutes)", "bars", "latency",
                        {"label": "label", "values": [("mean", "minutes")], "percent": False, "channel": "chat", "code": "code"}),
        ),
    )


def _agreement(frames: Frames, project: Project, bootstrap: int) -> ReportSection:
    people = sorted(set(as_texts(frames.codings["coder"])) - {AUTO_CODER, CONSENSUS_CODER})
    if len(people) < 2:
        return ReportSection(
            key="agreement", title="Agreement",
            intro="Inter-coder agreement on what two or more coders coded.",
            figures={"coders": ", ".join(people), "documents_double_coded": 0},
            notes=("Nothing was coded by two or more coders, so there is no agreement to report.",),
        )
    covered = covered_documents(frames.codings, people)
    both = set.intersection(*(covered[c] for c in people))
    # Only the double-coded conversations: the rest hold no pair of ratings, and leaving them
    # out keeps a 10,000-chat project with a few hundred double-coded chats fast (docs/report.md).
    double = Frames(
        codings=frames.codings[frames.codings["document"].astype(str).isin(both)],
        utterances=frames.utterances[frames.utterances["document"].astype(str).isin(both)].reset_index(drop=True),
        documents=frames.documents[frames.documents["document"].astype(str).isin(both)].reset_index(drop=True),
        cases=frames.cases,
        codes=frames.codes,
    )
    table = agreement_from_frames(double, project, people, bootstrap=bootstrap)
    per_code = table[table["kind"] == "code"]
    warnings = tuple(
        f"{name}: {warning}" for name, warning in zip(table["name"], table["warning"], strict=True) if warning
    )
    double_cases = frames.documents[frames.documents["document"].astype(str).isin(both)]["case"].nunique()
    return ReportSection(
        key="agreement",
        title="Agreement",
        intro="Inter-coder agreement per code on the conversations every coder coded (the figures of qcode agreement, utterance level).",
        figures={
            "coders": ", ".join(people),
            "documents_double_coded": len(both),
            "cases_double_coded": int(double_cases),
            "units_per_code": int(per_code["n_units"].max()) if len(per_code) else 0,
            "unit": "utterance",
        },
        tables=(ReportTable("coefficients", "Agreement per code", table,
                            "alpha_low/alpha_high: bootstrap 95 % interval of Krippendorff's alpha. See docs/agreement.md."),),
        notes=warnings,
    )


def _method(project: Project, frames: Frames, book: Any, coder: str | None, options: ReportOptions) -> ReportSection:
    people = frames.codings[frames.codings["coder"].astype(str) != AUTO_CODER]
    suggestion_use = origin_counts(people, frames.codes)
    where = ", ".join(f"{k}={v}" for k, v in (options.where or {}).items())
    return ReportSection(
        key="method",
        title="Method",
        intro="What this report was computed from, so it can be cited and repeated.",
        figures={
            "qcode_version": qcode.__version__,
            "codebook": f"{book.name} ({book.id})",
            "codebook_version": book.version,
            "codings_of": f"{coder} and the automatic codes (coder auto)" if coder else ALL_CODERS,
            "filters": where or "none (all cases)",
            "command": "qcode report" + (f" --coder {coder}" if options.coder else "") + "".join(
                f" --where {k}={v}" for k, v in (options.where or {}).items()
            ),
        },
        tables=(
            ReportTable("coders", "Coders", coder_counts(frames.codings)),
            ReportTable("suggestions", "Suggestion use per code (all coders but auto)", suggestion_use,
                        "accepted suggestion: codings that came from a suggestion the coder accepted."),
        ),
    )


def write_report(
    project: Project, out: Path | None = None, options: ReportOptions | None = None, force: bool = False
) -> ReportFiles:
    """Build the report and write report.html, report.xlsx and report.json into ``out``.

    ``out`` defaults to a new ``exports/report-<time>/`` folder of the project; existing files
    are only overwritten with ``force`` (nothing is written if any exists).
    """
    from qcode.export.atomic import refuse_existing
    from qcode.export.report_html import REPORT_FILES, write_files

    if out is None:
        out = project.folder / "exports" / f"report-{datetime.now():%Y%m%d-%H%M%S}"
    refuse_existing([out / name for name in REPORT_FILES], force)  # before minutes of work
    # The frames of a large project are millions of small objects; without the pause the
    # cycle collector walks them again and again (docs/benchmarks.md, Report).
    with gc_paused():
        report = build_report(project, options)
        html, xlsx, data = write_files(report, out, force)
    return ReportFiles(html, xlsx, data)


def code_shares(project: Project, flt: StatsFilter | None = None, viewer: str | None = None) -> pd.DataFrame:
    """The report's codes table (codebook order, Dutch labels, colours, shares overall and per
    channel) for one filter: what the workbench's statistics screen draws."""
    frames = load_frames(project, viewer)
    with project.session() as session:
        groups = codebook_store.stored_codebook(session).groups
    flt = flt or StatsFilter()
    overall = stats_from_frames(frames, "shares", by="case", flt=flt)
    per_channel = stats_from_frames(frames, "shares", by="channel", flt=flt)
    return code_table(overall, per_channel, frames.codes, groups)
