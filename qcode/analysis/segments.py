"""Segment-level reliability data: matching coders' spans of one code by overlap share.

As in MAXQDA's intercoder check ("segments overlap by at least X %"), two segments of the same
code by different coders in the same document match when the characters they share are at least
``overlap`` of the characters either covers (intersection / union). Matches are chained
(union-find), and each chain is one unit: 1 for every coder with a segment in it, 0 for the
other coders who coded the document. Units where nobody applied the code do not exist at this
level, so these figures are "coded only" by construction; Krippendorff's unitized alpha (see
:mod:`qcode.analysis.unitized`) is the coefficient that also credits agreed-on empty text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from qcode.analysis.reliability_units import as_texts
from qcode.analysis.unitized import Segment


def overlap_share(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Characters two spans share, as a share of the characters either covers."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    return shared / (max(a[1], b[1]) - min(a[0], b[0]))


def _find(parent: list[int], item: int) -> int:
    while parent[item] != item:
        parent[item] = parent[parent[item]]
        item = parent[item]
    return item


def matched_units(
    segments: Sequence[tuple[str, int, int]], coders: Sequence[str], overlap: float
) -> NDArray[np.float64]:
    """Coders × units 0/1 for one code in one document from ``(coder, start, end)`` segments."""
    order = sorted(range(len(segments)), key=lambda i: segments[i][1])
    parent = list(range(len(segments)))
    for position, i in enumerate(order):
        coder_i, start_i, end_i = segments[i]
        for j in order[position + 1 :]:
            coder_j, start_j, end_j = segments[j]
            if start_j >= end_i:
                break
            if coder_j != coder_i and overlap_share((start_i, end_i), (start_j, end_j)) >= overlap:
                parent[_find(parent, j)] = _find(parent, i)
    roots = sorted({_find(parent, i) for i in range(len(segments))})
    column = {root: position for position, root in enumerate(roots)}
    row = {coder: position for position, coder in enumerate(coders)}
    result = np.zeros((len(coders), len(roots)))
    for i, (coder, _, _) in enumerate(segments):
        if coder in row:
            result[row[coder], column[_find(parent, i)]] = 1.0
    return result


def segment_presence(
    codings: pd.DataFrame,
    coders: Sequence[str],
    code: str,
    covered: Mapping[str, set[str]],
    overlap: float = 0.5,
) -> NDArray[np.float64]:
    """Coders × matched units for ``code`` over all documents (NaN: coder did not code it)."""
    mine = codings[(codings["code"] == code) & codings["coder"].isin(list(coders))]
    blocks: list[NDArray[np.float64]] = [np.empty((len(coders), 0))]
    for document, group in mine.groupby("document", sort=True):
        segments = list(
            zip(group["coder"], group["start"].astype(int), group["end"].astype(int), strict=True)
        )
        block = matched_units(segments, coders, overlap)
        for position, coder in enumerate(coders):
            if str(document) not in covered.get(coder, set()):
                block[position] = np.nan
        blocks.append(block)
    return np.hstack(blocks)


def continuum(
    codings: pd.DataFrame,
    coders: Sequence[str],
    code: str,
    documents: Mapping[str, int],
) -> tuple[dict[str, list[Segment]], int]:
    """Lay the given documents end to end as one continuum for unitized alpha.

    Args:
        documents: document → text length, the documents every coder coded.

    Returns:
        ``(segments_by_coder, length)`` with offsets shifted by the preceding documents.
    """
    shift: dict[str, int] = {}
    total = 0
    for document in sorted(documents):
        shift[document] = total
        total += documents[document]
    mine = codings[(codings["code"] == code) & codings["document"].astype(str).isin(shift)]
    result: dict[str, list[Segment]] = {coder: [] for coder in coders}
    for coder, document, start, end in zip(
        as_texts(mine["coder"]), as_texts(mine["document"]), mine["start"], mine["end"], strict=True
    ):
        if coder in result:
            offset = shift[document]
            result[coder].append((int(start) + offset, int(end) + offset, code))
    return result, total
