"""Workbench speed, driven with Textual's Pilot against a real SQLite project.

Prints: time to first screen, time to open a 5,000-utterance chat, and time from keypress to
committed coding (targets < 1 s, < 200 ms, < 30 ms). Run: ``.venv/bin/python benchmarks/tui_speed.py``.

How it measures. ``Pilot.press`` waits for the app to go idle twice per key, sleeping at least
20 ms each time (``textual._wait.wait_for_idle``), so timing ``press`` measures Pilot, not
qcode (about 45 ms per key even for a key that does nothing). Instead, keys are posted to the
app as a terminal would send them, and the clock stops at a hook:

- first screen: constructing the app -> the corpus table draws its first line;
- open: key ``enter`` in the corpus browser -> the transcript draws its first line;
- keypress: key ``y`` -> the coding service returns (the coding is committed), and -> the
  transcript draws its next line (the user sees the badge).

Each app start runs in a new process, as when a user starts qcode.

A second project measures the same with a full study's codings (issue 16): 50,000 codings,
2,000 of them on the open chat (by two other coders and the automatic coder), the rest on
48 other documents; targets: opening that chat < 200 ms, key to committed coding < 30 ms
(medians).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events
from textual.strip import Strip
from textual.widgets import DataTable

from qcode.services import codings as coding_service
from qcode.services.project import init_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.widgets.transcript import TranscriptView
from tests.factories import make_document, store

N = 5000
KEYS = 20
CODINGS = 50_000
"""Codings in the second project, ON_DOCUMENT of them on the chat the benchmark opens."""
ON_DOCUMENT = 2_000
OTHER_DOCUMENTS = 48


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


def build_coded(folder: Path) -> str:
    """The chat of :func:`build` in a project holding CODINGS codings, ON_DOCUMENT on the chat."""
    from qcode.coding.model import AUTO_CODER, Coding, Origin
    from qcode.services.project import now, open_project
    from qcode.storage import codings as coding_store

    key = build(folder)
    others = []
    per_document = (CODINGS - ON_DOCUMENT) // OTHER_DOCUMENTS
    for d in range(OTHER_DOCUMENTS):
        turns = [
            ("counsellor" if i % 2 else "client", f"2014-11-04 {(i // 60) % 24:02d}:{i % 60:02d}",
             f"Bericht {i}: wat zou je willen bespreken, en hoe gaat het met je?")
            for i in range(per_document // 2)
        ]
        others.append(make_document(f"casus-{d:02d}/chat", f"casus-{d:02d}", turns))
    project = open_project(folder)
    try:
        store(project, *others)
        codes = ["open_vraag", "gesloten_vraag", "feedback", "verificatie_interpretatie"]
        from qcode.services.corpus import get_document

        jobs: dict[str, list[Coding]] = {"anna": [], "bram": [], AUTO_CODER: []}
        chat = get_document(project, key)
        for i in range(ON_DOCUMENT):  # spread over the chat; two coders and the machine
            u = chat.utterances[(i * 7) % N]
            coder = ("anna", "bram", AUTO_CODER)[i % 3]
            origin = Origin.AUTOMATIC if coder == AUTO_CODER else Origin.MANUAL
            jobs[coder].append(Coding(key, u.start, u.end, codes[i % 4], coder, origin))
        for doc in others:
            for i in range(per_document):
                u = doc.utterances[i // 2]
                coder = ("anna", "bram")[i % 2]
                jobs[coder].append(Coding(doc.key, u.start, u.end, codes[i % 4], coder, Origin.MANUAL))
        with project.session() as session:
            for codings in jobs.values():
                coding_store.add_codings(session, codings, now())
        total = len(coding_service.list_codings(project))
        on_chat = len(coding_service.list_codings(project, documents=[key]))
        assert (total, on_chat) == (CODINGS, ON_DOCUMENT), (total, on_chat)
    finally:
        project.close()
    return key


class Hooks:
    """Timestamps of commits and transcript draws, recorded by wrapping the real functions."""

    def __init__(self) -> None:
        self.commits: list[float] = []
        self.draws: list[float] = []
        self.tables: list[float] = []
        """Draws of a filled corpus table (the first screen)."""

    def install(self) -> Callable[[], None]:
        draws, commits, tables = self.draws, self.commits, self.tables
        add_coding, render_line = coding_service.add_coding, TranscriptView.render_line
        table_line = DataTable.render_line

        def timed_table(self: DataTable[Any], y: int) -> Strip:
            strip = table_line(self, y)
            if self.row_count and not tables:
                tables.append(time.perf_counter())
            return strip

        def timed_add(*args: Any, **kwargs: Any) -> int:
            result = add_coding(*args, **kwargs)
            commits.append(time.perf_counter())
            return result

        def timed_render(self: TranscriptView, y: int) -> Strip:
            strip = render_line(self, y)
            if self.document is not None and self.turn_at_row(0) is not None:
                draws.append(time.perf_counter())
            return strip

        coding_service.add_coding = timed_add
        TranscriptView.render_line = timed_render  # type: ignore[method-assign]
        DataTable.render_line = timed_table  # type: ignore[method-assign]

        def uninstall() -> None:
            coding_service.add_coding = add_coding
            TranscriptView.render_line = render_line  # type: ignore[method-assign]
            DataTable.render_line = table_line  # type: ignore[method-assign]

        return uninstall


async def _until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the workbench did not react in time")
        await asyncio.sleep(0.0005)


def _send(app: QcodeApp, key: str) -> float:
    """Post a key as the terminal driver would; returns the time it was sent."""
    assert app._driver is not None
    started = time.perf_counter()
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    return started


async def measure(folder: Path, hooks: Hooks, coder: str) -> tuple[float, float, float, list[float], list[float]]:
    started = time.perf_counter()
    app = QcodeApp(folder, coder=coder, auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _until(lambda: bool(hooks.tables))
        first_screen = hooks.tables[0] - started
        await pilot.pause()

        hooks.draws.clear()
        sent = _send(app, "enter")
        await _until(lambda: isinstance(app.screen, CodingScreen) and bool(hooks.draws))
        open_doc = hooks.draws[0] - sent
        await pilot.pause()
        await pilot.press("escape")
        hooks.draws.clear()
        sent = _send(app, "enter")
        await _until(lambda: isinstance(app.screen, CodingScreen) and bool(hooks.draws))
        reopen = hooks.draws[0] - sent
        await pilot.pause()

        screen = app.screen
        assert isinstance(screen, CodingScreen)
        to_commit: list[float] = []
        to_draw: list[float] = []
        await pilot.press("end")
        for i in range(KEYS):
            if i:
                await pilot.press("k")
            before = len(screen.state.codings)
            hooks.commits.clear()
            hooks.draws.clear()
            sent = _send(app, "y")
            await _until(lambda: bool(hooks.commits) and bool(hooks.draws) and hooks.draws[-1] > hooks.commits[0])
            to_commit.append(hooks.commits[0] - sent)
            to_draw.append(next(t for t in hooks.draws if t > hooks.commits[0]) - sent)
            await pilot.pause()
            assert len(screen.state.codings) == before + 1
        stored = coding_service.list_codings(app.project, coders=[coder], viewer=coder)
        assert len(stored) == KEYS
        await pilot.press("q")
    return first_screen, open_doc, reopen, to_commit, to_draw


def _spread(values: list[float]) -> str:
    """Median and range in ms (the machine is shared: one run is not a measurement)."""
    ms = sorted(v * 1000 for v in values)
    return f"{statistics.median(ms):7.1f} ms median ({ms[0]:.1f}-{ms[-1]:.1f})"


def one_run(folder: Path, coder: str) -> None:
    """One app start in this (fresh) process; prints the numbers as JSON for ``main``."""
    hooks = Hooks()
    hooks.install()
    first, open_doc, reopen, commits, draws = asyncio.run(measure(folder, hooks, coder))
    print(json.dumps({"first": first, "open": open_doc, "reopen": reopen, "commits": commits, "draws": draws}))


def _runs(folder: Path, runs: int) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    for run in range(runs):  # a coder per run: "y" on a coded utterance would remove it
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(folder), f"bench{run}"],
            check=True, capture_output=True, text=True,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def _report(results: list[dict[str, Any]]) -> None:
    print(f"time to first screen:          {_spread([r['first'] for r in results])}  (target < 1000 ms)")
    print(f"open a {N}-utterance chat:    {_spread([r['open'] for r in results])}  (target < 200 ms)")
    print(f"open it again (screen reused): {_spread([r['reopen'] for r in results])}")
    commits = [t for r in results for t in r["commits"]]
    print(f"keypress to committed coding:  {_spread(commits)} over {len(commits)} keys  (target < 30 ms)")
    print(f"keypress to coding on screen:  {_spread([t for r in results for t in r['draws']])}")


def main(runs: int = 3) -> None:
    """Build each project once, then start the workbench ``runs`` times on it, each in a new
    process (as a user starts qcode: nothing imported or cached by an earlier run)."""
    with tempfile.TemporaryDirectory() as tmp:
        build(Path(tmp) / "bench")
        plain = _runs(Path(tmp) / "bench", runs)
        build_coded(Path(tmp) / "coded")
        coded = _runs(Path(tmp) / "coded", runs)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load}; {runs} app starts per project, each in a new process")
    print(f"-- one {N}-utterance chat, no codings")
    _report(plain)
    print(f"-- the same chat in a project with {CODINGS:,} codings, {ON_DOCUMENT:,} of them on the chat")
    _report(coded)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--one"]:
        one_run(Path(sys.argv[2]), sys.argv[3])
    else:
        main(int(sys.argv[1]) if sys.argv[1:2] else 3)
