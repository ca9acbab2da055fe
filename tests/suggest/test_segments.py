"""Phases and dominance, from hand-built suggestions (no pipeline needed)."""

from __future__ import annotations

from qcode.suggest.engine import Suggestion, UtteranceInput
from qcode.suggest.segments import dominance_segments, phase_segments


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
    # window 1: counsellor asks 3 questions and says 3x as much; window 2: only the client talks
    long = "een twee drie vier vijf zes"
    items = [u(i, "counsellor", long) if i % 2 == 0 else u(i, "client", "ja") for i in range(6)]
    items += [u(i, "client", long) if i % 2 else u(i, "counsellor", "ok") for i in range(6, 12)]
    found = [[s("Open vraag")] if i % 2 == 0 and i < 6 else [] for i in range(12)]
    segments = dominance_segments(items, found)
    codes = [(g.code, g.first_index, g.last_index) for g in segments]
    assert ("Hulpverlener domineert", 0, 5) in codes
    assert ("Hulpvrager domineert", 6, 11) in codes
    assert ("Overname dominantie", 0, 11) in codes
