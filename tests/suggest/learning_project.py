"""A small coded project for the learning tests: eight cases, a code of our own without rules.

``Schoolzorgen`` (id ``schoolzorgen``) is added to a copy of the Klikvoorhulp codebook; no rule
names it, so every suggestion of it is learned. Anna codes it on client turns about school
worries, and Verificatie interpretatie on the counsellor's checks (which the rules know too).
The sentences are written for this test, varied so a model must generalise over words.
"""

from __future__ import annotations

from pathlib import Path

from qcode.codebook.load import default_codebook_path
from qcode.services import codings as coding_service
from qcode.services.project import Project, init_project
from tests.factories import make_document, store

OWN_CODE = """  - id: schoolzorgen
    name: Schoolzorgen
    group: content
    unit: utterance
    exclusive: ""
    automatic: false
    suggestible: false
    colour: "#7799CC"
    hotkey: ""
    definition_en: The client worries about school (marks, teachers, homework).
    definition_nl: De hulpvrager maakt zich zorgen over school.
"""

SCHOOL = [
    "ik haal slechte cijfers op school en mijn ouders zijn boos",
    "mijn leraar op school snapt me niet",
    "ik krijg mijn huiswerk voor school nooit af",
    "op school gaat het slecht, mijn cijfers zakken",
    "de leraar geeft me steeds strafwerk op school",
    "ik ben bang dat ik blijf zitten op school",
    "school is zwaar, al dat huiswerk en die toetsen",
    "mijn mentor op school zegt dat mijn cijfers te laag zijn",
]
OTHER = [
    "ik heb ruzie met mijn zus",
    "mijn vriend wil niet meer met me praten",
    "thuis is het de laatste tijd erg onrustig",
    "ik slaap slecht en ben vaak moe",
    "mijn moeder is veel aan het werk",
    "ik voel me vaak alleen in het weekend",
    "ik weet niet wat ik met mijn geld moet doen",
    "mijn opa is ziek en dat vind ik moeilijk",
]
CHECKS = [
    "Als ik het goed begrijp maak je je zorgen, klopt dat?",
    "Je geeft aan dat het thuis lastig is, klopt dat?",
]
CASES = 8


def conversation(case: int) -> list[tuple[str, str, str]]:
    """Six turns: greeting, a school turn, a check, another topic, a question, a school turn."""
    return [
        ("counsellor", "19:00", "Hoi, waar wil je het over hebben?"),
        ("client", "19:01", SCHOOL[case % len(SCHOOL)]),
        ("counsellor", "19:02", CHECKS[case % len(CHECKS)]),
        ("client", "19:03", OTHER[case % len(OTHER)]),
        ("counsellor", "19:04", "Hoe lang speelt dit al?"),
        ("client", "19:05", OTHER[(case + 3) % len(OTHER)] if case % 2 else SCHOOL[(case + 3) % len(SCHOOL)]),
    ]


def school_turns(case: int) -> list[int]:
    return [1] + ([] if case % 2 else [5])


def codebook_with_own_code(folder: Path) -> Path:
    path = folder / "codebook-own.yaml"
    path.write_text(default_codebook_path().read_text(encoding="utf-8") + OWN_CODE, encoding="utf-8")
    return path


def coded_project(folder: Path, database: str = "") -> Project:
    """The project, with anna's codings committed."""
    folder.mkdir(parents=True, exist_ok=True)
    project = init_project(folder / "project", database=database, codebook=codebook_with_own_code(folder))
    store(project, *(make_document(f"casus-{c}/chat", f"casus-{c}", conversation(c)) for c in range(CASES)))
    for case in range(CASES):
        key = f"casus-{case}/chat"
        for turn in school_turns(case):
            coding_service.add_coding(project, key, "Schoolzorgen", "anna", utterance=turn)
        coding_service.add_coding(project, key, "Verificatie interpretatie", "anna", utterance=2)
    return project
