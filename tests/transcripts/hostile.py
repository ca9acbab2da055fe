"""Shared by the hostile-input and fuzz tests: a time limit and reading one file's bytes."""

from __future__ import annotations

import hashlib
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter
from types import FrameType

from qcode.transcripts.parsing import parse_file
from qcode.transcripts.result import Failed, Imported
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

ROLES = RoleMap.default().with_labels(
    {"hv04@klikvoorhulp.nl": "counsellor", "client17@example.org": "client"}
)


class TimeLimitExceeded(BaseException):
    """Raised by the alarm; a BaseException so no reader's ``except Exception`` hides it."""


@contextmanager
def time_limit(seconds: float, hard_stop: float = 10.0) -> Iterator[None]:
    """Fail when the block takes ``seconds`` or more; abort it after ``hard_stop`` seconds.

    The abort (SIGALRM; the regex engine checks for signals, so a hung match stops too) keeps
    a regression from hanging CI for minutes; the assertion after the block is the test.
    """
    armed = threading.current_thread() is threading.main_thread() and hasattr(
        signal, "setitimer"
    )
    previous = None
    if armed:

        def expire(signum: int, frame: FrameType | None) -> None:
            raise TimeLimitExceeded(f"still running after {hard_stop} s")

        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, max(hard_stop, seconds))
    start = perf_counter()
    try:
        yield
    finally:
        if armed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    elapsed = perf_counter() - start
    assert elapsed < seconds, f"took {elapsed:.2f} s, limit {seconds} s"


def parse_bytes(name: str, raw: bytes, fmt: str | None = None) -> Imported | Failed:
    """What an import does with one file's bytes (decode, sniff, read, privacy check).

    The import turns a reader's crash into that file's error (``parse_file``'s last resort);
    here the crash is raised again, because finding such crashes is what these tests are for.
    """
    parsed = parse_file(
        SourceFile(Path(name), None, fmt), raw, hashlib.sha256(raw).hexdigest(), ROLES, allow_personal_data=True
    )
    if isinstance(parsed, Failed) and parsed.error.__cause__ is not None:
        raise parsed.error.__cause__
    return parsed
