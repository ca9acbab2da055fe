"""Frames on a bare tokenizer (no model): slots in any order, separable verbs, adjacency,
clause openers, later clauses and vetoes, each checked by hand."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from qcode.suggest.frames import FrameMatcher, make_frame

NLP = spacy.blank("nl")
NLP.add_pipe("sentencizer")


def found(frame: dict[str, object], text: str) -> list[str]:
    matcher = FrameMatcher()
    matcher.add("r", make_frame(frame))
    doc: Doc = NLP(text)
    return [doc[start:end].text for _, start, end in matcher.find(doc)]


REPORT = {
    "all": [{"lower": ["geef", "geeft"], "particle": "aan"}, {"lower": ["je", "u"]}],
    "then": [{"lower": ["dat"]}],
}


def test_separable_verb_split_or_joined_in_any_order() -> None:
    assert found(REPORT, "Als laatste geef je aan dat je moe bent.") == ["geef je aan dat"]
    assert found({**REPORT, "then": []}, "Je aangeeft het.") == ["Je aangeeft"]
    assert found(REPORT, "Je geeft dat niet.") == []  # no particle, no later clause


def test_then_needs_a_later_clause() -> None:
    # "dat" opens no later clause here ("dat boek" right after the verb is in the same clause
    # only if nothing splits it; a comma does)
    assert found(REPORT, "Je geeft aan, dat klopt.") == ["Je geeft aan, dat"]
    assert found(REPORT, "Dat geef je aan.") == []


def test_near_keeps_a_phrase_together() -> None:
    source = {"all": [{"lower": ["uit"]}, {"lower": ["je"], "near": 1}, {"lower": ["mail"], "near": 2}]}
    assert found(source, "Uit je laatste mail blijkt het.") == ["Uit je laatste mail"]
    assert found(source, "Uit het raam zie je de mail liggen.") == []


def test_first_wants_the_clause_opening() -> None:
    check = {"all": [{"lower": ["begrijp"], "first": True}, {"lower": ["ik"]}, {"lower": ["goed"]}]}
    assert found(check, "Oke, begrijp ik het goed?") == ["begrijp ik het goed"]
    assert found(check, "Ik begrijp het goed.") == []


def test_veto_holds_in_its_own_clause_only() -> None:
    praise = {"all": [{"lower": ["knap"]}], "then": [{"lower": ["je"]}], "none": [{"lower": ["lastig"]}]}
    assert found({**praise, "none": []}, "Knap lastig, dat je dit doet.") == ["Knap lastig, dat je"]
    assert found(praise, "Knap lastig, dat je dit doet.") == []  # the veto in knap's clause
    # "lastig" stands in another clause than "knap": it vetoes nothing there
    assert found(praise, "Dat is lastig, maar knap dat je het doet.") == ["knap dat je"]


def test_backtracking_gives_each_slot_its_token() -> None:
    frame = {"all": [{"lower": ["dit", "voorstel"]}, {"lower": ["dit"]}, {"lower": ["u"]}]}
    assert found(frame, "Wat vindt u van dit voorstel?") == ["u van dit voorstel"]
