"""What memos in their own table cost the reads that carry them (migration 0005).

Run: ``.venv/bin/python benchmarks/memo_speed.py [--chats 2000] [--rounds 5]``.

Coding memos moved from ``codings.memo`` into ``memos``; every read of codings
(``storage.codings.coding_columns``: the report and the exports read all of them) now takes a
coding's memo by an outer join. Set-up (not timed): synthetic chats, imported, coded in bulk as
``benchmarks/report_speed.py`` does, and one coding in twenty given a memo, plus a turn memo on
every chat. Then, in the same process, median over the rounds of:

- ``coding_columns`` with the memo join (what qcode runs) against the same SELECT without the
  join (the baseline: what reading the codings cost when the memo was a column);
- ``services.memos.list_memos`` over every memo (the memo list screen and ``qcode memos``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import aliased

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_speed import code_in_bulk

from qcode.services.corpus import import_paths
from qcode.services.memos import list_memos
from qcode.services.project import init_project
from qcode.storage import codings as coding_store
from qcode.storage.codings import CodingFilter
from qcode.storage.schema import (
    CaseRow,
    CodeRow,
    CoderRow,
    CodingRow,
    DocumentRow,
    MemoRow,
    UtteranceRow,
)
from qcode.transcripts.synthetic import write_corpus


def _median(work: object, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_corpus(folder / "corpus", args.chats, seed=1)
        project = init_project(folder / "project")
        assert not import_paths(project, [folder / "corpus"]).errors
        n_codings = code_in_bulk(project)
        now = datetime.now()
        with project.session() as session:
            codings = session.execute(select(CodingRow.id, CodingRow.document_id, CodingRow.coder_id)).all()
            memos = [
                {"kind": "coding", "coding_id": i, "document_id": d, "coder_id": c,
                 "text": f"memo {i}", "created": now, "updated": now}
                for n, (i, d, c) in enumerate(codings) if n % 20 == 0
            ]
            first_turns = session.execute(
                select(UtteranceRow.document_id).where(UtteranceRow.idx == 0)
            ).scalars().all()
            memos += [
                {"kind": "utterance", "document_id": d, "utterance_idx": 0, "coder_id": codings[0][2],
                 "text": "turn memo", "created": now, "updated": now}
                for d in first_turns
            ]
            for row in memos:
                row.setdefault("utterance_idx", None)
                row.setdefault("coding_id", None)
            session.execute(insert(MemoRow), memos)
        print(f"set-up: {args.chats:,} chats, {n_codings:,} codings, {len(memos):,} memos")

        decider = aliased(CoderRow)
        without = (  # storage.codings._coding_statement as it was before 0005: memo a column
            select(
                CodingRow.id, DocumentRow.key.label("document"), CaseRow.key.label("case"),
                DocumentRow.channel, CodeRow.key.label("code"), CodeRow.name.label("code_name"),
                CodeRow.group, CoderRow.name.label("coder"), CodingRow.origin, CodingRow.start,
                CodingRow.end, CodingRow.detail, CodingRow.created, CodingRow.version,
                CodingRow.deleted_at, CodingRow.suggestion_id, decider.name.label("decided_by"),
            )
            .join(DocumentRow, DocumentRow.id == CodingRow.document_id)
            .join(CaseRow, CaseRow.id == DocumentRow.case_id)
            .join(CodeRow, CodeRow.id == CodingRow.code_id)
            .join(CoderRow, CoderRow.id == CodingRow.coder_id)
            .outerjoin(decider, decider.id == CodingRow.decided_by)
            .where(CodingRow.deleted_at.is_(None))
            .order_by(DocumentRow.key, CodingRow.start, CodingRow.end, CodingRow.id)
        )

        def joined() -> None:
            with project.session() as session:
                coding_store.coding_columns(session, CodingFilter())

        def baseline() -> None:
            with project.session() as session:
                session.connection().execute(without).all()

        baseline()  # warm both up (first queries compile their SQL, fill the page cache)
        joined()
        base, memo = _median(baseline, args.rounds), _median(joined, args.rounds)
        print(f"codings read, no memo join (baseline): {base * 1000:.0f} ms")
        print(f"codings read with the memo join:       {memo * 1000:.0f} ms  (ratio {memo / base:.2f})")
        listing = _median(lambda: list_memos(project, None), args.rounds)
        print(f"list_memos over {len(memos):,} memos:        {listing * 1000:.0f} ms")
        project.close()


if __name__ == "__main__":
    main()
