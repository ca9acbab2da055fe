"""Workbench speed, driven with Textual's Pilot against a real SQLite project.

Prints: time to first screen, time to open a 5,000-utterance chat, and time from keypress to
committed coding (targets < 1 s, < 200 ms, < 30 ms). Run: ``.venv/bin/python benchmarks/tui_speed.py``.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qcode.services import coding as coding_service
from qcode.services.project import init_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from tests.factories import make_document, store

N = 5000


def build(folder: Path) -> str:
    """A project holding one chat of N utterances (alternating roles, one per minute)."""
    project = init_project(folder)
    turns = [
        ("counsellor" if i % 2 else "client", f"2014-11-03 {(i // 60) % 24:02d}:{i % 60:02d}",
         f"Bericht {i}: hoe gaat het nu met je, en wat zou je willen bespreken vandaag?")
        for i in range(N)
    ]
    doc = make_document("casus-big/chat", "casus-big", turns)
    store(project, doc)
    project.close()
    return doc.key


async def measure(folder: Path) -> tuple[float, float, list[float]]:
    started = time.perf_counter()
    app = QcodeApp(folder, coder="bench", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first_screen = time.perf_counter() - started
        t = time.perf_counter()
        await pilot.press("enter")
        while not isinstance(app.screen, CodingScreen):
            await asyncio.sleep(0)
        await pilot.pause()
        open_doc = time.perf_counter() - t
        screen = app.screen
        commits: list[float] = []
        for i in range(20):
            await pilot.press("end" if i == 0 else "k")
            before = len(screen.state.codings)
            t = time.perf_counter()
            await pilot.press("y")
            commits.append(time.perf_counter() - t)
            assert len(screen.state.codings) == before + 1
        stored = coding_service.list_codings(app.project, coders=["bench"], viewer="bench")
        assert len(stored) == 20
        await pilot.press("q")
    return first_screen, open_doc, commits


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        build(folder)
        first, open_doc, commits = asyncio.run(measure(folder))
    print(f"time to first screen:              {first * 1000:7.0f} ms  (target < 1000 ms)")
    print(f"open a {N}-utterance chat:        {open_doc * 1000:7.0f} ms  (target < 200 ms)")
    print(f"keypress to committed coding:      {statistics.median(commits) * 1000:7.1f} ms median, "
          f"{max(commits) * 1000:.1f} ms max over {len(commits)}  (target < 30 ms)")


if __name__ == "__main__":
    main()
