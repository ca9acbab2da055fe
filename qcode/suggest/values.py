"""The suggester's values: what goes in (a turn) and what comes out (a suggestion for a span of
it, or for a run of turns). Their own module so that the engine, the segment finders and every
caller share them without importing each other."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UtteranceInput:
    """One turn to suggest codes for."""

    id: str
    speaker: str
    """``counsellor``, ``client`` or ``system``."""
    text: str
    channel: str = "chat"
    time: str | None = None
    document: str | None = None
    """Inputs of one document, in order, are each other's context (previous turn, summary)."""


@dataclass(frozen=True)
class Suggestion:
    """A proposed code for a span of one utterance's text."""

    code: str
    """Code name as the codebook has it now (``Verificatie interpretatie``)."""
    start: int
    """Character offset into the utterance text (the caller maps it to document offsets)."""
    end: int
    confidence: float
    rule: str
    """Id of the rule that fired, as in the rules folder."""
    explanation: str
    code_id: str = ""
    """The code's stable id (``verificatie_interpretatie``): store this, not the name."""
    experimental: bool = False
    """The code is below the precision bar (see ``experimental:`` in its rules file)."""



@dataclass(frozen=True)
class SegmentSuggestion:
    """A code proposed for utterances ``first_index`` … ``last_index`` (inclusive)."""

    code: str
    first_index: int
    last_index: int
    confidence: float
    rule: str
    explanation: str
