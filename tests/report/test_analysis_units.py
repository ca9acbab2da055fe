"""The new analysis functions on frames small enough to work out by hand (in the comments)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from qcode.analysis.case_types import case_type_summary, case_types
from qcode.analysis.sequences import NO_CODE, sequence_pairs, transitions, turn_codes

T = "2014-11-03 19:"


def _utterances(rows: list[tuple[str, int, str, str | None]]) -> pd.DataFrame:
    """(document, index, role, 'MM' minute or None) → an utterances frame (chat, case = doc)."""
    return pd.DataFrame(
        {
            "document": [r[0] for r in rows],
            "case": [r[0] for r in rows],
            "channel": "chat",
            "index": [r[1] for r in rows],
            "role": [r[2] for r in rows],
            "time": pd.to_datetime([f"{T}{r[3]}" if r[3] else None for r in rows]),
            "start": [r[1] * 10 for r in rows],
            "end": [r[1] * 10 + 5 for r in rows],
        }
    )


def _codings(rows: list[tuple[str, int, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "document": [r[0] for r in rows],
            "coder": "anna",
            "code": [r[2] for r in rows],
            "start": [r[1] * 10 for r in rows],
            "end": [r[1] * 10 + 5 for r in rows],
            "utterance": pd.array([r[1] for r in rows], dtype="Int64"),
        }
    )


def test_turns_follow_time_order_and_skip_system_messages() -> None:
    # d1: counsellor 0 (19:00), system 1, counsellor 2 (19:01) → one turn; client 3 (19:03);
    # counsellor 4 printed before client 5 but later in time (19:06 vs 19:04) → client turn
    # {3, 5}, then counsellor turn {4}.
    utts = _utterances([
        ("d1", 0, "counsellor", "00"), ("d1", 1, "system", "00"), ("d1", 2, "counsellor", "01"),
        ("d1", 3, "client", "03"), ("d1", 4, "counsellor", "06"), ("d1", 5, "client", "04"),
    ])
    codes = _codings([("d1", 0, "open_vraag"), ("d1", 3, "zelfredzaamheid"), ("d1", 4, "compliment_woorden"), ("d1", 1, "open_vraag")])
    table = turn_codes(codes, utts, ["open_vraag", "zelfredzaamheid", "compliment_woorden"])
    assert list(table["role"]) == ["counsellor", "client", "counsellor"]
    assert list(table["last_index"]) == [2, 5, 4]
    assert list(table["codes"]) == [("open_vraag",), ("zelfredzaamheid",), ("compliment_woorden",)]


def test_transition_table_and_residuals_by_hand() -> None:
    # Turn codes: A | B | A,B | - (no code). Transitions: A→B; B→A, B→B; A→-, B→-.
    turns = pd.DataFrame({"document": ["d"] * 4, "codes": [("A",), ("B",), ("A", "B"), ()]})
    table = transitions(turns)
    assert table.loc["A", "B"] == 1 and table.loc["B", "A"] == 1 and table.loc["B", "B"] == 1
    assert table.loc["A", NO_CODE] == 1 and table.loc["B", NO_CODE] == 1
    pairs = sequence_pairs(table).set_index(["given", "target"])
    # N = 5; row A = 2, row B = 3; column B = 2. E(A→B) = 2·2/5 = 0.8;
    # z = (1 − 0.8)/√(0.8·(1 − 2/5)·(1 − 2/5)) = 0.2/√0.288.
    assert pairs.loc[("A", "B"), "expected"] == pytest.approx(0.8)
    assert pairs.loc[("A", "B"), "adjusted_residual"] == pytest.approx(0.2 / math.sqrt(0.288))
    # Yule's Q of A→B: a = 1, b = 1, c = 1, d = 2 → (2 − 1)/(2 + 1).
    assert pairs.loc[("A", "B"), "yules_q"] == pytest.approx(1 / 3)
    assert not pairs["significant"].any()


def test_case_types_by_hand() -> None:
    cases = pd.DataFrame({"case": ["a", "b", "c", "d", "e", "f"]})
    documents = pd.DataFrame({
        "document": ["a/1", "b/1", "b/2", "c/m", "d/m", "e/c", "e/m"],
        "case": ["a", "b", "b", "c", "d", "e", "e"],
        "channel": ["chat", "chat", "chat", "email", "email", "chat", "email"],
    })
    # c/m: one question, one answer; d/m: question, answer, question; platform mail not counted.
    utterances = pd.DataFrame({
        "case": ["c", "c", "c", "d", "d", "d", "e"],
        "channel": "email",
        "role": ["client", "counsellor", "system", "client", "counsellor", "client", "client"],
    })
    kinds = case_types(cases, documents, utterances).set_index("case")["case_type"].to_dict()
    assert kinds == {
        "a": "single chat", "b": "repeated chats", "c": "single e-mail contact",
        "d": "multi-message e-mail contact", "e": "chat + e-mail", "f": "no contact",
    }
    summary = case_type_summary(case_types(cases, documents, utterances)).set_index("case_type")
    assert summary.loc["total", "cases"] == 6 and summary.loc["total", "emails"] == 6
    assert summary.loc["repeated chats", "chats"] == 2
