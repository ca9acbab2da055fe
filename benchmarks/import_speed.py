"""Import speed: N generated chats into a SQLite project, against a raw executemany baseline.

Prints utterances per second for ``qcode``'s import service (planning, hashing, the
idempotency check, decoding, sniffing, parsing, the privacy check, storing cases, documents
and utterances) and for a plain ``sqlite3`` ``executemany`` of the same utterance rows into a
table of the same shape, and their ratio. Targets (issue 2): >= 50,000 utterances/s and
>= 0.3 of the raw insert rate.

Each round imports into a fresh project and then runs the raw insert into a fresh database,
so both meet the same machine state; the ratio is taken per round (from wall-clock time; the
same ratio in this process's CPU time is printed beside it, as a check on a machine busy with
other jobs). With several rounds
(default 5) the medians are reported as the result, because on a shared machine single
runs vary by a fifth or more.

The import runs as a user's does, in one process (reading, parsing and storing in turn), like
the raw baseline.

Usage: .venv/bin/python benchmarks/import_speed.py [N_CHATS] [--rounds R]
(defaults 10,000 and 5)
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from qcode.services.corpus import import_paths, role_map
from qcode.services.project import init_project
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.registry import read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import plan_sources
from qcode.transcripts.synthetic import write_corpus


def baseline_rows(corpus: Path, roles: RoleMap) -> list[tuple[Any, ...]]:
    """The utterance rows of the corpus, parsed beforehand (not timed)."""
    rows: list[tuple[Any, ...]] = []
    for source in plan_sources([corpus]):
        result = read_source(source, decode_bytes(source.path.read_bytes(), source.path), roles)
        for doc_id, doc in enumerate(result.documents):
            rows.extend(
                (doc_id, u.index, u.role.value, u.speaker, u.time, u.text, u.start, u.end, u.line,
                 0, 0, "", "")
                for u in doc.utterances
            )
    return rows


def raw_insert(database: Path, rows: list[tuple[Any, ...]]) -> tuple[float, float]:
    """Seconds (wall clock, CPU) for a bare executemany of ``rows`` (times formatted in the
    timed part)."""
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE utterances (id INTEGER PRIMARY KEY, document_id INT, idx INT, role TEXT, "
        "speaker TEXT, time TIMESTAMP, text TEXT, start INT, \"end\" INT, line INT, "
        "out_of_order BOOL, continued BOOL, quoted TEXT, subject TEXT)"
    )
    started = time.perf_counter()
    cpu = time.process_time()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO utterances (document_id, idx, role, speaker, time, text, start, \"end\", line, "
        "out_of_order, continued, quoted, subject) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(r[0], r[1], r[2], r[3], r[4].isoformat(" ") if r[4] else None, *r[5:]) for r in rows],
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started, time.process_time() - cpu
    conn.close()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n_chats", nargs="?", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        started = time.perf_counter()
        write_corpus(corpus, args.n_chats, seed=1)
        print(f"generated {args.n_chats} chats in {time.perf_counter() - started:.1f} s")
        rows: list[tuple[Any, ...]] = []
        rates: list[float] = []
        raw_rates: list[float] = []
        cpu_ratios: list[float] = []
        for round_ in range(1, args.rounds + 1):
            project = init_project(folder / f"project-{round_}")
            if not rows:
                rows = baseline_rows(corpus, role_map(project))
            started, cpu = time.perf_counter(), time.process_time()
            summary = import_paths(project, [corpus])
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            project.close()
            assert not summary.errors, summary.errors[:3]
            assert summary.utterances == len(rows), (summary.utterances, len(rows))
            raw_elapsed, raw_cpu = raw_insert(folder / f"raw-{round_}.sqlite3", rows)
            rates.append(summary.utterances / elapsed)
            raw_rates.append(len(rows) / raw_elapsed)
            cpu_ratios.append(raw_cpu / cpu)
            print(
                f"round {round_}: qcode import {summary.documents} documents, "
                f"{summary.utterances} utterances in {elapsed:.2f} s = {rates[-1]:,.0f} utterances/s; "
                f"raw executemany {raw_rates[-1]:,.0f} rows/s; ratio {rates[-1] / raw_rates[-1]:.3f} "
                f"(CPU time: {cpu_ratios[-1]:.3f})"
            )
        ratios = [q / r for q, r in zip(rates, raw_rates, strict=True)]
        print(f"median qcode import: {statistics.median(rates):,.0f} utterances/s")
        print(f"median raw executemany: {statistics.median(raw_rates):,.0f} rows/s")
        print(f"median ratio qcode / raw insert: {statistics.median(ratios):.3f}")
        print(f"median ratio in CPU time: {statistics.median(cpu_ratios):.3f}")


if __name__ == "__main__":
    main()
