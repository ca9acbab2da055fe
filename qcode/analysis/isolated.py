"""Running a computation that may not finish in a child process that can be stopped.

A regular expression cannot be interrupted from a thread. The ``regex`` package checks a
timeout while it matches, but passing one costs about 2.5 µs a call, which is 1.7 s for the
700,000 turns of 10,000 chats. On Linux, a forked child instead runs the whole scan without a
timeout. It starts from the parent's memory (copy on write, nothing to send), and the parent
kills it at the deadline. The child only matches and pickles, and it leaves with ``os._exit``,
so it touches no lock another thread of the parent may hold. Elsewhere (macOS, Windows, where
forking a threaded process is unsafe or impossible) :func:`run_forked` returns None and the
caller uses the in-process way.
"""

from __future__ import annotations

import gc
import os
import pickle
import select
import signal
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

CAN_FORK = sys.platform.startswith("linux") and hasattr(os, "fork")


def run_forked(work: Callable[[], T], seconds: float) -> T | None:
    """``work()`` in a child process, or None where that is not possible or the child failed.

    Raises:
        TimeoutError: when the child has not finished after ``seconds`` (it is killed).
    """
    found = run_forked_all([work], seconds)
    return None if found is None else found[0]


def run_forked_all(works: Sequence[Callable[[], T]], seconds: float) -> list[T] | None:
    """Each of ``works`` in its own child process, all at once (one per CPU core, say).

    Returns their results in order, or None where forking is not possible or a child failed.

    Raises:
        TimeoutError: when the children have not all finished after ``seconds`` (every one
            still running is killed).
    """
    if not CAN_FORK:
        return None
    children: list[tuple[int, int]] = []
    """(pid, read end of its pipe)."""
    chunks: dict[int, list[bytes]] = {}
    failed = False
    try:
        for work in works:
            children.append(_fork(work))
        chunks = {fd: [] for _, fd in children}
        open_fds = set(chunks)
        deadline = time.monotonic() + seconds
        while open_fds:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            ready, _, _ = select.select(sorted(open_fds), [], [], left)
            for fd in ready:
                chunk = os.read(fd, 1 << 20)
                if chunk:
                    chunks[fd].append(chunk)
                else:
                    open_fds.discard(fd)
    except BaseException:
        for pid, _ in children:
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        for pid, fd in children:
            os.close(fd)
            failed |= os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0
    if failed:
        return None
    return [pickle.loads(b"".join(chunks[fd])) for _, fd in children]


def _fork(work: Callable[[], T]) -> tuple[int, int]:
    """Start ``work`` in a child that writes its pickled result to a pipe; (pid, read fd)."""
    read_fd, write_fd = os.pipe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # Python 3.12+: fork with threads
        pid = os.fork()
    if pid == 0:  # pragma: no cover - the child; its coverage ends with os._exit
        status = 1
        try:
            # A collection would touch every object's header and so copy the parent's whole
            # heap page by page (copy on write): measured, a third of a search's time.
            gc.disable()
            os.close(read_fd)
            data = memoryview(pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL))
            while data:
                data = data[os.write(write_fd, data) :]
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    return pid, read_fd
