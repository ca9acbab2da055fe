"""Build the pandas DataFrames that analysis and export work on (columns: docs/architecture.md).

This is the seam between the store and the pure computations: analysis and export never see
a session, so they can be tested on frames built by hand.
"""

from __future__ import annotations

import bisect
import sys
from collections.abc import Sequence

import pandas as pd
from sqlalchemy.orm import Session

from qcode.storage import codebooks as codebook_store
from qcode.storage import corpus
from qcode.storage.codings import CodingFilter, coding_columns
from qcode.transcripts.words import count_words

UTTERANCE_COLUMNS = [
    "document",
    "case",
    "channel",
    "index",
    "role",
    "speaker",
    "time",
    "text",
    "start",
    "end",
    "out_of_order",
    "continued",
]
CODING_COLUMNS = [
    "id",
    "document",
    "case",
    "channel",
    "code",
    "code_name",
    "group",
    "coder",
    "origin",
    "start",
    "end",
    "utterance",
    "text",
    "detail",
    "memo",
    "created",
]


def utterances_frame(session: Session, documents: Sequence[str] | None = None) -> pd.DataFrame:
    rows = corpus.utterance_rows(session, documents)
    frame = pd.DataFrame(rows, columns=UTTERANCE_COLUMNS)
    frame["time"] = pd.to_datetime(frame["time"])
    frame["words"] = [count_words(t) for t in frame["text"]]
    for col in ("index", "start", "end", "words"):
        frame[col] = frame[col].astype("int64")
    for col in ("out_of_order", "continued"):
        frame[col] = frame[col].astype(bool)
    return frame


def documents_frame(
    session: Session, documents: Sequence[str] | None = None, utterances: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The documents; ``utterances`` (their utterances frame, if already read) saves a read."""
    rows = corpus.document_rows(session, documents)
    keys = (
        utterances["document"].tolist()
        if utterances is not None
        else [u.document for u in corpus.utterance_rows(session, documents)]
    )
    counts = pd.Series(keys, dtype="object").value_counts()
    frame = pd.DataFrame(
        [(r.document, r.case, r.channel, r.start, r.source, r.text) for r in rows],
        columns=["document", "case", "channel", "start", "source", "text"],
    )
    frame["start"] = pd.to_datetime(frame["start"])
    frame["n_utterances"] = [int(counts.get(k, 0)) for k in frame["document"]]
    attributes = [r.attributes or {} for r in rows]
    keys = sorted({k for a in attributes for k in a})
    for key in keys:
        if key not in frame.columns:
            frame[key] = [a.get(key) for a in attributes]
    return frame


def cases_frame(session: Session) -> pd.DataFrame:
    rows = corpus.case_rows(session)
    keys = sorted({k for row in rows for k in row.attributes})
    return pd.DataFrame(
        [{"case": row.key, **{k: row.attributes.get(k) for k in keys}} for row in rows],
        columns=["case", *keys],
    )


def codes_frame(session: Session) -> pd.DataFrame:
    book = codebook_store.stored_codebook(session)
    return pd.DataFrame(
        [
            {
                "code": c.id,
                "name": c.name,
                "group": c.group,
                "unit": c.unit.value,
                "exclusive": c.exclusive,
                "colour": c.colour,
                "definition_en": c.definition_en,
                "definition_nl": c.definition_nl,
            }
            for c in book.codes
        ],
        columns=["code", "name", "group", "unit", "exclusive", "colour", "definition_en", "definition_nl"],
    )


def codings_frame(
    session: Session,
    flt: CodingFilter | None = None,
    visible_coders: Sequence[str] | None = None,
    utterances: pd.DataFrame | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Codings with their text and, when the span is exactly one utterance, its index.

    ``utterances`` and ``documents``: the frames of every document, if already read (saves
    reading them again; the report loads a 10,000-chat project once).
    """
    names, rows = coding_columns(session, flt or CodingFilter(), visible_coders)
    frame = pd.DataFrame.from_records(rows, columns=names)
    documents_of = frame["document"].tolist()
    starts, ends = frame["start"].tolist(), frame["end"].tolist()
    docs = sorted(set(documents_of))
    texts: dict[str, str] = {}
    turns: dict[str, list[tuple[int, int, int]]] = {}
    if docs and utterances is not None and documents is not None:
        texts = dict(zip(documents["document"].tolist(), documents["text"].tolist(), strict=True))
        for key, start, end, index in zip(
            utterances["document"].tolist(), utterances["start"].tolist(),
            utterances["end"].tolist(), utterances["index"].tolist(), strict=True,
        ):
            turns.setdefault(key, []).append((int(start), int(end), int(index)))
    elif docs:
        texts = {d.document: d.text for d in corpus.document_rows(session, docs)}
        for u in corpus.utterance_rows(session, docs):
            turns.setdefault(u.document, []).append((u.start, u.end, u.index))
    no_turns: list[tuple[int, int, int]] = []
    frame["utterance"] = pd.Series(
        [
            containing_utterance(turns.get(d, no_turns), s, e)
            for d, s, e in zip(documents_of, starts, ends, strict=True)
        ],
        dtype="object",
    )
    frame["text"] = pd.Series(
        [texts.get(d, "")[s:e] for d, s, e in zip(documents_of, starts, ends, strict=True)], dtype="object"
    )
    frame = frame[CODING_COLUMNS]
    frame["utterance"] = frame["utterance"].astype("Int64")
    frame["created"] = pd.to_datetime(frame["created"])
    return frame


def containing_utterance(turns: list[tuple[int, int, int]], start: int, end: int) -> int | None:
    """Index of the utterance whose span contains ``start:end``; None for spans across turns.

    ``turns`` holds (start, end, index) sorted by start, as utterances are in printed order.
    """
    position = bisect.bisect_right(turns, (start, sys.maxsize, sys.maxsize)) - 1
    while position >= 0:
        u_start, u_end, index = turns[position]
        if u_start <= start and end <= u_end:
            return index
        if u_end < start:
            return None
        position -= 1
    return None
