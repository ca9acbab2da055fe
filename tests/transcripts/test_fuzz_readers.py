"""Fuzz the readers: mutated sample files must give documents or a QcodeError, quickly.

Every sample file of ``corpora/klikvoorhulp-sample/`` (chats, e-mail threads, a CSV table) and
a few built here (JSON Lines, ``.eml`` plain and HTML, an mbox) are mutated by a seeded
mutator: byte flips, deleted, doubled and swapped lines, truncation, other encodings, two files
spliced and read as the second one's format, and
insertions of the inputs that broke the readers before (huge runs of spaces, parentheses and
``<a ``, deep brackets, lone surrogates in their JSON, UTF-7 and escape forms, NUL, very long
lines, dates in the year 9999). Each mutant goes through :func:`parse_file`, the import's own
path from bytes to checked documents. The test fails on any exception that is not a
QcodeError (``parse_file`` turns those into an error message), on any read that takes more
than :data:`READ_LIMIT` seconds, and on any document holding a character no store can keep.

Deterministic: a fixed seed and a fixed number of cases (6,000, about 25 s on a shared CI core;
a run stops early, without failing, after 60 s on a slow machine).
Run it longer locally to hunt for more, e.g.::

    QCODE_FUZZ_CASES=40000 QCODE_FUZZ_SEED=7 .venv/bin/python -m pytest -p no:xdist \\
        tests/transcripts/test_fuzz_readers.py

A failure names the case; ``QCODE_FUZZ_SAVE=DIR`` also writes each failing input there.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import traceback
from collections.abc import Callable
from pathlib import Path
from time import perf_counter

from qcode.transcripts.model import check_offsets
from qcode.transcripts.result import Failed, Imported
from tests.transcripts.hostile import TimeLimitExceeded, parse_bytes, time_limit

SAMPLE = Path(__file__).resolve().parents[2] / "corpora" / "klikvoorhulp-sample"
SEED = int(os.environ.get("QCODE_FUZZ_SEED", "20"))
CASES = int(os.environ.get("QCODE_FUZZ_CASES", "6000"))
READ_LIMIT = 5.0
"""Seconds one read may take; the linear readers need milliseconds for these inputs."""
MAX_INPUT = 1024 * 1024
"""Mutants are cut to 1 MiB: the hangs of issue 20 were all on inputs under 1 MB, and past
that a read's time is about size, not pattern (the privacy scan alone reads ~5 MB/s)."""
BUDGET = float(os.environ.get("QCODE_FUZZ_BUDGET", "60"))
"""Seconds after which the run stops early (a slow machine, not a failure)."""

EML_PLAIN = """From: Client <client17@example.org>
To: hv04@klikvoorhulp.nl
Subject: schulden
Date: Wed, 12 Mar 2014 23:41:00 +0100
Message-ID: <m1@example.org>
Content-Type: text/plain; charset=utf-8

Hallo, ik heb een huurachterstand.

Op 11-03-2014 om 10:00 schreef Hulpverlener:
> Hoe gaat het?
"""

EML_HTML = """From: hv04@klikvoorhulp.nl
Subject: Re: schulden
Date: Sat, 15 Mar 2014 10:12:00 +0100
Message-ID: <m2@klikvoorhulp.nl>
In-Reply-To: <m1@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="XX"

--XX
Content-Type: text/html; charset=utf-8
Content-Transfer-Encoding: quoted-printable

<html><body><p>Beste NAAM,</p><p>=C3=A9=C3=A9n <b>ding</b>.<br>Groet</p>
<script>x()</script><blockquote>On Wed wrote:<br>&gt; Hallo</blockquote></body></html>
--XX--
"""

MBOX = (
    "From client17@example.org Wed Mar 12 23:41:00 2014\n" + EML_PLAIN
    + "\nFrom hv04@klikvoorhulp.nl Sat Mar 15 10:12:00 2014\n" + EML_HTML
    + "\nFrom client17@example.org Sun Mar 16 09:00:00 2014\n"
    "From: Client <client17@example.org>\nSubject: Antw: Re: schulden\n"
    "Date: Sun, 16 Mar 2014 09:00:00 +0100\nReferences: <m1@example.org> <m2@klikvoorhulp.nl>\n"
    "\n>From here on, thanks.\n"
)


def _jsonl_from_csv(path: Path) -> bytes:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode("utf-8")


def _seeds() -> list[tuple[str, bytes]]:
    files = sorted(p for p in SAMPLE.rglob("*") if p.is_file() and p.name != "cases.csv")
    seeds = [(p.name, p.read_bytes()) for p in files]
    seeds += [(p.stem + ".jsonl", _jsonl_from_csv(p)) for p in files if p.suffix == ".csv"]
    seeds += [("m1.eml", EML_PLAIN.encode()), ("m2.eml", EML_HTML.encode()),
              ("case.mbox", MBOX.encode())]
    return seeds


def _nasty(rng: random.Random) -> bytes:
    """One of the inputs that broke a reader, at a random size."""
    n = rng.choice((2, 50, 1000, 5000, 40_000))
    choices: list[Callable[[], str]] = [
        lambda: " " * n,
        lambda: "\t " * n,
        lambda: "(" * n,
        lambda: ")" * n,
        lambda: "<a " * n,
        lambda: "<div>" * n,
        lambda: "<div>" * 3000 + "<" + "a" * n,  # past libxml2's depth: the tag-strip path
        lambda: "[" * n + "]" * n,
        lambda: "{" * n,
        lambda: '{"a":' * n,
        lambda: "*" * n,
        lambda: "** " + " " * n + "x",
        lambda: "#" + " " * n,
        lambda: "# a" + " " * n + ":" + " " * n + "x",
        lambda: "Van: " + "(" * n,
        lambda: "Van: x" + " " * n + "y",
        lambda: "On " + "wrote " * n,
        lambda: "Op " + "schreef " * n + ":",
        lambda: "Re" + " " * n + ":",
        lambda: "References: " + "<" * n,
        lambda: "Message-ID: <",
        lambda: "-" * n,
        lambda: "x" * n,
        lambda: "\n" * n,
        lambda: "\r\n" * n,
        lambda: "\r" * n,
        lambda: "=" * n,
        lambda: '"\\ud800"',
        lambda: "\\ud800\\udfff\\ud83d",
        lambda: "+2AA-",
        lambda: "Content-Type: text/plain; charset=utf-7\n\n+2AA-\n",
        lambda: "Content-Type: text/html; charset=utf-7\n\n<p>+2AA-</p>\n",
        lambda: "Content-Type: text/plain; charset=unicode_escape\n\n\\ud800\n",
        lambda: "Content-Type: text/plain; charset=x-unknown\n\n",
        lambda: "Content-Transfer-Encoding: base64\n\n!!!",
        lambda: "Subject: =?utf-7?Q?+2AA-?=\n",
        lambda: "From: =?utf-8?b?" + "A" * n + "?=\n",
        lambda: "\x00",
        lambda: "\ufeff",
        lambda: "\u2028\u0085\x0b\x0c",
        lambda: "9999-12-31T23:59:59-05:00",
        lambda: "0001-01-01T00:00:00+05:00",
        lambda: "Datum: 9999-12-31T23-05",
        lambda: "31-12-9999 23:59",
        lambda: "Fri, 31 Dec 9999 23:59:59 -0500",
        lambda: "Hulpvrager (99:99): x",
        lambda: "Hulpvrager (23:59): x\nHulpvrager (00:01): y",
        lambda: "Onbekend (10:00): x",
        lambda: "[Systeem] x",
        lambda: "(10:00) x",
        lambda: "\U0001f600" * n,
        lambda: "é" * n,
        lambda: '"' * n,
        lambda: ',"a' * n,
        lambda: ";" * n,
        lambda: "\\" * n,
        lambda: "1" * 5000,
    ]
    return rng.choice(choices)().encode("utf-8")


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _mutate(rng: random.Random, data: bytes) -> tuple[bytes, str]:
    """One mutation of ``data`` and a short name for the report."""
    kind = rng.randrange(10)
    if kind == 0 and data:
        position = rng.randrange(len(data))
        return data[:position] + bytes([rng.randrange(256)]) + data[position + 1 :], "flip"
    if kind in (1, 2, 3):
        nasty = _nasty(rng)
        if kind == 1 or not data:  # anywhere
            position = rng.randrange(len(data) + 1)
        else:  # at the start of a line, or replacing one
            starts = [0, *(m.end() for m in re.finditer(b"\n", data))]
            position = rng.choice(starts)
            if kind == 3:
                end = data.find(b"\n", position)
                end = len(data) if end < 0 else end
                return data[:position] + nasty + data[end:], f"line<-{nasty[:12]!r}"
        return data[:position] + nasty + data[position:], f"insert {nasty[:12]!r}"
    if kind == 4:
        lines = _lines(data)
        del lines[rng.randrange(len(lines))]
        return b"\n".join(lines), "delete line"
    if kind == 5:
        lines = _lines(data)
        i = rng.randrange(len(lines))
        lines.insert(i, lines[rng.randrange(len(lines))] * rng.choice((1, 2, 50)))
        return b"\n".join(lines), "double line"
    if kind == 6:
        lines = _lines(data)
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return b"\n".join(lines), "swap lines"
    if kind == 7:
        return data[: rng.randrange(len(data) + 1)], "truncate"
    if kind == 8:
        text = data.decode("utf-8", errors="replace")
        encoding = rng.choice(("utf-16", "cp1252", "latin-1", "utf-8-sig", "utf-16-le"))
        return text.encode(encoding, errors="replace"), f"as {encoding}"
    return data.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n", b" \n"))), "line ends"


def _check(name: str, data: bytes) -> str | None:
    """None if the read behaved; else what went wrong."""
    start = perf_counter()
    try:
        with time_limit(READ_LIMIT, hard_stop=READ_LIMIT + 5):
            parsed = parse_bytes(name, data)
    except TimeLimitExceeded:
        return f"hung: still reading after {READ_LIMIT + 5:.0f} s"
    except AssertionError as error:  # time_limit's own check
        return str(error)
    except Exception:  # exactly what the test is for
        return "not a QcodeError:\n" + traceback.format_exc(limit=-6)
    elapsed = perf_counter() - start
    if isinstance(parsed, Failed):
        return None  # a clean, user-facing error naming the file
    for document in parsed.documents:
        check_offsets(document)
        try:
            document.text.encode("utf-8")
        except UnicodeEncodeError:
            return f"{document.key}: text a UTF-8 store refuses"
        if "\x00" in document.text:
            return f"{document.key}: text holds NUL"
    return None if elapsed < READ_LIMIT else f"took {elapsed:.1f} s"


def test_mutated_sample_files_never_crash_or_hang_a_reader() -> None:
    seeds = _seeds()
    assert len(seeds) >= 20
    rng = random.Random(SEED)
    failures: list[str] = []
    started = perf_counter()
    save = os.environ.get("QCODE_FUZZ_SAVE")
    for case in range(CASES):
        if perf_counter() - started > BUDGET:
            break
        name, data = seeds[case % len(seeds)]
        steps = []
        if rng.random() < 0.1:  # another reader on this content: splice in a second seed
            other = seeds[rng.randrange(len(seeds))]
            name = Path(name).stem + Path(other[0]).suffix
            cut = rng.randrange(len(data) + 1)
            data = data[:cut] + other[1][rng.randrange(len(other[1]) + 1) :]
            steps.append(f"spliced, read as {Path(name).suffix}")
        for _ in range(rng.choice((1, 1, 2, 3, 5))):
            data, step = _mutate(rng, data)
            data = data[:MAX_INPUT]
            steps.append(step)
        problem = _check(name, data)
        if problem is not None:
            failures.append(f"case {case} ({name}: {', '.join(steps)}): {problem}")
            if save:
                Path(save, f"fuzz-{SEED}-{case}-{name}").write_bytes(data)
            if len(failures) >= 20:
                break
    assert not failures, "\n\n".join(failures)


def test_the_seeds_themselves_read() -> None:
    """The mutants start from files the readers take, so they reach the readers' depths."""
    for name, data in _seeds():
        parsed = parse_bytes(name, data)
        assert isinstance(parsed, Imported), parsed
