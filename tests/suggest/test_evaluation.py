"""Scoring: counts and F1 checked against hand-computed values."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from qcode.errors import TranscriptParseError
from qcode.suggest.evaluation import GoldItem, read_utterances, score
from qcode.suggest.values import UtteranceInput


def item(codes: set[str]) -> GoldItem:
    return GoldItem(UtteranceInput("x", "counsellor", "t"), frozenset(codes))


def test_scores_by_hand() -> None:
    gold = [item({"A"}), item({"A", "B"}), item(set()), item({"B"})]
    predicted = [{"A"}, {"B"}, {"A"}, {"B"}]
    by_code = {s.code: s for s in score(gold, predicted)}
    # A: tp=1 (first), fp=1 (third), fn=1 (second) -> P=R=F1=0.5
    assert (by_code["A"].tp, by_code["A"].fp, by_code["A"].fn) == (1, 1, 1)
    assert by_code["A"].f1 == pytest.approx(0.5)
    # B: tp=2, fp=0, fn=0 -> F1=1
    assert by_code["B"].f1 == pytest.approx(1.0)


def test_precision_zero_without_predictions() -> None:
    (only,) = score([item({"A"})], [set()])
    assert (only.precision, only.recall, only.f1) == (0.0, 0.0, 0.0)


def test_bad_json_line_names_line() -> None:
    lines = io.StringIO('{"id": 1, "speaker": "client", "text": "hoi"}\n{oops\n')
    with pytest.raises(TranscriptParseError) as caught:
        list(read_utterances(lines, "in.jsonl"))
    assert caught.value.line == 2 and "in.jsonl:2" in str(caught.value)


def test_bad_speaker_rejected() -> None:
    lines = io.StringIO('{"id": 1, "speaker": "hv", "text": "hoi"}\n')
    with pytest.raises(TranscriptParseError, match="speaker"):
        list(read_utterances(lines, "in.jsonl"))


def test_gold_files_are_well_formed_and_large_enough() -> None:
    from qcode.suggest.evaluation import read_gold

    here = Path(__file__).parent
    dev = read_gold(here / "gold.jsonl")
    held = read_gold(here / "gold_heldout.jsonl")
    assert len(dev) >= 200 and len(held) >= 80
    assert {g.item.speaker for g in dev} == {"counsellor", "client"}
    assert {g.item.channel for g in dev} == {"chat", "email"}
