"""Suggestion throughput over 2,000 generated chats, against a bare ``nlp.pipe``.

Prints words/second for the full suggester (pipeline + qcode components + annotation) and
for the same pipeline without qcode's components over the same texts in the same run, and
their ratio (target >= 0.7). Needs the Dutch pipeline (see ``qcode.suggest.nlp``).

    QCODE_SPACY_MODEL=../shared/models/nl_ud_sm_selftrained python benchmarks/suggest_speed.py
"""

from __future__ import annotations

import argparse
import random
import time

import spacy

from qcode.suggest.engine import Suggester
from qcode.suggest.nlp import find_pipeline, load_pipeline
from qcode.suggest.ruleset import default_rules_dir
from qcode.suggest.values import UtteranceInput
from qcode.transcripts.synthetic import generate_utterances
from qcode.transcripts.words import count_words

CHUNKS = 20


def make_items(chats: int, seed: int) -> list[UtteranceInput]:
    """Utterances of ``chats`` generated conversations of 10-40 turns."""
    rng = random.Random(seed)
    items: list[UtteranceInput] = []
    for chat in range(chats):
        for index, (role, text) in enumerate(generate_utterances(rng, rng.randint(10, 40))):
            items.append(UtteranceInput(f"{chat}-{index}", role, text))
    return items


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--n-process", type=int, default=1)
    args = parser.parse_args()

    items = make_items(args.chats, args.seed)
    words = sum(count_words(i.text) for i in items)
    print(f"{args.chats} chats, {len(items)} utterances, {words} words")

    bare = spacy.load(find_pipeline(), exclude=["ner"])
    suggester = Suggester(load_pipeline(), default_rules_dir())
    list(bare.pipe(i.text for i in items[:200]))  # warm up both
    list(suggester.suggest(items[:200]))
    # Alternate chunks so that a change in machine load hits both measurements alike.
    bare_seconds = suggest_seconds = 0.0
    count = 0
    step = max(1, len(items) // CHUNKS)
    for offset in range(0, len(items), step):
        chunk = items[offset : offset + step]
        started = time.perf_counter()
        for _ in bare.pipe((i.text for i in chunk), batch_size=256, n_process=args.n_process):
            pass
        bare_seconds += time.perf_counter() - started
        started = time.perf_counter()
        count += sum(len(found) for found in suggester.suggest(chunk, n_process=args.n_process))
        suggest_seconds += time.perf_counter() - started

    print(f"bare nlp.pipe : {words / bare_seconds:8.0f} words/s ({bare_seconds:.1f} s)")
    print(f"qcode suggest : {words / suggest_seconds:8.0f} words/s ({suggest_seconds:.1f} s), "
          f"{count} suggestions")
    print(f"ratio         : {bare_seconds / suggest_seconds:.2f} (target >= 0.7)")


if __name__ == "__main__":
    main()
