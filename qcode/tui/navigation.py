"""The one place that turns "show me that" into pushed screens.

Screens post :class:`~qcode.tui.messages.Navigate` messages (open this document at this
turn, the fragments of that code, the review queue of this cell); the app hands each to
:meth:`Navigator.go`. Only this module constructs the workbench's screens (modal dialogs that
return an answer to the screen that asked, such as the code chooser, are the asking screen's
own), so the app never imports a screen and no screen imports the app or another screen to
push it (import-linter contracts in pyproject.toml).

Screen modules are imported where they are first needed, as before: the first screen appears
without loading the modules of screens the user has not opened (docs/benchmarks.md, Workbench).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import App

from qcode.codebook.model import Codebook
from qcode.errors import QcodeError
from qcode.services import team as team_service
from qcode.services import workbench
from qcode.transcripts.model import Channel, Document
from qcode.tui.context import WorkbenchContext
from qcode.tui.messages import (
    ChooseCoder,
    Navigate,
    OpenDocument,
    OpenFragment,
    Place,
    Show,
    ShowExport,
    ShowFragments,
    ShowReview,
    ShowUnits,
)

if TYPE_CHECKING:
    from textual.screen import Screen

    from qcode.tui.screens.coding import CodingScreen

CODING_SCREEN = "coding"
"""Name of the one installed coding screen (reused for every document)."""

EMPTY_DOCUMENT = Document(key="", case_key="", channel=Channel.CHAT, text="", utterances=())
"""What the coding screen holds until the first document is opened."""


class Navigator:
    """Builds and pushes the workbench's screens for ``app``, each with the shared ``context``."""

    def __init__(self, app: App[None], context: WorkbenchContext) -> None:
        self.app = app
        self.context = context

    # ---- the message -----------------------------------------------------------------------
    def go(self, message: Navigate) -> None:
        """Push the screen ``message`` asks for."""
        match message:
            case OpenDocument(key=key, turn=turn):
                self.open_document(key, turn)
            case OpenFragment():
                self.open_fragment(message.document, message.turn, (message.code, message.filter_text, message.row))
            case ShowFragments(code=code, filter_text=filter_text, row=row):
                self.show_fragments(code, filter_text, row)
            case Show(place=place):
                self.show(place)
            case ShowExport(fmt=fmt):
                self.show_export(fmt)
            case ShowUnits():
                from qcode.tui.screens.units import UnitsScreen

                self.app.push_screen(UnitsScreen(self.context, message.coders, message.view, message.key, message.review))
            case ShowReview():
                from qcode.tui.screens.review import ReviewScreen

                self.app.push_screen(ReviewScreen(self.context, message.coders, message.codes, message.scope))
            case ChooseCoder():
                self.choose_coder()

    # ---- the first screens -----------------------------------------------------------------
    def show_browser(self) -> None:
        from qcode.tui.screens.browser import BrowserScreen

        self.app.push_screen(BrowserScreen(self.context))

    def prepare_coding_screen(self) -> None:
        """Compose the coding screen once the corpus list is on screen, while the user reads it.

        Composing it (footer, codebook panel) costs about as much as loading a 5,000-utterance
        chat. It is installed, so it survives being popped, and every document reuses it
        (:meth:`open_document` swaps the document in). Pushed and popped in one go, it is
        mounted without ever being drawn.
        """
        from qcode.tui.screens.coding import CodingScreen

        if self.app.is_screen_installed(CODING_SCREEN):
            return
        screen = CodingScreen(self.context, EMPTY_DOCUMENT)
        self.app.install_screen(screen, CODING_SCREEN)
        self.app.push_screen(screen)
        self.app.pop_screen()

    def coding_screen(self) -> CodingScreen | None:
        """The installed coding screen, if there is one yet."""
        from qcode.tui.screens.coding import CodingScreen

        if not self.app.is_screen_installed(CODING_SCREEN):
            return None
        screen = self.app.get_screen(CODING_SCREEN)
        return screen if isinstance(screen, CodingScreen) else None

    def choose_coder(self) -> None:
        """The coder dialog (its answer goes to the app as a CoderChosen message)."""
        from qcode.tui.screens.coder import CoderScreen

        coders = team_service.list_coders(self.context.project)
        people = [n for n, kind, _ in coders if kind == "person"]
        supervisors = {n for n, kind, supervisor in coders if kind == "person" and supervisor}

        self.app.push_screen(CoderScreen(self.context, people, supervisors))

    # ---- documents ---------------------------------------------------------------------------
    def open_document(self, key: str, turn: int | None = None) -> None:
        """Show document ``key`` in the coding screen, the cursor on ``turn`` (index) if given."""
        try:
            document = workbench.open_document(self.context.project, key)
        except QcodeError as error:
            self.app.notify(error.message, severity="error")
            return
        self.prepare_coding_screen()
        screen = self.coding_screen()
        assert screen is not None
        screen.swap(document)  # shown at once, or by the screen's on_mount if still composing
        self.app.push_screen(CODING_SCREEN)
        if turn is not None:
            self.app.call_after_refresh(screen.show_turn, turn)

    def open_fragment(self, document: str, turn: int, back: tuple[str, str, int]) -> None:
        """Open ``document`` at ``turn`` (index); escape in the transcript returns to the list.

        If the one coding screen is already on the stack (the list was opened from it), the
        list gives way to it and the coding screen remembers ``back`` (code, filter, row) to
        bring the list back on escape; otherwise the transcript opens on top of the list, and
        escape pops it.
        """
        app = self.app
        coding = self.coding_screen()
        if coding is None or coding not in app.screen_stack:
            self.open_document(document, turn)
            return
        while app.screen is not coding:
            app.pop_screen()
        if coding.document.key != document:
            try:
                coding.swap(workbench.open_document(self.context.project, document))
            except QcodeError as error:
                app.notify(error.message, severity="error")
                return
        coding.back_to_fragments = back
        app.call_after_refresh(coding.show_turn, turn)

    # ---- other screens -----------------------------------------------------------------------
    def show_fragments(self, code: str | None = None, filter_text: str = "", row: int = 0) -> None:
        """Fragments by code (``code`` id or name; None: pick one first)."""
        from qcode.tui.screens.code_chooser import CodeChooser
        from qcode.tui.screens.fragments import FragmentsScreen

        if code:
            self.app.push_screen(FragmentsScreen(self.context, code, filter_text, row))
            return

        def chosen(picked: str | None) -> None:
            if picked:
                self.show_fragments(picked)

        self.app.push_screen(CodeChooser(self.context.codebook, "Find the fragments of:"), chosen)

    def show(self, place: Place) -> None:
        """One of the screens that need nothing but the context."""
        self.app.push_screen(self._screen(place))

    def _screen(self, place: Place) -> Screen[None]:
        context = self.context
        if place == "statistics":
            from qcode.tui.screens.statistics import StatisticsScreen

            return StatisticsScreen(context)
        if place == "agreement":
            from qcode.tui.screens.agreement import AgreementScreen

            return AgreementScreen(context)
        if place == "search":
            from qcode.tui.screens.search import SearchScreen

            return SearchScreen(context)
        if place == "memos":
            from qcode.tui.screens.memos import MemoListScreen

            return MemoListScreen(context)
        if place == "codebook":
            from qcode.tui.screens.codebook import CodebookScreen

            return CodebookScreen(context)
        if place == "help":
            from qcode.tui.screens.help import HelpScreen

            return HelpScreen(dict(context.project.settings.keys), context.codebook)
        if place == "trust":
            from qcode.tui.screens.trust import TrustScreen

            return TrustScreen(context)
        raise ValueError(f"no workbench screen called {place!r}")

    def show_export(self, fmt: str = "qdpx") -> None:
        from qcode.tui.screens.export import ExportModal

        self.app.push_screen(ExportModal(self.context, fmt))

    # ---- changes -------------------------------------------------------------------------------
    def codebook_changed(self, codebook: Codebook) -> None:
        """A code was edited: the coding screen (if composed) shows the new names and colours."""
        screen = self.coding_screen()
        if screen is not None and screen.is_mounted:
            screen.codebook_changed(codebook)
