"""Search speed: plain, regex and lemma search over N generated chats (issue 21).

Targets: a lemma search answers in under 2 s after the first (the first computes and stores
the lemmas), a plain or regex search over the stored text in under 1 s, for 10,000 chats.

What is timed is the service call a user's command or the workbench makes
(``qcode.services.search.search``): reading the search index, matching, and building the
keyword-in-context hits. The baseline, run in the same process on the same database, is the
obvious way to do it: read every utterance's text with ``sqlite3`` and run Python's ``re``
over each one (no context, no filters); the ratio is qcode's time over the baseline's.

The generated chats repeat their phrases (10,000 chats hold about 1,200 distinct turns), and
lemmas are computed once per distinct text, so the first lemma search here says little about
real transcripts. The script therefore also times the pipeline on distinct turns and prints
what the first lemma search would cost if every turn were different (the worst case).

Usage: .venv/bin/python benchmarks/search_speed.py [N_CHATS] [--rounds R] [--no-lemma] (defaults 10,000, 5)
Needs the Dutch pipeline for the lemma part (QCODE_SPACY_MODEL or nl_core_news_sm).
"""

from __future__ import annotations

import argparse
import re
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from qcode.errors import QcodeError
from qcode.services.corpus import import_paths
from qcode.services.project import Project, init_project
from qcode.services.search import SearchError, SearchMode, SearchRequest, search
from qcode.transcripts.model import Role
from qcode.transcripts.synthetic import write_corpus

PLAIN = [SearchRequest("school"), SearchRequest("schaam*"), SearchRequest("geen vrienden", speaker=Role.CLIENT)]
REGEX = [SearchRequest(r"\b(?:examens?|school)\b", SearchMode.REGEX), SearchRequest(r"(?i)^ok[eé]?\b", SearchMode.REGEX)]
LEMMA = [SearchRequest("praten", SearchMode.LEMMA), SearchRequest("zijn", SearchMode.LEMMA, speaker=Role.CLIENT)]
BASELINE = {
    "school": (r"\bschool\b", re.IGNORECASE),
    "schaam*": (r"\bschaam\w*", re.IGNORECASE),
    "geen vrienden": (r"\bgeen\s+vrienden\b", re.IGNORECASE),
    r"\b(?:examens?|school)\b": (r"\b(?:examens?|school)\b", 0),
    r"(?i)^ok[eé]?\b": (r"(?i)^ok[eé]?\b", 0),
}
"""Per query, the Python ``re`` pattern (and flags) the baseline scans every turn with."""


def timed(call: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the regex scan runs in a forked
    child): on a shared machine it varies less with the load than the wall clock."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def baseline(database: Path, pattern: str, flags: int) -> float:
    """Seconds to read every utterance text with sqlite3 and scan it with ``re``."""
    started = time.perf_counter()
    conn = sqlite3.connect(database)
    compiled = re.compile(pattern, flags)
    n = 0
    for (text,) in conn.execute("SELECT text FROM utterances"):
        n += sum(1 for _ in compiled.finditer(text))
    conn.close()
    return time.perf_counter() - started


def pipeline_rate(project: Project, n: int = 2000) -> float:
    """Distinct turns per second through the lemma pipeline (cold cache, one process)."""
    from qcode.suggest.lemmas import lemmatize

    texts = [f"{i} ik heb er eigenlijk nog nooit met iemand over gepraat, alleen met mijn zus" for i in range(n)]
    seconds, _ = timed(lambda: lemmatize(texts, project.settings.spacy_model or None))
    return n / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n_chats", nargs="?", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-lemma", action="store_true", help="Time plain and regex search only.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_corpus(folder / "corpus", args.n_chats, seed=21)
        project = init_project(folder / "project")
        import_paths(project, [folder / "corpus"])
        database = folder / "project" / "qcode.sqlite3"
        conn = sqlite3.connect(database)
        utterances, distinct = conn.execute("SELECT COUNT(*), COUNT(DISTINCT text) FROM utterances").fetchone()
        conn.close()
        print(f"{args.n_chats:,} chats, {utterances:,} utterances ({distinct:,} distinct texts)")

        first, _ = timed(lambda: search(project, PLAIN[0]))
        print(f"first search (packs the turns into the search index, once): {first:.2f} s")
        worst = 0.0
        for request in PLAIN + REGEX:
            rounds, cpu, base = [], [], []
            try:
                for _ in range(args.rounds):  # qcode and the baseline alternate, round by round
                    before = cpu_seconds()
                    rounds.append(timed(lambda r=request: search(project, r))[0])
                    cpu.append(cpu_seconds() - before)
                    if request.query in BASELINE:
                        base.append(baseline(database, *BASELINE[request.query]))
            except SearchError as error:
                print(f"{request.mode.value:5} {request.query!r:28} {error}")
                continue
            hits = len(search(project, request).hits)
            line = (
                f"{request.mode.value:5} {request.query!r:28} {hits:7,} hits  median {statistics.median(rounds):.3f} s"
                f" (cpu {statistics.median(cpu):.3f} s; rounds {', '.join(f'{r:.3f}' for r in rounds)})"
            )
            if base:
                line += f"  baseline sqlite3+re {statistics.median(base):.3f} s, ratio {statistics.median(rounds) / statistics.median(base):.2f}"
            print(line)
            worst = max(worst, statistics.median(rounds))
        print(f"slowest plain/regex median: {worst:.3f} s (target < 1 s)")
        if args.no_lemma:
            project.close()
            return

        try:
            first_lemma, _ = timed(lambda: search(project, LEMMA[0]))
        except QcodeError as error:  # no Dutch pipeline here: report and skip the lemma part
            print(f"lemma search skipped: {error}")
            return
        print(f"first lemma search (computes and stores every document's lemmas): {first_lemma:.1f} s")
        worst = 0.0
        for request in LEMMA:
            rounds = [timed(lambda r=request: search(project, r))[0] for _ in range(args.rounds)]
            hits = len(search(project, request).hits)
            print(f"lemma {request.query!r:28} {hits:7,} hits  median {statistics.median(rounds):.3f} s  (rounds {', '.join(f'{r:.3f}' for r in rounds)})")
            worst = max(worst, statistics.median(rounds))
        print(f"slowest lemma median after the first: {worst:.3f} s (target < 2 s)")
        rate = pipeline_rate(project)
        print(
            f"pipeline: {rate:,.0f} distinct turns/s; a first lemma search over {utterances:,} turns that "
            f"were all different would take about {utterances / rate / 60:.0f} min (once)"
        )
        project.close()


if __name__ == "__main__":
    main()
