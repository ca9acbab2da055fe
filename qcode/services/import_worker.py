"""The parse worker: a second process that reads and parses files while the import stores them.

On a large import, reading and parsing (decoding, sniffing, the readers, the privacy check)
take nearly as long as storing. So one worker process does the first while the importing
process does the second: 65,000 to 70,000 against 50,500 utterances/s for 10,000 chats on a 2-CPU
machine (docs/benchmarks.md, Import).

How it works, and why this way:

* The worker runs :func:`main` of this module in ``python -c``, started with ``subprocess``: it
  imports only the readers (no SQLAlchemy, no Textual), and unlike ``multiprocessing``'s spawn
  it does not re-import the parent's ``__main__`` (the CLI, a benchmark script).
* It gets one message on stdin: the files, what the project already holds
  (:class:`~qcode.services.import_step.KnownFiles`), the role map and the privacy override.
  It runs :func:`~qcode.services.import_step.read_step` on every file, in order, exactly as the
  in-process import does, and writes the steps back on stdout in frames of about
  ``FRAME_UTTERANCES`` utterances. Messages are pickles with a length prefix; only this
  module's own child writes that pipe, so unpickling them trusts nothing from outside.
  Nothing is written to disk and nothing leaves the machine.
* The parsed documents pickle column-wise (``Document.__reduce__``): pickled as tuples of
  datetimes they cost more to move than to parse again.
* The worker must keep parsing while the importing process stores a batch, so what it sends
  needs somewhere to wait: the pipe, widened to 1 MiB where the OS allows (Linux), and a
  queue of up to ``QUEUED_FRAMES`` frames that one thread in the importing process fills
  from the pipe as frames arrive. That thread only waits on the pipe and copies bytes;
  unpickling stays in the importing thread. Measured: with the pipe alone (four frames)
  the importing process kept waiting for the worker after every batch.
  Both bounds together keep an import's memory bounded when storing is the slower side.
* If the worker cannot start, or stops early (killed, out of memory, a bug in a reader), the
  caller reads the files that are left in its own process: :func:`parsed_steps` simply yields
  fewer steps than there are files. Nothing is lost; a reader bug then shows its traceback in
  the importing process.
"""

from __future__ import annotations

import os
import pickle
import queue
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from qcode.services.gc_pause import gc_paused
from qcode.services.import_step import FileStep, KnownFiles, read_step
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FRAME_UTTERANCES = 2_000
"""The worker sends its steps once they hold this many utterances (about 250 KB pickled, most
of it the documents' text)."""

QUEUED_FRAMES = 16
"""Frames read from the pipe and not yet taken: with the pipe, what bounds the memory an
import holds when storing is slower than parsing (about 4 MB)."""

PIPE_BYTES = 1024 * 1024
"""The pipe's buffer, where the OS lets us set it (Linux; 1 MiB is its default upper limit):
about four frames, so that the worker keeps parsing while the pump thread waits for its turn.
With the usual 64 KB the worker would stop in the middle of every frame."""

_HEADER = struct.Struct("<Q")


@dataclass(frozen=True)
class _Job:
    sources: Sequence[SourceFile]
    known: KnownFiles
    roles: RoleMap
    allow_personal_data: bool
    at: datetime
    frame_utterances: int


def cpu_count(cgroup: Path = Path("/sys/fs/cgroup")) -> int:
    """CPUs this process can use: the affinity mask where the OS has one, capped by a
    container's CPU quota.

    A container limited to one CPU (``docker --cpus=1``) on a large host still sees every
    CPU in its affinity mask; there a worker would only take turns with the importing process
    and add the cost of pickling. The quota is read from cgroup v2 (``cpu.max``) or v1
    (``cpu/cpu.cfs_quota_us`` and ``cpu.cfs_period_us``) as the container sees them.
    """
    affinity = getattr(os, "sched_getaffinity", None)  # not on macOS or Windows
    cpus = len(affinity(0)) if affinity else os.cpu_count() or 1
    quota = _cgroup_quota(cgroup)
    if quota is not None:
        cpus = min(cpus, max(1, int(quota)))
    return cpus


def _cgroup_quota(root: Path) -> float | None:
    """CPUs' worth of time the cgroup allows (2.0 for ``--cpus=2``), or None if unlimited
    or unknown."""
    try:
        if (root / "cpu.max").exists():
            quota, period = (root / "cpu.max").read_text().split()[:2]
        else:
            quota = (root / "cpu" / "cpu.cfs_quota_us").read_text().strip()
            period = (root / "cpu" / "cpu.cfs_period_us").read_text().strip()
        if quota in ("max", "-1"):
            return None
        return int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def parsed_steps(
    sources: Sequence[SourceFile],
    known: KnownFiles,
    roles: RoleMap,
    allow_personal_data: bool,
    at: datetime,
) -> Iterator[list[FileStep]]:
    """The steps of ``sources`` in order, in frames, read and parsed by a worker process.

    Yields fewer steps than there are sources when the worker cannot start or stops early;
    the caller reads the rest itself. ``known`` is sent as it is now; the caller keeps its own
    copy up to date from the steps.
    """
    if not sys.executable:  # an embedded Python may not know its interpreter
        return
    try:
        worker = subprocess.Popen(
            # -c, not -m: run as __main__, this module's classes would not be the ones the
            # job's pickle names.
            [sys.executable, "-c", "from qcode.services.import_worker import main; main()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_worker_environment(),
        )
    except OSError:
        return
    assert worker.stdin is not None and worker.stdout is not None
    _widen(worker.stdout)
    pump: threading.Thread | None = None
    try:
        try:
            _write_frame(
                worker.stdin, _Job(sources, known, roles, allow_personal_data, at, FRAME_UTTERANCES)
            )
            worker.stdin.close()
        except OSError:  # the worker died before reading its job
            return
        payloads: queue.Queue[bytes | None] = queue.Queue(maxsize=QUEUED_FRAMES)
        pump = threading.Thread(
            target=_pump, args=(worker.stdout, payloads), name="import-worker-pump", daemon=True
        )
        pump.start()
        done = 0
        while True:
            payload = payloads.get()
            frame = None if payload is None else pickle.loads(payload)
            if not isinstance(frame, list):  # end of the work, or the worker stopped early
                return
            yield [
                FileStep(source, *fields)
                for source, fields in zip(sources[done : done + len(frame)], frame, strict=True)
            ]
            done += len(frame)
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        with suppress(OSError):  # already closed, or the worker died while reading its job
            worker.stdin.close()
        # The pump ends at the end of the pipe, but may wait for room in the queue first.
        while pump is not None and pump.is_alive():
            with suppress(queue.Empty):
                payloads.get(timeout=0.01)
        worker.stdout.close()


def _pump(stream: IO[bytes], payloads: queue.Queue[bytes | None]) -> None:
    """Move the worker's messages from the pipe into ``payloads`` as they come, then None."""
    try:
        while (payload := _read_payload(stream)) is not None:
            payloads.put(payload)
    finally:
        payloads.put(None)


def _widen(pipe: IO[bytes]) -> None:
    """Give ``pipe`` a PIPE_BYTES buffer where the OS allows it (see there)."""
    set_size = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl is not None else None
    if set_size is not None:
        with suppress(OSError):  # above the system's limit: keep the default
            fcntl.fcntl(pipe.fileno(), set_size, PIPE_BYTES)


def _worker_environment() -> dict[str, str]:
    """The parent's environment, with the folder holding this ``qcode`` first on the path
    (so the worker runs the same code, even from a source checkout that is not installed)."""
    env = dict(os.environ)
    root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


def _write_frame(stream: IO[bytes], value: Any) -> None:
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _read_payload(stream: IO[bytes]) -> bytes | None:
    """The next message's pickle, or None at the end of the stream (also mid-message)."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def _serve(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """The worker's side: read the job, write the steps in frames, then an end marker."""
    payload = _read_payload(stdin)
    job = None if payload is None else pickle.loads(payload)
    if not isinstance(job, _Job):
        return
    frame: list[tuple[Any, ...]] = []
    size = 0
    for source in job.sources:
        step = read_step(source, job.known, job.roles, job.allow_personal_data, job.at)
        # All of the step but its source, which the importing process has: unpickling
        # thousands of paths costs it about a microsecond per utterance.
        frame.append((step.digest, step.parsed, step.skipped, step.changed, step.error))
        if step.parsed is not None and step.parsed.result is not None:
            size += sum(len(d.utterances) for d in step.parsed.result.documents)
        size += 1
        if size >= job.frame_utterances:
            _write_frame(stdout, frame)
            frame, size = [], 0
    if frame:
        _write_frame(stdout, frame)
    _write_frame(stdout, "done")


def main() -> None:
    # The pipe to the importing process is this process's original stdout; anything printed
    # by a library goes to stderr instead, so it cannot break a frame.
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    with gc_paused():  # many small acyclic objects, as in the importing process
        _serve(sys.stdin.buffer, results)
    results.close()
