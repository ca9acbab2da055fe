"""Waiting for a screen's background work in Pilot tests, without timing assumptions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot


async def wait_until(pilot: Pilot[Any], ready: Callable[[], bool], attempts: int = 300) -> None:
    """Pause until ``ready()`` holds, letting workers finish in between.

    ``workers.wait_for_complete`` alone is not enough: a screen pushed by a key may not have
    started its worker yet when it is called (seen on a loaded machine under xdist).
    """
    for _ in range(attempts):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        if ready():
            await pilot.pause()
            return
    raise AssertionError("the screen did not finish its background work")
