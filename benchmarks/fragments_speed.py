"""Fragments by code on a project with 50,000 codings (issue 16 item 1: "fast on a large project").

Builds 500 chats of 100 turns (50,000 utterances) and codes every turn once with one of ten
codes (50,000 codings, 5,000 per code, spread over every document), then times
``services.fragments.code_fragments`` for one code: unfiltered, by coder, by case attribute.
Baseline in the same process: ``services.codings.list_codings`` for the same code (the codings
frame alone, which the fragments add turns, speakers and times to). Run:
``.venv/bin/python benchmarks/fragments_speed.py``.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qcode.coding.model import Coding, Origin
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.fragments import code_fragments, parse_filter
from qcode.services.project import Project, init_project, now
from qcode.storage import codings as coding_store
from qcode.transcripts.model import Case
from tests.factories import make_document, store

DOCUMENTS = 500
TURNS = 100
CODES = [
    "open_vraag", "gesloten_vraag", "feedback", "onderwerp", "verificatie_interpretatie",
    "zelfredzaamheid", "intake", "probleemanalyse", "strategiebepaling", "doelformulering",
]
RUNS = 5


def build(folder: Path) -> Project:
    project = init_project(folder)
    cases = tuple(Case(key=f"casus-{d:03d}", attributes={"regio": "Parkstad" if d % 2 else "Heuvelland"}) for d in range(DOCUMENTS))
    docs = [
        make_document(
            f"casus-{d:03d}/chat", f"casus-{d:03d}",
            [("counsellor" if i % 2 else "client", f"{10 + i // 60:02d}:{i % 60:02d}", f"Bericht {i} van gesprek {d}: hoe gaat het?")
             for i in range(TURNS)],
        )
        for d in range(DOCUMENTS)
    ]
    store(project, *docs, cases=cases)
    for coder in ("anna", "bram"):
        team_service.add_coder(project, coder)
    for coder, part in (("anna", 0), ("bram", 1)):
        codings = [
            Coding(document=doc.key, start=u.start, end=u.end, code=CODES[(u.index + d) % len(CODES)], coder=coder, origin=Origin.MANUAL)
            for d, doc in enumerate(docs) for u in doc.utterances if u.index % 2 == part
        ]
        with project.session() as session:
            coding_store.add_codings(session, codings, now())
    return project


def _median(call: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(RUNS):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, result


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = build(Path(tmp) / "bench")
        try:
            total = len(coding_service.list_codings(project))
            base, frame = _median(lambda: coding_service.list_codings(project, codes=["open_vraag"]))
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"machine: {os.cpu_count()} CPUs, load average {load}; {total} codings, {DOCUMENTS} documents; medians of {RUNS}")
            print(f"baseline list_codings(open_vraag): {base:7.1f} ms ({len(frame)} codings)")  # type: ignore[arg-type]
            for label, text in (("all", ""), ("coder=anna", "coder=anna"), ("regio=Parkstad", "regio=Parkstad")):
                ms, found = _median(lambda text=text: code_fragments(project, "Open vraag", parse_filter(text)))  # type: ignore[misc]
                n = len(found.fragments)  # type: ignore[attr-defined]
                print(f"fragments of Open vraag, {label:<15} {ms:7.1f} ms ({n} fragments); ratio to baseline {ms / base:.2f}")
        finally:
            project.close()


if __name__ == "__main__":
    main()
