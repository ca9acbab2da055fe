"""spaCy components that do the matching; the engine turns their matches into suggestions.

This follows spaCy's own split between matching and annotating (as ``EntityRuler`` versus the
code that uses ``doc.ents``): the components below only write span groups,

- ``doc.spans["qcode_rules"]``: one span per rule match, labelled with the rule id;
- ``doc.spans["qcode_questions"]``: one span per question sentence, labelled
  ``open:<reason>`` or ``closed:<reason>``,

and :mod:`qcode.suggest.engine` decides, with speaker and sentence context, what to suggest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from spacy.language import Language
from spacy.matcher import DependencyMatcher, Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from qcode.errors import CodebookError
from qcode.suggest.frames import FrameMatcher, make_frame
from qcode.suggest.fuzzy import FuzzyPhrases, FuzzyWords
from qcode.suggest.questions import classify_sentence
from qcode.suggest.ruleset import QuestionRules, Rule, RuleSet, load_rules

RULES_KEY = "qcode_rules"
QUESTIONS_KEY = "qcode_questions"
_BREAKERS = frozenset({"?", "!", ".", "...", "…", "\n"})


class SentenceBreaks:
    """Split sentences at ``?``, ``!``, ``.`` and line breaks only, before the parser runs.

    Chat lines often run two questions together ("Heb je een afspraak? En wat verwacht je?"),
    which must become two sentences; but the parser also splits unpunctuated chat at odd places
    ("bij het CJG | kun je ook terecht"), creating false verb-first "questions". The parser
    respects boundaries set before it, both True and False, so punctuation alone decides.
    """

    def __call__(self, doc: Doc) -> Doc:
        for token in doc[1:]:
            previous = doc[token.i - 1]
            token.is_sent_start = bool(
                previous.text in _BREAKERS
                or previous.text.endswith(("?", "!", "..."))
                or "\n" in previous.text
            )
        return doc


class RuleMatcher:
    """Runs every rule of a :class:`RuleSet` with spaCy's matchers and rapidfuzz."""

    def __init__(self, nlp: Language, rules: RuleSet) -> None:
        self.rules = rules
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.dependency_matcher = DependencyMatcher(nlp.vocab, validate=True)
        self.fuzzy_phrases = FuzzyPhrases()
        self.fuzzy_words = FuzzyWords()
        self.words = WordIndex()
        self.frames = FrameMatcher()
        for rule in rules.rules:
            try:
                self._add(nlp, rule)
            except (ValueError, KeyError) as error:
                reason = str(error).strip().splitlines()
                raise CodebookError(
                    rule.path, rule.line, f"bad spaCy pattern: {' '.join(reason)[:300]}", rule.kind
                ) from error

    def _add(self, nlp: Language, rule: Rule) -> None:
        if rule.kind == "phrases":
            docs = [nlp.make_doc(phrase.lower()) for phrase in rule.value]
            self.phrase_matcher.add(rule.id, docs)
            if rule.fuzzy:
                self.fuzzy_phrases.add(rule.id, rule.value, rule.fuzzy)
        elif rule.kind == "words":
            self.words.add(rule.id, rule.value)
            if rule.fuzzy:
                plain = [w.lower() for w in rule.value if "*" not in w]
                self.fuzzy_words.add(rule.id, plain, rule.fuzzy)
        elif rule.kind == "frame":
            self.frames.add(rule.id, make_frame(rule.value))
        elif rule.kind == "pattern":
            patterns = rule.value if isinstance(rule.value[0], list) else [rule.value]
            self.matcher.add(rule.id, patterns)
        else:
            self.dependency_matcher.add(rule.id, [rule.value])

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        seen: set[tuple[int, int, int]] = set()

        def keep(label: int | str, start: int, end: int) -> None:
            key_label = label if isinstance(label, int) else doc.vocab.strings.add(label)
            if (key_label, start, end) not in seen:
                seen.add((key_label, start, end))
                spans.append(Span(doc, start, end, label=key_label))

        if len(self.matcher):
            for match_id, start, end in self.matcher(doc):
                keep(match_id, start, end)
        if len(self.phrase_matcher):
            for match_id, start, end in self.phrase_matcher(doc):
                keep(match_id, start, end)
        for rule_id, start, end in self.words.find(doc):
            keep(rule_id, start, end)
        if len(self.dependency_matcher):
            for match_id, token_ids in self.dependency_matcher(doc):
                keep(match_id, min(token_ids), max(token_ids) + 1)
        exact = {doc.vocab.strings[label] for label, _, _ in seen}
        for rule_id, start, end in self.fuzzy_phrases.find(doc, skip=exact):
            keep(rule_id, start, end)
        for rule_id, start, end in self.fuzzy_words.find(doc):
            keep(rule_id, start, end)
        for rule_id, start, end in self.frames.find(doc):
            keep(rule_id, start, end)
        doc.spans[RULES_KEY] = spans
        return doc


class QuestionFinder:
    """Labels each question sentence open or closed (see :mod:`qcode.suggest.questions`)."""

    def __init__(self, rules: QuestionRules) -> None:
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        spans: list[Span] = []
        proposing = False
        for sent in doc.sents:
            proposing = proposing or self._proposes(sent)
            verdict = classify_sentence(sent, self.rules, proposing)
            if verdict is not None:
                spans.append(Span(doc, sent.start, sent.end, label=verdict))
        doc.spans[QUESTIONS_KEY] = spans
        return doc

    def _proposes(self, sent: Span) -> bool:
        """"Je zou kunnen vragen …", "vraag hem eens …": what follows is for someone else."""
        verbs = self.rules.proposal_verbs
        return any(t.lower_ in verbs or t.lemma_ in verbs for t in sent)


class WordIndex:
    """Word lists of all ``words`` rules in one dictionary, looked up once per token.

    Equivalent to a Matcher pattern ``{"LOWER": {"IN": words}}`` OR ``{"LEMMA": {"IN": words}}``
    per rule, but one hash lookup per token instead of one set predicate per token and rule,
    which keeps the suggester close to the speed of a bare ``nlp.pipe``. ``*`` is a wildcard.
    """

    def __init__(self) -> None:
        self._exact: dict[str, list[str]] = {}
        self._wildcards: list[tuple[str, re.Pattern[str]]] = []
        self._any_wildcard: re.Pattern[str] | None = None

    def add(self, rule_id: str, words: tuple[str, ...]) -> None:
        for word in words:
            lower = word.lower()
            if "*" in lower:
                regex = "^" + ".*".join(re.escape(part) for part in lower.split("*")) + "$"
                self._wildcards.append((rule_id, re.compile(regex)))
                self._any_wildcard = re.compile("|".join(w.pattern for _, w in self._wildcards))
            else:
                self._exact.setdefault(lower, []).append(rule_id)

    def find(self, doc: Doc) -> Iterator[tuple[str, int, int]]:
        """Yield ``(rule id, token, token + 1)`` for every listed word."""
        exact, any_wildcard = self._exact, self._any_wildcard
        for token in doc:
            lower = token.lower_
            by_text = exact.get(lower)
            lemma = token.lemma_.lower()
            by_lemma = exact.get(lemma) if lemma != lower else None
            wild = any_wildcard is not None and any_wildcard.match(lower) is not None
            if by_text is None and by_lemma is None and not wild:
                continue
            hits = {*(by_text or ()), *(by_lemma or ())}
            if wild:
                hits.update(rule_id for rule_id, regex in self._wildcards if regex.match(lower))
            for rule_id in hits:
                yield rule_id, token.i, token.i + 1


@Language.factory("qcode_sentence_breaks")
def make_sentence_breaks(nlp: Language, name: str) -> SentenceBreaks:
    """Factory for :class:`SentenceBreaks`."""
    return SentenceBreaks()


@Language.factory("qcode_rule_matcher", default_config={"rules_dir": ""})
def make_rule_matcher(nlp: Language, name: str, rules_dir: str) -> RuleMatcher:
    """Factory for :class:`RuleMatcher`; ``rules_dir`` names the YAML rules folder."""
    return RuleMatcher(nlp, load_rules(Path(rules_dir)))


@Language.factory("qcode_question_finder", default_config={"rules_dir": ""})
def make_question_finder(nlp: Language, name: str, rules_dir: str) -> QuestionFinder:
    """Factory for :class:`QuestionFinder`."""
    return QuestionFinder(load_rules(Path(rules_dir)).questions)


def add_components(nlp: Language, rules_dir: Path) -> None:
    """Add (or re-point) qcode's components so they use the rules in ``rules_dir``."""
    config = {"rules_dir": str(Path(rules_dir).resolve())}
    if "qcode_sentence_breaks" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        if before:
            nlp.add_pipe("qcode_sentence_breaks", before=before)
        else:
            nlp.add_pipe("qcode_sentence_breaks", first=True)
    if "parser" not in nlp.pipe_names and "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", after="qcode_sentence_breaks")
    for name in ("qcode_rule_matcher", "qcode_question_finder"):
        if name in nlp.pipe_names:
            if nlp.get_pipe_config(name).get("rules_dir") == config["rules_dir"]:
                continue
            nlp.replace_pipe(name, name, config=config)
        else:
            nlp.add_pipe(name, config=config)


def rules_dir_of(nlp: Language) -> str | None:
    """The rules folder the pipeline's rule matcher uses, or None if it has none."""
    if "qcode_rule_matcher" not in nlp.pipe_names:
        return None
    value = nlp.get_pipe_config("qcode_rule_matcher").get("rules_dir")
    return str(value) if value else None
