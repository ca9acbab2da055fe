"""Fragments by code: every coded fragment of one code in the project (ATLAS.ti's quotation manager).

The workbench's fragments screen and ``qcode fragments`` both call :func:`code_fragments`; the
rows come from the export's long quotations frame (``qcode.export.quotations.quotations_long``:
case, document, channel, speaker, time, text, coder, memo per coding), so a fragment here is
exactly a row of the exported ``quotations_long`` table for that code. Only the documents that
hold the code's codings are read, which keeps a 50,000-coding project quick (docs/benchmarks.md).
Blind mode applies as everywhere (``visible_coders``).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from qcode.errors import QcodeError
from qcode.export.quotations import quotations_long
from qcode.services.frames import codes_frame, codings_frame, documents_frame, utterances_frame
from qcode.services.names import check_attributes, check_in_session
from qcode.services.project import Project
from qcode.services.team import visible_coders
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import search as index_store
from qcode.storage.codings import CodingFilter


@dataclass(frozen=True, slots=True)
class FragmentFilter:
    """Which fragments to list; empty means no restriction on that field."""

    coders: tuple[str, ...] = ()
    cases: tuple[str, ...] = ()
    channel: str | None = None
    where: tuple[tuple[str, str], ...] = ()
    """``(attribute, value)`` pairs on the case (or document), as ``qcode search --where``."""

    def describe(self) -> str:
        """The filter as the user would type it (``coder=anna regio=Parkstad``)."""
        parts = [f"coder={c}" for c in self.coders] + [f"case={c}" for c in self.cases]
        if self.channel:
            parts.append(f"channel={self.channel}")
        parts += [f"{name}={value}" for name, value in self.where]
        return " ".join(parts)


CHANNELS = ("chat", "email")

FILTER_NAMES = ("coder", "case", "channel")
"""Terms of :func:`parse_filter` that are not case attributes."""


def parse_filter(text: str) -> FragmentFilter:
    """``coder=anna case=casus-03 channel=chat regio=Parkstad`` as a filter.

    ``coder``, ``case`` and ``channel`` may be repeated (coder and case: any of them); any
    other ``name=value`` is a case or document attribute. Words without ``=`` are ignored.
    """
    coders: list[str] = []
    cases: list[str] = []
    channel: str | None = None
    where: list[tuple[str, str]] = []
    for term in text.split():
        name, sep, value = term.partition("=")
        if not sep or not name or not value:
            continue
        if name.lower() == "coder":
            coders.append(value)
        elif name.lower() == "case":
            cases.append(value)
        elif name.lower() == "channel":
            channel = value.lower()
        else:
            where.append((name, value))
    return FragmentFilter(tuple(coders), tuple(cases), channel, tuple(where))


@dataclass(frozen=True, slots=True)
class Fragment:
    """One coded fragment (one coding) of the code, where it is and who coded it."""

    number: int
    """1, 2, ... in list order (document, then position in the text)."""
    case: str
    document: str
    channel: str
    turn: int
    """The turn the fragment starts in, counted from 1."""
    last_turn: int
    """The turn it ends in (a segment such as a phase spans several)."""
    index: int
    """0-based index of ``turn`` (what ``qcode code --utterance`` and the workbench take)."""
    coder: str
    origin: str
    role: str
    speaker: str
    time: datetime | None
    text: str
    memo: str
    """The coding's memo (empty if none)."""
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Fragments:
    """The fragments of one code and what was asked."""

    code: str
    """Stable id."""
    code_name: str
    filter: FragmentFilter
    fragments: list[Fragment]

    @property
    def documents(self) -> int:
        return len({f.document for f in self.fragments})


def code_fragments(
    project: Project, code: str, flt: FragmentFilter | None = None, viewer: str | None = None
) -> Fragments:
    """Every live coding of ``code`` (name or id) the viewer may see, filtered as asked.

    Raises:
        UnknownNameError: the code, a coder or a case is not in the project (with the
            closest names it has).
        QcodeError: a ``where`` attribute no document or case has.
    """
    flt = flt or FragmentFilter()
    if flt.channel is not None and flt.channel not in CHANNELS:
        raise QcodeError(f"No channel '{flt.channel}': use chat or email.", title="Unknown channel")
    with project.session() as session:
        check_in_session(session, codes=[code], coders=flt.coders, cases=flt.cases)
        row = codebook_store.find_code(session, code)
        key, name = row.key, row.name
        documents: list[str] | None = None
        if flt.where:
            documents = index_store.document_keys_where(session, flt.where)
            if not documents:
                check_attributes(session, flt.where)
        coding_filter = CodingFilter(
            documents=documents,
            cases=list(flt.cases) or None,
            coders=list(flt.coders) or None,
            codes=[key],
            channel=flt.channel,
        )
        visible = visible_coders(session, viewer)
        keys = coding_store.coded_documents(session, coding_filter, visible)
        if not keys:
            return Fragments(key, name, flt, [])
        # each turn is read once: the frames of those documents go into codings_frame
        utterances = utterances_frame(session, keys)
        docs = documents_frame(session, keys, utterances)
        codings = codings_frame(session, coding_filter, visible, utterances, docs)
        codes = codes_frame(session)
    long = quotations_long(codings, utterances, docs, codes)
    return Fragments(key, name, flt, _fragments(long, utterances))


def _fragments(long: pd.DataFrame, utterances: pd.DataFrame) -> list[Fragment]:
    """The long quotations rows with their first and last turn (by binary search on starts).

    Columns are read as lists and zipped: ``to_dict("records")`` cost a quarter of the call
    for the 5,000 fragments of one code in a 50,000-coding project.
    """
    starts: dict[str, list[int]] = {}
    for document, start in zip(utterances["document"].tolist(), utterances["start"].tolist(), strict=True):
        starts.setdefault(document, []).append(int(start))
    for turn_starts in starts.values():
        turn_starts.sort()
    names = ["case", "document", "channel", "coder", "origin", "role", "speaker", "time", "text", "memo", "start", "end"]
    columns = [long[n].tolist() for n in names]
    result: list[Fragment] = []
    for number, (case, document, channel, coder, origin, role, speaker, time, text, memo, start, end) in enumerate(
        zip(*columns, strict=True), start=1
    ):
        turn_starts = starts.get(document, [0])
        first = max(bisect.bisect_right(turn_starts, int(start)) - 1, 0)
        last = max(bisect.bisect_left(turn_starts, max(int(end), int(start) + 1)) - 1, first)
        result.append(
            Fragment(
                number=number, case=str(case), document=str(document), channel=str(channel),
                turn=first + 1, last_turn=last + 1, index=first, coder=str(coder), origin=str(origin),
                role=str(role), speaker=str(speaker),
                time=None if pd.isna(time) else time.to_pydatetime(),
                text=str(text), memo=memo if isinstance(memo, str) else "", start=int(start), end=int(end),
            )
        )
    return result


def fragment_record(fragment: Fragment, code_name: str) -> dict[str, object]:
    """One fragment as JSON/CSV keys (``turn`` from 1, ``index`` 0-based beside it)."""
    return {
        "number": fragment.number, "code": code_name, "case": fragment.case,
        "document": fragment.document, "channel": fragment.channel, "turn": fragment.turn,
        "last_turn": fragment.last_turn, "index": fragment.index, "coder": fragment.coder,
        "origin": fragment.origin, "role": fragment.role, "speaker": fragment.speaker,
        "time": fragment.time.isoformat() if fragment.time else None, "text": fragment.text,
        "memo": fragment.memo, "start": fragment.start, "end": fragment.end,
    }


FRAGMENT_FIELDS: Sequence[str] = (
    "number", "code", "case", "document", "channel", "turn", "last_turn", "index", "coder",
    "origin", "role", "speaker", "time", "text", "memo", "start", "end",
)
"""Keys of :func:`fragment_record`, in column order."""
