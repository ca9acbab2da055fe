"""Fuzzy matching for chat spelling, where exact patterns miss.

Clients and counsellors type fast: ``begrijp ik t goed``, ``klopt dat zo``, ``mentrix``,
``verbinding viel weg``. rapidfuzz's ``partial_ratio`` (normalised Indel similarity of the
best-matching substring) finds a phrase inside a longer message; ``ratio`` compares single
words. Both only add matches that exact patterns did not already find.
"""

from __future__ import annotations

from collections.abc import Iterator

from rapidfuzz import fuzz, process
from spacy.tokens import Doc

MIN_WORD_LENGTH = 5
"""Shorter words are too easily confused (``moe``/``moeder``) to match fuzzily."""

FUNCTION_WORDS = frozenset(
    ["ik", "je", "jij", "u", "we", "wij", "ze", "zij", "hij", "het", "dat", "dit", "die", "de", "een", "en", "of", "maar", "als", "dan", "er", "hier", "daar", "me", "mij", "jou", "jouw", "uw", "mijn", "ons", "onze", "hem", "haar", "zich", "zo", "wel", "niet", "al", "nog", "ook", "toch", "is", "ben", "bent", "was", "heb", "hebt", "heeft", "in", "op", "aan", "van", "met", "voor", "bij", "om", "uit", "over", "naar", "tot", "te", "wat", "wie", "hoe"]
)
"""Pronouns, articles, conjunctions, prepositions and the commonest verb forms. A fuzzy match
may bend content words (``begrjip``) but never these: fuzzily, ``dat het`` would become
``dat je``, which turns one pronoun into another and a remark into a question about the client."""

CONTRACTIONS = {"het": ("t", "'t"), "ik": ("k", "'k"), "een": ("n", "'n"), "mijn": ("m'n", "mn", "me")}
"""Chat spellings a function word may take inside a fuzzy match."""


class FuzzyPhrases:
    """Phrases per rule, found inside a text with rapidfuzz ``partial_ratio_alignment``."""

    def __init__(self) -> None:
        self._by_gate: dict[str, list[tuple[str, str, int]]] = {}

    def add(self, rule_id: str, phrases: tuple[str, ...], threshold: int) -> None:
        for phrase in phrases:
            lower = phrase.lower()
            if all(word in FUNCTION_WORDS for word in lower.split()):
                continue  # only exact matching for phrases of function words and pronouns
            self._by_gate.setdefault(_gate(lower), []).append((rule_id, lower, threshold))

    def find(self, doc: Doc, skip: set[str]) -> Iterator[tuple[str, int, int]]:
        """Yield ``(rule id, start token, end token)`` for rules not in ``skip``."""
        if not self._by_gate:
            return
        text = doc.text.lower()
        entries = [e for gate, group in self._by_gate.items() if gate in text for e in group]
        for rule_id, phrase, threshold in entries:
            if rule_id in skip or len(text) < 0.7 * len(phrase):
                continue
            # the cheap score first; the alignment only for the few texts that pass
            if fuzz.partial_ratio(phrase, text, score_cutoff=threshold) == 0:
                continue
            alignment = fuzz.partial_ratio_alignment(phrase, text, score_cutoff=threshold)
            if alignment is None:
                continue
            span = doc.char_span(alignment.dest_start, alignment.dest_end, alignment_mode="expand")
            if span is None or not _whole_words(span.text.lower(), phrase):
                continue
            if not _function_words_kept(phrase, [t.lower_ for t in span]):
                continue
            skip.add(rule_id)
            yield rule_id, span.start, span.end


class FuzzyWords:
    """Word lists per rule, compared token by token with rapidfuzz ``ratio``.

    Only words with the same first letter are compared: typing errors rarely hit the first
    letter, and this keeps ``vinden`` from matching ``vrienden``-like near neighbours.
    """

    def __init__(self) -> None:
        self._entries: list[tuple[str, dict[str, list[str]], int]] = []
        self._cache: dict[str, tuple[str, ...]] = {}

    def add(self, rule_id: str, words: list[str], threshold: int) -> None:
        by_initial: dict[str, list[str]] = {}
        for word in words:
            by_initial.setdefault(word[:1], []).append(word)
        self._entries.append((rule_id, by_initial, threshold))

    def find(self, doc: Doc) -> Iterator[tuple[str, int, int]]:
        """Yield ``(rule id, token, token + 1)`` for near-misses of listed words."""
        if not self._entries:
            return
        for token in doc:
            lower = token.lower_
            if len(lower) < MIN_WORD_LENGTH or not token.is_alpha:
                continue
            hits = self._cache.get(lower)
            if hits is None:
                hits = tuple(
                    rule_id
                    for rule_id, by_initial, threshold in self._entries
                    if (candidates := by_initial.get(lower[:1]))
                    and process.extractOne(lower, candidates, scorer=fuzz.ratio,
                                           score_cutoff=threshold) is not None
                )
                if len(self._cache) < 200_000:
                    self._cache[lower] = hits
            for rule_id in hits:
                yield rule_id, token.i, token.i + 1


def _function_words_kept(phrase: str, found: list[str]) -> bool:
    """Every function word of the phrase stands in the found text (or as its chat spelling)."""
    for word in phrase.split():
        spelled = word in found or any(short in found for short in CONTRACTIONS.get(word, ()))
        if word in FUNCTION_WORDS and not spelled:
            return False
    return True


def _gate(phrase: str) -> str:
    """The first three letters of the phrase's longest word, which a fuzzy hit must contain.

    A substring test is far cheaper than ``partial_ratio``; typing errors seldom hit the start
    of a long word (``begrijp ik t goed`` still contains ``beg``).
    """
    content = [w for w in phrase.split() if w not in FUNCTION_WORDS] or phrase.split()
    return max(content, key=len)[:3]


def _whole_words(found: str, phrase: str) -> bool:
    """Reject alignments that stretch over much more text than the phrase has words."""
    return len(found.split()) <= len(phrase.split()) + 1
