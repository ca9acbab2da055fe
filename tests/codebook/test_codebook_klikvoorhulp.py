"""The shipped Klikvoorhulp codebook holds exactly the study's codes, consistently."""

from __future__ import annotations

import re
from pathlib import Path

from qcode.codebook.load import (
    RESERVED_HOTKEYS,
    default_codebook_path,
    dump_codebook,
    load_codebook,
    parse_codebook,
)
from qcode.codebook.model import Unit
from qcode.coding.autocode import AUTOMATIC_CODE_IDS

REPO = Path(__file__).resolve().parents[2]

# The study's Dutch code names, copied from the appendix "Codeschema" (domain doc).
STUDY_CODES = {
    "phases": [
        "Intake",
        "Probleemanalyse",
        "Strategiebepaling",
        "Doelformulering",
        "Evaluatie",
        "Afsluiting",
        "Doorverwijzing face-to-face maatschappelijk werk",
        "Doorverwijzing face-to-face interventie",
        "Doorverwijzing online interventie",
    ],
    "content": ["Onderwerp", "Omvang gesprek"],
    "role_division": [
        "Hulpverlener domineert",
        "Hulpvrager domineert",
        "Overname dominantie",
        "Uitnodiging inhoudsbepaling",
    ],
    "technique": ["Verificatie interpretatie", "Open vraag", "Gesloten vraag", "Feedback"],
    "self_reliance": [
        "Zelfredzaamheid",
        "Ontmoediging zelfredzaamheid",
        "Stimuleren zelfredzaamheid",
        "Hulpbronnen",
        "Compliment woorden",
    ],
    "paratext": ["Emoticons", "Stiltes", "Leestekens", "Technische storing"],
}


def test_default_path_is_the_checkout_file() -> None:
    assert default_codebook_path() == REPO / "codebooks" / "klikvoorhulp.yaml"


def test_every_study_code_is_there_in_its_group_and_order() -> None:
    codebook = load_codebook(default_codebook_path())
    assert [key for key, _ in codebook.groups] == list(STUDY_CODES)
    for group, names in STUDY_CODES.items():
        assert [c.name for c in codebook.codes if c.group == group] == names
    assert len(codebook.codes) == 28
    assert (codebook.id, codebook.version) == ("klikvoorhulp", "1.0")


def test_ids_colours_hotkeys_and_definitions_are_well_formed() -> None:
    codebook = load_codebook(default_codebook_path())
    hotkeys = [c.hotkey for c in codebook.codes]
    assert all(len(key) == 1 for key in hotkeys)
    assert len(set(hotkeys)) == len(hotkeys)
    assert not set(hotkeys) & RESERVED_HOTKEYS
    assert {"q", "u", "r", "a", "x", "j", "k", "?", ":", "/", " "} <= RESERVED_HOTKEYS
    for code in codebook.codes:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code.id)
        assert re.fullmatch(r"#[0-9A-F]{6}", code.colour)
        assert code.definition_en and code.definition_nl
    assert len({c.colour for c in codebook.codes}) == len(codebook.codes)


def test_exclusive_sets_automatic_codes_and_units() -> None:
    codebook = load_codebook(default_codebook_path())
    phase_set = {c.name for c in codebook.codes if c.exclusive == "phase"}
    assert phase_set == set(STUDY_CODES["phases"][:6])  # referrals are not phases
    assert {c.name for c in codebook.codes if c.exclusive == "question"} == {
        "Open vraag",
        "Gesloten vraag",
    }
    assert {c.id for c in codebook.codes if c.automatic} == AUTOMATIC_CODE_IDS
    assert {"emoticons", "leestekens", "stiltes"} == AUTOMATIC_CODE_IDS
    assert codebook.by_name("Omvang gesprek").unit is Unit.DOCUMENT
    assert codebook.by_name("Stiltes").unit is Unit.UTTERANCE
    assert codebook.by_name("Intake").unit is Unit.SEGMENT


def test_dump_and_parse_round_trip_to_an_equal_codebook() -> None:
    codebook = load_codebook(default_codebook_path())
    assert parse_codebook(dump_codebook(codebook), codebook.source) == codebook


def test_no_second_copy_inside_the_package() -> None:
    """One copy in the repository (``codebooks/``, read by the test above): no second YAML
    file hides inside the package (the wheel gets its copy at build time, see
    tests/packaging)."""
    shipped = {path.name for path in (REPO / "codebooks").rglob("*.yaml")}
    assert "klikvoorhulp.yaml" in shipped
    assert [path for path in (REPO / "qcode").rglob("*.yaml") if path.name in shipped] == []

