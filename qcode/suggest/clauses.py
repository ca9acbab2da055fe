"""Clauses inside a sentence, found from punctuation, part of speech and a few function words.

Rules are scoped to a clause ("a veto applies inside its own clause only"; "a report verb with
a second-person subject, followed by a dat-clause"). A parse tree would give clauses directly,
but the small Dutch pipelines attach verb-final subordinate clauses and separable particles
unreliably (``geef … aan`` parsed as ``gijven`` + ADP, ``wegviel`` as the root of nothing), so
the boundaries come from what both the stand-in and the official ``nl_core_news_sm`` tag the
same way: punctuation, ``SCONJ``, and question or relative words inside a sentence. This is the
clause split of the ANS (sections 21-22): a new clause opens at a subordinator (``dat``, ``als``,
``omdat``, ``toen`` …), at a relative or interrogative word (``die``, ``waar``, ``hoe``,
``wie`` …) and at a coordinator followed by a new subject or finite verb.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Span, Token

_PUNCT = frozenset({",", ";", ":", "–", "—", "(", ")", "…", "...", "•", "-"})
SUBORDINATORS = frozenset(
    {"dat", "als", "omdat", "toen", "terwijl", "zodat", "doordat", "voordat", "nadat", "indien",
     "hoewel", "zodra", "sinds", "tenzij", "alsof", "wanneer", "want", "zoals", "om"}
)
_OPENERS = frozenset(
    {"waar", "wie", "hoe", "wat", "welke", "welk", "waarom", "wanneer", "waarover", "waarmee",
     "waarbij", "waarin", "waarop", "waardoor", "die", "wiens"}
)
_PRONOUN_DAT_NEXT = frozenset({"zo", "wel", "toch", "niet", "ook", "nou", "dan", "eigenlijk"})
_COORDINATORS = frozenset({"en", "maar", "of", "dus", "want"})
_SUBJECTS = frozenset(
    {"ik", "je", "jij", "u", "we", "wij", "ze", "zij", "hij", "het", "er", "jullie", "dat", "dit"}
)


_CACHE_KEY = "qcode_clause_starts"


def clause_starts(sent: Span) -> list[int]:
    """Token indices (into the doc) where a clause of ``sent`` begins, the sentence start first.

    Frames, vetoes and the question classifier all ask; the answer is kept on the doc."""
    cache: dict[int, list[int]] = sent.doc.user_data.setdefault(_CACHE_KEY, {})
    found = cache.get(sent.start)
    if found is None:
        found = [sent.start, *(t.i for t in sent[1:] if _opens_clause(t))]
        cache[sent.start] = found
    return found


def _opens_clause(token: Token) -> bool:
    previous = token.doc[token.i - 1]
    if previous.text in _PUNCT or previous.text.endswith(("…", "...")):
        return not token.is_punct
    lower = token.lower_
    if lower in SUBORDINATORS:
        # "dat" opens a clause as a conjunction, not as a pronoun ("dat kan iemand zijn",
        # "klopt dat zo?"); "als" and "om" open one, not "als eerste", "om acht uur"
        if lower == "als":
            return _next_is_subject(token)
        if lower == "om":
            return any(t.lower_ == "te" for t in token.doc[token.i + 1:token.i + 6])
        return lower != "dat" or is_complementizer(token)
    if lower in _OPENERS:
        if lower == "wat" and _indefinite_wat(token):
            return False
        return previous.lower_ not in ("voor", "te") and previous.pos_ != "ADP"
    if lower in _COORDINATORS and token.i + 1 < len(token.doc):
        following = token.doc[token.i + 1]
        return following.lower_ in _SUBJECTS or following.pos_ in ("AUX", "VERB")
    return False


_DAT_CLAUSE_START = frozenset(
    {"ik", "je", "jij", "u", "hij", "zij", "ze", "we", "wij", "jullie", "het", "er", "de", "een",
     "mijn", "jouw", "uw", "zijn", "haar", "hun", "onze", "ons", "iemand", "niemand", "iedereen",
     "men", "alles", "niets", "veel", "deze", "die", "dit"}
)


def is_complementizer(token: Token) -> bool:
    """Is this ``dat`` the conjunction ("je geeft aan dat jullie …") rather than the pronoun
    ("dat vind ik knap", "klopt dat zo")? The small parsers tag it DET now and then, so a
    following subject or article decides first, the tag only after that."""
    if token.lower_ != "dat":
        return False
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    if following is None or following.is_punct or following.lower_ in _PRONOUN_DAT_NEXT:
        return False
    if following.lower_ in _DAT_CLAUSE_START:
        return True
    return token.pos_ == "SCONJ" or token.dep_ == "mark"


def _indefinite_wat(token: Token) -> bool:
    """Is this ``wat`` the indefinite "something" ("heb je wat aan dit gesprek gehad?", "wil je
    wat meer vertellen?") rather than a pronoun opening a clause ("weet je wat je wilt?",
    "vertel wat er gebeurde")? Right after a subject pronoun, "something" is followed by a
    preposition, adjective, adverb or noun; a clause-opening "wat" by its subject or verb."""
    previous = token.doc[token.i - 1]
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return (
        previous.lower_ in _SUBJECTS
        and following is not None
        and following.lower_ not in _SUBJECTS
        and following.pos_ in ("ADP", "ADJ", "ADV", "NOUN")
    )


def _next_is_subject(token: Token) -> bool:
    following = token.doc[token.i + 1] if token.i + 1 < len(token.doc) else None
    return following is not None and (
        following.lower_ in _SUBJECTS or following.pos_ in ("DET", "PRON", "PROPN")
    )


def clause_of(sent: Span, index: int) -> int:
    """The number (within its sentence) of the clause holding token ``index``."""
    return bisect.bisect_right(clause_starts(sent), index) - 1
