"""Cost of the import's privacy check (``scan_document``) per utterance.

Run: ``.venv/bin/python benchmarks/privacy_speed.py [--chats 10000] [--rounds 5]``.

Two inputs: synthetic chats as the import benchmark generates them (times and dates are their
only digits, like most real chat turns), and the privacy test set of
``tests/transcripts/privacy_testset.py`` (planted personal data and clean chats full of
numbers: the worst case, where most turns reach the pattern checks and some the phone
library). For each it prints microseconds per utterance, and the ratio to a baseline run in
the same round: joining the utterance texts and searching them once for a digit or '@', the
least any check of this design does. ``--compare FILE`` also measures another version of
``qcode/transcripts/privacy.py`` (e.g. ``git show b699e18:qcode/transcripts/privacy.py >
/tmp/before.py``), alternating with this one round by round, and prints this one's time over
that one's (docs/benchmarks.md, Privacy check).
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
from types import ModuleType

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


def _scan(gate: ModuleType, documents: list[Document]) -> int:
    scan = gate.scan_document
    return sum(len(scan(document)) for document in documents)


def _timed(gate: ModuleType, documents: list[Document]) -> tuple[float, int]:
    start = time.perf_counter()
    findings = _scan(gate, documents)
    return time.perf_counter() - start, findings


def measure(name: str, documents: list[Document], rounds: int, other: ModuleType | None) -> None:
    utterances = sum(len(d.utterances) for d in documents)
    gate, base, then = [], [], []
    for _ in range(rounds):
        seconds, findings = _timed(privacy, documents)
        gate.append(seconds)
        start = time.perf_counter()
        _baseline(documents)
        base.append(time.perf_counter() - start)
        if other is not None:
            seconds, other_findings = _timed(other, documents)
            then.append(seconds)
    per = statistics.median(gate) / utterances * 1e6
    ratio = statistics.median(g / b for g, b in zip(gate, base, strict=True))
    print(
        f"{name}: {len(documents)} documents, {utterances} utterances, {findings} findings; "
        f"gate {per:.2f} µs/utterance (median of {rounds}), baseline "
        f"{statistics.median(base) / utterances * 1e6:.2f} µs, ratio {ratio:.2f}"
    )
    if other is not None:
        print(
            f"  compared gate: {statistics.median(then) / utterances * 1e6:.2f} µs/utterance, "
            f"{other_findings} findings; this gate / compared: "
            f"{statistics.median(g / t for g, t in zip(gate, then, strict=True)):.2f}"
        )


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("privacy_compared", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--compare", type=Path, help="another privacy.py to measure alongside")
    args = parser.parse_args()
    other = _load(args.compare) if args.compare else None
    measure("synthetic chats", synthetic_documents(args.chats), args.rounds, other)
    measure("privacy test set", testset_documents(), args.rounds, other)


if __name__ == "__main__":
    main()
