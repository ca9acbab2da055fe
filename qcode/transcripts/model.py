"""Cases, documents and utterances as frozen values.

The central invariant: for every utterance ``u`` of a document ``d``,
``d.text[u.start:u.end] == u.text``. The document text is what the project stores and what
codings and REFI-QDA offsets count characters in (Python ``str`` indices, i.e. Unicode code
points, LF line ends only), so it must never be re-rendered after import.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
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

    # The dict's own views and lookups, in C: the Mapping mixins walk keys in Python, and an
    # import reads every document's and case's attributes a few times (docs/benchmarks.md).
    def keys(self) -> KeysView[str]:
        return self._data.keys()

    def values(self) -> ValuesView[Any]:
        return self._data.values()

    def items(self) -> ItemsView[str, Any]:
        return self._data.items()

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._data

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
    text = document.text
    for u in document.utterances:  # measured: faster than C-level passes with map()
        if text[u.start : u.end] != u.text:
            raise ValueError(
                f"{document.key}: utterance {u.index} offsets {u.start}-{u.end} do not match its text"
            )
