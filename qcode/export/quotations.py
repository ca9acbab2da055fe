"""The quotations tables: ATLAS.ti's quotation manager as DataFrames.

A *quotation* is one coded fragment: a distinct (document, start, end) span, whatever codes
and coders it carries. Its id is ATLAS.ti's ``document:number`` style (``3:12`` is the 12th
quotation, in text order, of the 3rd document).
"""

from __future__ import annotations

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
    """Role, speaker label and time of the utterance(s) each coding's span overlaps."""
    rows = []
    by_document = {key: frame for key, frame in utterances.groupby("document")}
    for document, start, end in codings[["document", "start", "end"]].itertuples(
        index=False, name=None
    ):
        turns = by_document.get(document)
        hit = (turns[(turns["start"] < max(end, start + 1)) & (turns["end"] > start)]
               if turns is not None else None)
        if hit is None or hit.empty:
            rows.append(("", "", pd.NaT))
            continue
        rows.append((
            _SEPARATOR.join(dict.fromkeys(str(r) for r in hit["role"])),
            _SEPARATOR.join(dict.fromkeys(str(s) for s in hit["speaker"])),
            hit["time"].iloc[0],
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
