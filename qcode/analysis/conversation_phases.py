"""Phases per conversation: how often each occurs, their typical order, and a timeline.

A *conversation* is one document (a chat session or an e-mail thread). Where
:func:`qcode.analysis.frequencies.phase_profile` follows a case through its phases, these
answer the study's "nearly all conversations had an intake ... phase":

- a phase *occurs* in a conversation when at least one coding of it lies in the document;
- the *position* of a phase in a conversation is the offset of its first coding divided by the
  document's text length (0 = the start, 1 = the end); the *typical order* sorts the phases by
  the median of their positions over the conversations where they occur (ties: codebook
  order), and the *order pattern* of a conversation is its phases by first occurrence;
- the *timeline* gives every phase coding as a share of its document (start and end / text
  length), for one coloured band per conversation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from qcode.analysis.reliability_units import as_texts

SEPARATOR = " → "


def _phase_codings(
    codings: pd.DataFrame, codes: pd.DataFrame, documents: pd.DataFrame, group: str
) -> pd.DataFrame:
    phase_ids = as_texts(codes.loc[codes["group"] == group, "code"])
    keys = set(as_texts(documents["document"]))
    mine = codings[
        codings["code"].astype(str).isin(phase_ids) & codings["document"].astype(str).isin(keys)
    ]
    return mine.assign(document=mine["document"].astype(str), code=mine["code"].astype(str))


def phase_occurrence(
    codings: pd.DataFrame, codes: pd.DataFrame, documents: pd.DataFrame, group: str = "phases"
) -> pd.DataFrame:
    """Share of conversations with each phase, overall (``all``) and per channel.

    Returns columns ``code``, ``channel``, ``conversations_with_phase``, ``conversations``,
    ``share``; phases in codebook order, every phase listed (0 where none occurs).
    """
    phases = _phase_codings(codings, codes, documents, group)
    phase_ids = as_texts(codes.loc[codes["group"] == group, "code"])
    channel_of = dict(zip(as_texts(documents["document"]), as_texts(documents["channel"]), strict=True))
    scopes = {"all": set(channel_of)}
    for channel in sorted(set(channel_of.values())):
        scopes[channel] = {d for d, c in channel_of.items() if c == channel}
    rows: list[dict[str, object]] = []
    for code in phase_ids:
        with_phase = set(phases.loc[phases["code"] == code, "document"])
        for scope, denominator in scopes.items():
            hits = len(with_phase & denominator)
            rows.append(
                {
                    "code": code,
                    "channel": scope,
                    "conversations_with_phase": hits,
                    "conversations": len(denominator),
                    "share": hits / len(denominator) if denominator else np.nan,
                }
            )
    return pd.DataFrame(
        rows, columns=["code", "channel", "conversations_with_phase", "conversations", "share"]
    )


def phase_timeline(
    codings: pd.DataFrame, codes: pd.DataFrame, documents: pd.DataFrame, group: str = "phases"
) -> pd.DataFrame:
    """Every phase coding as a share of its document: document, case, channel, code, start, end.

    ``start`` and ``end`` are 0..1. Rows are ordered by case, document start time, offset.
    """
    phases = _phase_codings(codings, codes, documents, group)
    lengths = dict(
        zip(as_texts(documents["document"]), [len(t) for t in as_texts(documents["text"])], strict=True)
    )
    ordered = documents.sort_values(["case", "start", "document"], na_position="last")
    rank = {d: position for position, d in enumerate(as_texts(ordered["document"]))}
    size = phases["document"].map(lengths).astype("float64").replace(0.0, np.nan)
    frame = pd.DataFrame(
        {
            "document": phases["document"],
            "case": phases["case"].astype(str),
            "channel": phases["channel"].astype(str),
            "code": phases["code"],
            "start": phases["start"].astype("float64") / size,
            "end": phases["end"].astype("float64") / size,
            "_rank": phases["document"].map(rank),
            "_offset": phases["start"],
        }
    )
    frame = frame.sort_values(["_rank", "_offset", "code"]).drop(columns=["_rank", "_offset"])
    return frame.reset_index(drop=True)


def phase_order(timeline: pd.DataFrame, codes: pd.DataFrame, group: str = "phases") -> pd.DataFrame:
    """The typical order: per phase, conversations, median and mean position, median rank.

    ``rank`` is the phase's place (1, 2, ...) among the phases of a conversation by first
    occurrence. Rows are in the typical order (median position, then codebook order).
    """
    phase_ids = as_texts(codes.loc[codes["group"] == group, "code"])
    book_order = {code: position for position, code in enumerate(phase_ids)}
    first = timeline.sort_values(["document", "start"]).drop_duplicates(["document", "code"])
    first = first.assign(rank=first.groupby("document").cumcount() + 1)
    rows: list[dict[str, object]] = []
    for code, group_rows in first.groupby("code", sort=False):
        rows.append(
            {
                "code": str(code),
                "conversations": len(group_rows),
                "median_position": float(group_rows["start"].median()),
                "mean_position": float(group_rows["start"].mean()),
                "median_rank": float(group_rows["rank"].median()),
            }
        )
    frame = pd.DataFrame(
        rows, columns=["code", "conversations", "median_position", "mean_position", "median_rank"]
    )
    frame["_book"] = frame["code"].map(book_order)
    frame = frame.sort_values(["median_position", "_book"]).drop(columns="_book")
    return frame.reset_index(drop=True)


def order_patterns(timeline: pd.DataFrame, names: dict[str, str], top: int = 10) -> pd.DataFrame:
    """The most frequent orders of first occurrence: pattern, conversations, share.

    ``share`` is of the conversations with at least one phase.
    """
    first = timeline.sort_values(["document", "start"]).drop_duplicates(["document", "code"])
    patterns = first.groupby("document", sort=True)["code"].agg(
        lambda codes: SEPARATOR.join(names.get(str(c), str(c)) for c in codes)
    )
    counts = patterns.value_counts()
    total = int(counts.sum())
    frame = pd.DataFrame(
        {
            "pattern": counts.index.astype(str),
            "conversations": counts.to_numpy(dtype="int64"),
        }
    )
    frame = frame.sort_values(["conversations", "pattern"], ascending=[False, True]).head(top)
    frame["share"] = frame["conversations"] / total if total else np.nan
    return frame.reset_index(drop=True)
