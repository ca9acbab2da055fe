"""Team load: codings committed per second with 1, 4 and 8 coders at once on PostgreSQL.

Each coder is a separate process that opens the project like a real qcode session and calls
the coding service (``qcode.services.coding_service.add_coding``: resolve the code, find the utterance
span, insert the coding and its undo event, commit) in a loop on the same four shared
documents. Every call is one committed transaction, so the count is acknowledged writes.
Processes start together (after imports) and run for the same number of seconds.

Usage:
    source scripts/pg_test_server.sh && pg_test_server_start
    .venv/bin/python benchmarks/team_load.py [SECONDS]       (default 10 per run)

Needs QCODE_TEST_PG_URL (an admin URL; a throw-away database is created and dropped) or
QCODE_BENCH_PG_URL (an existing empty database, left as it is).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from multiprocessing.synchronize import Event
from pathlib import Path

from qcode.services.project import init_project, now, open_project
from qcode.storage import corpus
from qcode.storage.corpus import NewSource
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance

DOCUMENTS = [f"c{n}/chat" for n in range(4)]
CODES = ["open_vraag", "gesloten_vraag", "verificatie_interpretatie", "feedback"]
TURNS = 20


def _document(key: str) -> Document:
    parts: list[str] = []
    utterances: list[Utterance] = []
    position = 0
    for index in range(TURNS):
        role = Role.COUNSELLOR if index % 2 == 0 else Role.CLIENT
        prefix = f"{role.value} (19:{index:02d}): "
        text = f"bericht {index} in {key}"
        start = position + len(prefix)
        stamp = datetime(2014, 11, 3, 19, index)
        utterances.append(Utterance(index, role, role.value, stamp, text, start, start + len(text)))
        parts.append(prefix + text + "\n")
        position += len(parts[-1])
    return Document(key, key.split("/")[0], Channel.CHAT, "".join(parts), tuple(utterances))


def _setup(folder: Path, url: str) -> None:
    project = init_project(folder, database=url)
    docs = [_document(key) for key in DOCUMENTS]
    sources = [
        NewSource(f"{d.key}.txt", f"{n:064d}", "chat", [Case(d.case_key)], [d])
        for n, d in enumerate(docs)
    ]
    with project.session() as session:
        corpus.store_sources(session, sources, now())
    project.close()


def _coder(folder: str, name: str, seconds: float, ready: Event, go: Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from qcode.services import codings as coding_service
    from qcode.services import team as team_service

    project = open_project(Path(folder), migrate=False)
    team_service.add_coder(project, name)
    ready.set()
    go.wait()
    done = 0
    n = 0
    until = time.perf_counter() + seconds
    while time.perf_counter() < until:
        n += 1
        coding_service.add_coding(
            project, DOCUMENTS[n % len(DOCUMENTS)], CODES[n % len(CODES)], name, utterance=n % TURNS
        )
        done += 1
    out.put(done)
    project.close()


def run(folder: Path, coders: int, seconds: float) -> float:
    """Codings committed per second by ``coders`` concurrent processes."""
    ctx = mp.get_context("spawn")
    go = ctx.Event()
    out: mp.Queue = ctx.Queue()  # type: ignore[type-arg]
    readies = [ctx.Event() for _ in range(coders)]
    procs = [
        ctx.Process(target=_coder, args=(str(folder), f"bench{coders}_{i}", seconds, readies[i], go, out))
        for i in range(coders)
    ]
    for proc in procs:
        proc.start()
    for ready in readies:
        ready.wait(300)
    go.set()
    total = sum(out.get(timeout=seconds + 300) for _ in procs)
    for proc in procs:
        proc.join()
    return total / seconds


@contextmanager
def _database() -> Iterator[str]:
    fixed = os.environ.get("QCODE_BENCH_PG_URL", "")
    if fixed:
        yield fixed
        return
    admin = os.environ.get("QCODE_TEST_PG_URL", "")
    if not admin:
        sys.exit("Set QCODE_TEST_PG_URL or QCODE_BENCH_PG_URL (see the module docstring).")
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"qcode_bench_{uuid.uuid4().hex[:10]}"
    base = make_url(admin)
    conninfo = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10.0
    print(f"CPUs: {os.cpu_count()}; {seconds:g} s per run; one commit per coding")
    print("| coders | codings committed/s | per coder/s |")
    print("|---:|---:|---:|")
    with _database() as url, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "project"
        _setup(folder, url)
        for coders in (1, 4, 8):
            rate = run(folder, coders, seconds)
            print(f"| {coders} | {rate:,.0f} | {rate / coders:,.0f} |", flush=True)


if __name__ == "__main__":
    main()
