"""The speakers of a quotation, found by binary search, against the plain mask it replaced.

``reference`` is the boolean mask over a document's turns that ``export.quotations._speakers``
used before (one pandas filter per coding), written out here; both must give the same role,
speaker and time for spans inside a turn, across turns, in the gaps between turns, empty
spans, and documents without turns.
"""

from __future__ import annotations

import random

import pandas as pd

from qcode.export.quotations import _SEPARATOR, _speakers


def reference(codings: pd.DataFrame, utterances: pd.DataFrame) -> pd.DataFrame:
    rows = []
    by_document = {key: frame for key, frame in utterances.groupby("document")}
    for document, start, end in codings[["document", "start", "end"]].itertuples(index=False, name=None):
        turns = by_document.get(document)
        hit = turns[(turns["start"] < max(end, start + 1)) & (turns["end"] > start)] if turns is not None else None
        if hit is None or hit.empty:
            rows.append(("", "", pd.NaT))
            continue
        rows.append((
            _SEPARATOR.join(dict.fromkeys(str(r) for r in hit["role"])),
            _SEPARATOR.join(dict.fromkeys(str(s) for s in hit["speaker"])),
            hit["time"].iloc[0],
        ))
    return pd.DataFrame(rows, columns=["role", "speaker", "time"], index=codings.index)


def _frames(seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = random.Random(seed)
    turns, codings = [], []
    for d in range(6):
        position = 0
        for i in range(rng.randint(0, 12)):
            position += rng.randint(0, 3)  # gaps between turns, sometimes none
            length = rng.randint(1, 20)
            when = pd.Timestamp("2014-11-03 10:00") + pd.Timedelta(minutes=i) if rng.random() > 0.2 else pd.NaT
            turns.append((f"d{d}", position, position + length, rng.choice(["client", "counsellor"]),
                          rng.choice(["Hulpvrager", "Hulpverlener", "Systeem"]), when))
            position += length
        for _ in range(30):
            start = rng.randint(0, position + 5)
            end = start + rng.choice([0, 1, rng.randint(0, 40)])
            codings.append((f"d{d}" if rng.random() > 0.05 else "elsewhere", start, end))
    utterances = pd.DataFrame(turns, columns=["document", "start", "end", "role", "speaker", "time"])
    utterances["time"] = pd.to_datetime(utterances["time"])
    return pd.DataFrame(codings, columns=["document", "start", "end"]), utterances


def test_binary_search_matches_the_mask() -> None:
    for seed in range(40):
        codings, utterances = _frames(seed)
        got, want = _speakers(codings, utterances), reference(codings, utterances)
        assert got[["role", "speaker"]].equals(want[["role", "speaker"]]), seed
        assert [None if pd.isna(t) else t for t in got["time"]] == [None if pd.isna(t) else t for t in want["time"]], seed
        assert (got["role"] != "").any()  # the data do have hits


def test_a_span_over_two_turns_names_both_speakers() -> None:
    utterances = pd.DataFrame(
        [("d", 0, 10, "client", "Hulpvrager", pd.Timestamp("2014-11-03 10:00")),
         ("d", 11, 20, "counsellor", "Hulpverlener", pd.Timestamp("2014-11-03 10:01"))],
        columns=["document", "start", "end", "role", "speaker", "time"],
    )
    codings = pd.DataFrame([("d", 5, 15), ("d", 10, 11)], columns=["document", "start", "end"])
    got = _speakers(codings, utterances)
    assert got["speaker"].tolist() == ["Hulpvrager; Hulpverlener", ""]
    assert got["time"].iloc[0] == pd.Timestamp("2014-11-03 10:00")
