"""Context: codes named by id, summaries across sentences and lines, closing tags, the previous
turn, experimental codes, and no fuzzy matching of function-word phrases."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import spacy

from qcode.codebook.load import default_codebook_path, load_codebook
from qcode.suggest.engine import Suggester
from qcode.suggest.fuzzy import FuzzyPhrases
from qcode.suggest.ruleset import default_rules_dir
from qcode.suggest.values import UtteranceInput

VERIFICATION = "Verificatie interpretatie"


def codes(suggester, items):  # type: ignore[no-untyped-def]
    return [{s.code for s in found} for found in suggester.suggest(items)]


@pytest.mark.model
def test_summary_opener_licenses_following_lines_of_one_document(suggester) -> None:  # type: ignore[no-untyped-def]
    lines = [
        "Uit uw mail begrijp ik dat u al lange tijd geldzorgen heeft.",
        "Ik kan mij voorstellen dat dat zwaar is.",
        "Daarnaast maakt u zich zorgen over uw zoon.",
    ]
    together = [UtteranceInput(str(i), "counsellor", t, "email", document="m1") for i, t in enumerate(lines)]
    alone = [UtteranceInput(str(i), "counsellor", t, "email") for i, t in enumerate(lines)]
    linked = codes(suggester, together)
    assert VERIFICATION in linked[0] and VERIFICATION in linked[2]
    assert VERIFICATION not in linked[1]  # about the counsellor: passed over
    assert VERIFICATION not in codes(suggester, alone)[2]


@pytest.mark.model
def test_bullets_after_an_opener_in_one_email(suggester) -> None:  # type: ignore[no-untyped-def]
    text = ("Ik zet de door jou genoemde punten even op een rij.\n"
            "• Je hebt ruzie met je huisgenoot.\n• Er is een achterstand in de huur.\n\n"
            "Veel sterkte de komende tijd.")
    (found,) = suggester.suggest([UtteranceInput("1", "counsellor", text, "email")])
    spans = {text[s.start:s.end] for s in found if s.code == VERIFICATION}
    assert "• Er is een achterstand in de huur." in spans
    assert "Veel sterkte de komende tijd." not in spans


@pytest.mark.model
def test_closing_tag_makes_the_sentence_before_it_a_verification(suggester) -> None:  # type: ignore[no-untyped-def]
    text = "Je wilt vooral weer rust in huis. Klopt dit?"
    (found,) = suggester.suggest([UtteranceInput("1", "counsellor", text, "email")])
    spans = {text[s.start:s.end] for s in found if s.code == VERIFICATION}
    assert spans == {"Je wilt vooral weer rust in huis.", "Klopt dit?"}


@pytest.mark.model
def test_network_named_after_a_network_question(suggester) -> None:  # type: ignore[no-untyped-def]
    turns = [
        UtteranceInput("1", "counsellor", "Is er iemand bij wie je terecht kunt als het thuis misgaat?", document="c"),
        UtteranceInput("2", "client", "weet ik niet", document="c"),
        UtteranceInput("3", "counsellor", "Bijvoorbeeld een tante, een buurvrouw of je trainer.", document="c"),
    ]
    found = codes(suggester, turns)
    assert "Hulpbronnen" in found[0] and "Hulpbronnen" in found[2]
    assert "Hulpbronnen" not in codes(suggester, [dataclasses.replace(turns[2], document=None)])[0]


@pytest.mark.model
def test_renamed_code_keeps_its_suggestions(suggester) -> None:  # type: ignore[no-untyped-def]
    book = load_codebook(default_codebook_path())
    renamed = dataclasses.replace(book, codes=tuple(
        dataclasses.replace(c, name="Check van de lezing") if c.id == "verificatie_interpretatie" else c
        for c in book.codes
    ))
    engine = Suggester(suggester.nlp, default_rules_dir(), renamed)
    (found,) = engine.suggest([UtteranceInput("1", "counsellor", "Klopt dat?")])
    verification = [s for s in found if s.code_id == "verificatie_interpretatie"]
    assert verification and {s.code for s in verification} == {"Check van de lezing"}


@pytest.mark.model
def test_experimental_codes_hidden_unless_asked(suggester, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / "feedback.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "code: feedback\n", "code: feedback\nexperimental: dev precision 0.40\n"), encoding="utf-8")
    item = UtteranceInput("1", "counsellor", "Heb je hier iets aan?")
    hidden = Suggester(suggester.nlp, rules)
    assert "Feedback" not in {s.code for s in next(hidden.suggest([item]))}
    shown = Suggester(suggester.nlp, rules, experimental=True)
    feedback = [s for s in next(shown.suggest([item])) if s.code == "Feedback"]
    assert feedback and all(s.experimental and s.explanation.startswith("experimental:") for s in feedback)
    assert shown.rules_version != hidden.rules_version
    Suggester(suggester.nlp, default_rules_dir())  # point the shared pipeline back


def test_function_word_phrases_are_never_fuzzy() -> None:
    nlp = spacy.blank("nl")
    fuzzy = FuzzyPhrases()
    fuzzy.add("r.dat_het", ("dat het",), 80)
    fuzzy.add("r.begrijp", ("begrijp ik het goed",), 85)
    assert list(fuzzy.find(nlp("ik denk dat je gelijk hebt"), skip=set())) == []
    # the content word may bend, the pronoun may not: "je" is not "het"
    assert list(fuzzy.find(nlp("begrjip ik je goed"), skip=set())) == []
    assert [r for r, _, _ in fuzzy.find(nlp("begrijp ik t goed"), skip=set())] == ["r.begrijp"]


@pytest.mark.model
def test_dominance_is_experimental_and_labelled(suggester) -> None:  # type: ignore[no-untyped-def]
    turns = []
    for i in range(6):
        turns += [UtteranceInput(f"{i}a", "counsellor", "Hoe gaat het op school? Wat doe je daar?"),
                  UtteranceInput(f"{i}b", "client", "goed")]
    hidden = {s.code for s in suggester.suggest_segments(turns)}
    assert "Hulpverlener domineert" not in hidden
    shown = Suggester(suggester.nlp, default_rules_dir(), experimental=True)
    leads = [s for s in shown.suggest_segments(turns) if s.code == "Hulpverlener domineert"]
    assert leads and all(s.explanation.startswith("experimental:") for s in leads)
    Suggester(suggester.nlp, default_rules_dir())  # point the shared pipeline back
