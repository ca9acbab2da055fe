"""Code frequencies, shares of cases, phase profiles and co-occurrence (qcode issue 5, part 1).

All functions take the frames of docs/architecture.md. When ``codings`` holds several coders,
a code "occurs" where any of them applied it: filter first (:func:`filter_codings` with
``coder=`` a coder or ``consensus``) to report one coder's or the settled coding.

Share of cases, as the study reports it ("compliments in 65% of cases"): the share of cases in
which a code occurs at least once. Per channel, the denominator is the number of cases with at
least one document of that channel and the numerator those cases where the code occurs in a
document of that channel ("technical failure in 14% of chat cases").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
import pandas as pd

from qcode.analysis.reliability_units import as_texts, utterance_hits

BY_COLUMNS = ("document", "case", "channel", "coder")


def filter_codings(
    codings: pd.DataFrame,
    coder: str | Sequence[str] | None = None,
    channel: str | Sequence[str] | None = None,
    group: str | Sequence[str] | None = None,
    case_attributes: Mapping[str, str | Sequence[str]] | None = None,
    cases: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Keep codings by coder (or ``consensus``), channel, code group and case attributes.

    ``case_attributes`` maps an attribute (a column of ``cases``) to the value or values kept;
    it needs the ``cases`` frame.
    """

    def _isin(column: pd.Series, wanted: str | Sequence[str]) -> pd.Series:
        values = [wanted] if isinstance(wanted, str) else list(wanted)
        return column.astype(str).isin(values)

    keep = pd.Series(True, index=codings.index)
    if coder is not None:
        keep &= _isin(codings["coder"], coder)
    if channel is not None:
        keep &= _isin(codings["channel"], channel)
    if group is not None:
        keep &= _isin(codings["group"], group)
    if case_attributes:
        if cases is None:
            raise ValueError("filtering on case attributes needs the cases frame")
        chosen = pd.Series(True, index=cases.index)
        for attribute, wanted in case_attributes.items():
            if attribute not in cases:
                raise KeyError(f"no case attribute {attribute!r}")
            chosen &= _isin(cases[attribute], wanted)
        keep &= codings["case"].astype(str).isin(cases.loc[chosen, "case"].astype(str))
    return codings[keep]


def code_counts(codings: pd.DataFrame, by: str) -> pd.DataFrame:
    """Number of codings per code × ``by`` (document, case, channel or coder), with a total.

    Returns:
        A frame indexed by code id, one column per value of ``by`` plus ``total``.
    """
    if by not in BY_COLUMNS:
        raise ValueError(f"by must be one of {', '.join(BY_COLUMNS)}")
    table = pd.crosstab(codings["code"].astype(str), codings[by].astype(str))
    table["total"] = table.sum(axis=1)
    table.index.name = "code"
    table.columns.name = by
    return table


def case_shares(
    codings: pd.DataFrame,
    cases_frame: pd.DataFrame,
    documents: pd.DataFrame,
    by_channel: bool = False,
    codes: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Share of cases in which each code occurs, overall or per channel.

    Args:
        codings: codings (already filtered to the coder(s) wanted).
        cases_frame: the cases frame; every case in it is in the denominator.
        documents: the documents frame (which case has which channel).
        by_channel: one row per code and channel instead of one per code.
        codes: the codes frame; when given, codes nobody applied appear with share 0.

    Returns:
        Columns ``code``, ``channel`` (``all`` when overall), ``cases_with_code``, ``cases``,
        ``share``.
    """
    all_cases = set(cases_frame["case"].astype(str))
    code_ids = sorted(
        set(codings["code"].astype(str))
        | (set(codes["code"].astype(str)) if codes is not None else set())
    )
    rows: list[dict[str, object]] = []
    if by_channel:
        docs = documents[documents["case"].astype(str).isin(all_cases)]
        scopes = {
            str(ch): set(group["case"].astype(str))
            for ch, group in docs.groupby(docs["channel"].astype(str))
        }
    else:
        scopes = {"all": all_cases}
    for scope, denominator in sorted(scopes.items()):
        subset = codings if scope == "all" else codings[codings["channel"].astype(str) == scope]
        subset = subset[subset["case"].astype(str).isin(denominator)]
        with_code = subset.groupby(subset["code"].astype(str))["case"].nunique()
        for code in code_ids:
            hits = int(with_code.get(code, 0))
            rows.append(
                {
                    "code": code,
                    "channel": scope,
                    "cases_with_code": hits,
                    "cases": len(denominator),
                    "share": hits / len(denominator) if denominator else np.nan,
                }
            )
    return pd.DataFrame(rows, columns=["code", "channel", "cases_with_code", "cases", "share"])


def _covered_characters(spans: pd.DataFrame) -> int:
    """Characters covered by the union of spans (overlapping phase codings count once)."""
    total = 0
    for _, group in spans.groupby("document"):
        reach = -1
        for start, end in sorted(zip(group["start"], group["end"], strict=True)):
            start = max(int(start), reach)
            if end > start:
                total += int(end) - start
            reach = max(reach, int(end))
    return total


def phase_profile(
    codings: pd.DataFrame, codes: pd.DataFrame, documents: pd.DataFrame, group: str = "phases"
) -> pd.DataFrame:
    """Which phases each case goes through, in what order, and how much text each takes.

    Phases are the codes of ``group``. Documents are ordered by start time (unknown last, then
    by key); within a document, by offset. ``order`` is the rank of a phase's first occurrence;
    ``characters`` the text it covers; ``share`` its part of the case's phase-coded text.
    """
    phase_ids = set(codes.loc[codes["group"] == group, "code"].astype(str))
    names = dict(zip(as_texts(codes["code"]), as_texts(codes["name"]), strict=True))
    phases = codings[codings["code"].astype(str).isin(phase_ids)].copy()
    ordered = documents.sort_values(["start", "document"], na_position="last")
    rank = {str(doc): position for position, doc in enumerate(ordered["document"])}
    phases["_doc_rank"] = phases["document"].astype(str).map(rank)
    phases = phases.sort_values(["case", "_doc_rank", "start"])
    rows: list[dict[str, object]] = []
    for case, in_case in phases.groupby("case", sort=True):
        first = in_case.drop_duplicates("code")
        sizes = {str(code): _covered_characters(spans) for code, spans in in_case.groupby("code")}
        total = sum(sizes.values())
        for order, (_, row) in enumerate(first.iterrows(), start=1):
            code = str(row["code"])
            rows.append(
                {
                    "case": case,
                    "order": order,
                    "code": code,
                    "name": names.get(code, code),
                    "first_document": row["document"],
                    "segments": int((in_case["code"] == row["code"]).sum()),
                    "characters": sizes[code],
                    "share": sizes[code] / total if total else np.nan,
                }
            )
    columns = ["case", "order", "code", "name", "first_document", "segments", "characters", "share"]
    return pd.DataFrame(rows, columns=columns)


def cooccurrence(
    codings: pd.DataFrame,
    mode: Literal["utterance", "overlap"] = "utterance",
    utterances: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Code × code co-occurrence counts (symmetric).

    ``utterance``: the number of utterances both codes were applied to (the diagonal: the
    utterances with the code). Spans that are not one utterance count for every utterance they
    overlap when ``utterances`` is given, and are left out otherwise. ``overlap``: the number of
    pairs of codings, one of each code, in the same document whose spans share at least one
    character (the diagonal: the number of codings of the code).
    """
    code_ids = sorted(codings["code"].astype(str).unique())
    if mode == "utterance":
        if utterances is not None:
            hits = utterance_hits(codings, utterances)
            marks = hits[["row", "code"]].rename(columns={"row": "unit"})
        else:
            known = codings[codings["utterance"].notna()]
            marks = pd.DataFrame(
                {
                    "unit": [
                        f"{d}#{u}"
                        for d, u in zip(
                            as_texts(known["document"]), as_texts(known["utterance"]), strict=True
                        )
                    ],
                    "code": known["code"],
                }
            )
        incidence = pd.crosstab(marks["unit"], marks["code"].astype(str)).clip(upper=1)
        incidence = incidence.reindex(columns=code_ids, fill_value=0)
        matrix = incidence.T @ incidence
    elif mode == "overlap":
        matrix = pd.DataFrame(0, index=code_ids, columns=code_ids)
        pairs = codings[["document", "code", "start", "end"]].astype({"code": str})
        joined = pairs.merge(pairs, on="document", suffixes=("_a", "_b"))
        shared = (joined["start_a"] < joined["end_b"]) & (joined["start_b"] < joined["end_a"])
        joined = joined[shared & (joined["code_a"] != joined["code_b"])]
        counts = joined.groupby(["code_a", "code_b"]).size()
        for (a, b), n in zip(counts.index.tolist(), counts.tolist(), strict=True):
            matrix.loc[a, b] = int(n)
        sizes = pairs["code"].value_counts()
        for code in code_ids:
            matrix.loc[code, code] = int(sizes.get(code, 0))
    else:
        raise ValueError("mode must be 'utterance' or 'overlap'")
    matrix.index.name = "code"
    matrix.columns.name = "code"
    return matrix.astype(int)
