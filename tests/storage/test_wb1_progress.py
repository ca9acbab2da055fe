"""The corpus browser's per-coder progress, counted by binary search, against the plain rule
written out in the test (a turn is coded when a live coding of the coder overlaps it)."""

from __future__ import annotations

import random

from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.project import Project
from qcode.storage import progress
from tests.factories import make_document, store


def test_coded_utterances_match_the_overlap_rule(project: Project) -> None:
    rng = random.Random(16)
    docs = [
        make_document(
            f"casus-{d}/chat", f"casus-{d}",
            [("counsellor" if i % 2 else "client", f"10:{i:02d}", "x" * rng.randint(0, 12)) for i in range(30)],
        )
        for d in range(3)
    ]
    store(project, *docs)
    for name in ("anna", "bram"):
        team_service.add_coder(project, name)
    made: list[tuple[str, str, int, int]] = []
    for _ in range(120):
        doc = rng.choice(docs)
        coder = rng.choice(["anna", "bram"])
        start = rng.randrange(len(doc.text) - 1)
        end = rng.randint(start + 1, min(len(doc.text), start + 60))
        cid = coding_service.add_coding(project, doc.key, "open_vraag", coder, start=start, end=end)
        if rng.random() < 0.2:  # removed codings do not count
            coding_service.remove_coding(project, cid, coder)
        else:
            made.append((doc.key, coder, start, end))
    expected: dict[tuple[str, str], int] = {}
    for doc in docs:
        for coder in ("anna", "bram"):
            n = sum(
                1 for u in doc.utterances
                if any(k == doc.key and c == coder and s < u.end and e > u.start for k, c, s, e in made)
            )
            if n:
                expected[(doc.key, coder)] = n
    with project.session() as session:
        assert progress.coded_utterances(session) == expected
