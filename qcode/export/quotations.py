"""The quotations tables: ATLAS.ti's quotation manager as DataFrames.

A *quotation* is one coded fragment: a distinct (document, start, end) span, whatever codes
and coders it carries. Its id is ATLAS.ti's ``document:number`` style (``3:12`` is the 12th
quotation, in text order, of the 3rd document).
"""

from __future__ import annotations

import bisect
from typing import Any

import pandas as pd

_SEPARATOR = "; "

QUOTATION_COLUMNS = [
    "quotation", "case", "document", "channel", "role", "speaker", "time", "start", "end",
    "text", "codes", "n_codes", "coders", "origins", "memo", "created",
]
LONG_COLUMNS = [
    "quotation", "case", "document", "channel", "role", "speaker", "time", "start", "end",
    "text", "code", "code_name", "group", "coder", "origin", "memo", "detail", "created",
]


def number_quotations(codings: pd.DataFrame, documents: pd.DataFrame) -> pd.Series:
    """The ``document:number`` id of each coding's quotation, aligned with ``codings``.

    Documents are numbered 1.. in the order of ``documents`` (then any others by key);
    quotations within a document 1.. by start, then end.
    """
    order = list(dict.fromkeys([*documents["document"], *sorted(set(codings["document"]))]))
    doc_number = {key: i + 1 for i, key in enumerate(order)}
    spans = codings[["document", "start", "end"]].drop_duplicates().sort_values(
        ["document", "start", "end"]
    )
    spans["n"] = spans.groupby("document").cumcount() + 1
    ids = {
        (d, s, e): f"{doc_number[d]}:{n}"
        for d, s, e, n in spans.itertuples(index=False, name=None)
    }
    return pd.Series(
        [ids[(d, s, e)] for d, s, e in codings[["document", "start", "end"]].itertuples(
            index=False, name=None)],
        index=codings.index, dtype="object",
    )


def _speakers(codings: pd.DataFrame, utterances: pd.DataFrame) -> pd.DataFrame:
    """Role, speaker label and time of the utterance(s) each coding's span overlaps.

    A turn overlaps a span when it starts before the span's end (an empty span counts as one
    character) and ends after its start. Per document the turns are sorted by start and found
    by binary search (a boolean mask over the document's turns per coding took 2 ms each, 10 s
    for the 5,000 fragments of one code in a 50,000-coding project); ``tests/export/
    test_quotation_speakers.py`` holds it to the mask, written out in the test.
    """
    by_document: dict[str, list[tuple[int, int, str, str, Any]]] = {}
    for document, start, end, role, speaker, time in zip(
        utterances["document"].tolist(), utterances["start"].tolist(), utterances["end"].tolist(),
        utterances["role"].tolist(), utterances["speaker"].tolist(), utterances["time"].tolist(),
        strict=True,
    ):
        by_document.setdefault(document, []).append((int(start), int(end), str(role), str(speaker), time))
    index: dict[str, tuple[list[int], list[int], list[tuple[int, int, str, str, Any]]]] = {}
    for document, turns in by_document.items():
        turns.sort(key=lambda t: t[0])
        reach, furthest = [], -1
        for t in turns:
            furthest = max(furthest, t[1])
            reach.append(furthest)
        index[document] = ([t[0] for t in turns], reach, turns)
    rows: list[tuple[str, str, Any]] = []
    for document, start, end in zip(
        codings["document"].tolist(), codings["start"].tolist(), codings["end"].tolist(), strict=True
    ):
        found = index.get(document)
        if found is None:
            rows.append(("", "", pd.NaT))
            continue
        starts, reach, turns = found
        # turns before ``low`` all end at or before the span's start (``reach`` is their
        # running maximum end); turns from ``high`` on start at or after its end
        low = bisect.bisect_right(reach, start)
        high = bisect.bisect_left(starts, max(end, start + 1))
        hit = [t for t in turns[low:high] if t[1] > start]
        if not hit:
            rows.append(("", "", pd.NaT))
            continue
        rows.append((
            _SEPARATOR.join(dict.fromkeys(t[2] for t in hit)),
            _SEPARATOR.join(dict.fromkeys(t[3] for t in hit)),
            hit[0][4],
        ))
    return pd.DataFrame(rows, columns=["role", "speaker", "time"], index=codings.index)


def quotations_long(
    codings: pd.DataFrame, utterances: pd.DataFrame, documents: pd.DataFrame,
    codes: pd.DataFrame,
) -> pd.DataFrame:
    """One row per coding, with its quotation id and the speaker of the fragment."""
    if codings.empty:
        return pd.DataFrame(columns=LONG_COLUMNS)
    frame = codings.copy()
    frame["quotation"] = number_quotations(frame, documents)
    frame = frame.join(_speakers(frame, utterances))
    names = dict(zip(codes["code"], codes["name"], strict=False))
    frame["code_name"] = [names.get(c, n) for c, n in zip(frame["code"], frame["code_name"],
                                                          strict=True)]
    frame = frame.sort_values(["document", "start", "end", "code_name", "coder"], kind="stable")
    return frame[LONG_COLUMNS].reset_index(drop=True)


def quotations(
    codings: pd.DataFrame, utterances: pd.DataFrame, documents: pd.DataFrame,
    codes: pd.DataFrame,
) -> pd.DataFrame:
    """One row per quotation, its codes joined in one column (sorted by name)."""
    long = quotations_long(codings, utterances, documents, codes)
    if long.empty:
        return pd.DataFrame(columns=QUOTATION_COLUMNS)
    rows = []
    for _, group in long.groupby(["document", "start", "end"], sort=True):
        first = group.iloc[0]
        memos = [str(m) for m in group["memo"] if isinstance(m, str) and m]
        rows.append({
            **{column: first[column] for column in (
                "quotation", "case", "document", "channel", "role", "speaker", "time", "start",
                "end", "text")},
            "codes": _SEPARATOR.join(sorted(set(group["code_name"]))),
            "n_codes": group["code"].nunique(),
            "coders": _SEPARATOR.join(sorted(set(group["coder"]))),
            "origins": _SEPARATOR.join(sorted({str(o) for o in group["origin"]})),
            "memo": " | ".join(dict.fromkeys(memos)),
            "created": group["created"].min(),
        })
    return pd.DataFrame(rows, columns=QUOTATION_COLUMNS)
