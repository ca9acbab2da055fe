"""Segment-level suggestions: phases of the help process and who dominates.

Phases. Every part of a conversation belongs to one phase, so the result is a partition into
contiguous segments. Each utterance gets a phase cue from the segment rules in the rules
folder (``fasen-*.yaml``) or from its utterance suggestions (a counsellor's open question
points to Probleemanalyse, a referral or an encouragement to Strategiebepaling); utterances
without a cue continue the phase before them. Intake can only open and Afsluiting only close
a conversation, as the social-work process model the study used prescribes.

Dominance. In windows of :data:`WINDOW` utterances the counsellor's share of questions asked,
of new topics introduced and of words (``count_words``) is averaged; a share above 0.6 marks
"Hulpverlener domineert", below 0.4 "Hulpvrager domineert". Where the dominant party changes
between adjacent stretches, "Overname dominantie" is suggested over the two windows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from qcode.suggest.engine import Suggestion, UtteranceInput
from qcode.transcripts.words import count_words

WINDOW = 6
INTAKE = "Intake"
CLOSING = "Afsluiting"
ANALYSIS = "Probleemanalyse"
STRATEGY = "Strategiebepaling"
COUNSELLOR_LEADS = "Hulpverlener domineert"
CLIENT_LEADS = "Hulpvrager domineert"
SWITCH = "Overname dominantie"
_STRATEGY_CODES = frozenset(
    {
        "Stimuleren zelfredzaamheid",
        "Doorverwijzing face-to-face maatschappelijk werk",
        "Doorverwijzing face-to-face interventie",
        "Doorverwijzing online interventie",
    }
)
_TOPIC_CODES = frozenset({"Onderwerp", "Uitnodiging inhoudsbepaling"})


@dataclass(frozen=True)
class SegmentSuggestion:
    """A code proposed for utterances ``first_index`` … ``last_index`` (inclusive)."""

    code: str
    first_index: int
    last_index: int
    confidence: float
    rule: str
    explanation: str


Cue = tuple[str, str, float]
"""(code, rule id, confidence) of a segment rule that matched an utterance."""


def find_segments(
    items: Sequence[UtteranceInput],
    suggestions: Sequence[list[Suggestion]],
    cues: Sequence[list[Cue]],
) -> list[SegmentSuggestion]:
    """Phases and dominance for one conversation (all three sequences in the same order)."""
    if not items:
        return []
    return [*phase_segments(items, suggestions, cues), *dominance_segments(items, suggestions)]


def phase_segments(
    items: Sequence[UtteranceInput],
    suggestions: Sequence[list[Suggestion]],
    cues: Sequence[list[Cue]],
) -> list[SegmentSuggestion]:
    """Partition the conversation into contiguous phase segments."""
    n = len(items)
    direct: list[str | None] = [
        _utterance_phase(item, found, cue) for item, found, cue in zip(items, suggestions, cues, strict=True)
    ]
    labels: list[str] = []
    for index, phase in enumerate(direct):
        if phase == INTAKE and any(p not in (None, INTAKE) for p in direct[:index]):
            phase = None  # a greeting mid-conversation does not restart the intake
        if phase == CLOSING and index < n * 0.6:
            phase = None  # "dankjewel" early on is no closing
        if phase is None:
            phase = labels[-1] if labels else INTAKE
        if labels and labels[-1] == CLOSING:
            phase = CLOSING  # once closing, the rest is closing
        labels.append(phase)
    segments: list[SegmentSuggestion] = []
    start = 0
    for index in range(1, n + 1):
        if index == n or labels[index] != labels[start]:
            run = direct[start:index]
            support = sum(1 for p in run if p == labels[start]) / len(run)
            segments.append(
                SegmentSuggestion(
                    labels[start], start, index - 1, round(0.4 + 0.5 * support, 2),
                    "fase.contiguous",
                    f"{labels[start]}: {sum(1 for p in run if p == labels[start])} of {len(run)} "
                    "utterances show it; the others continue it",
                )
            )
            start = index
    return segments


def _utterance_phase(item: UtteranceInput, found: list[Suggestion], cues: list[Cue]) -> str | None:
    codes = {s.code for s in found}
    cue_codes = [c for c, _, _ in cues]
    for phase in (CLOSING, INTAKE, "Evaluatie", "Doelformulering"):
        if phase in cue_codes:
            return phase
    if codes & _STRATEGY_CODES or STRATEGY in cue_codes:
        return STRATEGY
    if item.speaker == "counsellor" and ("Open vraag" in codes or ANALYSIS in cue_codes):
        return ANALYSIS
    return None


def dominance_segments(
    items: Sequence[UtteranceInput], suggestions: Sequence[list[Suggestion]]
) -> list[SegmentSuggestion]:
    """Who steers each stretch, and where the lead passes from one to the other."""
    windows: list[tuple[int, int, str | None, float]] = []
    for start in range(0, len(items), WINDOW):
        end = min(start + WINDOW, len(items))
        share = _counsellor_share(items[start:end], suggestions[start:end])
        leader = COUNSELLOR_LEADS if share > 0.6 else CLIENT_LEADS if share < 0.4 else None
        windows.append((start, end - 1, leader, share))
    result: list[SegmentSuggestion] = []
    previous: tuple[int, int, str | None, float] | None = None
    for window in windows:
        start, last, leader, share = window
        if leader is not None:
            who = "counsellor" if leader == COUNSELLOR_LEADS else "client"
            result.append(
                SegmentSuggestion(
                    leader, start, last, round(min(0.9, 0.5 + abs(share - 0.5)), 2),
                    "dominantie.aandeel",
                    f"{who} steers: counsellor share of questions, topics and words {share:.0%}",
                )
            )
            if previous is not None and previous[2] not in (None, leader):
                result.append(
                    SegmentSuggestion(
                        SWITCH, previous[0], last, 0.6, "dominantie.wissel",
                        f"the lead passes from {previous[2]} to {leader}",
                    )
                )
            previous = window
    return result


def _counsellor_share(items: Sequence[UtteranceInput], found: Sequence[list[Suggestion]]) -> float:
    """Mean counsellor share of questions, new topics and words in a stretch (0.5 if none)."""
    shares: list[float] = []
    for measure in (_questions, _topics, _words):
        counsellor = sum(measure(i, f) for i, f in zip(items, found, strict=True) if i.speaker == "counsellor")
        client = sum(measure(i, f) for i, f in zip(items, found, strict=True) if i.speaker == "client")
        if counsellor + client:
            shares.append(counsellor / (counsellor + client))
    return sum(shares) / len(shares) if shares else 0.5


def _questions(item: UtteranceInput, found: list[Suggestion]) -> int:
    if item.speaker == "counsellor":
        return sum(1 for s in found if s.code in ("Open vraag", "Gesloten vraag"))
    return item.text.count("?")


def _topics(item: UtteranceInput, found: list[Suggestion]) -> int:
    return sum(1 for s in found if s.code in _TOPIC_CODES)


def _words(item: UtteranceInput, found: list[Suggestion]) -> int:
    return count_words(item.text)
