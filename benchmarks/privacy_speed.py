"""Cost of the import's privacy check (``scan_document``) per utterance.

Run: ``.venv/bin/python benchmarks/privacy_speed.py [--chats 10000] [--rounds 5]``.

Two inputs: synthetic chats as the import benchmark generates them (times and dates are their
only digits, like most real chat turns), and the privacy test set of
``tests/transcripts/privacy_testset.py`` (planted personal data and clean chats full of
numbers: the worst case, where most turns reach the pattern checks and some the phone
library). For each it prints microseconds per utterance, and the ratio to a baseline run in
the same round: joining the utterance texts and searching them once for a digit or '@', the
least any check of this design does. ``--gate FILE`` measures another version of
``qcode/transcripts/privacy.py`` (e.g. one from ``git show OLD:qcode/transcripts/privacy.py``)
instead, to compare before and after (docs/benchmarks.md, Privacy check).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qcode.transcripts import privacy
from qcode.transcripts.model import Channel, Document, Role, Utterance
from qcode.transcripts.synthetic import generate_utterances
from tests.transcripts.privacy_testset import generate

_ROLES = {"counsellor": Role.COUNSELLOR, "client": Role.CLIENT}


def _document(key: str, turns: list[tuple[Role, str]]) -> Document:
    text, utterances = "", []
    for index, (role, body) in enumerate(turns):
        prefix = f"Hulpvrager ({19 + index // 60}:{index % 60:02d}): "
        start = len(text) + len(prefix)
        utterances.append(Utterance(index, role, "x", None, body, start, start + len(body), index + 1))
        text += prefix + body + "\n"
    return Document(key, "c", Channel.CHAT, text, tuple(utterances))


def synthetic_documents(chats: int, seed: int = 1) -> list[Document]:
    rng = random.Random(seed)
    return [
        _document(f"c/{n}", [(_ROLES[r], t) for r, t in generate_utterances(rng, rng.randint(40, 100))])
        for n in range(chats)
    ]


def testset_documents() -> list[Document]:
    planted, clean = generate()
    return [chat.document() for chat in planted + clean]


_ANY = re.compile(r"[\d@]")


def _baseline(documents: list[Document]) -> int:
    hits = 0
    for document in documents:
        hits += _ANY.search("\x00".join(u.text for u in document.utterances)) is not None
    return hits


def _scan(documents: list[Document]) -> int:
    scan = GATE.scan_document
    return sum(len(scan(document)) for document in documents)


GATE = privacy


def measure(name: str, documents: list[Document], rounds: int) -> None:
    utterances = sum(len(d.utterances) for d in documents)
    gate, base = [], []
    for _ in range(rounds):
        start = time.perf_counter()
        findings = _scan(documents)
        gate.append(time.perf_counter() - start)
        start = time.perf_counter()
        _baseline(documents)
        base.append(time.perf_counter() - start)
    per = statistics.median(gate) / utterances * 1e6
    ratio = statistics.median(g / b for g, b in zip(gate, base, strict=True))
    print(
        f"{name}: {len(documents)} documents, {utterances} utterances, {findings} findings; "
        f"gate {per:.2f} µs/utterance (median of {rounds}), baseline "
        f"{statistics.median(base) / utterances * 1e6:.2f} µs, ratio {ratio:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--gate", type=Path, help="another privacy.py to measure")
    args = parser.parse_args()
    if args.gate:
        global GATE
        spec = importlib.util.spec_from_file_location("privacy_under_test", args.gate)
        assert spec is not None and spec.loader is not None
        GATE = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = GATE  # dataclasses look their module up there
        spec.loader.exec_module(GATE)
    print(f"gate: {Path(GATE.__file__ or '').resolve()}")
    measure("synthetic chats", synthetic_documents(args.chats), args.rounds)
    measure("privacy test set", testset_documents(), args.rounds)


if __name__ == "__main__":
    main()
