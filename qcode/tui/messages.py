"""Messages between workbench screens, widgets and the app (dataclasses, as Textual allows).

Three kinds:
- widget -> screen: :class:`TurnClicked`, :class:`CodeChosen`;
- screen -> app, "take me there": subclasses of :class:`Navigate`, which
  :mod:`qcode.tui.navigation` turns into pushed screens (the one place that knows the screens),
  :class:`CodebookChanged` (the app updates the shared context and the coding screen) and
  :class:`CoderChosen`;
- app -> screens: :class:`CoderChanged`, :class:`ModelReady`.
Each screen's thread workers post their results as messages defined in the screen's own module
(``bubble = False``: they are for that screen only); :class:`SuggestionsReady` is the coding
screen's.

Screens post navigation to the app itself (``self.app.post_message``), not to their own queue:
:class:`~qcode.tui.key_order.KeyOrder` then holds the keys typed after it until the new screen
is up, so they act on that screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from textual.message import Message

from qcode.codebook.model import Codebook


@dataclass
class TurnClicked(Message):
    """The user clicked on a turn of the transcript."""

    turn: int


@dataclass
class CodeChosen(Message):
    """The user picked a code in the codebook panel (click or enter)."""

    code: str
    """Code id."""


@dataclass
class SuggestionsReady(Message):
    """The background suggester finished a document (or failed with ``error``)."""

    bubble: ClassVar[bool] = False
    document: str
    error: str = ""


# ---- navigation: screen -> app ---------------------------------------------------------------
class Navigate(Message):
    """Base of every "show me that" message; the app hands them to the navigator."""


Place = Literal["statistics", "agreement", "search", "memos", "codebook", "help", "trust"]
"""Screens opened with nothing more than the context."""


@dataclass
class Show(Navigate):
    """Open one of the workbench's own screens (:data:`Place`) on top of this one."""

    place: Place


@dataclass
class ShowExport(Navigate):
    """The export dialog, with ``fmt`` (qdpx, qdc, csv, xlsx) chosen."""

    fmt: str = "qdpx"


@dataclass
class OpenDocument(Navigate):
    """Show document ``key`` in the coding screen, the cursor on ``turn`` (index) if given."""

    key: str
    turn: int | None = None


@dataclass
class OpenFragment(Navigate):
    """Open a fragment's document at its turn; escape there brings back the fragments list of
    ``code`` with ``filter_text``, the cursor on ``row``."""

    document: str
    turn: int
    code: str
    filter_text: str
    row: int


@dataclass
class ShowFragments(Navigate):
    """Every fragment of ``code`` (id or name; None: ask which code first)."""

    code: str | None
    filter_text: str = ""
    row: int = 0


ReviewArgs = tuple[list[str], list[str] | None, tuple[str, str] | None]
"""Coders, codes and scope of a review queue."""


@dataclass
class ShowUnits(Navigate):
    """The units behind one agreement figure (``view`` and ``key`` name the figure);
    ``review`` is what its review queue is opened with."""

    coders: list[str]
    view: str
    key: str | tuple[str, str]
    review: ReviewArgs | None = None


@dataclass
class ShowReview(Navigate):
    """The review queue of the open disagreements between ``coders``."""

    coders: list[str]
    codes: list[str] | None = None
    scope: tuple[str, str] | None = None


class ChooseCoder(Navigate):
    """Ask who codes now (the coder dialog)."""


# ---- changes: screen -> app, app -> screens ---------------------------------------------------
@dataclass
class CodebookChanged(Message):
    """A screen edited the codebook; ``codebook`` is the store's new one."""

    codebook: Codebook


@dataclass
class CoderChosen(Message):
    """The coder dialog: ``name`` codes from now on (a new name is already a coder)."""

    name: str


@dataclass
class CoderChanged(Message):
    """The app: someone else codes now (the context says who); screens that show progress redraw."""

    bubble: ClassVar[bool] = False
    coder: str


class LearnNow(Message):
    """A screen asks the app to learn from the team's codings in the background."""


@dataclass
class ModelLearned(Message):
    """The app's learning worker finished: ``line`` says what was learned, or ``error`` why not."""

    line: str = ""
    error: str = ""


@dataclass
class ModelReady(Message):
    """The app: a new model was learned (``line`` says what); screens showing figures recompute."""

    bubble: ClassVar[bool] = False
    line: str
