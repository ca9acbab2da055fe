"""Stiltes: pauses in a chat that the reply's typing time does not explain.

The rule (the codebook's "the reply took more than three minutes, unless the reply is long
enough to account for the time by typing", made exact):

    pause   = time of the reply − time of the utterance before it in *time* order
    typing  = characters of the reply / typing speed (characters per minute)
    Stilte  ⇔ pause − typing > silence_minutes (default 3)

- Only chat documents; e-mail is asynchronous, a day's wait is normal.
- System (platform) messages are neither replies nor what is replied to: they are left out
  before pauses are measured, so "connection restored" does not split a silence.
- The pause is measured in time order (a stable sort on time, printed order breaking ties), so
  an out-of-order line never yields a negative pause, and the pauses of a chat add up to its
  duration. Utterances flagged ``out_of_order`` are not coded: where they really stood in the
  conversation is uncertain. Utterances without a time get no pause.
- The Stilte is applied to the replying utterance's whole span; ``detail`` is the pause,
  ``"6.0 min"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from itertools import pairwise

from qcode.coding.model import AUTO_CODER, Coding, Origin
from qcode.transcripts.model import Channel, Document, Role, Utterance

STILTES = "stiltes"


def gaps_in_time_order(times: Sequence[datetime | None]) -> list[float | None]:
    """Minutes since the previous utterance in time order, for each time in printed order.

    The previous utterance in time order is the one just before it after a stable sort on
    time (ties keep printed order). The earliest utterance and those without a time get
    ``None``. Every gap is ≥ 0, and the gaps of a document sum to its duration.
    """
    timed = sorted((time, index) for index, time in enumerate(times) if time is not None)
    gaps: list[float | None] = [None] * len(times)
    for (before, _), (time, index) in pairwise(timed):
        gaps[index] = (time - before).total_seconds() / 60.0
    return gaps


def is_silence(
    gap_minutes: float, text: str, silence_minutes: float, typing_chars_per_minute: float
) -> bool:
    """True when the pause before ``text``, less its typing time, exceeds ``silence_minutes``."""
    typing_minutes = len(text) / typing_chars_per_minute if typing_chars_per_minute > 0 else 0.0
    return gap_minutes - typing_minutes > silence_minutes


def find_silences(
    utterances: Sequence[Utterance], silence_minutes: float, typing_chars_per_minute: float
) -> list[tuple[Utterance, float]]:
    """(reply, pause in minutes) for every Stilte among one chat's utterances."""
    spoken = [u for u in utterances if u.role is not Role.SYSTEM]
    gaps = gaps_in_time_order([u.time for u in spoken])
    return [
        (u, gap)
        for u, gap in zip(spoken, gaps, strict=True)
        if gap is not None
        and not u.out_of_order
        and is_silence(gap, u.text, silence_minutes, typing_chars_per_minute)
    ]


def silence_codings(
    document: Document, silence_minutes: float, typing_chars_per_minute: float
) -> list[Coding]:
    """Stiltes codings (coder ``auto``) for a chat document; none for e-mail."""
    if document.channel is not Channel.CHAT:
        return []
    return [
        Coding(
            document=document.key,
            start=u.start,
            end=u.end,
            code=STILTES,
            coder=AUTO_CODER,
            origin=Origin.AUTOMATIC,
            detail=f"{gap:.1f} min",
        )
        for u, gap in find_silences(document.utterances, silence_minutes, typing_chars_per_minute)
    ]
