"""Where coders agree and differ, on exactly the units agreement counts.

A consensus meeting works through the units :mod:`qcode.analysis.reliability` measured: at
utterance level, one unit per (document, utterance, code), where a coding counts for every
utterance its span overlaps (:func:`~qcode.analysis.reliability_units.utterance_hits`). A coder
who marked part of a turn and a coder who marked the whole turn therefore agree, as the
agreement figures say; seeding the consensus and listing disagreements must say the same, or
a unit that agreement counted as agreed can be neither copied nor listed (issue 17).

:func:`review_units` classifies every unit someone applied a code to, on documents at least two
of the coders coded: ``agreed`` (every coder who coded the document applied it) or ``open``
(some did, some did not). Consensus decisions already made (kept or withdrawn) settle the
units they overlap, by the same matching. :func:`decision_items` groups the open units of a
mutually exclusive set (the phases) on one utterance into one decision.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qcode.analysis.reliability_units import (
    as_texts,
    coverage_matrix,
    covered_documents,
    presence_from_hits,
    utterance_hits,
)

COLUMNS = [
    "document",
    "case",
    "utterance",
    "start",
    "end",
    "text",
    "code",
    "coders_with",
    "coders_without",
]

UNIT_COLUMNS = [
    *COLUMNS,
    "channel",
    "set",
    "status",
    "settled",
    "spans",
    "sources",
    "row",
]
"""``set``: the code's exclusive set or ''; ``status``: ``agreed`` or ``open``; ``settled``: a
consensus decision already covers the unit; ``spans``: coder → list of (start, end) they
marked on this unit; ``sources``: (coding id, coder) of those codings; ``row``: position of
the utterance in the utterances frame."""


def _hits_with_ids(codings: pd.DataFrame, utterances: pd.DataFrame) -> pd.DataFrame:
    """:func:`utterance_hits` plus each hit's coding id and span (the same matching)."""
    frame = codings.copy()
    if "id" not in frame:
        frame["id"] = np.arange(len(frame))
    frame = frame.reset_index(drop=True)
    # Carry the coding's position through utterance_hits by giving every coding its own
    # "coder" key; the real coder is looked up afterwards.
    keyed = frame.assign(coder=[str(i) for i in range(len(frame))])
    hits = utterance_hits(keyed, utterances)
    position = hits["coder"].astype(int).to_numpy()
    return pd.DataFrame(
        {
            "coder": frame["coder"].to_numpy()[position] if len(hits) else [],
            "code": hits["code"].to_numpy(),
            "row": hits["row"].to_numpy(),
            "id": frame["id"].to_numpy()[position] if len(hits) else [],
            "start": frame["start"].to_numpy()[position] if len(hits) else [],
            "end": frame["end"].to_numpy()[position] if len(hits) else [],
        }
    )


def settled_units(consensus: pd.DataFrame, utterances: pd.DataFrame) -> set[tuple[int, str]]:
    """(utterance row, code) of every unit a consensus decision (kept or withdrawn) covers."""
    if consensus.empty:
        return set()
    hits = utterance_hits(consensus.assign(coder="consensus"), utterances)
    return {(int(r), str(c)) for r, c in zip(hits["row"], hits["code"], strict=True)}


def review_units(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    exclusive: dict[str, str] | None = None,
    consensus: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every unit some coder applied a code to, agreed or open, in document order.

    Args:
        codings: the codings frame (other coders' rows are ignored).
        utterances: the utterances frame.
        coders: the coders compared (two or more).
        codes: code ids to review; default every code these coders applied.
        exclusive: code id → its exclusive set (the phases: ``phase``), '' or absent if none.
        consensus: the consensus codings, withdrawn ones included (they settle units too).

    Returns:
        A frame with :data:`UNIT_COLUMNS`; units only one coder could code (the others never
        coded the document) are not units of agreement and are left out.
    """
    coders = list(coders)
    exclusive = exclusive or {}
    mine = codings[codings["coder"].isin(coders)]
    wanted = list(codes) if codes is not None else sorted(set(as_texts(mine["code"])))
    mine = mine[mine["code"].isin(wanted)]
    covered = covered_documents(codings[codings["coder"].isin(coders)], coders)
    hits = _hits_with_ids(mine, utterances)
    coverage = coverage_matrix(utterances, coders, covered)
    pairable = coverage.sum(axis=0) >= 2
    settled = settled_units(consensus, utterances) if consensus is not None else set()
    names = np.array(coders, dtype=object)
    by_unit = {key: group for key, group in hits.groupby(["row", "code"], sort=False)}
    records: list[dict[str, object]] = []
    for code in wanted:
        data = presence_from_hits(hits, coverage, coders, code)
        applied = np.nan_to_num(data, nan=0.0).max(axis=0) == 1
        missed = np.nan_to_num(data, nan=1.0).min(axis=0) == 0
        for row in np.flatnonzero(applied & pairable):
            utterance = utterances.iloc[row]
            found = by_unit.get((row, code))
            spans: dict[str, list[tuple[int, int]]] = {}
            sources: list[tuple[int, str]] = []
            if found is not None:
                for coding_id, coder, start, end in found[["id", "coder", "start", "end"]].itertuples(index=False):
                    spans.setdefault(str(coder), []).append((int(start), int(end)))
                    sources.append((int(coding_id), str(coder)))
            records.append(
                {
                    "document": utterance["document"],
                    "case": utterance.get("case", ""),
                    "utterance": int(utterance["index"]),
                    "start": int(utterance["start"]),
                    "end": int(utterance["end"]),
                    "text": utterance["text"],
                    "code": code,
                    "coders_with": ", ".join(names[data[:, row] == 1]),
                    "coders_without": ", ".join(names[data[:, row] == 0]),
                    "channel": utterance.get("channel", ""),
                    "set": exclusive.get(code, "") or "",
                    "status": "open" if missed[row] else "agreed",
                    "settled": (int(row), code) in settled,
                    "spans": spans,
                    "sources": sorted(sources),
                    "row": int(row),
                }
            )
    frame = pd.DataFrame(records, columns=UNIT_COLUMNS)
    frame = frame.sort_values(["row", "code"], kind="stable")
    return frame.reset_index(drop=True)


def disagreements(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every utterance and code on which the coders disagree, in document order.

    Returns:
        A frame with :data:`COLUMNS`; ``coders_with`` / ``coders_without`` are comma-separated.
    """
    units = review_units(codings, utterances, coders, codes)
    return units.loc[units["status"] == "open", COLUMNS].reset_index(drop=True)


def agreed_span(spans: dict[str, list[tuple[int, int]]], start: int, end: int) -> tuple[int, int]:
    """The span a seeded consensus coding gets on the unit ``start:end``.

    The coders' own span when they all marked the same one inside the utterance (one sentence
    of an e-mail), else the whole utterance: the unit agreement compared.
    """
    marked = {span for coder_spans in spans.values() for span in coder_spans}
    if len(marked) == 1 and all(len(s) == 1 for s in spans.values()):
        ((s, e),) = marked
        if start <= s and e <= end:
            return s, e
    return start, end


def decision_items(units: pd.DataFrame) -> list[dict[str, object]]:
    """Open, unsettled units as decisions, ordered by code and document.

    The open units of one exclusive set on one utterance are one decision (which phase is
    this turn?), so settling it settles every code of the set there; any other code is a
    decision of its own. Each item has ``codes`` (the code ids at stake), ``by_coder``
    (coder → the codes of the item they applied) and the units' ``spans`` and ``sources``.
    """
    open_units = units[(units["status"] == "open") & ~units["settled"]]
    items: dict[tuple[int, str], dict[str, object]] = {}
    for unit in open_units.to_dict("records"):
        label = f"set:{unit['set']}" if unit["set"] else str(unit["code"])
        key = (int(unit["row"]), label)
        item = items.get(key)
        if item is None:
            item = {k: unit[k] for k in ("document", "case", "utterance", "start", "end", "text", "row", "set")}
            item.update(code=label, codes=[], by_coder={}, spans={}, sources=[])
            items[key] = item
        item["codes"].append(unit["code"])  # type: ignore[attr-defined]
        for coder in [c for c in str(unit["coders_with"]).split(", ") if c]:
            item["by_coder"].setdefault(coder, []).append(unit["code"])  # type: ignore[attr-defined]
        for coder, spans in unit["spans"].items():
            for start, end in spans:
                item["spans"].setdefault(coder, []).append((start, end, unit["code"]))  # type: ignore[attr-defined]
        item["sources"].extend(unit["sources"])  # type: ignore[attr-defined]
        everyone = [c for c in str(unit["coders_with"] + ", " + unit["coders_without"]).split(", ") if c]
        for coder in everyone:
            item["by_coder"].setdefault(coder, [])  # type: ignore[attr-defined]
    return sorted(items.values(), key=lambda i: (str(i["code"]), str(i["document"]), int(i["row"])))  # type: ignore[call-overload]


def seed_spans(agreed: pd.DataFrame, segment_codes: set[str]) -> list[dict[str, object]]:
    """The consensus codings that copy the ``agreed`` units (rows of :func:`review_units`).

    One coding per unit, on :func:`agreed_span`; but for a segment code (a phase) agreed on a
    run of consecutive whole turns, one coding over the run, as a coder codes a phase: the
    consensus then counts one Intake segment, not one per turn. It covers the same units.
    """
    spans: list[dict[str, object]] = []
    ordered = agreed.sort_values(["document", "code", "row"], kind="stable").to_dict("records")
    for unit in ordered:
        start, end = agreed_span(unit["spans"], int(unit["start"]), int(unit["end"]))
        whole = (start, end) == (int(unit["start"]), int(unit["end"]))
        last = spans[-1] if spans else None
        if (
            last is not None and whole and last["whole"] and unit["code"] in segment_codes
            and last["document"] == unit["document"] and last["code"] == unit["code"]
            and last["row"] == int(unit["row"]) - 1
        ):
            last.update(end=end, row=int(unit["row"]), sources=[*last["sources"], *unit["sources"]])  # type: ignore[misc]
            continue
        spans.append(
            {"document": unit["document"], "code": unit["code"], "start": start, "end": end, "whole": whole,
             "row": int(unit["row"]), "coders_with": unit["coders_with"], "sources": list(unit["sources"])}
        )
    return spans


UNITS_BEHIND_COLUMNS = [
    "document", "case", "channel", "utterance", "turn", "code", "status", "counted", "settled", "coders_with",
    "coders_without", "text",
]
"""``code``: the code's name (for a set, each coder's: ``anna: Intake; bob: Probleemanalyse``);
``turn``: the utterance as people count (from 1); ``status``: ``agreed`` or ``disagreed``; ``counted``: the unit is one of the figure's (always,
but for a set: at least two coders gave the turn a code of it); ``settled``: a consensus
decision covers it."""


def units_behind(units: pd.DataFrame, names: dict[str, str], exclusive_set: str = "") -> pd.DataFrame:
    """The units behind one agreement figure, agreed and disagreed, for a supervisor to check.

    ``units`` are :func:`review_units` rows of the figure's codes (and part of the corpus).
    For a code or a pooled figure, every unit is a row: the units where some coder applied a
    code, the ones the figure counts beside the units no coder applied it to (agreement on
    absence, which are only counted). For an exclusive set the figure compares the code each
    coder gave a turn, so each turn is a row, agreed when every coder gave the same code; a
    turn only one coder gave a code of the set is missing in the figure (``counted`` False)
    but is shown, since it is a disagreement in the review.
    """
    if not exclusive_set:
        rows = units.assign(
            code=[names.get(str(c), str(c)) for c in units["code"]],
            status=["agreed" if s == "agreed" else "disagreed" for s in units["status"]],
            counted=True,
            turn=units["utterance"].astype(int) + 1,
        )
        return rows[UNITS_BEHIND_COLUMNS].reset_index(drop=True)
    records: list[dict[str, object]] = []
    for _row, group in units.groupby("row", sort=True):
        given: dict[str, list[str]] = {}
        for code, coders in zip(group["code"], group["coders_with"], strict=True):
            for coder in [c for c in str(coders).split(", ") if c]:
                given.setdefault(coder, []).append(names.get(str(code), str(code)))
        everyone = {c for text in group["coders_with"].tolist() + group["coders_without"].tolist() for c in str(text).split(", ") if c}
        first = group.iloc[0]
        records.append(
            {
                "document": first["document"], "case": first["case"], "channel": first["channel"],
                "utterance": first["utterance"], "turn": int(first["utterance"]) + 1,
                "code": "; ".join(f"{coder}: {' / '.join(codes)}" for coder, codes in sorted(given.items())),
                "status": "agreed" if (group["status"] == "agreed").all() else "disagreed",
                "counted": len(given) >= 2, "settled": bool(group["settled"].any()),
                "coders_with": ", ".join(sorted(given)), "coders_without": ", ".join(sorted(everyone - set(given))),
                "text": first["text"],
            }
        )
    return pd.DataFrame(records, columns=UNITS_BEHIND_COLUMNS)
