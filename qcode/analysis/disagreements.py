"""Where coders differ: the list a team goes through in a consensus meeting.

Utterance level, as in :mod:`qcode.analysis.reliability_units`: one row per (document,
utterance, code) where, among the coders who coded the document, some applied the code to the
utterance and some did not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qcode.analysis.reliability_units import (
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


def disagreements(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every utterance and code on which the coders disagree, in document order.

    Args:
        codings: the codings frame.
        utterances: the utterances frame.
        coders: the coders to compare (two or more).
        codes: code ids to check; default every code any of these coders applied.

    Returns:
        A frame with :data:`COLUMNS`; ``coders_with`` / ``coders_without`` are comma-separated.
    """
    coders = list(coders)
    mine = codings[codings["coder"].isin(coders)]
    wanted = list(codes) if codes is not None else sorted(mine["code"].astype(str).unique())
    covered = covered_documents(codings, coders)
    hits = utterance_hits(mine[mine["code"].isin(wanted)], utterances)
    coverage = coverage_matrix(utterances, coders, covered)
    names = np.array(coders, dtype=object)
    records: list[dict[str, object]] = []
    for code in wanted:
        data = presence_from_hits(hits, coverage, coders, code)
        applied = np.nan_to_num(data, nan=0.0).max(axis=0)
        missed = np.nan_to_num(data, nan=1.0).min(axis=0)
        for row in np.flatnonzero((applied == 1) & (missed == 0)):
            utterance = utterances.iloc[row]
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
                    "_row": row,
                }
            )
    frame = pd.DataFrame(records, columns=[*COLUMNS, "_row"])
    frame = frame.sort_values(["_row", "code"], kind="stable").drop(columns="_row")
    return frame.reset_index(drop=True)
