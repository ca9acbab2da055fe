"""Hand-built analysis frames (columns of docs/architecture.md) for the analysis tests."""

from __future__ import annotations

import pandas as pd

# Two chat documents (case A), one e-mail (case B), one chat (case C, coded by ann only).
UTTERANCES = pd.DataFrame(
    [
        # document, case, channel, index, role, text, start, end
        ("A/chat1", "A", "chat", 0, "client", "hoi", 0, 10),
        ("A/chat1", "A", "chat", 1, "counsellor", "wat fijn", 12, 30),
        ("A/chat1", "A", "chat", 2, "client", "ja", 32, 40),
        ("A/mail1", "A", "email", 0, "client", "hallo", 0, 20),
        ("B/mail1", "B", "email", 0, "client", "beste", 0, 15),
        ("B/mail1", "B", "email", 1, "counsellor", "goed zo", 20, 40),
        ("C/chat1", "C", "chat", 0, "client", "help", 0, 8),
    ],
    columns=["document", "case", "channel", "index", "role", "text", "start", "end"],
)

CODES = pd.DataFrame(
    [
        ("compliment", "Compliment woorden", "self_reliance", "utterance", ""),
        ("open", "Open vraag", "technique", "utterance", "question"),
        ("closed", "Gesloten vraag", "technique", "utterance", "question"),
        ("storing", "Technische storing", "paratext", "segment", ""),
        ("intake", "Intake", "phases", "segment", "phase"),
        ("afsluiting", "Afsluiting", "phases", "segment", "phase"),
    ],
    columns=["code", "name", "group", "unit", "exclusive"],
)


def coding(
    doc: str, start: int, end: int, code: str, coder: str, utterance: int | None
) -> dict[str, object]:
    case = doc.split("/")[0]
    return {
        "document": doc,
        "case": case,
        "channel": "email" if "mail" in doc else "chat",
        "code": code,
        "group": CODES.set_index("code").loc[code, "group"],
        "coder": coder,
        "start": start,
        "end": end,
        "utterance": utterance,
    }


def codings_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["utterance"] = frame["utterance"].astype("Int64")
    return frame


CODINGS = codings_frame(
    [
        coding("A/chat1", 12, 30, "compliment", "ann", 1),
        coding("A/chat1", 12, 30, "compliment", "bob", 1),
        coding("A/chat1", 14, 20, "open", "ann", None),  # part of utterance 1
        coding("A/chat1", 12, 30, "closed", "bob", 1),
        coding("A/chat1", 0, 40, "intake", "ann", None),  # spans the whole chat
        coding("A/chat1", 0, 30, "intake", "bob", None),
        coding("A/chat1", 32, 40, "afsluiting", "bob", 2),
        coding("A/mail1", 0, 20, "storing", "bob", 0),
        coding("B/mail1", 20, 40, "compliment", "ann", 1),
        coding("B/mail1", 0, 15, "intake", "ann", 0),
        coding("B/mail1", 0, 15, "intake", "bob", 0),
        coding("C/chat1", 0, 8, "storing", "ann", 0),
    ]
)
CASES = pd.DataFrame({"case": ["A", "B", "C", "D"], "region": ["zuid", "noord", "zuid", "zuid"]})
DOCUMENTS = pd.DataFrame(
    {
        "document": ["A/chat1", "A/mail1", "B/mail1", "C/chat1", "D/chat1"],
        "case": ["A", "A", "B", "C", "D"],
        "channel": ["chat", "email", "email", "chat", "chat"],
        "start": pd.to_datetime(["2014-01-02", "2014-01-01", "2014-02-01", None, "2014-03-01"]),
        "text": ["x" * 40, "x" * 20, "x" * 40, "x" * 8, "x" * 5],
    }
)
