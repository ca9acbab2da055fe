"""What storage's named rows cost: ``corpus.utterance_rows`` against plain tuples.

Run: ``.venv/bin/python benchmarks/named_rows_speed.py [--chats 2000] [--rounds 10]``.

Imports synthetic chats (``qcode.transcripts.synthetic``) into a SQLite project in a temporary
folder (set-up, not timed), then times, in the same process and in shuffled order, reading
every utterance with ``corpus.utterance_rows`` (named ``UtteranceLine`` rows) and with the
same query turned into plain tuples (what the function returned before). The cycle collector
is paused while timing, as it is while the report reads its frames. Prints the best time of
each and their ratio.
"""

from __future__ import annotations

import argparse
import gc
import random
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from qcode.services.corpus import import_paths
from qcode.services.project import init_project
from qcode.storage import corpus
from qcode.storage.schema import CaseRow, DocumentRow, UtteranceRow
from qcode.transcripts.synthetic import write_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        chats = Path(folder) / "chats"
        write_corpus(chats, args.chats)
        project = init_project(Path(folder) / "project")
        import_paths(project, [chats])
        stmt = (
            select(
                DocumentRow.key, CaseRow.key, DocumentRow.channel, UtteranceRow.idx, UtteranceRow.role,
                UtteranceRow.speaker, UtteranceRow.time, UtteranceRow.text, UtteranceRow.start,
                UtteranceRow.end, UtteranceRow.out_of_order, UtteranceRow.continued,
            )
            .join(DocumentRow, DocumentRow.id == UtteranceRow.document_id)
            .join(CaseRow, CaseRow.id == DocumentRow.case_id)
            .order_by(DocumentRow.key, UtteranceRow.idx)
        )
        with project.session() as session:
            connection = session.connection()
            ways: dict[str, Callable[[], list[Any]]] = {
                "plain tuples (baseline)": lambda: [tuple(r) for r in connection.execute(stmt)],
                "utterance_rows (named)": lambda: list(corpus.utterance_rows(session)),
            }
            best = dict.fromkeys(ways, float("inf"))
            rows = 0
            for _ in range(args.rounds):
                order = list(ways)
                random.shuffle(order)
                for name in order:
                    gc.collect()
                    gc.disable()
                    started = time.perf_counter()
                    rows = len(ways[name]())
                    best[name] = min(best[name], time.perf_counter() - started)
                    gc.enable()
        project.close()
    print(f"{args.chats} chats, {rows} utterances, best of {args.rounds} rounds")
    for name, seconds in best.items():
        print(f"  {name}: {seconds:.3f} s")
    baseline, named = best["plain tuples (baseline)"], best["utterance_rows (named)"]
    print(f"  ratio named / plain: {named / baseline:.2f} ({(named - baseline) * 1e6 / rows:.2f} µs per row)")


if __name__ == "__main__":
    main()
