"""Conversation measures against figures worked out by hand in the comments."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import pytest

from qcode.analysis.measures import case_measures, document_measures, gaps_minutes, response_times

D = "2014-11-03"
N = "2014-11-04"

# (document, case, channel, index, role, time, text, words, out_of_order); words counted by hand.
ROWS = [
    # Chat A (case 1), in order.
    (
        "A",
        "1",
        "chat",
        0,
        "counsellor",
        f"{D} 19:02",
        "Hoi, waar wil je het over hebben?",
        7,
        False,
    ),
    ("A", "1", "chat", 1, "client", f"{D} 19:03", "hoi", 1, False),
    ("A", "1", "chat", 2, "client", f"{D} 19:04", "ik heb ruzie met mn vader", 6, False),
    ("A", "1", "chat", 3, "counsellor", f"{D} 19:05", "Wat vervelend voor je", 4, False),
    ("A", "1", "chat", 4, "client", f"{D} 19:09", "hij zegt dat ik niks goed doe", 7, False),
    ("A", "1", "chat", 5, "system", f"{D} 19:10", "Verbinding verbroken", 2, False),
    ("A", "1", "chat", 6, "counsellor", f"{D} 19:11", "Klopt dat?", 2, False),
    # Chat B (case 1): past midnight, with line 4 printed after a later line.
    ("B", "1", "chat", 0, "client", f"{D} 23:50", "ben je er nog", 4, False),
    ("B", "1", "chat", 1, "counsellor", f"{D} 23:58", "ja hoor", 2, False),
    ("B", "1", "chat", 2, "client", f"{N} 00:03", "oke", 1, False),
    ("B", "1", "chat", 3, "counsellor", f"{N} 00:06", "fijn", 1, False),
    ("B", "1", "chat", 4, "client", f"{N} 00:05", "top", 1, True),
    ("B", "1", "chat", 5, "counsellor", f"{N} 00:10", "doei", 1, False),
    # E-mail C (case 1).
    ("C", "1", "email", 0, "client", "2014-03-12 23:41", "Hallo, ik heb schulden", 4, False),
    ("C", "1", "email", 1, "counsellor", "2014-03-15 10:12", "Beste NAAM, bel ons", 4, False),
    ("C", "1", "email", 2, "client", "2014-03-16 09:00", "Dank je", 2, False),
    ("C", "1", "email", 3, "counsellor", "2014-03-20 09:00", "Graag gedaan", 2, False),
]
COLUMNS = ["document", "case", "channel", "index", "role", "time", "text", "words", "out_of_order"]


@pytest.fixture
def utterances() -> pd.DataFrame:
    frame = pd.DataFrame(ROWS, columns=COLUMNS)
    frame["time"] = pd.to_datetime(frame["time"])
    frame["speaker"] = frame["role"]
    frame["start"] = 0
    frame["end"] = frame["text"].str.len()
    frame["continued"] = False
    return frame


@pytest.fixture
def documents() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "document": ["A", "B", "C", "E"],
            "case": ["1", "1", "1", "2"],
            "channel": ["chat", "chat", "email", "email"],
            "start": pd.to_datetime(pd.Series([D, D, "2014-03-12", None])),
            "source": ["a.txt", "b.txt", "c.txt", "e.txt"],
            "text": ["", "", "", ""],
            "n_utterances": [7, 6, 4, 0],
        }
    )


def by_document(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {str(row["document"]): row for _, row in frame.iterrows()}


def test_response_times_follow_turns_in_time_order(utterances: pd.DataFrame) -> None:
    frame = response_times(utterances)
    a = frame[frame["document"] == "A"]
    # Turns of A: H[0] 19:02 | C[1,2] 19:03-19:04 | H[3] 19:05 | C[4] 19:09 | (system) | H[6] 19:11
    assert list(zip(a["from_role"], a["to_role"], a["from_index"], a["index"], strict=True)) == [
        ("counsellor", "client", 0, 1),
        ("client", "counsellor", 2, 3),
        ("counsellor", "client", 3, 4),
        ("client", "counsellor", 4, 6),
    ]
    assert list(a["gap_minutes"]) == [1.0, 1.0, 4.0, 2.0]
    assert list(a["gap_days"]) == pytest.approx([1 / 1440, 1 / 1440, 4 / 1440, 2 / 1440])
    b = frame[frame["document"] == "B"]
    # Time order of B: C0 23:50, H1 23:58, C2 00:03, C4 00:05, H3 00:06, H5 00:10
    assert list(b["index"]) == [1, 2, 3]
    assert list(b["gap_minutes"]) == [8.0, 5.0, 1.0]
    assert (frame["gap_minutes"].dropna() >= 0).all()
    c = frame[frame["document"] == "C"]
    # 12-03 23:41 → 15-03 10:12 = 2 d 10 h 31 min = 3511 min; 15-03 10:12 → 16-03 09:00 =
    # 22 h 48 min = 1368 min; 16-03 09:00 → 20-03 09:00 = 4 days
    assert list(c["gap_days"]) == pytest.approx([3511 / 1440, 1368 / 1440, 4.0])


def test_gaps_in_printed_order_never_negative_and_sum_to_duration(
    utterances: pd.DataFrame,
) -> None:
    b = utterances[utterances["document"] == "B"].sample(frac=1, random_state=3)  # shuffled rows
    # printed order 23:50, 23:58, 00:03, 00:06, 00:05(late), 00:10; time-order predecessors:
    # 23:58←23:50 = 8, 00:03←23:58 = 5, 00:06←00:05 = 1, 00:05←00:03 = 2, 00:10←00:06 = 4
    assert gaps_minutes(b) == [None, 8.0, 5.0, 1.0, 2.0, 4.0]
    assert sum(g for g in gaps_minutes(b) if g is not None) == 20.0


def test_document_measures_by_hand(utterances: pd.DataFrame, documents: pd.DataFrame) -> None:
    rows = by_document(document_measures(utterances, documents))
    a, b, c, e = rows["A"], rows["B"], rows["C"], rows["E"]
    assert a["duration_minutes"] == 9.0  # 19:02 → 19:11
    assert b["duration_minutes"] == 20.0  # 23:50 → 00:10 the next day
    assert b["first_time"] == pd.Timestamp(f"{D} 23:50")
    assert b["last_time"] == pd.Timestamp(f"{N} 00:10")
    assert c["duration_minutes"] == 7 * 1440 + 9 * 60 + 19  # 12-03 23:41 → 20-03 09:00
    assert (a["utterances_counsellor"], a["utterances_client"], a["utterances_system"]) == (3, 3, 1)
    assert (a["words_counsellor"], a["words_client"], a["words_system"]) == (13, 14, 2)
    assert a["share_words_counsellor"] == pytest.approx(13 / 27)
    assert a["share_words_client"] == pytest.approx(14 / 27)
    assert b["share_words_client"] == pytest.approx(6 / 10)
    assert (a["speaker_switches"], b["speaker_switches"], c["speaker_switches"]) == (4, 3, 3)
    # counsellor answers: A 1 and 2 minutes; B 8 and 1 minutes; C 3511/1440 and 4 days
    assert (a["mean_counsellor_response_minutes"], a["median_counsellor_response_minutes"]) == (
        1.5,
        1.5,
    )
    assert b["mean_counsellor_response_minutes"] == 4.5
    assert c["mean_counsellor_response_days"] == pytest.approx((3511 / 1440 + 4) / 2)
    assert c["median_counsellor_response_days"] == pytest.approx((3511 / 1440 + 4) / 2)
    assert a["mean_client_response_minutes"] == 2.5  # 1 and 4 minutes
    # Stiltes: A 19:09 (4 min, 29 characters = 0.24 min typing); B 23:58, 00:03 and 00:10
    # (8, 5, 4 min); the out-of-order 00:05 is never one.
    assert (a["silences"], a["long_gaps"]) == (1, 1)
    assert (b["silences"], b["long_gaps"]) == (3, 3)
    assert pd.isna(c["silences"])
    # a document without utterances still has a row
    assert (e["utterances"], e["words_client"], e["speaker_switches"]) == (0, 0, 0)
    assert math.isnan(e["duration_minutes"]) and math.isnan(e["share_words_client"])


def test_case_measures_by_hand(utterances: pd.DataFrame, documents: pd.DataFrame) -> None:
    rows = {str(r["case"]): r for _, r in case_measures(utterances, documents).iterrows()}
    one, two = rows["1"], rows["2"]
    assert (one["n_documents"], one["n_chats"], one["n_emails"]) == (3, 2, 1)
    assert (two["n_documents"], two["n_chats"], two["n_emails"]) == (1, 0, 1)
    assert one["email_messages"] == 4
    assert (one["words_counsellor"], one["words_client"], one["words_system"]) == (
        13 + 4 + 6,
        14 + 6 + 6,
        2,
    )
    assert one["share_words_counsellor"] == pytest.approx(23 / 49)
    assert one["chat_minutes_total"] == 29.0 and one["chat_minutes_mean"] == 14.5
    assert one["mean_counsellor_response_days_email"] == pytest.approx((3511 / 1440 + 4) / 2)
    assert one["mean_counsellor_response_minutes_chat"] == 3.0  # (1 + 2 + 8 + 1) / 4
    all_days = [1 / 1440, 2 / 1440, 8 / 1440, 1 / 1440, 3511 / 1440, 4.0]
    assert one["mean_counsellor_response_days"] == pytest.approx(sum(all_days) / 6)
    assert one["silences"] == 4
    assert math.isnan(two["mean_counsellor_response_days_email"])


def test_every_response_time_is_non_negative_under_any_printed_order(
    utterances: pd.DataFrame,
) -> None:
    shuffled = utterances.copy()
    shuffled["index"] = shuffled.groupby("document")["index"].transform(
        lambda s: s.sample(frac=1, random_state=7).to_numpy()
    )
    frame = response_times(shuffled)
    assert (frame["gap_minutes"].dropna() >= 0).all()
    measured = document_measures(
        shuffled,
        pd.DataFrame({"document": ["A", "B"], "case": ["1", "1"], "channel": ["chat", "chat"]}),
    )
    assert list(measured["duration_minutes"]) == [9.0, 20.0]
    assert datetime(2014, 11, 3, 23, 50) == measured["first_time"].iloc[1]
