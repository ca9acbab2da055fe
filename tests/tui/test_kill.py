"""SIGKILL mid-session: every coding made before the kill is in the store."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services import workbench
from qcode.services.project import open_project

ROOT = Path(__file__).resolve().parents[2]


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if needle in seen:
                return seen
    raise AssertionError(f"{needle!r} not shown within {timeout}s; got {seen[-400:]!r}")


def _drain(fd: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                os.read(fd, 65536)
            except OSError:
                return


def test_sigkill_keeps_every_coding(demo_dir: Path) -> None:
    project = open_project(demo_dir)
    team_service.add_coder(project, "anna")  # qcode tui --coder refuses an unregistered name
    doc_key = workbench.corpus_overview(project, "anna")[0].document
    project.close()
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "qcode", "tui", "--project", str(demo_dir), "--coder", "anna", "--no-suggest"],
        stdin=follower, stdout=follower, stderr=follower, cwd=ROOT, env=env, start_new_session=True,
    )
    os.close(follower)
    try:
        _read_until(leader, b"Mine", 30)
        _drain(leader, 0.5)
        for key in (b"\r", b"j", b"y", b"j", b"w", b"j", b"g"):
            os.write(leader, key)
            _drain(leader, 0.4)
        _drain(leader, 1.0)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
    assert proc.returncode == -signal.SIGKILL
    project = open_project(demo_dir)
    frame = coding_service.list_codings(project, documents=[doc_key], coders=["anna"], viewer="anna")
    project.close()
    assert sorted(zip(frame["code"], frame["utterance"], strict=True)) == [
        ("gesloten_vraag", 3),
        ("open_vraag", 2),
        ("verificatie_interpretatie", 1),
    ]
