"""The silences a chat's measures report are the Stiltes ``qcode autocode`` codes."""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from qcode.analysis.measures import document_measures
from qcode.coding.autocode import autocode_document
from qcode.transcripts.model import Document, Role
from qcode.transcripts.words import count_words
from tests.autocode.autocode_builders import chat


def frames(document: Document) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The architecture's utterances and documents frames for one document."""
    utterances = pd.DataFrame(
        [
            {
                "document": document.key,
                "case": document.case_key,
                "channel": str(document.channel),
                "index": u.index,
                "role": str(u.role),
                "speaker": u.speaker,
                "time": u.time,
                "text": u.text,
                "start": u.start,
                "end": u.end,
                "out_of_order": u.out_of_order,
                "continued": u.continued,
                "words": count_words(u.text),
            }
            for u in document.utterances
        ]
    )
    utterances["time"] = pd.to_datetime(utterances["time"])
    documents = pd.DataFrame(
        {"document": [document.key], "case": [document.case_key], "channel": ["chat"]}
    )
    return utterances, documents


def test_silence_count_matches_stiltes_codings() -> None:
    def at(h: int, m: int, day: int = 3) -> datetime:
        return datetime(2014, 11, day, h, m)

    document = chat(
        [
            (Role.COUNSELLOR, at(23, 40), "Hoi, waar wil je het over hebben?"),
            (Role.CLIENT, at(23, 45), "x" * 400),  # 5 min − 3.3 min typing: no
            (Role.COUNSELLOR, at(23, 50), "Dank je voor je verhaal."),  # 5 min: yes
            (Role.SYSTEM, at(23, 55), "De verbinding is verbroken"),
            (Role.CLIENT, at(0, 1, day=4), "ben je er nog?"),  # 11 min after 23:50: yes
            (Role.COUNSELLOR, at(0, 2, day=4), "Ja!"),
        ]
    )
    stiltes = [c for c in autocode_document(document) if c.code == "stiltes"]
    assert [c.detail for c in stiltes] == ["5.0 min", "11.0 min"]
    measured = document_measures(*frames(document)).iloc[0]
    assert measured["silences"] == len(stiltes) == 2
    assert measured["long_gaps"] == 3  # 5, 5 and 11 minutes, typing not discounted
    assert measured["duration_minutes"] == 22.0
