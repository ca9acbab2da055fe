"""Rule files: a bad file is reported with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from qcode.codebook.load import default_codebook_path, load_codebook
from qcode.errors import CodebookError
from qcode.suggest.components import RuleMatcher
from qcode.suggest.ruleset import default_rules_dir, load_rules

GOOD = """\
code: Feedback
speaker: counsellor
rules:
  - id: fb.iets_aan
    phrases: [heb je hier iets aan]
"""

# The code names of the codebook doc's tables (codebook-klikvoorhulp.md), typed by hand.
CODEBOOK_NAMES = {
    "Intake", "Probleemanalyse", "Strategiebepaling", "Doelformulering", "Evaluatie",
    "Afsluiting", "Doorverwijzing face-to-face maatschappelijk werk",
    "Doorverwijzing face-to-face interventie", "Doorverwijzing online interventie", "Onderwerp",
    "Omvang gesprek", "Hulpverlener domineert", "Hulpvrager domineert", "Overname dominantie",
    "Uitnodiging inhoudsbepaling", "Verificatie interpretatie", "Open vraag", "Gesloten vraag",
    "Feedback", "Zelfredzaamheid", "Ontmoediging zelfredzaamheid", "Stimuleren zelfredzaamheid",
    "Hulpbronnen", "Compliment woorden", "Emoticons", "Stiltes", "Leestekens",
    "Technische storing",
}


def write(tmp_path: Path, text: str, name: str = "rules.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_good_file_loads(tmp_path: Path) -> None:
    ruleset = load_rules(write(tmp_path, GOOD))
    (rule,) = ruleset.rules
    assert (rule.id, rule.code, rule.kind, rule.line) == ("fb.iets_aan", "Feedback", "phrases", 4)


def test_unknown_key_names_line_and_field(tmp_path: Path) -> None:
    text = GOOD + "    confidnce: 0.5\n"
    with pytest.raises(CodebookError) as caught:
        load_rules(write(tmp_path, text))
    assert caught.value.line == 4 and caught.value.field == "confidnce"
    assert "rules.yaml:4" in str(caught.value)


def test_bad_yaml_names_line(tmp_path: Path) -> None:
    with pytest.raises(CodebookError) as caught:
        load_rules(write(tmp_path, GOOD + "  - id: [unclosed\n"))
    assert caught.value.line == 7


def test_two_match_kinds_rejected(tmp_path: Path) -> None:
    text = GOOD + "    words: [nuttig]\n"
    with pytest.raises(CodebookError, match="exactly one of"):
        load_rules(write(tmp_path, text))


def test_bad_confidence_rejected(tmp_path: Path) -> None:
    with pytest.raises(CodebookError) as caught:
        load_rules(write(tmp_path, GOOD + "    confidence: 3\n"))
    assert caught.value.field == "confidence"


def test_unknown_also_reference(tmp_path: Path) -> None:
    with pytest.raises(CodebookError) as caught:
        load_rules(write(tmp_path, GOOD + "    also: [nope]\n"))
    assert caught.value.field == "also" and caught.value.line == 4


def test_duplicate_rule_id_across_files(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.yaml")
    with pytest.raises(CodebookError, match="already used"):
        load_rules(write(tmp_path, GOOD, "b.yaml"))


def test_bad_spacy_pattern_names_rule_line(tmp_path: Path) -> None:
    text = GOOD + "  - id: fb.bad\n    pattern: [{LEMMMA: helpen}]\n"
    ruleset = load_rules(write(tmp_path, text))
    with pytest.raises(CodebookError) as caught:
        RuleMatcher(spacy.blank("nl"), ruleset)
    assert caught.value.line == 6 and caught.value.field == "pattern"


def test_version_follows_content(tmp_path: Path) -> None:
    first = load_rules(write(tmp_path, GOOD)).version
    second = load_rules(write(tmp_path, GOOD.replace("iets aan", "wat aan"))).version
    assert first != second and first.startswith("0.")


def test_shipped_rules_name_codebook_codes_by_id() -> None:
    book = load_codebook(default_codebook_path())
    ruleset = load_rules(default_rules_dir(), book)
    ids = {code.code for code in ruleset.codes}
    ids |= {ruleset.questions.open_code, ruleset.questions.closed_code}
    names = {c.name for c in book.codes if c.id in ids}
    assert len(names) == len(ids) and names <= CODEBOOK_NAMES, names - CODEBOOK_NAMES


def test_rule_naming_an_unknown_code_is_an_error_with_file_and_line(tmp_path: Path) -> None:
    book = load_codebook(default_codebook_path())
    text = "# a comment\n" + GOOD.replace("code: Feedback", "code: feedbak")
    with pytest.raises(CodebookError) as caught:
        load_rules(write(tmp_path, text), book)
    assert caught.value.line == 2 and caught.value.field == "code"
    assert "rules.yaml:2" in str(caught.value) and "feedbak" in str(caught.value)


def test_rule_naming_a_code_by_its_label_is_told_the_id(tmp_path: Path) -> None:
    book = load_codebook(default_codebook_path())
    with pytest.raises(CodebookError, match="write its id 'feedback'"):
        load_rules(write(tmp_path, GOOD), book)


def test_frame_with_unknown_slot_key_names_line(tmp_path: Path) -> None:
    text = GOOD + "  - id: fb.frame\n    frame:\n      all:\n        - {lemmma: [helpen]}\n"
    with pytest.raises(CodebookError) as caught:
        load_rules(write(tmp_path, text))
    assert caught.value.field == "frame" and caught.value.line == 8


def test_phrase_matcher_on_blank_pipeline(tmp_path: Path) -> None:
    nlp = spacy.blank("nl")
    matcher = RuleMatcher(nlp, load_rules(write(tmp_path, GOOD)))
    doc = matcher(nlp("Oke. Heb je hier iets aan?"))
    (span,) = doc.spans["qcode_rules"]
    assert (span.label_, span.text) == ("fb.iets_aan", "Heb je hier iets aan")
