"""Lemma search over stored token lines: each word of a document as ``form|lemma``.

The Dutch pipeline's tokens and lemmas (:mod:`qcode.suggest.lemmas`) are stored once per
document as one *token line* (:func:`token_line`); a lemma search scans those lines with a
literal search (:func:`find_tokens`), so it needs no pipeline once the lemmas are stored.
Pure functions: the service hands in the lines and maps token numbers back to offsets.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import regex

from qcode.analysis.search import SearchError

TOKEN_SEPARATOR = " "
UNIT_SEPARATOR = "\n"
"""Token lines: every token is followed by one separator, ``\\n`` after a turn's last token."""
FORM_LEMMA = "|"


def token_line(tokens: Sequence[Sequence[tuple[str, str]]]) -> str:
    """The stored lemma line of one document: per turn, its tokens as ``form|lemma``, or as
    ``form`` alone where the lemma is the form (most words: the line is half as long).

    ``tokens`` holds, per searched text, its word tokens as (form, lemma), both lower-cased.
    Each token is followed by one separator (:data:`UNIT_SEPARATOR` after a text's last token),
    so a match's token number is the number of separators before it.
    """
    out: list[str] = []
    for unit in tokens:
        for i, (form, lemma) in enumerate(unit):
            end = UNIT_SEPARATOR if i == len(unit) - 1 else TOKEN_SEPARATOR
            form, lemma = _clean(form), _clean(lemma)
            out.append(f"{form}{end}" if form == lemma else f"{form}{FORM_LEMMA}{lemma}{end}")
    return "".join(out)


def _clean(word: str) -> str:
    return "".join("_" if c in " \n|" else c for c in word.lower())


@dataclass(frozen=True)
class LemmaQuery:
    """A lemma query compiled for token lines: per query word, what its token must be."""

    first: regex.Pattern[str]
    """Finds a form or lemma field equal to the first word's terms (a literal search: fast)."""
    fields: tuple[regex.Pattern[str], ...]
    """Per query word: full-matches one field (form or lemma) that stands for it."""


_FIELD_CHAR = rf"[^{TOKEN_SEPARATOR}{UNIT_SEPARATOR}{regex.escape(FORM_LEMMA)}]"


def lemma_query(terms: Sequence[Sequence[str]]) -> LemmaQuery:
    """Tokens whose form or lemma is one of the terms, word by word (a phrase: consecutive).

    ``terms`` holds, per query word, the lower-cased strings it stands for (the word itself
    and its lemma); ``*`` in a term is a wildcard for any characters of one field.
    """
    if not terms:
        raise SearchError("Give a word to search for.")
    alternatives = [
        "|".join((_FIELD_CHAR + "*").join(regex.escape(p) for p in term.lower().split("*")) for term in sorted(set(alts)))
        for alts in terms
    ]
    edge = rf"[^{TOKEN_SEPARATOR}{UNIT_SEPARATOR}{regex.escape(FORM_LEMMA)}]"
    first = regex.compile(rf"(?<!{edge})(?:{alternatives[0]})(?!{edge})")
    return LemmaQuery(first, tuple(regex.compile(rf"(?:{alt})") for alt in alternatives))


def query_terms(words: Sequence[str], lines: Sequence[str]) -> list[list[str]]:
    """Per query word, what it stands for: itself and every lemma the pipeline gave it.

    The lemmas are those of the word's own occurrences in the stored token ``lines`` (the
    pipeline lemmatises a word in its sentence, which it does better than a word alone), so
    ``vragen`` stands for ``vragen`` and ``vraag`` when the corpus has both readings, and a
    search whose lemmas are stored needs no pipeline. A word with ``*`` stands for itself.
    """
    terms: list[list[str]] = []
    for word in words:
        lower = _clean(word)
        if "*" in word:
            terms.append([lower])
            continue
        own = regex.compile(
            rf"(?<![^{TOKEN_SEPARATOR}{UNIT_SEPARATOR}]){regex.escape(lower)}{regex.escape(FORM_LEMMA)}({_FIELD_CHAR}*)"
        )
        lemmas = {m.group(1) for line in lines for m in own.finditer(line)}
        terms.append(sorted({lower, *lemmas}))
    return terms


def find_tokens(query: LemmaQuery, line: str) -> list[tuple[int, int]]:
    """(first token number, last token number) of every match in one document's token line.

    The first word is found by a literal search for its terms as a whole field (form or
    lemma); the following words of a phrase are checked on the next tokens of the same turn.
    """
    found: list[tuple[int, int]] = []
    counted, tokens_before = 0, 0
    last_token = -1
    for m in query.first.finditer(line):
        tokens_before += _separators(line, counted, m.start())
        counted = m.start()
        token = tokens_before
        if token == last_token:
            continue  # its form and its lemma both matched
        if len(query.fields) == 1 or _phrase_follows(query, line, m.end()):
            found.append((token, token + len(query.fields) - 1))
            last_token = token
    return found


def _phrase_follows(query: LemmaQuery, line: str, at: int) -> bool:
    """Whether the tokens after the one ending near ``at`` fit the query's next words."""
    end = min(i for i in (line.find(TOKEN_SEPARATOR, at), line.find(UNIT_SEPARATOR, at)) if i >= 0)
    for field in query.fields[1:]:
        if line[end] != TOKEN_SEPARATOR:
            return False  # the turn ended: a phrase never runs into the next turn
        start = end + 1
        end = min(i for i in (line.find(TOKEN_SEPARATOR, start), line.find(UNIT_SEPARATOR, start)) if i >= 0)
        form, _, lemma = line[start:end].partition(FORM_LEMMA)
        if not (field.fullmatch(form) or field.fullmatch(lemma)):
            return False
    return True


def _separators(line: str, start: int, end: int) -> int:
    return line.count(TOKEN_SEPARATOR, start, end) + line.count(UNIT_SEPARATOR, start, end)
