"""Reliability data built from the ``codings`` and ``utterances`` frames (docs/architecture.md).

Utterance level: the unit is an utterance. A coding counts for every utterance its span
overlaps by at least one character (the ``utterance`` column is used directly when set), so a
highlight of part of a message marks the message. A coder who has no coding at all in a
document is taken not to have coded it: their values there are missing, not "absent" (pass
``covered`` to say explicitly which documents each coder coded).

Segment level: see :mod:`qcode.analysis.segments`. The report is in :mod:`qcode.analysis.reliability`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

Coverage = Mapping[str, set[str]]
"""Coder → the documents that coder coded."""


def as_texts(values: pd.Series | pd.Index) -> list[str]:
    """A column as a list of ``str`` (ids may be read back as numbers)."""
    return [str(value) for value in values.tolist()]


def covered_documents(codings: pd.DataFrame, coders: Sequence[str]) -> dict[str, set[str]]:
    """Infer coverage: a coder coded a document when they made any coding in it."""
    return {
        coder: set(as_texts(codings.loc[codings["coder"] == coder, "document"])) for coder in coders
    }


def coverage_matrix(
    utterances: pd.DataFrame, coders: Sequence[str], covered: Coverage
) -> NDArray[np.bool_]:
    """Coders × utterances: True where the coder coded the utterance's document."""
    documents = utterances["document"].astype(str)
    return np.vstack([documents.isin(covered.get(c, set())).to_numpy() for c in coders])


def utterance_hits(codings: pd.DataFrame, utterances: pd.DataFrame) -> pd.DataFrame:
    """Which utterance (row position in ``utterances``) each coding touches, and by how much.

    Returns a frame with columns ``coder``, ``code``, ``row`` and ``overlap`` (characters).
    """
    frame = utterances[["document", "index", "start", "end"]].copy()
    frame["row"] = np.arange(len(frame))
    frame = frame.rename(columns={"start": "u_start", "end": "u_end"})
    cols = ["document", "coder", "code", "start", "end", "utterance"]
    known = codings.loc[codings["utterance"].notna(), cols]
    exact = known.merge(
        frame, left_on=["document", "utterance"], right_on=["document", "index"], how="inner"
    )
    spans = codings.loc[codings["utterance"].isna(), cols].merge(frame, on="document")
    both = pd.concat([exact, spans], ignore_index=True)
    overlap = np.minimum(both["end"], both["u_end"]) - np.maximum(both["start"], both["u_start"])
    both["overlap"] = overlap.astype("int64") if len(both) else overlap
    both = both[both["overlap"] > 0]
    return both[["coder", "code", "row", "overlap"]].reset_index(drop=True)


def presence_from_hits(
    hits: pd.DataFrame, coverage: NDArray[np.bool_], coders: Sequence[str], code: str
) -> NDArray[np.float64]:
    result = np.where(coverage, 0.0, np.nan)
    mine = hits[hits["code"] == code]
    for position, coder in enumerate(coders):
        rows = mine.loc[mine["coder"] == coder, "row"].to_numpy()
        rows = rows[coverage[position, rows]]
        result[position, rows] = 1.0
    return result


def utterance_presence(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    code: str,
    covered: Coverage | None = None,
) -> NDArray[np.float64]:
    """Coders × utterances: 1 where the coder applied ``code``, 0 where not, NaN if not coded."""
    covered = covered if covered is not None else covered_documents(codings, coders)
    hits = utterance_hits(codings[codings["code"] == code], utterances)
    return presence_from_hits(hits, coverage_matrix(utterances, coders, covered), coders, code)


def categories_from_hits(
    hits: pd.DataFrame,
    coverage: NDArray[np.bool_],
    coders: Sequence[str],
    code_ids: Sequence[str],
    none_category: bool,
) -> NDArray[np.float64]:
    fill = float(len(code_ids)) if none_category else np.nan
    result = np.where(coverage, fill, np.nan)
    rank = {code: position for position, code in enumerate(code_ids)}
    mine = hits[hits["code"].isin(rank)].copy()
    mine["rank"] = mine["code"].map(rank)
    # Largest overlap wins; on a tie the code listed first.
    mine = mine.sort_values(["overlap", "rank"], ascending=[False, True])
    mine = mine.drop_duplicates(["coder", "row"])
    for position, coder in enumerate(coders):
        chosen = mine[mine["coder"] == coder]
        rows = chosen["row"].to_numpy()
        keep = coverage[position, rows]
        result[position, rows[keep]] = chosen["rank"].to_numpy()[keep]
    return result


def utterance_categories(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    code_ids: Sequence[str],
    covered: Coverage | None = None,
    none_category: bool = False,
) -> NDArray[np.float64]:
    """Coders × utterances: position in ``code_ids`` of the code a coder gave an utterance.

    For mutually exclusive sets (the phases; open/closed question). When a coder put two codes
    of the set on one utterance, the one covering more of it counts. An utterance with none
    of the codes is missing, or category ``len(code_ids)`` when ``none_category`` is set.
    """
    covered = covered if covered is not None else covered_documents(codings, coders)
    hits = utterance_hits(codings[codings["code"].isin(list(code_ids))], utterances)
    coverage = coverage_matrix(utterances, coders, covered)
    return categories_from_hits(hits, coverage, coders, code_ids, none_category)
