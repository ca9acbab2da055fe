"""Cases, documents and utterances as frozen values.

The central invariant: for every utterance ``u`` of a document ``d``,
``d.text[u.start:u.end] == u.text``. The document text is what the project stores and what
codings and REFI-QDA offsets count characters in (Python ``str`` indices, i.e. Unicode code
points, LF line ends only), so it must never be re-rendered after import.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import partial
from operator import attrgetter, eq, sub
from typing import Any, NamedTuple


class Role(StrEnum):
    """Who speaks: the study only distinguishes counsellor, client and the platform."""

    COUNSELLOR = "counsellor"
    CLIENT = "client"
    SYSTEM = "system"


class Channel(StrEnum):
    """Chat is synchronous (response times in minutes), e-mail asynchronous (days)."""

    CHAT = "chat"
    EMAIL = "email"


class FrozenMap(Mapping[str, Any]):
    """A read-only mapping that, unlike ``types.MappingProxyType``, can be pickled.

    Domain values must pickle, so that they can cross process boundaries (multiprocessing,
    caches); ``MappingProxyType`` cannot.
    """

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self._data = dict(data or {})

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple[type[FrozenMap], tuple[dict[str, Any]]]:
        return (FrozenMap, (self._data,))


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return FrozenMap(mapping)


class Utterance(NamedTuple):
    """One turn: a chat message (with its wrapped continuation lines) or one e-mail message.

    A NamedTuple rather than a frozen dataclass: equally immutable, but about ten times
    cheaper to build, and an import creates hundreds of thousands of them
    (benchmarks/import_speed.py).
    """

    index: int  # type: ignore[assignment]  # shadows tuple.index on purpose: the turn number
    """0-based position in the document, in printed order (never re-sorted by time)."""
    role: Role
    speaker: str
    """The speaker label exactly as written in the source (``Online hulpverlener``)."""
    time: datetime | None
    """Absolute time, with midnight roll-over resolved; None when the source gave no time."""
    text: str
    """The new speech of this turn; equals ``document.text[start:end]``."""
    start: int
    end: int
    line: int = 0
    """1-based line in the source file where the turn starts (0 when not from a text file)."""
    out_of_order: bool = False
    """Printed after a turn with a later time (kept in printed order, flagged)."""
    continued: bool = False
    """The turn had continuation lines (text wrapped by the export)."""
    quoted: str = ""
    """E-mail: text quoted from earlier messages; kept, but not this speaker's words."""
    subject: str = ""
    """E-mail: the subject line, if any."""


@dataclass(frozen=True, slots=True)
class Document:
    """One conversation: a chat session, or an e-mail thread of one exchange in date order."""

    key: str
    """Stable identifier within a project (unique), e.g. ``casus-17/chat-2014-11-03``."""
    case_key: str
    channel: Channel
    text: str
    utterances: tuple[Utterance, ...]
    start: datetime | None = None
    source: str = ""
    """The source file (path as given to the importer) the document was read from."""
    attributes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", _frozen(self.attributes))

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle the utterances column by column, without what the document already holds.

        Parsed documents cross a process boundary on every large import (the parse worker,
        ``qcode.services.import_worker``). Pickled as they are, hundreds of thousands of
        ``Utterance`` tuples with their ``datetime`` objects cost more to pickle and unpickle
        than parsing them (docs/benchmarks.md, Import); see :func:`_packed_utterances`.
        """
        return (
            _document_from_packed,
            (self.key, self.case_key, self.channel, self.text, _packed_utterances(self),
             self.start, self.source, self.attributes),
        )


_ROLE_OF_VALUE = {role.value: role for role in Role}


def _packed_utterances(document: Document) -> tuple[Any, ...]:
    """The utterances as columns, leaving out what can be rebuilt exactly.

    * ``index``: left out (None) when it is 0, 1, 2, ... as readers number turns;
    * ``text``: left out when every utterance's text is ``document.text[start:end]``, as
      :func:`check_offsets` ensures for everything a reader returns;
    * ``role``: the value (``"client"``), a plain string pickles cheaper than an enum member;
    * ``time``: ISO 8601 text when every time is naive (or None) with ``fold`` 0, which
      ``datetime.fromisoformat`` turns back into an equal datetime (per value, about 0.7 µs
      to write and 0.07 µs to read, against 1.4 and 0.35 µs for a pickled datetime); aware
      times are kept as they are (their tzinfo object must survive).

    :func:`_document_from_packed` is the inverse; tests/transcripts/test_document_pickling.py
    checks that a round trip gives back an identical document, field types included.
    """
    utterances = document.utterances
    if not utterances:
        return ()
    index, role, speaker, time, text, start, end, line, ooo, continued, quoted, subject = zip(
        *utterances, strict=True
    )
    source = document.text
    packed_index = None if index == tuple(range(len(index))) else index
    packed_text = (
        None
        if all(type(t) is str for t in text)
        and all(map(eq, text, map(source.__getitem__, map(slice, start, end))))
        else text
    )
    packed_role = (
        ("value", tuple(map(str.__str__, role)))
        if all(type(r) is Role for r in role)
        else ("as-is", role)
    )
    naive = all(
        t is None or (type(t) is datetime and t.tzinfo is None and not t.fold) for t in time
    )
    packed_time = (
        ("iso", tuple(None if t is None else t.isoformat() for t in time))
        if naive
        else ("as-is", time)
    )
    return (
        packed_index, packed_role, speaker, packed_time, packed_text, start, end, line, ooo,
        continued, quoted, subject,
    )


def _document_from_packed(
    key: str, case_key: str, channel: Channel, text: str, packed: tuple[Any, ...],
    start: datetime | None, source: str, attributes: Mapping[str, str],
) -> Document:
    """The inverse of :func:`_packed_utterances` (see there)."""
    if not packed:
        return Document(key, case_key, channel, text, (), start, source, attributes)
    index, (role_form, role), speaker, (time_form, times), texts, starts, ends, line, ooo, \
        continued, quoted, subject = packed
    if index is None:
        index = range(len(starts))
    if texts is None:
        texts = map(text.__getitem__, map(slice, starts, ends))
    if role_form == "value":
        role = map(_ROLE_OF_VALUE.__getitem__, role)
    if time_form == "iso":
        times = (
            [None if t is None else datetime.fromisoformat(t) for t in times]
            if None in times
            else map(datetime.fromisoformat, times)
        )
    # tuple.__new__ in C; Utterance._make is a Python call per utterance.
    utterances = tuple(
        map(
            partial(tuple.__new__, Utterance),
            zip(index, role, speaker, times, texts, starts, ends, line, ooo, continued, quoted,
                subject, strict=True),
        )
    )
    return Document(key, case_key, channel, text, utterances, start, source, attributes)


@dataclass(frozen=True, slots=True)
class Case:
    """All online contact one client had with the service."""

    key: str
    attributes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", _frozen(self.attributes))



def check_offsets(document: Document) -> None:
    """Raise ValueError if any utterance's offsets do not point at its text.

    Readers call this before handing a document out: a wrong offset silently corrupts every
    coding and every REFI-QDA export made later.
    """
    if "\r" in document.text:
        raise ValueError(f"{document.key}: document text contains CR; store LF line ends only")
    utterances = document.utterances
    # Two C-level passes without copying any text (each utterance's text is where its start
    # says, and as long as its span) before the per-utterance loop that names the culprit:
    # import checks every document it reads.
    texts = list(map(attrgetter("text"), utterances))
    starts = list(map(attrgetter("start"), utterances))
    ends = map(attrgetter("end"), utterances)
    if (
        min(starts, default=0) >= 0  # startswith reads a negative start from the end
        and all(map(document.text.startswith, texts, starts))
        and all(map(eq, map(sub, ends, starts), map(len, texts)))
    ):
        return
    for u in utterances:
        if document.text[u.start : u.end] != u.text:
            raise ValueError(
                f"{document.key}: utterance {u.index} offsets {u.start}-{u.end} do not match its text"
            )
