"""Context across sentences and turns: what one sentence cannot show by itself.

Three conventions, all from how counsellors write (the report's e-mail and chat fragments):

- **A summary opener licenses what follows** (``licenses: following``). "Uit jouw mail begrijp
  ik dat …", "Ik zet de punten even op een rij:", "Samengevat:" open a summary; the
  counsellor's following *statements about the client* in the same paragraph, and the bullets
  right after it, are part of it and get the opener's code. Questions end the summary; a new
  paragraph that is not a bullet ends it; sentences about the counsellor ("Ik kan me
  voorstellen …") or carrying another code are passed over. A turn of the other speaker ends
  a summary (in chat a summary may run over the counsellor's consecutive turns).
- **A closing tag licenses what precedes** (``licenses: previous``): a short "Klopt dit?" or
  "Zie ik dat goed?" makes the counsellor's sentence (or turn) before it a verification.
- **The previous turn** (``after: [code ids]``): a rule with ``after`` fires only when one of
  the two turns before it was suggested one of those codes — "Dat kan iemand van school zijn,
  een vriendin of leraar" names the network in answer to a question about it.

Context works inside one utterance, and across the inputs of one ``document`` in order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from qcode.suggest.components import QUESTIONS_KEY, RULES_KEY

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from qcode.suggest.ruleset import Rule
    from qcode.suggest.values import Suggestion, UtteranceInput

SECOND_PERSON = frozenset({"je", "jij", "jou", "jouw", "u", "uw", "jullie", "jezelf", "uzelf"})
FIRST_PERSON = frozenset({"ik", "wij", "we", "mij", "me", "mijn", "ons", "onze"})
BULLETS = ("•", "-", "*", "·", "–", "o ")
CONTEXT_CONFIDENCE = 0.7
MAX_TAG_WORDS = 5
"""A closing tag is short: "Klopt dit?", "Heb ik dat zo goed begrepen?"."""


class MakesSuggestions(Protocol):
    """The part of the :class:`~qcode.suggest.engine.Suggester` context needs."""

    def make(self, code_id: str, start: int, end: int, confidence: float, rule: str,
             explanation: str) -> Suggestion: ...


@dataclass
class Note:
    """What context needs to know about one sentence."""

    start: int
    end: int
    text: str
    question: bool
    second_person: bool
    first_person: bool
    bullet: bool
    paragraph_break: bool
    """A paragraph ends before this sentence (inside one utterance)."""
    words: int
    codes: set[str] = field(default_factory=set)
    opens: list[Rule] = field(default_factory=list)
    closes: list[Rule] = field(default_factory=list)
    waits: list[tuple[Rule, str]] = field(default_factory=list)
    """Rules with ``after``, and the text they matched."""


def note_sentences(
    doc: Doc, item: UtteranceInput, found: Sequence[Suggestion], rules: dict[str, Rule]
) -> list[Note]:
    """One :class:`Note` per sentence of a processed utterance."""
    blank_lines = "\n\n" in doc.text
    notes: list[Note] = []
    previous_end = 0
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        end = start + len(text)
        gap = doc.text[previous_end:start]
        words = [t.lower_ for t in sent if t.is_alpha]
        note = Note(
            start, end, text, _is_question(doc, sent), bool(SECOND_PERSON.intersection(words)),
            bool(FIRST_PERSON.intersection(words)), text.startswith(BULLETS),
            bool(notes) and ("\n\n" in gap if blank_lines else "\n" in gap), len(words),
            {s.code_id for s in found if s.start < end and start < s.end},
        )
        _add_rules(note, doc, sent, item, rules)
        notes.append(note)
        previous_end = end
    return notes


def _is_question(doc: Doc, sent: Span) -> bool:
    return "?" in sent.text or any(
        q.start < sent.end and sent.start < q.end for q in doc.spans[QUESTIONS_KEY]
    )


def _add_rules(note: Note, doc: Doc, sent: Span, item: UtteranceInput, rules: dict[str, Rule]) -> None:
    for span in doc.spans[RULES_KEY]:
        if not sent.start <= span.start < sent.end:
            continue
        rule = rules[span.label_]
        if rule.speaker not in ("any", item.speaker) or rule.exclude:
            continue
        if rule.channel is not None and rule.channel != item.channel:
            continue
        if rule.licenses == "following":
            note.opens.append(rule)
        elif rule.licenses == "previous" and note.words <= MAX_TAG_WORDS:
            note.closes.append(rule)
        if rule.after:
            note.waits.append((rule, span.text))


def apply_context(
    items: Sequence[UtteranceInput],
    found: Sequence[list[Suggestion]],
    notes: Sequence[list[Note]],
    maker: MakesSuggestions,
) -> list[list[Suggestion]]:
    """The suggestions of one document's inputs (or of one input), with context applied."""
    result = [list(f) for f in found]
    _previous_turns(items, result, notes, maker)
    _summaries(items, result, notes, maker)
    _closing_tags(items, result, notes, maker)
    return [sorted(r, key=lambda s: (s.start, s.code)) for r in result]


def _add(result: list[Suggestion], note: Note, code: str, rule: Rule, why: str,
         maker: MakesSuggestions) -> None:
    if code in note.codes:
        return
    note.codes.add(code)
    result.append(maker.make(code, note.start, note.end, CONTEXT_CONFIDENCE, rule.id, why))


def _previous_turns(items: Sequence[UtteranceInput], result: list[list[Suggestion]],
                    notes: Sequence[list[Note]], maker: MakesSuggestions) -> None:
    for index in range(len(items)):
        recent = {s.code_id for r in result[max(0, index - 2):index] for s in r}
        for note in notes[index]:
            for rule, text in note.waits:
                if recent.intersection(rule.after):
                    why = rule.explanation.replace("{match}", " ".join(text.split()))
                    _add(result[index], note, rule.code, rule, why, maker)


def _summaries(items: Sequence[UtteranceInput], result: list[list[Suggestion]],
               notes: Sequence[list[Note]], maker: MakesSuggestions) -> None:
    opener: tuple[Rule, str] | None = None
    for index, item in enumerate(items):
        if index and items[index - 1].speaker != item.speaker:
            opener = None  # the other speaker's turn ends a summary
        for note in notes[index]:
            if note.paragraph_break and not note.bullet:
                opener = None
            if opener is not None and _continues_summary(note, item, opener[0]):
                why = f"continues the summary opened by '{opener[1]}'"
                _add(result[index], note, opener[0].code, opener[0], why, maker)
            if note.opens:
                opener = (note.opens[0], _short(note.text))
            elif note.question:
                opener = None


def _continues_summary(note: Note, item: UtteranceInput, rule: Rule) -> bool:
    """A counsellor statement about the client (or a bullet) carrying no other code."""
    if rule.speaker not in ("any", item.speaker) or note.question or note.first_person:
        return False
    return (note.second_person or note.bullet) and not note.codes - {rule.code}


def _closing_tags(items: Sequence[UtteranceInput], result: list[list[Suggestion]],
                  notes: Sequence[list[Note]], maker: MakesSuggestions) -> None:
    for index in range(len(items)):
        for position, note in enumerate(notes[index]):
            for rule in note.closes:
                target = _before(items, notes, index, position)
                if target is not None:
                    owner, before = target
                    why = f"'{_short(note.text)}' asks the client to confirm this reading"
                    _add(result[owner], before, rule.code, rule, why, maker)


def _before(items: Sequence[UtteranceInput], notes: Sequence[list[Note]], index: int,
            position: int) -> tuple[int, Note] | None:
    """The sentence before this one: in the same turn, or the same speaker's previous turn."""
    if position > 0:
        candidate = notes[index][position - 1]
        return None if candidate.question else (index, candidate)
    if index == 0 or items[index - 1].speaker != items[index].speaker or not notes[index - 1]:
        return None
    candidate = notes[index - 1][-1]
    return None if candidate.question else (index - 1, candidate)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
