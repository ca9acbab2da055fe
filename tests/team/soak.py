"""Run simulated coders as separate processes and check the store against their logs.

The expected state is recomputed from the logs of acknowledged operations only. Each coder is
serial, so replaying a coder's log gives exactly which of that coder's events stand (not
undone); a coding must be live iff its add stands and no removal of it stands, whatever
order the coders' transactions interleaved in. Every removal and undo (and redo) bumps the coding's
version once, so versions count the acknowledged writes exactly: a lost write shows as a
version too low, a duplicated one as too high.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from qcode.services.project import Project
from qcode.storage.schema import CoderRow, CodingEvent, CodingRow

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Soak:
    """A running soak: its worker processes, their logs and the file that starts them."""

    project: Project
    coders: list[str]
    folder: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def log(self, coder: str) -> Path:
        return self.folder / f"{coder}.jsonl"

    @property
    def go(self) -> Path:
        return self.folder / "go"


def start(project: Project, coders: list[str], documents: list[str], folder: Path) -> Soak:
    """Start one worker process per coder; they wait for :func:`release`."""
    folder.mkdir(parents=True, exist_ok=True)
    soak = Soak(project, coders, folder)
    for n, coder in enumerate(coders):
        command = [
            sys.executable, "-m", "tests.team.soak_worker",
            "--project", str(project.folder), "--coder", coder, "--seed", str(1000 + n),
            "--log", str(soak.log(coder)), "--go", str(soak.go), "--documents", *documents,
        ]
        stderr = (folder / f"{coder}.stderr").open("wb")
        soak.processes.append(subprocess.Popen(command, cwd=ROOT, stderr=stderr))
    return soak


def release(soaks: list[Soak], seconds: float, timeout: float = 180.0) -> None:
    """Wait until every worker is ready, then let them all run for ``seconds``."""
    deadline = time.time() + timeout
    for soak in soaks:
        for coder, process in zip(soak.coders, soak.processes, strict=True):
            while not soak.log(coder).with_suffix(".ready").exists():
                if process.poll() is not None:
                    err = (soak.folder / f"{coder}.stderr").read_text()
                    raise AssertionError(f"worker {coder} died before starting:\n{err}")
                if time.time() > deadline:
                    raise AssertionError(f"worker {coder} not ready after {timeout} s")
                time.sleep(0.05)
    until = time.time() + seconds
    for soak in soaks:
        # Atomically: a worker polls for the file and must never read it half-written.
        draft = soak.go.with_suffix(".draft")
        draft.write_text(repr(until))
        os.replace(draft, soak.go)


def wait(soaks: list[Soak], timeout: float) -> None:
    for soak in soaks:
        for coder, process in zip(soak.coders, soak.processes, strict=True):
            code = process.wait(timeout=timeout)
            err = (soak.folder / f"{coder}.stderr").read_text()
            assert code == 0, f"worker {coder} exited with {code}:\n{err}"


@dataclass
class Replay:
    """What the logs say the store must hold."""

    adds: dict[int, str] = field(default_factory=dict)
    """Coding id -> the coder whose add of it was acknowledged."""
    logged_events: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """Per coder, every acknowledged add/remove in order (the coder's event rows)."""
    standing: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    """Per coder, the events not undone at the end (replayed undo/redo stack)."""
    writes: Counter[int] = field(default_factory=Counter)
    """Coding id -> acknowledged removals, undos and redos that touched it."""
    ops: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    cross_removes: int = 0


def replay(soak: Soak) -> Replay:
    """Replay every coder's log (see the module docstring)."""
    result = Replay()
    entries = {c: [json.loads(line) for line in soak.log(c).read_text().splitlines()] for c in soak.coders}
    for coder, log in entries.items():
        for entry in log:
            if entry["op"] == "add":
                assert entry["id"] not in result.adds, f"coding {entry['id']} acknowledged twice"
                result.adds[entry["id"]] = coder
    for coder, log in entries.items():
        events: list[tuple[str, int]] = []
        stack: list[tuple[str, int]] = []
        undone: list[tuple[str, int]] = []
        for entry in log:
            op = entry["op"]
            result.ops[op] += 1
            if op in ("add", "remove"):
                event = (op, int(entry["id"]))
                events.append(event)
                stack.append(event)
                undone.clear()
                if op == "remove":
                    result.writes[event[1]] += 1
                    result.cross_removes += result.adds.get(event[1]) != coder
            elif op in ("undo", "redo"):
                source, target = (stack, undone) if op == "undo" else (undone, stack)
                if entry["action"] is None:
                    assert not source, f"{coder}: {op} found nothing, but {source[-1]} was pending"
                    continue
                event = (entry["action"], int(entry["id"]))
                expected = source.pop()
                assert event == expected, f"{coder}: {op} reverted {event}, expected {expected}"
                target.append(event)
                result.writes[event[1]] += 1
            elif op == "error":
                result.errors.append(f"{coder}: {entry['message']}")
            elif op == "end":
                result.seconds[coder] = float(entry["seconds"])
        result.logged_events[coder] = events
        result.standing[coder] = stack
    return result


def check(soak: Soak, minimum_seconds: float) -> Replay:
    """Compare the store with the replayed logs exactly; returns the replay for reporting."""
    expected = replay(soak)
    assert expected.errors == [], "\n".join(expected.errors[:20])
    assert set(expected.seconds) == set(soak.coders), "a worker did not finish its log"
    assert min(expected.seconds.values()) >= minimum_seconds, expected.seconds
    with soak.project.session() as session:
        codings = session.execute(
            select(CodingRow.id, CoderRow.name, CodingRow.deleted_at, CodingRow.version)
            .join(CoderRow, CoderRow.id == CodingRow.coder_id)
            .where(CoderRow.name.in_(soak.coders))
        ).all()
        events = session.execute(
            select(CoderRow.name, CodingEvent.action, CodingEvent.coding_id, CodingEvent.undone)
            .join(CoderRow, CoderRow.id == CodingEvent.coder_id)
            .where(CoderRow.name.in_(soak.coders))
            .order_by(CodingEvent.id)
        ).all()
    # Zero lost, zero duplicated: exactly the acknowledged adds exist, by the right coder.
    assert {c.id: c.name for c in codings} == expected.adds
    for coder in soak.coders:
        rows = [(e.action, e.coding_id) for e in events if e.name == coder]
        assert rows == expected.logged_events[coder], f"{coder}: event log differs"
        standing = [(e.action, e.coding_id) for e in events if e.name == coder and not e.undone]
        assert standing == expected.standing[coder], f"{coder}: undo state differs"
    standing_adds = {i for events_ in expected.standing.values() for a, i in events_ if a == "add"}
    standing_removes = {i for events_ in expected.standing.values() for a, i in events_ if a == "remove"}
    expected_live = standing_adds - standing_removes
    assert {c.id for c in codings if c.deleted_at is None} == expected_live
    versions = {c.id: c.version for c in codings}
    assert versions == {i: 1 + expected.writes[i] for i in expected.adds}
    return expected
