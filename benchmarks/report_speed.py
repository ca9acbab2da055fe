"""Speed of ``qcode report`` on a large coded project (target: 10,000 conversations in < 60 s).

Run: ``.venv/bin/python benchmarks/report_speed.py [--chats 10000] [--bootstrap 1000]``.

Builds a project (SQLite, in a temporary folder) from synthetic chats
(``qcode.transcripts.synthetic``), imports them, and stores codings in bulk (set-up, not
timed): anna codes every chat (three phases, the counsellor's questions, a compliment rule),
bram codes one chat in twenty the same way (5 % double-coded) but misses every fourth
question, the consensus holds their agreed codings there, and the machine's Leestekens mark every '?' and '!'. Then it times
``write_report`` (the command's whole work: one read of the store, every section, 20 charts,
three files) and, in the same process as a baseline, the separate commands whose figures the
report contains (``stats --table shares``, ``metrics --all``; with ``--agreement`` also
``agreement --coders anna,bram``), and prints the ratio. The report's agreement section
works on the double-coded conversations only, so its cost grows with those, not with the
project.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from qcode.services.analysis import project_agreement, stats
from qcode.services.corpus import import_paths
from qcode.services.metrics import metrics_table
from qcode.services.project import Project, init_project
from qcode.services.report import ReportOptions, write_report
from qcode.storage.codings import ensure_coder
from qcode.storage.schema import CodeRow, CodingRow, DocumentRow
from qcode.transcripts.synthetic import write_corpus

WH = ("wat", "hoe", "waarom", "wanneer", "waar", "wie", "welke", "vertel")


def _codings_for(utterances: list[dict[str, Any]], careless: bool) -> list[tuple[str, int, int]]:
    """(code key, start, end) by the rules of the module docstring, for one chat."""
    spoken = [u for u in utterances if u["role"] != "system"]
    found: list[tuple[str, int, int]] = []
    if len(spoken) >= 6:
        third = max(1, len(spoken) // 3)
        found += [
            ("intake", spoken[0]["start"], spoken[2]["end"]),
            ("probleemanalyse", spoken[3]["start"], spoken[3 + third - 1]["end"]),
            ("afsluiting", spoken[-2]["start"], spoken[-1]["end"]),
        ]
    questions = 0
    for u in spoken:
        text = u["text"].strip().lower()
        if u["role"] == "counsellor" and text.endswith("?"):
            questions += 1
            if not (careless and questions % 4 == 0):
                found.append(("open_vraag" if text.startswith(WH) else "gesloten_vraag", u["start"], u["end"]))
        if "goed" in text.split() or "knap" in text.split():
            found.append(("compliment_woorden", u["start"], u["end"]))
    return found


def code_in_bulk(project: Project, double_every: int = 20) -> int:
    """Store the codings of the module docstring with one INSERT per batch; returns the count."""
    from qcode.services.frames import utterances_frame

    now = datetime.now()
    with project.session() as session:
        utts = utterances_frame(session)
        documents = {str(k): int(i) for k, i in session.execute(select(DocumentRow.key, DocumentRow.id)).all()}
        codes = {str(k): int(i) for k, i in session.execute(select(CodeRow.key, CodeRow.id)).all()}
        people = {name: ensure_coder(session, name, now) for name in ("anna", "bram")}
        consensus = ensure_coder(session, "consensus", now, kind="consensus")
        auto = ensure_coder(session, "auto", now, kind="auto")
        rows: list[dict[str, Any]] = []

        def add(document: str, coder: int, code: str, start: int, end: int, origin: str) -> None:
            rows.append({
                "document_id": documents[document], "code_id": codes[code], "coder_id": coder,
                "start": start, "end": end, "origin": origin, "detail": "",
                "created": now, "version": 1,
            })

        for number, (document, group) in enumerate(utts.groupby("document", sort=True)):
            records = group.sort_values("index").to_dict("records")
            mine = _codings_for(records, careless=False)
            for code, start, end in mine:
                add(str(document), people["anna"], code, start, end, "manual")
            if number % double_every == 0:
                theirs = _codings_for(records, careless=True)
                for code, start, end in theirs:
                    add(str(document), people["bram"], code, start, end, "manual")
                for code, start, end in set(mine) & set(theirs):
                    add(str(document), consensus, code, start, end, "consensus")
            for u in records:
                if "?" in u["text"] or "!" in u["text"]:
                    add(str(document), auto, "leestekens", u["start"], u["end"], "automatic")
        for first in range(0, len(rows), 50_000):
            session.execute(insert(CodingRow), rows[first : first + 50_000])
        return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--agreement", action="store_true", help="also time qcode agreement (minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        write_corpus(folder / "corpus", args.chats, seed=1)
        project = init_project(folder / "project")
        result = import_paths(project, [folder / "corpus"])
        assert not result.errors, result.errors[:3]
        n_codings = code_in_bulk(project)
        print(f"set-up: {args.chats:,} chats imported, {n_codings:,} codings stored in {time.perf_counter() - started:.1f} s")

        started, cpu_started = time.perf_counter(), time.process_time()
        files = write_report(project, folder / "report", ReportOptions(coder="anna", bootstrap=args.bootstrap))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in (files.html, files.xlsx, files.json))
        print(f"report: {elapsed:.1f} s for {args.chats:,} conversations ({sizes})")
        # CPU time: the figure a quiet machine's wall time approaches (on a shared machine the
        # wall time includes the waits for a core)
        print(f"report CPU time: {cpu:.1f} s")

        started = time.perf_counter()
        stats(project, "shares", by="channel")
        metrics_table(project)
        baseline = time.perf_counter() - started
        print(f"baseline (stats --table shares + metrics --all): {baseline:.1f} s")
        if args.agreement:
            started = time.perf_counter()
            project_agreement(project, ["anna", "bram"], bootstrap=args.bootstrap)
            print(f"qcode agreement --coders anna,bram (every conversation anna coded): {time.perf_counter() - started:.1f} s")
        print(f"ratio report / baseline: {elapsed / baseline:.2f}")
        print(f"target < 60 s: {'met' if elapsed < 60 else 'NOT met'}")
        project.close()


if __name__ == "__main__":
    main()
