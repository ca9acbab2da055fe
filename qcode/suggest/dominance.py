"""Who dominates a stretch of conversation, as the codebook defines it.

"Hulpverlener/Hulpvrager domineert: takes the initiative, steers, or sets direction, pace and
content." qcode counts, per speaker, in windows of :data:`WINDOW` utterances:

- **questions opened**: the counsellor's Open/Gesloten vraag suggestions, the client's "?";
- **topic initiations**: a turn that does not answer the other's question and brings in at
  least :data:`NEW_WORDS` content words not said before in the conversation;
- **directives**: the counsellor's advice, encouragement and referrals (Stimuleren
  zelfredzaamheid, Doorverwijzing …), the client's statements of what they want or will not
  have ("ik wil (niet) …", "ik ga …"); a counsellor's Uitnodiging inhoudsbepaling hands
  direction to the client and counts for the client.

The counsellor's share is averaged over the measures that occur in the window: above
:data:`LEAD` marks "Hulpverlener domineert", below ``1 - LEAD`` "Hulpvrager domineert", and
where the leader changes between adjacent windows "Overname dominantie" is suggested over both.
Words are not counted: a long turn is not a lead. One-author text never proves dominance: a
window needs turns of both speakers, and a conversation of one speaker gets no dominance.

These codes are experimental (see docs/suggestions.md, "Phases and dominance"): hidden unless
experimental suggestions are asked for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qcode.suggest.values import SegmentSuggestion, Suggestion, UtteranceInput

WINDOW = 6
LEAD = 0.65
NEW_WORDS = 3
COUNSELLOR_LEADS = "Hulpverlener domineert"
CLIENT_LEADS = "Hulpvrager domineert"
SWITCH = "Overname dominantie"
_QUESTION_CODES = frozenset({"Open vraag", "Gesloten vraag"})
_DIRECTIVE_CODES = frozenset({
    "Stimuleren zelfredzaamheid", "Doorverwijzing face-to-face maatschappelijk werk",
    "Doorverwijzing face-to-face interventie", "Doorverwijzing online interventie",
})
_HANDS_OVER = "Uitnodiging inhoudsbepaling"
_WANTS = re.compile(r"\bik (?:wil|ga|moet|hoef|weiger|kies|wou)\b|\bik wil niet\b", re.IGNORECASE)
_WORD = re.compile(r"[a-zà-ÿ]{4,}", re.IGNORECASE)
_COMMON = frozenset(
    ["heel", "echt", "even", "gewoon", "wel", "niet", "maar", "want", "omdat", "toen", "dan", "daar", "hier", "deze", "die", "dit", "dat", "zijn", "heeft", "hebben", "wordt", "worden", "kunnen", "zou", "zouden", "moet", "moeten", "willen", "weet", "weten", "denk", "vind", "misschien", "eigenlijk", "ook", "nog", "alleen", "altijd", "nooit", "soms", "meer", "veel", "zelf", "iets", "niets", "niks"]
)



def dominance_segments(
    items: Sequence[UtteranceInput], suggestions: Sequence[list[Suggestion]]
) -> list[SegmentSuggestion]:
    """Who leads each window, and where the lead passes from one to the other."""
    if len({i.speaker for i in items} & {"counsellor", "client"}) < 2:
        return []  # one-author text never proves dominance
    counts = _per_turn(items, suggestions)
    windows = []
    for start in range(0, len(items), WINDOW):
        end = min(start + WINDOW, len(items))
        windows.append((start, end - 1, *_leader(items[start:end], counts[start:end])))
    return _segments(windows)


def _per_turn(items: Sequence[UtteranceInput], found: Sequence[list[Suggestion]]) -> list[dict[str, dict[str, int]]]:
    """Per turn: the counts it adds for each speaker."""
    seen: set[str] = set()
    result = []
    for index, (item, suggestions) in enumerate(zip(items, found, strict=True)):
        codes = {s.code for s in suggestions}
        mine: dict[str, int] = {}
        other: dict[str, int] = {}
        mine["questions"] = sum(1 for s in suggestions if s.code in _QUESTION_CODES)
        if item.speaker == "client":
            mine["questions"] = item.text.count("?")
            mine["directives"] = len(_WANTS.findall(item.text))
        else:
            mine["directives"] = len(codes & _DIRECTIVE_CODES)
            other["directives"] = int(_HANDS_OVER in codes)
        words = {w.lower() for w in _WORD.findall(item.text)} - _COMMON
        answering = index > 0 and items[index - 1].speaker != item.speaker and "?" in items[index - 1].text
        mine["topics"] = int(not answering and len(words - seen) >= NEW_WORDS)
        seen |= words
        other_role = "client" if item.speaker == "counsellor" else "counsellor"
        result.append({item.speaker: mine, other_role: other})
    return result


def _leader(items: Sequence[UtteranceInput], counts: Sequence[dict[str, dict[str, int]]]) -> tuple[str | None, float]:
    if len({i.speaker for i in items} & {"counsellor", "client"}) < 2:
        return None, 0.5
    shares = []
    for measure in ("questions", "topics", "directives"):
        counsellor = sum(c.get("counsellor", {}).get(measure, 0) for c in counts)
        client = sum(c.get("client", {}).get(measure, 0) for c in counts)
        if counsellor + client:
            shares.append(counsellor / (counsellor + client))
    share = sum(shares) / len(shares) if shares else 0.5
    leader = COUNSELLOR_LEADS if share > LEAD else CLIENT_LEADS if share < 1 - LEAD else None
    return leader, share


def _segments(windows: list[tuple[int, int, str | None, float]]) -> list[SegmentSuggestion]:
    from qcode.suggest.values import SegmentSuggestion

    result: list[SegmentSuggestion] = []
    previous: tuple[int, int, str | None, float] | None = None
    for window in windows:
        start, last, leader, share = window
        if leader is None:
            continue
        who = "counsellor" if leader == COUNSELLOR_LEADS else "client"
        result.append(SegmentSuggestion(
            leader, start, last, round(min(0.9, 0.5 + abs(share - 0.5)), 2), "dominantie.initiatief",
            f"{who} leads: counsellor share of questions opened, topics started and directives "
            f"{share:.0%}",
        ))
        if previous is not None and previous[2] not in (None, leader):
            result.append(SegmentSuggestion(
                SWITCH, previous[0], last, 0.6, "dominantie.wissel",
                f"the lead passes from {previous[2]} to {leader}",
            ))
        previous = window
    return result
