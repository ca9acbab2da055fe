"""Search the corpus (``qcode search``, the workbench's search screen).

The matching itself is :mod:`qcode.analysis.search` (pure); this module reads the stored
search index (:mod:`qcode.storage.search`), fills it the first time (turns when a document is
first searched, lemmas when it is first searched by lemma) and turns matches into
keyword-in-context hits. Coding them is :mod:`qcode.services.search_coding`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from itertools import repeat
from typing import NamedTuple

import regex

from qcode.analysis.lemma_lines import LemmaQuery, find_tokens, lemma_query, query_terms, token_line
from qcode.analysis.search import (
    DEFAULT_TIME_LIMIT,
    SearchError,
    SearchMode,
    context,
    find_in_spans,
    find_regex,
    plain_core,
    plain_pattern,
    query_words,
    sentence_span,
    user_pattern,
)
from qcode.services.gc_pause import gc_paused
from qcode.services.names import check_attributes
from qcode.services.project import Project
from qcode.storage import search as index_store
from qcode.storage.search import FIELDS, ROLES, IndexedDocument, clock
from qcode.transcripts.model import Channel, Role

LEMMA_CHUNK = 200
"""Documents lemmatised and stored per transaction (an interrupted first search keeps its work)."""

Progress = Callable[[str], None]


@dataclass(frozen=True)
class SearchRequest:
    """One search, as typed on the command line or in the search screen."""

    query: str
    mode: SearchMode = SearchMode.PLAIN
    speaker: Role | None = None
    channel: Channel | None = None
    where: tuple[tuple[str, str], ...] = ()
    """``(attribute, value)`` pairs every document (or its case) must have."""
    quoted: bool = False
    """Also search quoted e-mail text (shown, never coded)."""
    time_limit: float = DEFAULT_TIME_LIMIT

    def describe(self) -> str:
        """The query as stored in a coding's detail, so a supervisor sees how it came about."""
        parts = [f'{self.mode.value} search "{self.query}"']
        if self.speaker is not None:
            parts.append(f"speaker {self.speaker.value}")
        if self.channel is not None:
            parts.append(f"channel {self.channel.value}")
        parts += [f"{name}={value}" for name, value in self.where]
        if self.quoted:
            parts.append("quoted text included")
        return ", ".join(parts)[:500]


class Hit(NamedTuple):
    """One hit, in keyword-in-context form, with where it is (a NamedTuple: a search may make 10,000s)."""

    number: int
    """1, 2, ... in document order: what ``--hits`` refers to."""
    document: str
    case: str
    channel: str
    utterance: int
    """The turn's index in the store (``qcode code --utterance``)."""
    time: datetime | None
    role: str
    speaker: str
    before: str
    text: str
    after: str
    start: int
    """Document offsets of the hit."""
    end: int
    quoted: bool
    """The hit lies in quoted e-mail text (nobody's words; never coded)."""
    sentence: tuple[int, int]
    """Document offsets of the hit's sentence."""
    turn_span: tuple[int, int]
    """Document offsets of the whole turn (or quoted block)."""

    @property
    def turn(self) -> int:
        """The turn as people count: 1 for the first."""
        return self.utterance + 1


@dataclass
class SearchResult:
    hits: list[Hit]
    documents: int
    """Documents searched (after the channel and attribute filters)."""
    lemmatised: int = 0
    """Documents whose lemmas this search computed and stored (0 once they are all stored)."""


Found = tuple[int, int, bool, int, int]
"""(document number in the searched list, turn number in its units, quoted, start, end)."""


def _spans(doc: IndexedDocument, quoted: bool) -> tuple[list[int], list[int], list[tuple[int, bool]]]:
    """Starts, ends and (turn number, quoted) of a document's searchable texts, by start.

    Array slices (C speed). Every reader stores turns in text order, so the slices are sorted
    already; they are sorted here all the same if a document's are not.
    """
    units = doc.units
    starts, ends = list(units[1::FIELDS]), list(units[2::FIELDS])
    owners = list(zip(range(len(starts)), repeat(False)))
    with_quotes = quoted and max(units[6::FIELDS], default=-1) >= 0
    if with_quotes or starts != sorted(starts):
        spans = sorted(
            [*zip(starts, ends, owners, strict=True)]
            + [(q, units[u * FIELDS + 7], (u, True)) for u, q in enumerate(units[6::FIELDS]) if with_quotes and q >= 0]
        )
        return [s for s, _, _ in spans], [e for _, e, _ in spans], [o for _, _, o in spans]
    return starts, ends, owners


def _role_ok(doc: IndexedDocument, unit: int, role: int | None) -> bool:
    return role is None or doc.units[unit * FIELDS + 3] == role


def compile_request(request: SearchRequest) -> regex.Pattern[str] | None:
    """Check the query before anything is read; the pattern for texts (None for lemmas,
    whose query needs the stored lemmas: :func:`qcode.analysis.search.query_terms`)."""
    if request.mode is SearchMode.REGEX:
        return user_pattern(request.query)
    if request.mode is SearchMode.PLAIN:
        return plain_pattern(request.query)
    query_words(request.query)
    return None


def search(project: Project, request: SearchRequest, on_progress: Progress | None = None) -> SearchResult:
    """Every hit of ``request``, in document order, numbered from 1.

    Raises:
        SearchError: for an empty query, an invalid pattern, or one stopped at its time limit.
        SuggestionError: for a lemma search without a Dutch pipeline (says how to install one).
    """
    with gc_paused():  # 10,000s of hits and spans, no cycles: collections only cost (~15 %)
        return _search(project, request, on_progress)


def _search(project: Project, request: SearchRequest, on_progress: Progress | None) -> SearchResult:
    setting = project.settings.spacy_model or None
    compiled = compile_request(request)
    with project.session() as session:
        if index_store.build_units(session) and on_progress:
            on_progress("indexed the documents for search (once)")
        allowed = index_store.attribute_filter(session, request.where)
        if request.where and not allowed:
            check_attributes(session, request.where)
    channel = request.channel.value if request.channel else None
    lemmatised = 0
    pipeline = None
    if request.mode is SearchMode.LEMMA:
        from qcode.suggest.lemmas import pipeline_id

        pipeline = pipeline_id(setting)
        lemmatised = _store_lemmas(project, pipeline, channel, setting, on_progress)
    with project.session() as session:
        docs = index_store.indexed_documents(session, channel, with_lemmas=pipeline, with_text=pipeline is None)
    if allowed is not None:
        docs = [d for d in docs if d.id in allowed]
    role = ROLES.index(request.speaker) if request.speaker is not None else None
    if compiled is None:
        lines = [d.lemma_line for d in docs if d.lemma_line]
        query = lemma_query(query_terms(query_words(request.query), lines))
        found = _lemma_matches(query, docs, role, request.quoted)
        with project.session() as session:
            index_store.fill_texts(session, [docs[n] for n in sorted({f[0] for f in found})])
    elif request.mode is SearchMode.REGEX:
        found = _regex_matches(compiled, docs, role, request.quoted, request.time_limit)
    else:
        found = _plain_matches(compiled, plain_core(request.query), docs, role, request.quoted)
    return SearchResult(_hits(docs, found), len(docs), lemmatised)


def _plain_matches(
    pattern: regex.Pattern[str], core: regex.Pattern[str], docs: Sequence[IndexedDocument],
    role: int | None, quoted: bool,
) -> list[Found]:
    found: list[Found] = []
    for n, doc in enumerate(docs):
        for (unit, in_quote), start, end in find_in_spans(pattern, [core], doc.text, partial(_spans, doc, quoted)):
            if _role_ok(doc, unit, role):
                found.append((n, unit, in_quote, start, end))
    return found


def _regex_matches(
    pattern: regex.Pattern[str], docs: Sequence[IndexedDocument], role: int | None, quoted: bool, limit: float
) -> list[Found]:
    """A user's pattern on every searchable text on its own (``^``, ``$`` mean the turn's ends)."""

    def searched(doc: IndexedDocument) -> tuple[list[int], list[int], list[tuple[int, bool]]]:
        starts, ends, owners = _spans(doc, quoted)
        if role is None:
            return starts, ends, owners
        keep = [i for i, (unit, _) in enumerate(owners) if _role_ok(doc, unit, role)]
        return [starts[i] for i in keep], [ends[i] for i in keep], [owners[i] for i in keep]

    def groups() -> Iterator[tuple[int, str, Callable[[], tuple[list[int], list[int], list[tuple[int, bool]]]]]]:
        for n, doc in enumerate(docs):
            yield n, doc.text, partial(searched, doc)

    return [(n, unit, in_quote, start, end) for n, (unit, in_quote), start, end in find_regex(pattern, groups(), limit)]



def _store_lemmas(
    project: Project, pipeline: str, channel: str | None, setting: str | None, on_progress: Progress | None
) -> int:
    """Lemmatise and store the documents that have no lemmas from this pipeline yet."""
    from qcode.suggest.lemmas import Token, lemmatize

    with project.session() as session:
        missing = index_store.missing_lemmas(session, pipeline, channel)
    cache: dict[str, list[Token]] = {}
    for at in range(0, len(missing), LEMMA_CHUNK):
        with project.session() as session:
            docs = index_store.indexed_documents(session, documents=missing[at : at + LEMMA_CHUNK])
            per_doc = [_spans(d, True) for d in docs]
            strings = [d.text[s:e] for d, (starts, ends, _) in zip(docs, per_doc, strict=True) for s, e in zip(starts, ends, strict=True)]
            tokens = iter(lemmatize(strings, setting, cache=cache))
            for doc, (starts, _, _) in zip(docs, per_doc, strict=True):
                units = [next(tokens) for _ in starts]
                line = token_line([[(form, lemma) for _, _, form, lemma in unit] for unit in units])
                offsets = [
                    base + pos for base, unit in zip(starts, units, strict=True) for s, e, _, _ in unit for pos in (s, e)
                ]
                index_store.store_lemmas(session, doc.id, pipeline, line, offsets)
        if on_progress:
            done = min(at + LEMMA_CHUNK, len(missing))
            on_progress(f"lemmas computed for {done:,} of {len(missing):,} documents (once; stored)")
    return len(missing)


def _lemma_matches(
    query: LemmaQuery, docs: Sequence[IndexedDocument], role: int | None, quoted: bool
) -> list[Found]:
    """Token matches in each document's lemma line, placed in the turn (or quote) they are in."""
    found: list[Found] = []
    for n, doc in enumerate(docs):
        if not doc.lemma_line:
            continue
        matches = find_tokens(query, doc.lemma_line)
        if not matches:
            continue
        starts, ends, owners = _spans(doc, quoted)
        offsets = doc.lemma_offsets
        for first, last in matches:
            start, end = offsets[2 * first], offsets[2 * last + 1]
            i = bisect.bisect_right(starts, start) - 1
            if i < 0 or end > ends[i]:
                continue  # quoted text, not asked for
            unit, in_quote = owners[i]
            if _role_ok(doc, unit, role):
                found.append((n, unit, in_quote, start, end))
    return found


def _hits(docs: Sequence[IndexedDocument], found: Sequence[Found]) -> list[Hit]:
    """The hits in document order, numbered from 1.

    Built with ``tuple.__new__`` (positional, no keyword parsing): a regex search over 10,000
    chats makes 25,000 of them, and keyword construction was a third of the time spent here.
    """
    hits: list[Hit] = []
    make = tuple.__new__
    for n, unit, in_quote, start, end in sorted(found, key=lambda f: (docs[f[0]].key, f[3], f[4])):
        doc = docs[n]
        units = doc.units
        base = unit * FIELDS
        t_start, t_end = (units[base + 6], units[base + 7]) if in_quote else (units[base + 1], units[base + 2])
        body = doc.text[t_start:t_end]
        before, hit, after = context(body, start - t_start, end - t_start)
        s_start, s_end = sentence_span(body, start - t_start, end - t_start)
        speakers = doc.speakers
        speaker = units[base + 4]
        hits.append(
            make(Hit, (
                len(hits) + 1, doc.key, doc.case, doc.channel, units[base], clock(units[base + 5]),
                ROLES[units[base + 3]].value, speakers[speaker] if speaker < len(speakers) else "",
                before, hit, after, start, end, in_quote, (t_start + s_start, t_start + s_end), (t_start, t_end),
            ))
        )
    return hits


__all__ = ["Hit", "SearchError", "SearchMode", "SearchRequest", "SearchResult", "search"]
