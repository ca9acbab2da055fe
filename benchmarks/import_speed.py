"""Import speed: N generated chats into a SQLite project, against a raw executemany baseline.

Prints utterances per second for ``qcode``'s import service (sniffing, decoding, privacy check,
parsing, idempotency check, storing cases/documents/utterances) and for a plain ``sqlite3``
``executemany`` of the same utterance rows into a table of the same shape, in the same run, and
their ratio. Targets (issue 2): >= 50,000 utterances/s and >= 0.3 of the raw insert rate.

Usage: .venv/bin/python benchmarks/import_speed.py [N_CHATS]   (default 10,000)
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from qcode.services.importing import import_paths, role_map
from qcode.services.project import init_project
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.registry import read_source
from qcode.transcripts.sources import plan_sources
from qcode.transcripts.synthetic import write_corpus


def raw_baseline(folder: Path, corpus: Path, project_roles: object) -> tuple[int, float]:
    """Parse first (not timed), then time a bare executemany of the utterance rows."""
    rows = []
    for source in plan_sources([corpus]):
        result = read_source(source, decode_bytes(source.path.read_bytes(), source.path), project_roles)  # type: ignore[arg-type]
        for doc_id, doc in enumerate(result.documents):
            rows.extend(
                (doc_id, u.index, u.role.value, u.speaker, u.time, u.text, u.start, u.end, u.line, 0, 0, "", "")
                for u in doc.utterances
            )
    conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE utterances (id INTEGER PRIMARY KEY, document_id INT, idx INT, role TEXT, "
        "speaker TEXT, time TIMESTAMP, text TEXT, start INT, \"end\" INT, line INT, "
        "out_of_order BOOL, continued BOOL, quoted TEXT, subject TEXT)"
    )
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO utterances (document_id, idx, role, speaker, time, text, start, \"end\", line, "
        "out_of_order, continued, quoted, subject) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(r[0], r[1], r[2], r[3], r[4].isoformat(" ") if r[4] else None, *r[5:]) for r in rows],
    )
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return len(rows), elapsed


def main() -> None:
    n_chats = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "corpus"
        started = time.perf_counter()
        write_corpus(corpus, n_chats, seed=1)
        print(f"generated {n_chats} chats in {time.perf_counter() - started:.1f} s")
        project = init_project(folder / "project")
        started = time.perf_counter()
        summary = import_paths(project, [corpus])
        elapsed = time.perf_counter() - started
        assert not summary.errors, summary.errors[:3]
        qcode_rate = summary.utterances / elapsed
        print(
            f"qcode import: {summary.documents} documents, {summary.utterances} utterances "
            f"in {elapsed:.2f} s = {qcode_rate:,.0f} utterances/s"
        )
        n_rows, raw_elapsed = raw_baseline(folder, corpus, role_map(project))
        raw_rate = n_rows / raw_elapsed
        print(f"raw executemany: {n_rows} rows in {raw_elapsed:.2f} s = {raw_rate:,.0f} rows/s")
        print(f"ratio qcode / raw insert: {qcode_rate / raw_rate:.3f}")
        project.close()


if __name__ == "__main__":
    main()
