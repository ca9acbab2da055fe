"""Messages shared between workbench screens and widgets (dataclasses, as Textual allows)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class TurnClicked(Message):
    """The user clicked on a turn of the transcript."""

    turn: int


@dataclass
class CodeChosen(Message):
    """The user picked a code in the codebook panel (click or enter)."""

    code: str
    """Code id."""


@dataclass
class SuggestionsReady(Message):
    """The background suggester finished a document (or failed with ``error``)."""

    document: str
    error: str = ""
