"""Phases and dominance, from hand-built suggestions (no pipeline needed)."""

from __future__ import annotations

from qcode.suggest.segments import dominance_segments, phase_segments
from qcode.suggest.values import Suggestion, UtteranceInput


def s(code: str) -> Suggestion:
    return Suggestion(code, 0, 1, 0.8, "r", "e")


def u(i: int, speaker: str, text: str = "een twee drie") -> UtteranceInput:
    return UtteranceInput(str(i), speaker, text)


def test_phases_are_contiguous_and_cover_everything() -> None:
    items = [u(i, "counsellor" if i % 2 == 0 else "client") for i in range(8)]
    found = [[], [], [s("Open vraag")], [], [s("Stimuleren zelfredzaamheid")], [], [], []]
    cues = [[("Intake", "fase.intake", 0.8)], [], [], [], [], [], [("Afsluiting", "x", 0.8)], []]
    segments = phase_segments(items, found, cues)
    assert [(g.code, g.first_index, g.last_index) for g in segments] == [
        ("Intake", 0, 1),
        ("Probleemanalyse", 2, 3),
        ("Strategiebepaling", 4, 5),
        ("Afsluiting", 6, 7),
    ]


def test_early_thanks_is_not_closing() -> None:
    items = [u(i, "client") for i in range(10)]
    cues = [[] for _ in items]
    cues[1] = [("Afsluiting", "fase.afsluiting", 0.8)]
    segments = phase_segments(items, [[] for _ in items], cues)
    assert [g.code for g in segments] == ["Intake"]


def test_dominance_switch() -> None:
    """Window 1: the counsellor opens every question. Window 2: the client brings new topics,
    says what she wants and asks; the counsellor only acknowledges. Counted by hand: window 1
    questions 3 to 0, no topic (no turn brings 3 new content words), no directive: share 1.0;
    window 2 questions 0 to 1, directives 0 to 2 ("ik wil" twice), topics 0 to 3: share 0.0."""
    items = [
        u(0, "counsellor", "Wat is er gebeurd?"), u(1, "client", "ruzie"),
        u(2, "counsellor", "Met wie?"), u(3, "client", "moeder"),
        u(4, "counsellor", "Sinds wanneer?"), u(5, "client", "zomer"),
        u(6, "client", "ik wil eigenlijk praten over school, docenten, cijfers"),
        u(7, "counsellor", "ok"),
        u(8, "client", "ik wil niet dat mijn ouders bellen met mentor Jansen"),
        u(9, "counsellor", "ok"),
        u(10, "client", "mag ik vragen wanneer jullie avondspreekuur hebben?"),
        u(11, "counsellor", "ja"),
    ]
    found = [[s("Open vraag")] if i in (0, 2, 4) else [] for i in range(12)]
    codes = [(g.code, g.first_index, g.last_index) for g in dominance_segments(items, found)]
    assert ("Hulpverlener domineert", 0, 5) in codes
    assert ("Hulpvrager domineert", 6, 11) in codes
    assert ("Overname dominantie", 0, 11) in codes


def test_many_words_are_no_lead() -> None:
    """Long counsellor turns that answer the client's questions open nothing: no counsellor lead."""
    long = "Dat is een goede vraag, daar vertel ik je graag meer over want het komt vaak voor"
    items = []
    for i in range(0, 12, 2):
        items += [u(i, "client", f"hoe zit het met onderwerp{i} en kwestie{i} en zaak{i}?"), u(i + 1, "counsellor", long)]
    segments = dominance_segments(items, [[] for _ in items])
    assert "Hulpverlener domineert" not in {g.code for g in segments}


def test_one_author_text_proves_no_dominance() -> None:
    items = [u(i, "counsellor", "Wat vind je daarvan? Hoe gaat het?") for i in range(8)]
    found = [[s("Open vraag")] for _ in items]
    assert dominance_segments(items, found) == []
