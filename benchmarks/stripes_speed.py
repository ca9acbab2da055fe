"""Opening a document with 2,000 codings, with and without the margin of coding stripes.

Prints the median time from ``enter`` in the corpus browser to the transcript's first drawn
line, and from a code's hotkey to the next drawn line (the coding committed and shown), for
a 5,000-utterance chat holding 2,000 codings (issue 16 item 4: opening must stay under 200 ms).
The baseline is the same workbench with the stripes hidden, measured in the same process,
runs alternating. Run: ``.venv/bin/python benchmarks/stripes_speed.py``.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from textual import events
from textual.strip import Strip

from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.project import init_project, open_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.coding import CodingScreen
from qcode.tui.widgets import transcript
from qcode.tui.widgets.transcript import TranscriptView
from tests.factories import make_document, store

N = 5000
CODINGS = 2000
RUNS = 3
KEYS = 5
CODES = ["open_vraag", "gesloten_vraag", "feedback", "onderwerp", "verificatie_interpretatie"]


def build(folder: Path) -> None:
    """One chat of N turns; 2,000 codings: 40 phase segments, turn codings, spans in turns."""
    project = init_project(folder)
    turns = [
        ("counsellor" if i % 2 else "client", f"2014-11-03 {(i // 60) % 24:02d}:{i % 60:02d}",
         f"Bericht {i}: hoe gaat het nu met je, en wat zou je willen bespreken vandaag?")
        for i in range(N)
    ]
    doc = make_document("casus-big/chat", "casus-big", turns)
    store(project, doc)
    team_service.add_coder(project, "anna")
    phases = ["intake", "probleemanalyse", "strategiebepaling", "doelformulering"]
    made = 0
    for p in range(40):
        coding_service.add_coding(project, doc.key, phases[p % 4], "anna", utterance=p * 125, last_utterance=p * 125 + 124)
        made += 1
    i = 0
    while made < CODINGS:
        u = doc.utterances[(i * 7) % N]
        if i % 3:
            coding_service.add_coding(project, doc.key, CODES[i % len(CODES)], "anna", start=u.start, end=u.end)
        else:
            coding_service.add_coding(project, doc.key, CODES[i % len(CODES)], "anna", start=u.start + 12, end=u.start + 30)
        made += 1
        i += 1
    project.close()


async def _until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the workbench did not react in time")
        await asyncio.sleep(0.0005)


def _send(app: QcodeApp, key: str) -> float:
    assert app._driver is not None
    started = time.perf_counter()
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    return started


async def measure(folder: Path, stripes: bool, draws: list[float], firsts: list[float]) -> tuple[float, list[float]]:
    transcript.STRIPES_MIN_WIDTH = 0 if stripes else 10**6  # shown or hidden whatever the width
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.5)
        draws.clear()
        sent = _send(app, "enter")
        await _until(lambda: isinstance(app.screen, CodingScreen) and bool(draws))
        first = draws[0] - sent
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        draws.clear()
        sent = _send(app, "enter")  # again: the screen is composed, the SQL compiled
        await _until(lambda: isinstance(app.screen, CodingScreen) and bool(draws))
        opened = draws[0] - sent
        firsts.append(first)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CodingScreen)
        assert screen.query_one(TranscriptView).stripes_shown is stripes
        assert len(screen.state.codings) >= CODINGS
        keys = []
        await pilot.press("end")
        for k in range(KEYS):
            if k:
                await pilot.press("k")
            draws.clear()
            sent = _send(app, "y")
            count = len(screen.state.codings)
            await _until(lambda count=count: len(screen.state.codings) != count and bool(draws))  # type: ignore[misc]
            keys.append(draws[-1] - sent)
            await pilot.pause()
        await pilot.press("q")
    return opened, keys


def main() -> None:
    draws: list[float] = []
    real = TranscriptView.render_line

    def timed(self: TranscriptView, y: int) -> Strip:
        strip = real(self, y)
        draws.append(time.perf_counter())
        return strip

    TranscriptView.render_line = timed  # type: ignore[method-assign]
    results: dict[bool, dict[str, list[float]]] = {False: {"open": [], "keys": [], "first": []}, True: {"open": [], "keys": [], "first": []}}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "bench"
        build(folder)
        for run in range(RUNS):
            for stripes in (False, True):
                # a new coder each time, so "y" always adds (on a coded turn it would remove)
                project = open_project(folder)
                team_service.add_coder(project, f"b{run}{int(stripes)}")
                project.close()
                opened, keys = asyncio.run(measure(folder, stripes, draws, results[stripes]["first"]))
                results[stripes]["open"].append(opened)
                results[stripes]["keys"].extend(keys)
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load}; {RUNS} runs each, alternating")
    med: dict[Any, float] = {}
    for stripes in (False, True):
        label = "stripes shown " if stripes else "stripes hidden"
        f = statistics.median(results[stripes]["first"]) * 1000
        o = statistics.median(results[stripes]["open"]) * 1000
        k = statistics.median(results[stripes]["keys"]) * 1000
        med[stripes] = o
        print(f"{label}: open {N}-turn chat with {CODINGS} codings: first {f:7.1f} ms, again {o:7.1f} ms; key to coding on screen {k:6.1f} ms (medians)")
    print(f"ratio open again shown/hidden: {med[True] / med[False]:.2f}  (target: open < 200 ms)")


if __name__ == "__main__":
    main()
