"""Segment-level suggestions: phases of the help process and who dominates.

Phases. Every part of a conversation belongs to one phase, so the result is a partition into
contiguous segments. Each utterance gets a phase cue from the segment rules in the rules
folder (``fasen-*.yaml``) or from its utterance suggestions (a counsellor's open question
points to Probleemanalyse, a referral or an encouragement to Strategiebepaling); utterances
without a cue continue the phase before them. Intake can only open and Afsluiting only close
a conversation, as the social-work process model the study used prescribes.

Dominance lives in :mod:`qcode.suggest.dominance` (initiative, steering, direction, pace and
content as the codebook defines it; never a share of words).
"""

from __future__ import annotations

from collections.abc import Sequence

from qcode.suggest.dominance import (
    CLIENT_LEADS,
    COUNSELLOR_LEADS,
    SWITCH,
    dominance_segments,
)
from qcode.suggest.values import SegmentSuggestion, Suggestion, UtteranceInput

INTAKE = "Intake"
CLOSING = "Afsluiting"
ANALYSIS = "Probleemanalyse"
STRATEGY = "Strategiebepaling"
__all__ = ["CLIENT_LEADS", "COUNSELLOR_LEADS", "SWITCH", "dominance_segments", "find_segments"]
PHASE_CODES = frozenset(
    {INTAKE, ANALYSIS, STRATEGY, "Doelformulering", "Evaluatie", CLOSING}
)
_STRATEGY_CODES = frozenset(
    {
        "Stimuleren zelfredzaamheid",
        "Doorverwijzing face-to-face maatschappelijk werk",
        "Doorverwijzing face-to-face interventie",
        "Doorverwijzing online interventie",
    }
)


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
        if phase is None and index >= n * 0.6 and any(s.code == "Feedback" for s in suggestions[index]):
            phase = CLOSING  # "heb je iets aan dit gesprek gehad?" near the end closes
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
