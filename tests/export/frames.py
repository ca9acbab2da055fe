"""The DataFrames of docs/architecture.md, built by hand for the table tests."""

from __future__ import annotations

import pandas as pd

T = pd.Timestamp


def frames() -> dict[str, pd.DataFrame]:
    documents = pd.DataFrame({
        "document": ["c1/chat", "c2/mail"], "case": ["c1", "c2"], "channel": ["chat", "email"],
        "start": [T("2014-11-03 19:49"), pd.NaT], "source": ["a.txt", "b.eml"],
        "text": ["x" * 60, "y" * 40], "n_utterances": [2, 1],
    })
    utterances = pd.DataFrame({
        "document": ["c1/chat", "c1/chat", "c2/mail"], "case": ["c1", "c1", "c2"],
        "channel": ["chat", "chat", "email"], "index": [0, 1, 0],
        "role": ["client", "counsellor", "client"],
        "speaker": ["Hulpvrager", "Online hulpverlener", "hulpvrager"],
        "time": [T("2014-11-03 19:49"), T("2014-11-03 19:50"), pd.NaT],
        "text": ["a", "b", "c"], "start": [0, 30, 0], "end": [30, 60, 40],
        "out_of_order": [False] * 3, "continued": [False] * 3, "words": [5, 5, 6],
    })
    rows = [  # document, case, channel, code, coder, origin, start, end, memo
        ("c1/chat", "c1", "chat", "emo", "anna", "manual", 10, 12, "smiley"),
        ("c1/chat", "c1", "chat", "emo", "bram", "manual", 10, 12, ""),
        ("c1/chat", "c1", "chat", "ver", "anna", "manual", 5, 20, ""),
        ("c1/chat", "c1", "chat", "com", "bram", "manual", 35, 50, "warm"),
        ("c2/mail", "c2", "email", "ver", "consensus", "consensus", 0, 10, ""),
        ("c2/mail", "c2", "email", "com", "anna", "manual", 20, 30, ""),
    ]
    names = {"emo": "Emoticon", "ver": "Verificatie interpretatie", "com": "Compliment"}
    groups = {"emo": "paratext", "ver": "technique", "com": "technique"}
    codings = pd.DataFrame([{
        "id": i + 1, "document": d, "case": c, "channel": ch, "code": k,
        "code_name": names[k], "group": groups[k], "coder": who, "origin": o, "start": s,
        "end": e, "utterance": pd.NA, "text": "z" * (e - s), "detail": "", "memo": m,
        "created": T("2024-05-01 10:00") + pd.Timedelta(minutes=i),
    } for i, (d, c, ch, k, who, o, s, e, m) in enumerate(rows)])
    codes = pd.DataFrame({
        "code": ["ver", "com", "emo", "unused"],
        "name": ["Verificatie interpretatie", "Compliment", "Emoticon", "Ongebruikt"],
        "group": ["technique", "technique", "paratext", "own"],
        "unit": ["utterance", "segment", "utterance", "segment"],
        "exclusive": ["", "", "", ""], "colour": ["#111111"] * 4,
        "definition_en": ["Checks", "Praise", "Smiley", "-"],
        "definition_nl": ["Checkt", "", "", ""],
    })
    cases = pd.DataFrame({"case": ["c1", "c2", "c3"], "leeftijd": ["15", "17", "16"]})
    return {"documents": documents, "utterances": utterances, "codings": codings,
            "codes": codes, "cases": cases}
