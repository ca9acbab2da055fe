"""Keys handled one after another, however fast they come (issue 16, "Fast typing").

Textual routes a key in several hops: the app takes it from its queue, runs priority bindings,
or forwards it to the focused widget's queue; from there it bubbles up through the screen and
back to the app, which only then runs the ordinary bindings. Keys typed in a burst (or while
the app was busy committing a coding) therefore overtake each other: the app forwards the
next key before the previous one has come back, so a key typed after ``/`` (find a code) or
after ``enter`` in the search box reaches the widget that had the focus *before* them.

:class:`KeyOrder` holds each new key back until the previous one has been handled completely
(handled by a priority binding, stopped by a widget, or back in the app and its binding run),
and until a screen pushed by it is mounted, so every key acts on the state the keys before
it left. Held keys are released in typing order. A key that never finishes (a widget gone
meanwhile) releases the queue after :data:`MAX_WAIT` seconds.

Screens ask for another screen with a :class:`~qcode.tui.messages.Navigate` message posted to
the app, which reaches the app's queue *behind* keys typed meanwhile. Such a message holds the
keys as a key does, until the app has handled it (:meth:`KeyOrder.navigated`) and the screen
it pushed is mounted: ``enter j`` typed fast moves in the opened transcript, not in the list.
"""

from __future__ import annotations

from collections import deque
from time import monotonic

from textual import events
from textual.app import App
from textual.message import Message

from qcode.tui.messages import Navigate

MAX_WAIT = 0.5
"""Seconds after which a key that never came back no longer holds the next ones."""

POLL = 0.002
"""Seconds between checks while a key is held back."""


class KeyOrder(App[None]):
    """An app base class that handles keys strictly in typing order."""

    def __init__(self) -> None:
        super().__init__()
        self._in_flight: events.Key | None = None
        self._in_flight_since = 0.0
        self._returning = False
        self._held: deque[events.Key] = deque()
        self._released: events.Key | None = None
        self._held_since = 0.0
        self._navigating: Navigate | None = None
        self._navigating_since = 0.0

    def _key_busy(self) -> bool:
        """Is an earlier key still on its way (or the screen change it asked for)?"""
        if self._navigating is not None:
            if monotonic() - self._navigating_since <= MAX_WAIT:
                return True
            self._navigating = None
        key = self._in_flight
        if key is None:
            return False
        if monotonic() - self._in_flight_since > MAX_WAIT:
            self._in_flight = None
            return False
        if self._returning:  # back in the app's queue: its binding has not run yet
            return True
        if key._stop_propagation:  # a widget took it (typing in a box)
            self._in_flight = None
            return False
        return True

    def _screen_settling(self) -> bool:
        """A screen pushed by the last key is not mounted yet (keys would miss its focus)."""
        try:
            return not self.screen.is_mounted
        except Exception:  # no screen yet, or the app is closing: nothing to wait for
            return False

    def post_message(self, message: Message) -> bool:
        if message is self._in_flight:
            self._returning = True
        elif isinstance(message, Navigate):
            self._navigating, self._navigating_since = message, monotonic()
        return super().post_message(message)

    def navigated(self, message: Navigate) -> None:
        """``message`` has been handled: the keys behind it may go (once its screen is up)."""
        if message is self._navigating:
            self._navigating = None

    async def on_event(self, event: events.Event) -> None:
        if not isinstance(event, events.Key):
            await super().on_event(event)
            return
        if event.is_forwarded:  # a key back from the focused widget: its bindings run now
            await super().on_event(event)
            if event is self._in_flight:
                self._in_flight, self._returning = None, False
            return
        if event is not self._released and (self._held or self._key_busy() or self._screen_settling()):
            self._held.append(event)
            if len(self._held) == 1:
                self._held_since = monotonic()
                self.set_timer(POLL, self._release)
            return
        self._released = None
        self._in_flight, self._in_flight_since, self._returning = event, monotonic(), False
        await super().on_event(event)
        if not event.is_forwarded:  # handled by a priority binding, here and now
            self._in_flight = None

    def _release(self) -> None:
        """Send the oldest held key on once the one before it is done; check again if not."""
        if not self._held:
            return
        stuck = monotonic() - self._held_since > 4 * MAX_WAIT  # never hold keys for good
        if not stuck and (self._released is not None or self._key_busy() or self._screen_settling()):
            self.set_timer(POLL, self._release)  # (a released key not picked up yet counts too)
            return
        key = self._released = self._held.popleft()
        self._held_since = monotonic()
        super().post_message(key)
        if self._held:
            self.set_timer(POLL, self._release)
