"""Frequencies on the hand-built frame, checked against counts made by hand."""

from __future__ import annotations

import pytest

from qcode.analysis.frequencies import (
    case_shares,
    code_counts,
    cooccurrence,
    filter_codings,
    phase_profile,
)
from tests.analysis.frames import CASES, CODES, CODINGS, DOCUMENTS, UTTERANCES


def test_code_counts_by_coder() -> None:
    table = code_counts(CODINGS, "coder")
    # compliment: ann 2 (A/chat1, B/mail1), bob 1; intake: ann 2, bob 2.
    assert table.loc["compliment", "ann"] == 2 and table.loc["compliment", "bob"] == 1
    assert table.loc["intake", "total"] == 4
    assert table["total"].sum() == len(CODINGS)


def test_code_counts_by_channel_and_case() -> None:
    by_channel = code_counts(CODINGS, "channel")
    assert by_channel.loc["storing", "chat"] == 1 and by_channel.loc["storing", "email"] == 1
    by_case = code_counts(CODINGS, "case")
    assert by_case.loc["compliment", "A"] == 2 and by_case.loc["compliment", "B"] == 1
    with pytest.raises(ValueError):
        code_counts(CODINGS, "colour")


def test_case_shares_overall() -> None:
    ann = filter_codings(CODINGS, coder="ann")
    shares = case_shares(ann, CASES, DOCUMENTS, codes=CODES).set_index("code")
    # 4 cases; ann's compliments in A and B -> 2/4; storing in C -> 1/4; closed nowhere -> 0.
    assert shares.loc["compliment", "share"] == pytest.approx(0.5)
    assert shares.loc["storing", "cases_with_code"] == 1
    assert shares.loc["closed", "share"] == 0
    assert (shares["cases"] == 4).all()


def test_case_shares_per_channel() -> None:
    shares = case_shares(CODINGS, CASES, DOCUMENTS, by_channel=True)
    storing = shares[shares["code"] == "storing"].set_index("channel")
    # chat cases: A, C, D (3); storing in a chat in C only -> 1/3.
    # e-mail cases: A, B (2); storing in an e-mail in A -> 1/2.
    assert storing.loc["chat", "cases"] == 3
    assert storing.loc["chat", "share"] == pytest.approx(1 / 3)
    assert storing.loc["email", "cases"] == 2
    assert storing.loc["email", "share"] == pytest.approx(1 / 2)


def test_filters() -> None:
    assert len(filter_codings(CODINGS, channel="email")) == 4
    assert set(filter_codings(CODINGS, group="phases")["code"]) == {"intake", "afsluiting"}
    noord = filter_codings(CODINGS, case_attributes={"region": "noord"}, cases=CASES)
    assert set(noord["case"]) == {"B"}
    with pytest.raises(ValueError):
        filter_codings(CODINGS, case_attributes={"region": "noord"})


def test_phase_profile_for_one_coder() -> None:
    bob = filter_codings(CODINGS, coder="bob")
    profile = phase_profile(bob, CODES, DOCUMENTS)
    case_a = profile[profile["case"] == "A"].set_index("code")
    # bob in case A: intake [0,30) then afsluiting [32,40) -> order 1, 2; 30 and 8 characters.
    assert case_a.loc["intake", "order"] == 1 and case_a.loc["afsluiting", "order"] == 2
    assert case_a.loc["intake", "characters"] == 30
    assert case_a.loc["afsluiting", "share"] == pytest.approx(8 / 38)


def test_phase_profile_counts_overlapping_text_once() -> None:
    profile = phase_profile(CODINGS, CODES, DOCUMENTS)
    case_a = profile[profile["case"] == "A"].set_index("code")
    # ann [0,40) and bob [0,30) overlap: 40 characters, 2 segments.
    assert case_a.loc["intake", "characters"] == 40
    assert case_a.loc["intake", "segments"] == 2


def test_cooccurrence_same_utterance() -> None:
    ann = filter_codings(CODINGS, coder="ann")
    matrix = cooccurrence(ann, "utterance", UTTERANCES)
    # ann, A/chat1 #1: compliment, open, intake (intake spans 0-40: utterances 0,1,2).
    assert matrix.loc["compliment", "open"] == 1
    # B/mail1: intake on #0, compliment on #1 -> they share only A/chat1 #1.
    assert matrix.loc["intake", "compliment"] == 1
    assert matrix.loc["intake", "intake"] == 4  # A/chat1 #0-2 and B/mail1 #0
    assert (matrix.to_numpy() == matrix.to_numpy().T).all()


def test_cooccurrence_overlapping_spans() -> None:
    ann = filter_codings(CODINGS, coder="ann")
    matrix = cooccurrence(ann, "overlap")
    # A/chat1: compliment (12,30), open (14,20), intake (0,40) all overlap pairwise;
    # B/mail1: compliment (20,40) and intake (0,15) do not.
    assert matrix.loc["compliment", "open"] == 1
    assert matrix.loc["compliment", "intake"] == 1
    assert matrix.loc["open", "intake"] == 1
    assert matrix.loc["intake", "intake"] == 2
    assert matrix.loc["storing", "intake"] == 0
