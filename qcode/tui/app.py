"""QcodeApp: opens the project, asks who codes, routes between screens. Handlers live on screens."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path

from textual.app import SystemCommand
from textual.screen import Screen

from qcode.codebook.model import Codebook
from qcode.errors import QcodeError
from qcode.services import codebook as codebook_service
from qcode.services import team as team_service
from qcode.services import workbench
from qcode.services.project import Project, open_project
from qcode.transcripts.model import Channel, Document
from qcode.tui.bindings import APP_BINDINGS
from qcode.tui.key_order import KeyOrder

CODING_SCREEN = "coding"
"""Name of the one installed coding screen (reused for every document)."""

EMPTY_DOCUMENT = Document(key="", case_key="", channel=Channel.CHAT, text="", utterances=())
"""What the coding screen holds until the first document is opened."""


class QcodeApp(KeyOrder):
    """The coding workbench. ``coder`` may be given; otherwise the first screen asks."""

    CSS_PATH = "styles/app.tcss"
    BINDINGS = APP_BINDINGS
    TITLE = "qcode"

    def __init__(
        self, project_dir: Path, coder: str = "", auto_suggest: bool = True, project: Project | None = None
    ) -> None:
        super().__init__()
        self.project = project or open_project(project_dir)
        self.coder = coder
        self.auto_suggest = auto_suggest
        self.codebook: Codebook = codebook_service.codebook(self.project)

    def on_mount(self) -> None:
        self.set_keymap(dict(self.project.settings.keys))
        from qcode.tui.screens.browser import BrowserScreen

        self.push_screen(BrowserScreen())
        self.call_after_refresh(self._prepare_coding_screen)
        # Everything loaded so far (Textual, SQLAlchemy, pandas, the codebook) lives as long as
        # the app: move it out of the collector's reach, so full collections triggered while
        # opening a long document do not scan it again and again (see services.gc_pause).
        self.call_after_refresh(gc.freeze)
        if self.coder:
            self.add_coder(self.coder)
            self._show_coder()
        else:
            self.choose_coder()

    def _prepare_coding_screen(self) -> None:
        """Compose the coding screen once the corpus list is on screen, while the user reads it.

        Composing it (footer, codebook panel) costs about as much as loading a 5,000-utterance
        chat. It is installed, so it survives being popped, and every document reuses it
        (:meth:`open_document` swaps the document in). Pushed and popped in one go, it is
        mounted without ever being drawn.
        """
        from qcode.tui.screens.coding import CodingScreen

        if self.is_screen_installed(CODING_SCREEN):
            return
        screen = CodingScreen(EMPTY_DOCUMENT, self.codebook, auto_suggest=self.auto_suggest)
        self.install_screen(screen, CODING_SCREEN)
        self.push_screen(screen)
        self.pop_screen()

    def _show_coder(self) -> None:
        role = " (supervisor)" if self._is_supervisor() else ""
        self.sub_title = f"coder: {self.coder}{role}"

    def _is_supervisor(self) -> bool:
        from qcode.services.workbench import is_supervisor

        return is_supervisor(self.project, self.coder)

    def add_coder(self, name: str) -> None:
        """Create the coder if new (raises QcodeError for reserved names)."""
        team_service.add_coder(self.project, name)

    def choose_coder(self) -> None:
        from qcode.tui.screens.coder import CoderScreen

        coders = team_service.list_coders(self.project)
        people = [n for n, kind, _ in coders if kind == "person"]
        supervisors = {n for n, kind, supervisor in coders if kind == "person" and supervisor}

        def chosen(name: str | None) -> None:
            if name:
                self.coder = name
                self._show_coder()
                screen = self.screen
                if hasattr(screen, "refresh_rows"):
                    screen.refresh_rows()

        self.push_screen(CoderScreen(people, supervisors, current=self.coder), chosen)

    def open_document(self, key: str, turn: int | None = None) -> None:
        """Show document ``key`` in the coding screen, the cursor on ``turn`` (index) if given."""
        from qcode.tui.screens.coding import CodingScreen

        try:
            document = workbench.open_document(self.project, key)
        except QcodeError as error:
            self.notify(error.message, severity="error")
            return
        if not self.is_screen_installed(CODING_SCREEN):
            self._prepare_coding_screen()
        screen = self.get_screen(CODING_SCREEN)
        assert isinstance(screen, CodingScreen)
        screen.swap(document)  # shown at once, or by the screen's on_mount if still composing
        self.push_screen(CODING_SCREEN)
        if turn is not None:
            self.call_after_refresh(screen.show_turn, turn)

    def action_help(self) -> None:
        from qcode.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(dict(self.project.settings.keys), self.codebook))

    def show_statistics(self) -> None:
        from qcode.tui.screens.statistics import StatisticsScreen

        self.push_screen(StatisticsScreen())

    def show_agreement(self) -> None:
        from qcode.tui.screens.agreement import AgreementScreen

        self.push_screen(AgreementScreen())

    def show_search(self) -> None:
        from qcode.tui.screens.search import SearchScreen

        self.push_screen(SearchScreen())

    def show_fragments(self, code: str | None = None, filter_text: str = "", row: int = 0) -> None:
        """Fragments by code (``code`` id or name; None: pick one first)."""
        from qcode.tui.screens.code_chooser import CodeChooser
        from qcode.tui.screens.fragments import FragmentsScreen

        if code:
            self.push_screen(FragmentsScreen(code, filter_text, row))
        else:
            self.push_screen(CodeChooser(self.codebook, "Find the fragments of:"), lambda chosen: self.show_fragments(chosen) if chosen else None)

    def action_show_codebook(self) -> None:
        from qcode.tui.screens.codebook import CodebookScreen

        self.push_screen(CodebookScreen())

    def codebook_changed(self, codebook: Codebook) -> None:
        """A code was edited: every screen that shows codes gets the new codebook."""
        from qcode.tui.screens.coding import CodingScreen

        self.codebook = codebook
        if self.is_screen_installed(CODING_SCREEN):
            screen = self.get_screen(CODING_SCREEN)
            if isinstance(screen, CodingScreen) and screen.is_mounted:
                screen.codebook_changed(codebook)

    def show_memos(self) -> None:
        from qcode.tui.screens.memos import MemoListScreen

        self.push_screen(MemoListScreen())

    def show_export(self, fmt: str = "qdpx") -> None:
        from qcode.tui.screens.export import ExportModal

        self.push_screen(ExportModal(fmt))

    def show_trust(self) -> None:
        from qcode.tui.screens.trust import TrustScreen

        self.push_screen(TrustScreen(self.coder))

    def learn_now(self) -> None:
        from qcode.tui.screens.trust import start_learning

        start_learning(self)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Palette: the screen's own commands first, then app-wide ones ("verb: object")."""
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand("export: REFI-QDA", "Export the project as .qdpx", lambda: self.show_export("qdpx"))
        yield SystemCommand("export: tables", "Export codings as CSV tables", lambda: self.show_export("csv"))
        yield SystemCommand("memo: list", "Read, search and edit every memo; go to its place", self.show_memos)
        yield SystemCommand("search: corpus", "Find words, lemmas or patterns; code the hits", self.show_search)
        yield SystemCommand("code: find fragments", "Every coded fragment of a code, filtered", self.show_fragments)
        yield SystemCommand("codebook: edit", "Create, rename, recolour, regroup or merge codes", self.action_show_codebook)
        yield SystemCommand("show: statistics", "Frequency tables and phases per channel", self.show_statistics)
        yield SystemCommand("show: agreement", "Agreement per code; adjudicate", self.show_agreement)
        yield SystemCommand("show: keys", "Every key binding", self.action_help)
        yield SystemCommand("learn: now", "Learn from the team's codings (background)", self.learn_now)
        yield SystemCommand("show: trust", "How far the suggester agrees with you, per code", self.show_trust)
        yield SystemCommand("switch: coder", "Code under another name", self.choose_coder)
        yield SystemCommand("quit: workbench", "Leave qcode (everything is saved)", self.exit)

    def on_unmount(self) -> None:
        gc.unfreeze()  # hand what on_mount froze back to the collector (tests run many apps)
        self.project.close()
