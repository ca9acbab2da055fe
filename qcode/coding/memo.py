"""Memos as values: what a memo is written on, by whom, and when.

A memo is a coder's own text on one place of the project, as in ATLAS.ti (comments on
quotations, documents and codes; memos) and MAXQDA (memos on codes, documents, coded
segments): a coding, one turn (utterance) of a document, a whole document, a case, or a code.
A memo on a code is the coder's working definition of it, next to the codebook's. A project
memo is on nothing in particular: ATLAS.ti's free memos, QualCoder's journals, MAXQDA's free
memos (REFI-QDA ``Note``s that no element refers to) come in as project memos.

Each coder has at most one memo per place (what they think of it; two coders' memos never
overwrite each other), except a coding, which has one memo: it belongs to the coding and its
author is whoever wrote it last (the coding's own lost-update guard protects it), and the
project, which holds any number of memos. An empty text means no memo; the row stays so that
undo can bring the text back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MemoKind(StrEnum):
    """What a memo is written on."""

    CODING = "coding"
    UTTERANCE = "utterance"
    DOCUMENT = "document"
    CASE = "case"
    CODE = "code"
    PROJECT = "project"


@dataclass(frozen=True, slots=True)
class MemoTarget:
    """The place a memo is on; only the fields of its kind are set.

    ``utterance`` is the stored 0-based index (people count turns from 1: see :meth:`label`).
    """

    kind: MemoKind
    document: str | None = None
    """Document key (coding, utterance and document memos)."""
    utterance: int | None = None
    coding: int | None = None
    """Coding id."""
    case: str | None = None
    code: str | None = None
    """Code id (stable key), not the label."""
    memo: int | None = None
    """A project memo: the one to edit (None: a new one)."""

    @classmethod
    def on_document(cls, document: str, utterance: int | None = None) -> MemoTarget:
        """A turn memo when ``utterance`` (0-based) is given, else a document memo."""
        if utterance is None:
            return cls(MemoKind.DOCUMENT, document=document)
        return cls(MemoKind.UTTERANCE, document=document, utterance=utterance)

    @classmethod
    def on_coding(cls, coding: int) -> MemoTarget:
        return cls(MemoKind.CODING, coding=coding)

    @classmethod
    def on_case(cls, case: str) -> MemoTarget:
        return cls(MemoKind.CASE, case=case)

    @classmethod
    def on_code(cls, code: str) -> MemoTarget:
        return cls(MemoKind.CODE, code=code)

    @classmethod
    def on_project(cls, memo: int | None = None) -> MemoTarget:
        """A new project memo, or (``memo``) the existing one with that id."""
        return cls(MemoKind.PROJECT, memo=memo)


@dataclass(frozen=True, slots=True)
class Memo:
    """One stored memo, with enough of its place to show and to jump to it."""

    id: int
    kind: MemoKind
    coder: str
    """The author (for a coding memo: who wrote it last)."""
    text: str
    created: datetime
    updated: datetime
    document: str | None = None
    utterance: int | None = None
    """0-based turn index; shown to people as ``utterance + 1``."""
    coding: int | None = None
    case: str | None = None
    code: str | None = None
    """Code id of a code memo, or of the coding a coding memo is on."""
    code_name: str | None = None
    """The code's label (code memos and coding memos)."""

    @property
    def turn(self) -> int | None:
        """The turn number people see (from 1), or None."""
        return None if self.utterance is None else self.utterance + 1

    def target(self) -> MemoTarget:
        """The place of this memo, to write there again (an edit)."""
        if self.kind is MemoKind.CODING:
            assert self.coding is not None
            return MemoTarget.on_coding(self.coding)
        if self.kind is MemoKind.PROJECT:
            return MemoTarget.on_project(self.id)
        if self.kind is MemoKind.CASE:
            return MemoTarget(self.kind, case=self.case)
        if self.kind is MemoKind.CODE:
            return MemoTarget(self.kind, code=self.code)
        return MemoTarget(self.kind, document=self.document, utterance=self.utterance)

    def place(self) -> str:
        """Where the memo is, in words: "turn 5 of casus-03/chat-1", "code Open vraag"."""
        if self.kind is MemoKind.PROJECT:
            return "project"
        if self.kind is MemoKind.CODE:
            return f"code {self.code_name or self.code}"
        if self.kind is MemoKind.CASE:
            return f"case {self.case}"
        if self.kind is MemoKind.DOCUMENT:
            return f"document {self.document}"
        where = f"turn {self.turn} of {self.document}" if self.turn is not None else f"{self.document}"
        if self.kind is MemoKind.CODING:
            return f"coding {self.code_name or self.code} on {where}"
        return where
