"""The suggester: turns the components' matches into suggestions a coder can accept.

Matching happens inside the spaCy pipeline (:mod:`qcode.suggest.components`); this module
applies what needs the utterance's context — who speaks, which sentence and clause, whether it
is a question, which other terms occur, which vetoes apply in that clause — and writes a
one-line explanation. Context across sentences and turns (summaries, "Klopt dit?", the previous
turn) is :mod:`qcode.suggest.context`. It knows nothing about the project store: it takes
:class:`UtteranceInput` and returns values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.suggest.clauses import clause_of
from qcode.suggest.components import QUESTIONS_KEY, RULES_KEY, add_components
from qcode.suggest.context import Note, apply_context, note_sentences
from qcode.suggest.ruleset import CodeRules, Rule, RuleSet, check_codes, load_rules
from qcode.suggest.segments import find_segments
from qcode.suggest.values import SegmentSuggestion, Suggestion, UtteranceInput

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from qcode.codebook.model import Codebook

EXPERIMENTAL_LABEL = "experimental"


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
    """Suggests codes for utterances with a spaCy pipeline and a folder of rules.

    Args:
        codebook: names the codes (rules name them by id); the Klikvoorhulp codebook if None.
        experimental: also offer codes marked experimental, labelled as such.
    """

    def __init__(
        self, nlp: Language, rules_dir: Path, codebook: Codebook | None = None,
        experimental: bool = False,
    ) -> None:
        if codebook is None:
            from qcode.codebook.load import default_codebook_path, load_codebook

            codebook = load_codebook(default_codebook_path())
        self.rules_dir = Path(rules_dir)
        self.ruleset: RuleSet = load_rules(self.rules_dir, codebook)
        add_components(nlp, self.rules_dir)
        self.nlp = nlp
        self.experimental = experimental
        self.rules_version: str = self.ruleset.version + ("+experimental" if experimental else "")
        """Content hash of the rule files plus the qcode version; stored with suggestions."""
        self.names: dict[str, str] = {c.id: c.name for c in codebook.codes}
        self._by_id: dict[str, Rule] = {r.id: r for r in self.ruleset.rules}
        self._context_rule = {r.id: bool(r.licenses or r.after) for r in self.ruleset.rules}
        self._codes: dict[str, CodeRules] = {c.code: c for c in self.ruleset.codes}

    def use_codebook(self, codebook: Codebook) -> None:
        """Name codes as ``codebook`` does (a project's, possibly with renamed codes).

        Raises:
            CodebookError: a rule names a code id this codebook lacks (file and line).
        """
        check_codes(self.ruleset, codebook)
        self.names = {c.id: c.name for c in codebook.codes}

    def experimental_codes(self) -> dict[str, str]:
        """Code id → why it is experimental, for the codes hidden by default."""
        return {c.code: c.experimental for c in self.ruleset.codes if c.experimental}

    def suggest(
        self, items: Iterable[UtteranceInput], batch_size: int = 256, n_process: int = 1
    ) -> Iterator[list[Suggestion]]:
        """Yield one list of suggestions per input, in input order.

        Consecutive inputs of one ``document`` are suggested together, so that each sees its
        context; inputs without a document stand alone.
        """
        for found, _doc in self.analyse(items, batch_size, n_process):
            yield found

    def analyse(
        self, items: Iterable[UtteranceInput], batch_size: int = 256, n_process: int = 1
    ) -> Iterator[tuple[list[Suggestion], Doc]]:
        """Like :meth:`suggest`, with each input's processed ``Doc``.

        The learned model (:mod:`qcode.suggest.learn`) takes its features from the same parse
        the rules ran on, so the text goes through the pipeline once.
        """
        pairs = ((tagging_text(item.text), item) for item in items)
        group: list[tuple[UtteranceInput, list[Suggestion], Doc]] = []
        for doc, item in self.nlp.pipe(
            pairs, as_tuples=True, batch_size=batch_size, n_process=n_process
        ):
            if group and (item.document is None or item.document != group[-1][0].document):
                yield from zip(self._finish(group), [g[2] for g in group], strict=True)
                group = []
            group.append((item, self.annotate(doc, item), doc))
        yield from zip(self._finish(group), [g[2] for g in group], strict=True)

    def _finish(
        self, group: list[tuple[UtteranceInput, list[Suggestion], Doc]]
    ) -> Iterator[list[Suggestion]]:
        """Apply context to one document's inputs (only where a context rule matched)."""
        found = [g[1] for g in group]
        if any(self._has_context_rule(doc) for _, _, doc in group):
            items = [g[0] for g in group]
            notes: list[list[Note]] = [
                note_sentences(doc, item, f, self._by_id) for item, f, doc in group
            ]
            found = apply_context(items, found, notes, self)
        for suggestions in found:
            yield self._offered(suggestions)

    def _has_context_rule(self, doc: Doc) -> bool:
        return any(self._context_rule[span.label_] for span in doc.spans[RULES_KEY])

    def _offered(self, found: list[Suggestion]) -> list[Suggestion]:
        """Hide experimental codes unless asked; label them when shown."""
        result = []
        for s in found:
            if not s.experimental:
                result.append(s)
            elif self.experimental:
                result.append(replace(s, explanation=f"{EXPERIMENTAL_LABEL}: {s.explanation}"))
        return result

    def suggest_segments(self, items: Sequence[UtteranceInput]) -> list[SegmentSuggestion]:
        """Phases and dominance for one conversation given in order."""
        docs = list(self.nlp.pipe(tagging_text(item.text) for item in items))
        per_item = list(self._finish(
            [(item, self.annotate(doc, item), doc) for doc, item in zip(docs, items, strict=True)]
        ))
        cues = [self._segment_cues(doc, item) for doc, item in zip(docs, items, strict=True)]
        offered = []
        for segment in find_segments(items, per_item, cues):
            code = self._codes.get(self.code_id(segment.code))
            if code is None or not code.experimental:
                offered.append(segment)
            elif self.experimental:
                label = f"{EXPERIMENTAL_LABEL}: {segment.explanation}"
                offered.append(replace(segment, explanation=label))
        return offered

    def code_id(self, name: str) -> str:
        """The id of the code named ``name`` (names come from this suggester's codebook)."""
        folded = name.casefold()
        return next((i for i, n in self.names.items() if n.casefold() == folded), name)

    def make(self, code_id: str, start: int, end: int, confidence: float, rule: str,
             explanation: str) -> Suggestion:
        """A suggestion of the code with this id, named and flagged from the rules."""
        code = self._codes.get(code_id)
        return Suggestion(
            self.names.get(code_id, code_id), start, end, confidence, rule, explanation,
            code_id, bool(code is not None and code.experimental),
        )

    def annotate(self, doc: Doc, item: UtteranceInput) -> list[Suggestion]:
        """Turn one processed utterance's matches into suggestions (utterance-level codes)."""
        found: dict[tuple[str, int, int], Suggestion] = {}
        for suggestion in [*self._rule_suggestions(doc, item), *self._questions(doc, item)]:
            key = (suggestion.code_id, suggestion.start, suggestion.end)
            if key not in found or found[key].confidence < suggestion.confidence:
                found[key] = suggestion
        return sorted(found.values(), key=lambda s: (s.start, s.code))

    def _rule_suggestions(self, doc: Doc, item: UtteranceInput) -> Iterator[Suggestion]:
        for sent, matches in _matches_by_sentence(doc):
            sent_start, sent_end = sent.start_char, sent.end_char
            question = _question_in(doc, sent_start, sent_end) is not None
            vetoed = {
                (self._by_id[r].code, clause_of(sent, t)) for r, (s, e) in matches.items()
                if self._by_id[r].exclude for t in range(s, e)
            }
            for rule_id, (m_start, m_end) in matches.items():
                rule = self._by_id[rule_id]
                if not self._fires(rule, item, question, matches):
                    continue
                if vetoed and any(
                    (rule.code, clause_of(sent, t)) in vetoed for t in range(m_start, m_end)
                ):
                    continue  # a veto holds in its own clause only
                span = doc[m_start:m_end]
                start, end = _shape(
                    self._codes[rule.code].span, doc, (sent_start, sent_end),
                    (span.start_char, span.end_char),
                )
                yield self.make(
                    rule.code, start, end, rule.confidence, rule.id,
                    _explain(rule.explanation, span.text),
                )

    def _fires(
        self, rule: Rule, item: UtteranceInput, question: bool, matches: dict[str, tuple[int, int]]
    ) -> bool:
        """The conditions a rule's match must meet in its sentence (context comes later)."""
        if rule.term or rule.exclude or rule.after or self._codes[rule.code].unit != "utterance":
            return False
        if not _speaker_fits(rule.speaker, item.speaker):
            return False
        if rule.channel is not None and rule.channel != item.channel:
            return False
        if rule.question is not None and rule.question != question:
            return False
        return all(needed in matches for needed in rule.also)

    def _questions(self, doc: Doc, item: UtteranceInput) -> Iterator[Suggestion]:
        rules = self.ruleset.questions
        if not _speaker_fits(rules.speaker, item.speaker):
            return
        for span in doc.spans[QUESTIONS_KEY]:
            kind, _, reason = str(span.label_).partition(":")
            code = rules.open_code if kind == "open" else rules.closed_code
            confidence = 0.9 if "?" in span.text else 0.7
            end = _trim_end(doc.text, span.end_char)
            yield self.make(
                code, span.start_char, end, confidence, f"vraag.{kind}", f"{kind} question: {reason}"
            )

    def _segment_cues(self, doc: Doc, item: UtteranceInput) -> list[tuple[str, str, float]]:
        """(code name, rule id, confidence) of segment-level rules matching this utterance."""
        cues: list[tuple[str, str, float]] = []
        for _, matches in _matches_by_sentence(doc):
            for rule_id in matches:
                rule = self._by_id[rule_id]
                if self._codes[rule.code].unit != "segment" or rule.term or rule.exclude:
                    continue
                if _speaker_fits(rule.speaker, item.speaker):
                    cues.append((self.names.get(rule.code, rule.code), rule.id, rule.confidence))
        return cues


def _matches_by_sentence(doc: Doc) -> list[tuple[Span, dict[str, tuple[int, int]]]]:
    """Per sentence: the sentence and the first match (token span) of each rule in it."""
    result: list[tuple[Span, dict[str, tuple[int, int]]]] = []
    spans = sorted(doc.spans[RULES_KEY], key=lambda s: s.start)
    for sent in doc.sents:
        matches: dict[str, tuple[int, int]] = {}
        for span in spans:
            if sent.start <= span.start < sent.end:
                matches.setdefault(span.label_, (span.start, span.end))
        result.append((sent, matches))
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
