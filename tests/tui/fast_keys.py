"""Typing as fast as a terminal delivers keys: every key queued before the app handles any.

``Pilot.press`` waits for the app to go idle after each key, which hides ordering bugs: a
coder typing ``w r j j 2`` in a burst gets all five keys into the app's queue at once. This
helper builds the same key events as ``App._press_keys`` and sends them with no waiting.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot


def key_event(key: str) -> events.Key:
    """The event ``Pilot.press(key)`` would send."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def type_fast(pilot: Pilot[Any], *keys: str) -> None:
    """Send every key with no pause in between, then let the app finish handling them."""
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for key in keys:
        event = key_event(key)
        event.set_sender(app)
        driver.send_message(event)
    for _ in range(3):
        await pilot.pause()
