"""Linguistic frames: predicates over lemma and surface form, scoped to a clause.

A frame rule in a rules file reads::

    frame:
      scope: clause            # clause (default) or sentence
      all:                     # each slot matches some token of the clause, in any order,
        - {lemma: [lezen], lower: [lees, leest, las, gelezen]}   # with any words in between
        - {lower: [je, jij, u, jullie]}
      then:                    # slots that must match in a LATER clause of the same sentence
        - {lower: [dat]}
      none:                    # a token matching one of these vetoes the frame in that clause
        - {lower: [niet]}

A slot matches a token whose lower-case text is in ``lower`` (``*`` is a wildcard) OR whose
lemma is in ``lemma``: the small pipelines give a non-infinitive lemma for about one verb in
eleven (``lees``, ``gijven``), so rules list both. ``pos`` restricts the part of speech.
``particle: aan`` makes a slot a separable verb: a listed form counts when the particle stands
elsewhere in the clause (``geef je … aan``), and particle + form as one word always counts
(``aangeeft``, ``aangegeven``). Frames use no NER and only universal POS tags, so they run
unchanged on the official ``nl_core_news_sm``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from qcode.suggest.clauses import clause_starts, is_complementizer


class Word:
    """What a slot tests of a token, read once per sentence (spaCy builds a new Python string
    at each ``token.lower_``, which frames would otherwise ask thousands of times). The POS
    of ``dat`` is its role as :func:`~qcode.suggest.clauses.is_complementizer` judges it."""

    __slots__ = ("i", "lemma", "lower", "pos", "skip")

    def __init__(self, token: Token) -> None:
        self.i: int = token.i
        self.lower: str = token.lower_
        self.lemma: str = token.lemma_.lower()
        self.pos: str = "SCONJ" if is_complementizer(token) else token.pos_
        self.skip: bool = token.is_punct or token.is_space


SLOT_KEYS = {"lower", "lemma", "pos", "particle", "first", "near"}
FRAME_KEYS = {"scope", "all", "then", "none"}
SCOPES = ("clause", "sentence")


@dataclass(frozen=True)
class Slot:
    """One predicate over a token."""

    lower: frozenset[str]
    lemma: frozenset[str]
    pos: frozenset[str]
    particle: str
    wildcard: re.Pattern[str] | None
    """All ``*`` words of ``lower`` as one regular expression."""
    near: int = 0
    """If set, the token stands at most this many words after the previous slot's token: a
    phrase's parts stay together ("uit jouw (laatste) mail") while the clause around them may
    vary."""
    first: bool = False
    """The token must open its clause (``begrijp ik het goed``, not ``ik begrijp het goed``);
    discourse openers such as ``en``, ``dus``, ``oke`` before it are passed over."""

    def matches(self, token: Word, clause: Sequence[Word]) -> bool:
        """Does ``token`` (inside ``clause``) satisfy this slot?"""
        if self.pos and token.pos not in self.pos:
            return False
        if self.first:
            opening = _opening(clause)
            if opening is None or opening.i != token.i:
                return False
        lower = token.lower
        if self.particle:
            if lower.startswith(self.particle) and lower[len(self.particle):] in self.lower:
                return True
            if lower in self.lower or token.lemma in self.lemma:
                return any(t.lower == self.particle for t in clause if t.i != token.i)
            return False
        if lower in self.lower or token.lemma in self.lemma:
            return True
        return self.wildcard is not None and self.wildcard.match(lower) is not None

    def words(self) -> frozenset[str] | None:
        """Forms that a sentence must contain for this slot to match; None if not listable."""
        if self.wildcard is not None or not (self.lower or self.lemma):
            return None
        compounds = {self.particle + form for form in self.lower} if self.particle else set()
        return self.lower | self.lemma | compounds


@dataclass(frozen=True)
class Frame:
    """Slots that must all match inside one scope, with optional later-clause slots and vetoes."""

    scope: str
    all: tuple[Slot, ...]
    then: tuple[Slot, ...] = ()
    none: tuple[Slot, ...] = ()


def make_slot(value: dict[str, object]) -> Slot:
    """Build a slot from its YAML mapping (checked by the rules loader)."""

    def words(key: str) -> list[str]:
        raw = value.get(key, [])
        items = [raw] if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
        return [str(w).lower() for w in items]

    lower = words("lower")
    wild = ["^" + ".*".join(re.escape(p) for p in w.split("*")) + "$" for w in lower if "*" in w]
    wildcard = re.compile("|".join(wild)) if wild else None
    return Slot(
        lower=frozenset(w for w in lower if "*" not in w),
        lemma=frozenset(words("lemma")),
        pos=frozenset(w.upper() for w in words("pos")),
        particle=str(value.get("particle", "")).lower(),
        wildcard=wildcard,
        first=bool(value.get("first", False)),
        near=int(value.get("near", 0)),  # type: ignore[call-overload]
    )


LEAD_WORDS = frozenset({"en", "maar", "dus", "oke", "oké", "ok", "nou", "ja", "nee", "of", "o", "oh"})


def _opening(clause: Sequence[Word]) -> Word | None:
    """The clause's first word after punctuation and discourse openers."""
    words = [t for t in clause if not t.skip]
    for token in words:
        if token.lower not in LEAD_WORDS:
            return token
    return words[0] if words else None


def make_frame(value: dict[str, object]) -> Frame:
    """Build a frame from its YAML mapping."""

    def slots(key: str) -> tuple[Slot, ...]:
        raw = value.get(key) or []
        return tuple(make_slot(s) for s in raw)  # type: ignore[attr-defined]

    return Frame(str(value.get("scope", "clause")), slots("all"), slots("then"), slots("none"))


class FrameMatcher:
    """Runs every frame over the clauses of each sentence that holds all its words."""

    def __init__(self) -> None:
        self._frames: list[tuple[str, Frame, tuple[frozenset[str], ...]]] = []
        self._by_word: dict[str, set[int]] = {}
        """First trigger word → frames; a sentence without any of a frame's words skips it."""
        self._always: set[int] = set()

    def __len__(self) -> int:
        return len(self._frames)

    def add(self, rule_id: str, frame: Frame) -> None:
        triggers = _triggers(frame)
        index = len(self._frames)
        self._frames.append((rule_id, frame, triggers))
        if not triggers:
            self._always.add(index)
        for word in triggers[0] if triggers else ():
            self._by_word.setdefault(word, set()).add(index)

    def find(self, doc: Doc) -> Iterator[tuple[str, int, int]]:
        """Yield ``(rule id, first token, end token)`` for each frame match.

        Clauses are found only for sentences where some frame's words all occur."""
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        for sent in sentences:
            tokens = [Word(t) for t in sent if not t.is_space]
            words = {t.lower for t in tokens}
            words.update(t.lemma for t in tokens)
            hit = set(self._always)
            for word in words:
                hit.update(self._by_word.get(word, ()))
            candidates = [
                self._frames[i][:2] for i in sorted(hit)
                if not any(trigger.isdisjoint(words) for trigger in self._frames[i][2][1:])
            ]  # the cheap test first: a frame with a slot whose words are all absent is out
            if not candidates:
                continue
            clauses = _group(clause_starts(sent), tokens)
            for rule_id, frame in candidates:
                found = _match(frame, clauses, tokens)
                if found is not None:
                    yield rule_id, found[0], found[1]


def _group(starts: list[int], tokens: list[Word]) -> list[list[Word]]:
    groups: list[list[Word]] = [[] for _ in starts]
    current = 0
    for token in tokens:
        while current + 1 < len(starts) and token.i >= starts[current + 1]:
            current += 1
        groups[current].append(token)
    return [g for g in groups if g]


def _triggers(frame: Frame) -> tuple[frozenset[str], ...]:
    """Per listable slot of ``all``, the words of which the sentence must hold one."""
    return tuple(words for slot in frame.all if (words := slot.words()) is not None)


def _match(
    frame: Frame, clauses: list[list[Word]], sentence: list[Word]
) -> tuple[int, int] | None:
    scopes = [sentence] if frame.scope == "sentence" else clauses
    for index, scope in enumerate(scopes):
        hits = _fill(frame.all, scope)
        if hits is None or _vetoed(frame.none, scope):
            continue
        if frame.then:
            later = [t for clause in scopes[index + 1:] for t in clause]
            extra = _fill(frame.then, later) if later else None
            if extra is None:
                continue
            hits = hits + extra
        return min(t.i for t in hits), max(t.i for t in hits) + 1
    return None


def _fill(slots: tuple[Slot, ...], scope: list[Word]) -> list[Word] | None:
    """One distinct token per slot, or None. Backtracks, so that a token fitting two slots
    ("dit" in "wat vindt u van dit voorstel") goes to the slot that needs it."""
    options = [[t for t in scope if slot.matches(t, scope)] for slot in slots]
    if any(not found for found in options):
        return None
    return _assign(slots, options, 0, [], set())


def _assign(
    slots: tuple[Slot, ...], options: list[list[Word]], index: int, used: list[Word], taken: set[int]
) -> list[Word] | None:
    if index == len(options):
        return list(used)
    near = slots[index].near
    for token in options[index]:
        if token.i in taken or (near and used and not 0 < token.i - used[-1].i <= near):
            continue
        used.append(token)
        taken.add(token.i)
        found = _assign(slots, options, index + 1, used, taken)
        if found is not None:
            return found
        used.pop()
        taken.discard(token.i)
    return None


def _vetoed(slots: tuple[Slot, ...], scope: list[Word]) -> bool:
    return any(slot.matches(t, scope) for slot in slots for t in scope)
