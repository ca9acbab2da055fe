"""Copy a whole project store to another database, table by table, and prove the copy exact.

Used to move a project from SQLite to PostgreSQL (a team starts sharing it) and back (an
archive, or a coder working offline). The copy keeps every primary key, so codings, events,
memos and suggestion decisions keep pointing at the same rows and ids quoted in memos or
exports stay valid. Afterwards every table is compared by row count and by a SHA-256 over its
rows in primary-key order, with values normalised so SQLite and PostgreSQL agree.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, Table, func, inspect, select, text

from qcode.errors import StorageError
from qcode.storage.engine import redact
from qcode.storage.migrate import current_revision, head_revision, upgrade
from qcode.storage.schema import Base

BATCH_ROWS = 2000
"""Rows read and inserted per round trip: large enough for speed, small enough for memory."""


@dataclass(frozen=True, slots=True)
class TableCheck:
    """Row count and checksum of one table in the source and in the copy."""

    table: str
    source_rows: int
    target_rows: int
    source_sha256: str
    target_sha256: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sha256 == self.target_sha256


def tables() -> list[Table]:
    """Every project table, parents before children (the order inserts must follow)."""
    return list(Base.metadata.sorted_tables)


def _normalise(value: Any) -> Any:
    """One JSON-able form per value, whichever backend produced it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()  # the packed search index (LargeBinary)
    return value


def _row_line(row: Sequence[Any]) -> bytes:
    # JSON columns come back as dicts/lists: sort_keys makes their text canonical.
    line = json.dumps([_normalise(v) for v in row], sort_keys=True, ensure_ascii=False)
    return line.encode("utf-8") + b"\n"


def _ordered(table: Table) -> Any:
    return select(table).order_by(*table.primary_key.columns)


class TableDigest(NamedTuple):
    rows: int
    sha256: str
    """SHA-256 over the normalised rows in primary-key order."""


def table_digest(conn: Connection, table: Table) -> TableDigest:
    """Row count and checksum of ``table``: equal digests mean equal contents."""
    digest = hashlib.sha256()
    count = 0
    result = conn.execution_options(yield_per=BATCH_ROWS).execute(_ordered(table))
    for row in result:
        digest.update(_row_line(tuple(row)))
        count += 1
    return TableDigest(count, digest.hexdigest())


def digests(conn: Connection) -> dict[str, TableDigest]:
    """Count and checksum of every project table, read through ``conn`` (one snapshot)."""
    return {table.name: table_digest(conn, table) for table in tables()}


def _batches(conn: Connection, table: Table) -> Iterable[list[dict[str, Any]]]:
    result = conn.execution_options(yield_per=BATCH_ROWS).execute(_ordered(table))
    for part in result.partitions(BATCH_ROWS):
        yield [dict(row._mapping) for row in part]


def check_empty_target(engine: Engine) -> None:
    """Refuse a target that holds anything: a copy must never merge into other data."""
    url = redact(engine.url.render_as_string(hide_password=False))
    ours = {table.name for table in tables()} | {"alembic_version"}
    with engine.connect() as conn:
        names = set(inspect(conn).get_table_names())
        foreign = sorted(names - ours)
        if foreign:
            raise StorageError(
                f"The target database {url} is not empty (it holds tables "
                f"{', '.join(foreign[:5])}); copy into a new, empty database."
            )
        for table in tables():
            if table.name in names and conn.scalar(select(func.count()).select_from(table)):
                raise StorageError(
                    f"The target database {url} already holds project data (table "
                    f"{table.name}); copy into a new, empty database."
                )


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: move each id sequence past the copied ids (inserts with ids do not)."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's INTEGER PRIMARY KEY continues from max(rowid) by itself
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f'COALESCE(MAX("{column.name}"), 1), MAX("{column.name}") IS NOT NULL) '
                f'FROM "{table.name}"'
            ),
            {"table": table.name, "column": column.name},
        )


def _source_connection(engine: Engine) -> Connection:
    """A connection whose reads all come from one snapshot while coders keep working."""
    conn = engine.connect()
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    return conn


def copy_store(source: Engine, target: Engine) -> list[TableCheck]:
    """Copy every table of ``source`` into the empty ``target`` and verify it.

    The target is migrated to the head revision first (the source must be at head too, so
    both have the same tables). Rows are inserted and verified in one target transaction:
    if any table's count or checksum differs, nothing is committed and StorageError says
    which table. Returns the per-table checks of a verified copy.
    """
    head = head_revision(source)
    if current_revision(source) != head:
        raise StorageError("The project database needs a migration first: run qcode migrate.")
    check_empty_target(target)
    upgrade(target)
    with _source_connection(source) as src, src.begin(), target.begin() as dst:
        for table in tables():
            for rows in _batches(src, table):
                dst.execute(table.insert(), rows)
        _reset_sequences(dst)
        checks = _compare(digests(src), digests(dst))
        bad = [c for c in checks if not c.ok]
        if bad:
            details = "; ".join(
                f"{c.table}: {c.source_rows} rows -> {c.target_rows}" for c in bad
            )
            # Raising inside the block rolls the target back: no half copy stays behind.
            raise StorageError(f"The copy does not match its source ({details}); nothing kept.")
    return checks


def compare_stores(source: Engine, target: Engine) -> list[TableCheck]:
    """Per-table counts and checksums of two stores (e.g. after a copy, or a round trip)."""
    with _source_connection(source) as src, src.begin():
        first = digests(src)
    with _source_connection(target) as dst, dst.begin():
        second = digests(dst)
    return _compare(first, second)


def _compare(
    first: dict[str, TableDigest], second: dict[str, TableDigest]
) -> list[TableCheck]:
    return [
        TableCheck(name, first[name].rows, second[name].rows, first[name].sha256, second[name].sha256)
        for name in first
    ]
