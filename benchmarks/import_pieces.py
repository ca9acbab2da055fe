"""What each speed-up of the import is worth, in one process: the import with one piece
turned off at a time, against the import with all of them.

Every piece the import keeps for speed must pay for itself (issue 13). For each piece this
script replaces it with the plain way of doing the same thing (same result, checked by the
import's own assertions below) and times whole imports of N generated chats into fresh
SQLite projects. The variants take turns within each round, so they meet the same machine
state (each round starts at another variant, after one untimed warm-up import); each
variant's best and median round are printed, and its cost against "all on" from the best
rounds (as ``timeit`` advises: the slower rounds measure the machine's other work).

Times are this process's CPU time (``time.process_time``), not wall-clock time: on a machine
shared with other jobs, wall-clock differences of a few per cent drown in the waiting for a
CPU, while the CPU time an import needs changes much less with the load.

Usage: .venv/bin/python benchmarks/import_pieces.py [N_CHATS] [--rounds R] (defaults 2,000, 5)
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, insert, select
from sqlalchemy.orm import Session

from qcode.services import corpus as corpus_service
from qcode.services.corpus import import_paths
from qcode.services.project import init_project
from qcode.storage import corpus
from qcode.transcripts import chat, parsing, privacy, registry, storable
from qcode.transcripts.model import Document, FrozenMap, check_offsets
from qcode.transcripts.privacy import Finding
from qcode.transcripts.synthetic import write_corpus


def _plain_driver_values(values: Sequence[Any], type_: Any, dialect: Any) -> Sequence[Any]:
    """SQLAlchemy's own bind processor for every value (what driver_values speeds up)."""
    process = type_.dialect_impl(dialect).bind_processor(dialect)
    return values if process is None else [process(v) for v in values]


class _UncachedDays:
    def __getitem__(self, day: date) -> str:
        return day.isoformat() + " "


class _UncachedClocks:
    def __getitem__(self, moment: clock) -> str:
        return moment.isoformat("microseconds")


def _core_bulk_insert(session: Session, table: Table, columns: Mapping[str, Sequence[Any]]) -> None:
    """SQLAlchemy Core's executemany with a dict per row (what bulk_insert replaces)."""
    names = list(columns)
    if not names or not columns[names[0]]:
        return
    rows = [dict(zip(names, row, strict=True)) for row in zip(*columns.values(), strict=True)]
    session.execute(insert(table), rows)


def _ids_by_value(
    session: Session, table: Table, column: str, values: Sequence[str], after: int
) -> dict[str, int]:
    """Ids looked up by IN lists of keys (what the range query replaces)."""
    ids: dict[str, int] = {}
    for i in range(0, len(values), 500):
        rows = session.execute(
            select(table.c[column], table.c.id).where(table.c[column].in_(values[i : i + 500]))
        )
        ids.update((value, row_id) for value, row_id in rows)
    return ids


def _chat_checked_again(source: Any, text: str, roles: Any) -> Any:
    """The chat reader with its spans checked again (what read_source did before session 7)."""
    result = chat.read_chat(source, text, roles)
    for document in result.documents:
        check_offsets(document)
    return result


def _strings_checked_again(result: Any, path: Any, verbatim: bool = False, sliced: bool = False) -> Any:
    """Every utterance string checked for characters no store holds, chats too."""
    return storable.clean_result(result, path, verbatim)


def _ints_by_int(values: Sequence[Any], has_none: bool) -> list[Any]:
    return [None if v is None else int(v) for v in values]


def _plain_strs_one_by_one(values: Sequence[Any], kinds: set[type], has_none: bool) -> list[Any]:
    return [None if v is None else str.__str__(v) for v in values]


def _scan_each_utterance(document: Document) -> list[Finding]:
    """Every utterance scanned on its own (what the joined search for a candidate replaces)."""
    findings: list[Finding] = []
    for u in document.utterances:
        privacy._scan_part(u.text, u.line, True, findings)
    return sorted(set(findings), key=lambda f: (f.line, f.kind, f.excerpt))


VARIANTS: dict[str, Callable[[pytest.MonkeyPatch], object]] = {
    "all on": lambda mp: None,
    "no gc pause": lambda mp: mp.setattr(corpus_service, "gc_paused", contextlib.nullcontext),
    "driver_values off (SQLAlchemy's processors)": lambda mp: mp.setattr(
        corpus, "driver_values", _plain_driver_values
    ),
    "datetime text caches off": lambda mp: (
        mp.setattr(corpus, "_DAYS", _UncachedDays()), mp.setattr(corpus, "_CLOCKS", _UncachedClocks())
    ),
    "bulk_insert off (Core executemany of dicts)": lambda mp: mp.setattr(
        corpus, "bulk_insert", _core_bulk_insert
    ),
    "new ids by IN lists": lambda mp: mp.setattr(corpus, "_ids_by", _ids_by_value),
    "privacy: each utterance on its own": lambda mp: mp.setattr(
        parsing, "scan_document", _scan_each_utterance
    ),
    "privacy: no pre-checks at all": lambda mp: (
        mp.setattr(parsing, "scan_document", _scan_each_utterance),
        mp.setattr(privacy, "possible_kinds", lambda text: frozenset(privacy._MIN_DIGITS) | {"email"}),
    ),
    "chat: Utterance() instead of tuple.__new__": lambda mp: mp.setattr(
        chat, "_new_utterance", lambda kind, fields: kind(*fields)
    ),
    # session 7
    "chat spans checked again (check_offsets)": lambda mp: mp.setattr(
        registry, "read_chat", _chat_checked_again
    ),
    "chat strings checked again (clean_result)": lambda mp: mp.setattr(
        registry, "clean_result", _strings_checked_again
    ),
    "driver_values: int() per bool": lambda mp: mp.setattr(corpus, "_ints", _ints_by_int),
    "driver_values: str.__str__ per enum member": lambda mp: mp.setattr(
        corpus, "_plain_strs", _plain_strs_one_by_one
    ),
    "driver_values: type scan of text columns": lambda mp: mp.setattr(
        corpus, "String", type("NotAString", (), {})
    ),
    "FrozenMap views by the Mapping mixins": lambda mp: [
        mp.setattr(FrozenMap, name, getattr(Mapping, name))
        for name in ("keys", "values", "items", "get", "__contains__")
    ],
}


@contextlib.contextmanager
def _variant(name: str) -> Iterator[None]:
    patch = pytest.MonkeyPatch()
    try:
        VARIANTS[name](patch)
        yield
    finally:
        patch.undo()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n_chats", nargs="?", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_corpus(folder / "corpus", args.n_chats, seed=1)
        warm = init_project(folder / "warm-up")  # first-use costs (imports, SQL compiling)
        import_paths(warm, [folder / "corpus"])
        warm.close()
        utterances = 0
        names = list(VARIANTS)
        for round_ in range(args.rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for n, name in enumerate(order):
                project = init_project(folder / f"project-{round_}-{n}")
                with _variant(name):
                    started = time.process_time()
                    summary = import_paths(project, [folder / "corpus"])
                    times[name].append(time.process_time() - started)
                project.close()
                assert not summary.errors, summary.errors[:3]
                assert utterances in (0, summary.utterances)
                utterances = summary.utterances
    base = min(times["all on"])
    print(f"{args.n_chats} chats, {utterances} utterances, {args.rounds} rounds (CPU time; "
          "the cost against 'all on' compares the best rounds)")
    for name, seconds in times.items():
        best = min(seconds)
        cost = (best - base) / utterances * 1e6
        print(f"{name:46s} best {best:5.2f} s, median {statistics.median(seconds):5.2f} s  "
              f"{utterances / best:8,.0f} utt/s  {best / base - 1:+6.1%}  {cost:+.2f} µs/utt")


if __name__ == "__main__":
    main()
