"""The suggester: turns the components' matches into suggestions a coder can accept.

Matching happens inside the spaCy pipeline (:mod:`qcode.suggest.components`); this module
applies what needs the utterance's context — who speaks, which sentence, whether it is a
question, which other terms occur, which exclusions veto — and writes a one-line explanation.
It knows nothing about the project store: it takes :class:`UtteranceInput` and returns values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.suggest.components import QUESTIONS_KEY, RULES_KEY, add_components
from qcode.suggest.ruleset import CodeRules, Rule, RuleSet, load_rules

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from qcode.suggest.segments import SegmentSuggestion


@dataclass(frozen=True)
class Suggestion:
    """A proposed code for a span of one utterance's text."""

    code: str
    """Code name exactly as in the codebook (``Verificatie interpretatie``)."""
    start: int
    """Character offset into the utterance text (the caller maps it to document offsets)."""
    end: int
    confidence: float
    rule: str
    """Id of the rule that fired, as in the rules folder."""
    explanation: str


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


_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n)\s*([A-Z])([a-z]|'|\s)")


def tagging_text(text: str) -> str:
    """Lower-case sentence-initial capitals, keeping every offset.

    The stand-in pipeline tags a capitalised first word (``Heb``, ``Kun``, ``Begrijp``) as a
    proper noun, which breaks verb-first question detection; chat text is mostly lower-case
    anyway. Words in capitals (placeholders like ``NAAM``) are left alone.
    """
    chars = list(text)
    for match in _SENTENCE_START.finditer(text):
        chars[match.start(1)] = match.group(1).lower()
    return "".join(chars)


class Suggester:
    """Suggests codes for utterances with a spaCy pipeline and a folder of rules."""

    def __init__(self, nlp: Language, rules_dir: Path) -> None:
        self.rules_dir = Path(rules_dir)
        self.ruleset: RuleSet = load_rules(self.rules_dir)
        add_components(nlp, self.rules_dir)
        self.nlp = nlp
        self.rules_version: str = self.ruleset.version
        """Content hash of the rule files plus the qcode version; stored with suggestions."""
        self._by_id: dict[str, Rule] = {r.id: r for r in self.ruleset.rules}
        self._codes: dict[str, CodeRules] = {c.code: c for c in self.ruleset.codes}

    def suggest(
        self, items: Iterable[UtteranceInput], batch_size: int = 256, n_process: int = 1
    ) -> Iterator[list[Suggestion]]:
        """Yield one list of suggestions per input, in input order."""
        pairs = ((tagging_text(item.text), item) for item in items)
        for doc, item in self.nlp.pipe(
            pairs, as_tuples=True, batch_size=batch_size, n_process=n_process
        ):
            yield self.annotate(doc, item)

    def suggest_segments(self, items: Sequence[UtteranceInput]) -> list[SegmentSuggestion]:
        """Phases and dominance for one conversation given in order."""
        from qcode.suggest.segments import find_segments

        docs = list(self.nlp.pipe(tagging_text(item.text) for item in items))
        per_item = [self.annotate(doc, item) for doc, item in zip(docs, items, strict=True)]
        cues = [self._segment_cues(doc, item) for doc, item in zip(docs, items, strict=True)]
        return find_segments(items, per_item, cues)

    def annotate(self, doc: Doc, item: UtteranceInput) -> list[Suggestion]:
        """Turn one processed utterance's matches into suggestions (utterance-level codes)."""
        found: dict[tuple[str, int, int], Suggestion] = {}
        for suggestion in [*self._rule_suggestions(doc, item), *self._questions(doc, item)]:
            key = (suggestion.code, suggestion.start, suggestion.end)
            if key not in found or found[key].confidence < suggestion.confidence:
                found[key] = suggestion
        return sorted(found.values(), key=lambda s: (s.start, s.code))

    def _rule_suggestions(self, doc: Doc, item: UtteranceInput) -> Iterator[Suggestion]:
        matches = _matches_by_sentence(doc)
        for sent_start, sent_end, by_rule in matches:
            question = _question_in(doc, sent_start, sent_end)
            vetoed = {
                self._by_id[r].code for r in by_rule if self._by_id[r].exclude
            }
            for rule_id, (m_start, m_end) in by_rule.items():
                rule = self._by_id[rule_id]
                code = self._codes[rule.code]
                if rule.term or rule.exclude or code.unit != "utterance":
                    continue
                if rule.code in vetoed or not _speaker_fits(rule.speaker, item.speaker):
                    continue
                if rule.channel is not None and rule.channel != item.channel:
                    continue
                if rule.question is not None and rule.question != (question is not None):
                    continue
                if any(needed not in by_rule for needed in rule.also):
                    continue
                start, end = _shape(code.span, doc, (sent_start, sent_end), (m_start, m_end))
                match_text = doc.text[m_start:m_end]
                yield Suggestion(
                    rule.code, start, end, rule.confidence, rule.id,
                    _explain(rule.explanation, match_text),
                )

    def _questions(self, doc: Doc, item: UtteranceInput) -> Iterator[Suggestion]:
        rules = self.ruleset.questions
        if not _speaker_fits(rules.speaker, item.speaker):
            return
        for span in doc.spans[QUESTIONS_KEY]:
            kind, _, reason = str(span.label_).partition(":")
            code = rules.open_code if kind == "open" else rules.closed_code
            certain = "?" in span.text
            confidence = 0.9 if certain else 0.7
            start = span.start_char
            end = _trim_end(doc.text, span.end_char)
            explanation = f"{kind} question: {reason}"
            yield Suggestion(code, start, end, confidence, f"vraag.{kind}", explanation)

    def _segment_cues(self, doc: Doc, item: UtteranceInput) -> list[tuple[str, str, float]]:
        """(code, rule id, confidence) of segment-level rules matching this utterance."""
        cues: list[tuple[str, str, float]] = []
        for _, _, by_rule in _matches_by_sentence(doc):
            for rule_id in by_rule:
                rule = self._by_id[rule_id]
                if self._codes[rule.code].unit != "segment" or rule.term or rule.exclude:
                    continue
                if _speaker_fits(rule.speaker, item.speaker):
                    cues.append((rule.code, rule.id, rule.confidence))
        return cues


def _matches_by_sentence(doc: Doc) -> list[tuple[int, int, dict[str, tuple[int, int]]]]:
    """Per sentence: its character span and the first match of each rule inside it."""
    result: list[tuple[int, int, dict[str, tuple[int, int]]]] = []
    spans = sorted(doc.spans[RULES_KEY], key=lambda s: s.start)
    for sent in doc.sents:
        by_rule: dict[str, tuple[int, int]] = {}
        for span in spans:
            if sent.start <= span.start < sent.end:
                by_rule.setdefault(span.label_, (span.start_char, span.end_char))
        result.append((sent.start_char, sent.end_char, by_rule))
    return result


def _question_in(doc: Doc, start: int, end: int) -> str | None:
    for span in doc.spans[QUESTIONS_KEY]:
        if span.start_char < end and start < span.end_char:
            return str(span.label_)
    return None


def _speaker_fits(wanted: str, speaker: str) -> bool:
    return wanted == "any" or wanted == speaker


def _shape(
    unit: str, doc: Doc, sentence: tuple[int, int], match: tuple[int, int]
) -> tuple[int, int]:
    if unit == "match":
        return match
    if unit == "utterance":
        return 0, _trim_end(doc.text, len(doc.text))
    return sentence[0], _trim_end(doc.text, sentence[1])


def _trim_end(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _explain(template: str, match: str) -> str:
    match = " ".join(match.split())
    try:
        return template.format(match=match)
    except (KeyError, IndexError, ValueError):
        return template
