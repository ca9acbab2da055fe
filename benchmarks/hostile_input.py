"""What the hostile-input guards of issue 20 cost, and how fast the former hangs now read.

Run: ``.venv/bin/python benchmarks/hostile_input.py [--rounds 20]``.

1. The check for characters no store holds (``qcode.transcripts.storable.clean_result``) runs
   on every file an import reads. Prints ``parse_file`` per file of the sample corpus with the
   check and without it (patched out, same process), and their ratio (target ≤ 1.05).
2. Each input that hung a reader before (seconds to minutes), read now: milliseconds each
   (target < 1,000 ms; the regression tests hold them under 1 s).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from qcode.transcripts import registry
from qcode.transcripts.parsing import parse_file
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

SAMPLE = Path(__file__).resolve().parents[1] / "corpora" / "klikvoorhulp-sample"
MAIL = "From: Client <c@example.org>\nDate: Wed, 12 Mar 2014 23:41:00 +0100\n"
HANGS: dict[str, tuple[str, bytes]] = {
    "_STARS_RE: '** ' + 2,000 spaces + 'x'": (
        "c.txt", b"# datum: 2014-01-01\nHulpvrager (10:00): hoi\n** " + b" " * 2000 + b"x\n"),
    "HEADER_RE: '# a: x' + 100,000 spaces + 'y'": (
        "c.txt", b"# a: x" + b" " * 100_000 + b"y\nHulpvrager (10:00): hoi\n"),
    "_FIELD_RE: 'Van: x' + 100,000 spaces + 'y'": (
        "t.txt", b"Van: x" + b" " * 100_000 + b"y\nDatum: 12-03-2014 23:41\n\nhoi\n"),
    "HTMLParser: '<a ' x 33,000": (
        "m.eml", (MAIL + "Content-Type: text/html\n\n").encode() + b"<a " * 33_000),
    "_quote_start: 'On ' + 'wrote ' x 100,000": (
        "t.txt", b"Van: Hulpvrager\nDatum: 12-03-2014 23:41\n\nOn " + b"wrote " * 100_000),
    "From header of 20,000 quotes (found by the fuzz test)": (
        "m.eml", b"From: C " + b'"' * 20_000 + b"\nDate: Wed, 12 Mar 2014 23:41:00 +0100\n\nx\n"),
}


def _best(run: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    roles = RoleMap.default()
    files = sorted(p for p in SAMPLE.rglob("*") if p.is_file() and p.name != "cases.csv")
    raws = [(SourceFile(p, None, None), p.read_bytes()) for p in files]

    def parse_all() -> None:
        for source, raw in raws:
            parse_file(source, raw, roles, allow_personal_data=True)

    original = registry.clean_result

    def unchecked(result: object, path: object, verbatim: bool = False) -> object:
        return result

    parse_all()  # warm the caches (compiled patterns, role and time caches) for both
    with_times, without_times = [], []
    for _ in range(args.rounds):  # interleaved, so both see the same machine load
        with_times.append(_best(parse_all, 1))
        registry.clean_result = unchecked  # type: ignore[assignment]
        try:
            without_times.append(_best(parse_all, 1))
        finally:
            registry.clean_result = original
    with_check, without = min(with_times), min(without_times)
    per = 1e6 / len(raws)
    print(f"parse_file, {len(raws)} sample files, best of {args.rounds}:")
    print(f"  with the storable check    {with_check * per:8.0f} us per file")
    print(f"  without (baseline)         {without * per:8.0f} us per file")
    print(f"  ratio                      {with_check / without:8.3f}  (target <= 1.05)")
    print("former hangs, read now (best of 3):")
    for name, (file_name, raw) in HANGS.items():
        source = SourceFile(Path(file_name), None, None)
        took = _best(lambda s=source, r=raw: parse_file(s, r, roles, True), 3)  # type: ignore[misc]
        print(f"  {took * 1000:8.1f} ms  {name}")


if __name__ == "__main__":
    main()
