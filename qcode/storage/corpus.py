"""Storing and reading cases, documents and utterances.

Bulk inserts go through SQLAlchemy Core ``insert`` with lists of parameter dicts so that
importing thousands of chats stays close to the driver's raw ``executemany`` speed (see
``benchmarks/import_speed.py``). Callers run everything of one source file in one transaction,
so a failed file never leaves half a document behind.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from functools import partial
from itertools import chain, repeat, starmap
from operator import attrgetter
from typing import Any, NamedTuple, TypedDict, cast

from sqlalchemy import Boolean, Dialect, Integer, String, Table, case, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from qcode.storage.schema import CaseRow, DocumentRow, SourceFileRow, UtteranceRow
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance
from qcode.transcripts.result import Imported

# Core tables for bulk inserts: the ORM's bulk path adds per-row overhead import cannot afford.
CASES = cast(Table, CaseRow.__table__)
SOURCE_FILES = cast(Table, SourceFileRow.__table__)
DOCUMENTS = cast(Table, DocumentRow.__table__)
UTTERANCES = cast(Table, UtteranceRow.__table__)


UTTERANCE_COLUMNS = (
    "document_id", "idx", "role", "speaker", "time", "text", "start", "end", "line",
    "out_of_order", "continued", "quoted", "subject",
)
if Utterance._fields != ("index", *UTTERANCE_COLUMNS[2:]):  # pragma: no cover
    raise ImportError("Utterance fields and UTTERANCE_COLUMNS differ; store_sources relies on them")


_SQLITE_DATETIME_FORMAT = (
    "%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d.%(microsecond)06d"
)
"""SQLAlchemy's default storage format for ``DateTime`` on SQLite (``sqlite.DATETIME``)."""

def driver_values(values: Sequence[Any], type_: TypeEngine[Any], dialect: Dialect) -> Sequence[Any]:
    """One column's values as the driver should get them: what the column type's bind
    processor gives, computed faster where that is possible.

    A SQLAlchemy bind processor is a Python call per value; for the hundreds of thousands of
    utterances of an import that costs more than the insert itself. Cheaper equivalents:

    * ``Boolean`` with only ``bool`` values: SQLAlchemy checks each value and casts it to
      ``int`` (SQLite) or leaves it ``bool`` (PostgreSQL); the same ints come from C here;
    * SQLite ``DateTime`` in SQLAlchemy's default storage format, naive datetimes: the text
      ``datetime.isoformat(" ", "microseconds")`` gives (``2014-11-03 19:02:00.000000``),
      put together from a cached date part and a cached time of day;
    * values of a ``str`` subclass (``Role``, a ``StrEnum``) in a column without processor:
      passed as plain ``str``. Same stored value, but sqlite3 looks up an adapter for every
      value that is not exactly a ``str``, int or float, which costs microseconds a value.

    tests/storage/test_bulk_values.py checks that rows stored this way equal rows stored
    through SQLAlchemy's own Core insert. Anything else goes through SQLAlchemy's processor.
    """
    if not values:
        return values
    impl = type_.dialect_impl(dialect)
    process = impl.bind_processor(dialect)
    if process is None and isinstance(impl, Integer):
        return values  # no conversion, and ints (bools too) go to every driver as they are
    if process is None and isinstance(impl, String) and type(values[0]) is str:
        # Plain text goes as it is. Converting a str subclass is for speed alone (the driver
        # stores the same text), and a column of them (Role) starts with one: no type scan
        # of every text column of every utterance (a few per cent of an import).
        return values
    kinds = set(map(type, values))
    has_none = type(None) in kinds
    kinds.discard(type(None))
    if isinstance(impl, Boolean) and kinds <= {bool}:
        return values if dialect.supports_native_boolean else _ints(values, has_none)
    if (
        dialect.name == "sqlite"
        and getattr(impl, "_storage_format", None) == _SQLITE_DATETIME_FORMAT
        and kinds <= {datetime}
    ):
        present = [v for v in values if v is not None] if has_none else values
        if not any(map(attrgetter("tzinfo"), present)):
            return _datetime_texts(values, has_none)
    if process is not None:
        return [process(v) for v in values]  # processors handle None themselves (JSON: 'null')
    if any(kind is not str and issubclass(kind, str) for kind in kinds):
        return _plain_strs(values, kinds, has_none)
    return values


def _ints(values: Sequence[bool | None], has_none: bool) -> list[int | None]:
    """Bools as the ints 0 and 1 (None kept)."""
    if has_none:
        return _mapped(values, int, has_none)
    # bytes() takes each bool as the byte 0 or 1, and a list of bytes gives back ints: the
    # same values as int() of each, in C (about 12 against 40 to 70 ns a value).
    return list(bytes(cast(Sequence[bool], values)))


def _datetime_texts(values: Sequence[datetime | None], has_none: bool) -> list[str | None]:
    """SQLAlchemy's SQLite text of naive datetimes (None kept).

    isoformat(" ", "microseconds") gives SQLAlchemy's text; built from a cached date part and
    a cached time of day, since a chat's turns share their date and times of day recur across
    chats (0.3 against 1.3 µs a value). The caches last from one batch to the next: a batch
    of 20,000 chat turns repeats few times of day.
    """
    days, clocks = _DAYS, _CLOCKS
    if has_none:
        return [None if v is None else days[v.date()] + clocks[v.time()] for v in values]
    return [days[v.date()] + clocks[v.time()] for v in cast(Sequence[datetime], values)]


def _plain_strs(values: Sequence[Any], kinds: set[type], has_none: bool) -> list[Any]:
    """Values of ``str`` subclasses as plain ``str`` (None kept).

    Members of ``str`` enums (``Role``) each map to their plain text, made once per member
    and looked up in C (about 40 against 90 ns a value for ``str.__str__`` of each).
    """
    if not has_none and all(issubclass(kind, Enum) for kind in kinds):
        plain = {member: str.__str__(member) for member in set(values)}
        return list(map(plain.__getitem__, values))
    return _mapped(values, str.__str__, has_none)


_CACHE_LIMIT = 200_000
"""Entries a text cache holds before it starts again (bounded memory: about 20 MB)."""


class _DateText(dict[date, str]):
    """date -> ``YYYY-MM-DD `` (with the separating space), computed once per date."""

    def __missing__(self, day: date) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        text = self[day] = day.isoformat() + " "
        return text


class _ClockText(dict[time, str]):
    """time of day -> ``HH:MM:SS.ffffff``, computed once per time (86,400 to the second)."""

    def __missing__(self, clock: time) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        text = self[clock] = clock.isoformat("microseconds")
        return text


_DAYS = _DateText()
_CLOCKS = _ClockText()


def _mapped(values: Sequence[Any], convert: Callable[[Any], Any], has_none: bool) -> list[Any]:
    """``convert`` applied to every value but None (``map`` runs in C when there is no None)."""
    if has_none:
        return [None if v is None else convert(v) for v in values]
    return list(map(convert, values))


def bulk_insert(session: Session, table: Table, columns: Mapping[str, Sequence[Any]]) -> None:
    """executemany straight to the driver, with the dialect's own value conversions.

    ``columns`` maps column names to their values (all the same length): column-wise, because
    conversions run once per column (:func:`driver_values`) and the rows are zipped in C.
    SQLAlchemy's Core executemany spends more time per row building parameters than the
    driver spends inserting it; for the hundreds of thousands of utterances of an import we
    compile the INSERT once for this dialect and hand tuples or dicts to the DBAPI.
    Portable: the statement and conversions come from the dialect, SQLite and PostgreSQL alike.
    """
    names = list(columns)
    if not names or not columns[names[0]]:
        return
    connection = session.connection()
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=names)
    values = {name: driver_values(columns[name], table.c[name].type, dialect) for name in names}
    params: list[Any]
    if compiled.positional:
        params = list(zip(*(values[name] for name in compiled.positiontup or ()), strict=True))
    else:
        params = [dict(zip(names, row, strict=True)) for row in zip(*values.values(), strict=True)]
    connection.exec_driver_sql(str(compiled), params)


class ImportIndex(NamedTuple):
    """What an import checks each file against, loaded once per import so that checking
    thousands of files costs no query per file."""

    hashes: dict[str, datetime]
    """Content hash (SHA-256) of every imported file -> when it was imported."""
    paths: dict[str, datetime]
    """Path of every imported file -> when it was (last) imported."""
    document_keys: set[str]
    """Keys of the documents already in the project."""


def import_index(session: Session) -> ImportIndex:
    """The known files and document keys of the project (see :class:`ImportIndex`)."""
    hashes: dict[str, datetime] = {}
    paths: dict[str, datetime] = {}
    for path, digest, at in session.execute(
        select(SourceFileRow.path, SourceFileRow.sha256, SourceFileRow.imported_at)
    ):
        hashes[digest] = at
        paths[path] = at
    keys = set(session.scalars(select(DocumentRow.key)))
    return ImportIndex(hashes, paths, keys)


NewSource = Imported
"""One parsed file ready to be stored: the import's own outcome value
(:class:`qcode.transcripts.result.Imported`), under the name the REFI-QDA import and the test
factories build it by."""


def _case_ids(session: Session, sources: Sequence[Imported]) -> dict[str, int]:
    """Insert unknown cases, merge new attributes into known ones; return key -> id."""
    wanted: dict[str, dict[str, Any]] = {}
    for src in sources:
        for doc in src.documents:
            wanted.setdefault(doc.case_key, {})
        for item in src.cases:
            wanted.setdefault(item.key, {}).update(item.attributes.items())
    ids: dict[str, int] = {}
    keys = list(wanted)
    for i in range(0, len(keys), 500):
        rows = session.execute(
            select(CASES.c.key, CASES.c.id, CASES.c.attributes).where(CASES.c.key.in_(keys[i : i + 500]))
        )
        for key, row_id, known in rows:
            ids[key] = row_id
            attrs, known = wanted[key], known or {}
            if attrs and any(known.get(k) != v for k, v in attrs.items()):
                session.execute(
                    update(CASES).where(CASES.c.id == row_id).values(attributes={**known, **attrs})
                )
    missing = [k for k in keys if k not in ids]
    if missing:
        after = _max_id(session, CASES)
        bulk_insert(session, CASES, {"key": missing, "attributes": [wanted[k] for k in missing]})
        ids.update(_ids_by(session, CASES, "key", missing, after))
    return ids


def _max_id(session: Session, table: Table) -> int:
    return int(session.scalar(select(func.max(table.c.id))) or 0)


def _ids_by(
    session: Session, table: Table, column: str, values: Sequence[str], after: int
) -> dict[str, int]:
    """value -> id for rows just inserted (``after`` the highest id before), found by a unique
    column.

    INSERT ... RETURNING with ``sort_by_parameter_order`` would return the ids in one go, but
    on SQLite SQLAlchemy can only keep that order by inserting row by row. Instead: one SELECT
    of the rows with an id above the highest before the insert, matched by the unique column
    (new ids are higher: SQLite's rowids under this transaction's write lock, PostgreSQL's
    sequence). Rows other writers added meanwhile are told apart by the column; anything not
    found that way (an id reused after a delete) is looked up by value.
    """
    wanted = set(values)
    ids = {
        value: row_id
        for value, row_id in session.execute(
            select(table.c[column], table.c.id).where(table.c.id > after)
        )
        if value in wanted
    }
    missing = [v for v in values if v not in ids]
    for i in range(0, len(missing), 500):
        rows = session.execute(
            select(table.c[column], table.c.id).where(table.c[column].in_(missing[i : i + 500]))
        )
        ids.update((value, row_id) for value, row_id in rows)
    return ids


def store_sources(session: Session, sources: Sequence[Imported], now: datetime) -> None:
    """Store parsed files with their cases, documents and utterances (caller commits).

    Core bulk inserts, a handful of statements for a whole batch of files: this is what keeps
    import near the driver's raw executemany rate.
    """
    if not sources:
        return
    case_ids = _case_ids(session, sources)
    after = _max_id(session, SOURCE_FILES)
    bulk_insert(
        session,
        SOURCE_FILES,
        {
            "path": [s.path for s in sources],
            "sha256": [s.sha256 for s in sources],
            "fmt": [s.fmt for s in sources],
            "imported_at": [now] * len(sources),
            "n_documents": [len(s.documents) for s in sources],
        },
    )
    file_ids = _ids_by(session, SOURCE_FILES, "sha256", [s.sha256 for s in sources], after)
    pairs = [(s, d) for s in sources for d in s.documents]
    if not pairs:
        return
    after = _max_id(session, DOCUMENTS)
    bulk_insert(
        session,
        DOCUMENTS,
        {
            "key": [d.key for _, d in pairs],
            "case_id": [case_ids[d.case_key] for _, d in pairs],
            "channel": [d.channel.value for _, d in pairs],
            "start": [d.start for _, d in pairs],
            "text": [d.text for _, d in pairs],
            "source": [d.source or s.path for s, d in pairs],
            "source_file_id": [file_ids[s.sha256] for s, _ in pairs],
            "attributes": [dict(d.attributes.items()) for _, d in pairs],  # items(): a C copy
        },
    )
    by_key = _ids_by(session, DOCUMENTS, "key", [d.key for _, d in pairs], after)
    doc_ids = [by_key[d.key] for _, d in pairs]
    documents = [d for s in sources for d in s.documents]
    # An Utterance's fields are UTTERANCE_COLUMNS after document_id, in order (checked when
    # this module is imported), so one C-level transpose gives the columns.
    utterances = list(chain.from_iterable(d.utterances for d in documents))
    if utterances:
        columns: dict[str, Sequence[Any]] = {
            "document_id": list(
                chain.from_iterable(
                    repeat(doc_id, len(d.utterances)) for d, doc_id in zip(documents, doc_ids, strict=True)
                )
            )
        }
        columns.update(zip(UTTERANCE_COLUMNS[1:], zip(*utterances, strict=True), strict=True))
        bulk_insert(session, UTTERANCES, columns)


class CaseSummary(NamedTuple):
    """One case as ``qcode cases`` lists it."""

    key: str
    attributes: dict[str, Any]
    chats: int
    """Number of chat documents."""
    emails: int
    """Number of e-mail documents."""


def list_cases(session: Session) -> list[CaseSummary]:
    """Every case, by key, with its document counts."""
    docs = (
        select(
            DocumentRow.case_id,
            func.sum(case((DocumentRow.channel == Channel.CHAT.value, 1), else_=0)).label("chats"),
            func.sum(case((DocumentRow.channel == Channel.EMAIL.value, 1), else_=0)).label(
                "emails"
            ),
        )
        .group_by(DocumentRow.case_id)
        .subquery()
    )
    rows = session.execute(
        select(CaseRow.key, CaseRow.attributes, docs.c.chats, docs.c.emails)
        .outerjoin(docs, docs.c.case_id == CaseRow.id)
        .order_by(CaseRow.key)
    ).all()
    return [CaseSummary(k, dict(a or {}), int(c or 0), int(e or 0)) for k, a, c, e in rows]


def document_keys(session: Session, case: str | None = None) -> list[str]:
    stmt = select(DocumentRow.key).order_by(DocumentRow.key)
    if case is not None:
        stmt = stmt.join(CaseRow, CaseRow.id == DocumentRow.case_id).where(CaseRow.key == case)
    return list(session.scalars(stmt))


def case_exists(session: Session, key: str) -> bool:
    return session.scalar(select(CaseRow.id).where(CaseRow.key == key)) is not None


def load_document(session: Session, key: str) -> Document | None:
    """Rebuild the domain Document (with utterances) from the store.

    Core selects, no ORM objects: a 5,000-turn chat loads in tens of milliseconds, which the
    workbench needs when it opens long documents.
    """
    row = session.execute(
        select(
            DocumentRow.id, DocumentRow.key, CaseRow.key, DocumentRow.channel, DocumentRow.text,
            DocumentRow.start, DocumentRow.source, DocumentRow.attributes,
        ).join(CaseRow, CaseRow.id == DocumentRow.case_id).where(DocumentRow.key == key)
    ).first()
    if row is None:
        return None
    doc_id, doc_key, case_key, channel, text, start, source, attrs = row
    cols = (
        UtteranceRow.idx, UtteranceRow.role, UtteranceRow.speaker, UtteranceRow.time,
        UtteranceRow.text, UtteranceRow.start, UtteranceRow.end, UtteranceRow.line,
        UtteranceRow.out_of_order, UtteranceRow.continued, UtteranceRow.quoted, UtteranceRow.subject,
    )
    utterances = tuple(
        Utterance(i, Role(role), spk, t, txt, s, e, ln, bool(ooo), bool(cont), q or "", subj or "")
        for i, role, spk, t, txt, s, e, ln, ooo, cont, q, subj in session.execute(
            select(*cols).where(UtteranceRow.document_id == doc_id).order_by(UtteranceRow.idx)
        )
    )
    return Document(doc_key, case_key, Channel(channel), text, utterances, start, source, dict(attrs or {}))


class TextSpan(NamedTuple):
    """Character offsets ``[start, end)`` into a document's text."""

    start: int
    end: int


def utterance_span(session: Session, document: str, first: int, last: int) -> TextSpan | None:
    """From the start of utterance ``first`` to the end of utterance ``last`` (0-based
    indexes), or None if either is missing."""
    spans = {
        idx: (start, end)
        for idx, start, end in session.execute(
            select(UtteranceRow.idx, UtteranceRow.start, UtteranceRow.end)
            .join(DocumentRow, DocumentRow.id == UtteranceRow.document_id)
            .where(DocumentRow.key == document, UtteranceRow.idx.in_([first, last]))
        )
    }
    if first not in spans or last not in spans:
        return None
    return TextSpan(spans[first][0], spans[last][1])


def text_length(session: Session, document_id: int) -> int:
    return int(session.scalar(select(func.length(DocumentRow.text)).where(DocumentRow.id == document_id)) or 0)


def load_case(session: Session, key: str) -> Case | None:
    row = session.scalars(select(CaseRow).where(CaseRow.key == key)).first()
    return Case(row.key, dict(row.attributes or {})) if row else None


def utterance_count(session: Session, document: str) -> int:
    """How many utterances document ``document`` has (0 if there is no such document)."""
    return session.scalar(
        select(func.count(UtteranceRow.id))
        .join(DocumentRow, DocumentRow.id == UtteranceRow.document_id)
        .where(DocumentRow.key == document)
    ) or 0


def document_id(session: Session, key: str) -> int | None:
    return session.scalar(select(DocumentRow.id).where(DocumentRow.key == key))


class CorpusCounts(TypedDict):
    """Row counts of the corpus tables (a dict: summaries and tests read it by table name)."""

    cases: int
    documents: int
    utterances: int
    source_files: int


def counts(session: Session) -> CorpusCounts:
    """Row counts of the corpus tables, for summaries and copy verification."""
    return {
        "cases": session.scalar(select(func.count()).select_from(CaseRow)) or 0,
        "documents": session.scalar(select(func.count()).select_from(DocumentRow)) or 0,
        "utterances": session.scalar(select(func.count()).select_from(UtteranceRow)) or 0,
        "source_files": session.scalar(select(func.count()).select_from(SourceFileRow)) or 0,
    }


class UtteranceLine(NamedTuple):
    """One utterance with its document's keys, as :func:`utterance_rows` reads them (the
    fields in the order of the utterances frame's columns, ``services.frames``)."""

    document: str
    case: str
    channel: str
    index: int  # type: ignore[assignment]  # shadows tuple.index, as Utterance.index does
    """0-based turn index within the document."""
    role: str
    speaker: str
    time: datetime | None
    text: str
    start: int
    """Character offsets of the utterance in its document's text."""
    end: int
    out_of_order: bool
    continued: bool


def utterance_rows(
    session: Session, documents: Sequence[str] | None = None
) -> list[UtteranceLine]:
    """Every utterance (of ``documents``, or of all), in document and printed order."""
    stmt = (
        select(
            DocumentRow.key,
            CaseRow.key,
            DocumentRow.channel,
            UtteranceRow.idx,
            UtteranceRow.role,
            UtteranceRow.speaker,
            UtteranceRow.time,
            UtteranceRow.text,
            UtteranceRow.start,
            UtteranceRow.end,
            UtteranceRow.out_of_order,
            UtteranceRow.continued,
        )
        .join(DocumentRow, DocumentRow.id == UtteranceRow.document_id)
        .join(CaseRow, CaseRow.id == DocumentRow.case_id)
        .order_by(DocumentRow.key, UtteranceRow.idx)
    )
    if documents is not None:
        stmt = stmt.where(DocumentRow.key.in_(list(documents)))
    # Core execution on the session's connection: the ORM's row loading adds nothing to a
    # plain column select and doubles the cost of reading a large project's utterances.
    # ``tuple.__new__`` builds each named row in C (UtteranceLine's own ``__new__`` is a Python
    # call per row, a third slower than the plain tuples it replaced on 140,000 utterances).
    return list(map(partial(tuple.__new__, UtteranceLine), session.connection().execute(stmt)))


class DocumentLine(NamedTuple):
    """One document with its case key, as :func:`document_rows` reads them."""

    document: str
    case: str
    channel: str
    start: datetime | None
    source: str
    """The file it was imported from."""
    text: str
    """The document's text (its ``source`` again when read ``with_text=False``)."""
    attributes: dict[str, Any] | None


def document_rows(
    session: Session, documents: Sequence[str] | None = None, with_text: bool = True
) -> list[DocumentLine]:
    """Every document (of ``documents``, or of all), by key."""
    text_col = DocumentRow.text if with_text else DocumentRow.source
    stmt = (
        select(
            DocumentRow.key,
            CaseRow.key,
            DocumentRow.channel,
            DocumentRow.start,
            DocumentRow.source,
            text_col,
            DocumentRow.attributes,
        )
        .join(CaseRow, CaseRow.id == DocumentRow.case_id)
        .order_by(DocumentRow.key)
    )
    if documents is not None:
        stmt = stmt.where(DocumentRow.key.in_(list(documents)))
    return list(starmap(DocumentLine, session.execute(stmt)))


class CaseAttributes(NamedTuple):
    key: str
    attributes: dict[str, Any]


def case_rows(session: Session) -> list[CaseAttributes]:
    """Every case's attributes, by case key."""
    return [
        CaseAttributes(k, dict(a or {}))
        for k, a in session.execute(select(CaseRow.key, CaseRow.attributes).order_by(CaseRow.key))
    ]
