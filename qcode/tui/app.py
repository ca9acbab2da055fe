"""QcodeApp: opens the project, asks who codes, routes between screens. Handlers live on screens."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from qcode.codebook.model import Codebook
from qcode.errors import QcodeError
from qcode.services import coding as coding_service
from qcode.services import workbench
from qcode.services.project import Project, open_project
from qcode.tui.bindings import APP_BINDINGS


class QcodeApp(App[None]):
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
        self.codebook: Codebook = coding_service.codebook(self.project)

    def on_mount(self) -> None:
        self.set_keymap(dict(self.project.settings.keys))
        from qcode.tui.screens.browser import BrowserScreen

        self.push_screen(BrowserScreen())
        if self.coder:
            self.add_coder(self.coder)
            self._show_coder()
        else:
            self.choose_coder()

    def _show_coder(self) -> None:
        role = " (supervisor)" if self._is_supervisor() else ""
        self.sub_title = f"coder: {self.coder}{role}"

    def _is_supervisor(self) -> bool:
        from qcode.services.workbench import is_supervisor

        return is_supervisor(self.project, self.coder)

    def add_coder(self, name: str) -> None:
        """Create the coder if new (raises QcodeError for reserved names)."""
        coding_service.add_coder(self.project, name)

    def choose_coder(self) -> None:
        from qcode.tui.screens.coder import CoderScreen

        people = [n for n, kind, _ in coding_service.list_coders(self.project) if kind == "person"]

        def chosen(name: str | None) -> None:
            if name:
                self.coder = name
                self._show_coder()
                screen = self.screen
                if hasattr(screen, "refresh_rows"):
                    screen.refresh_rows()

        self.push_screen(CoderScreen(people), chosen)

    def open_document(self, key: str) -> None:
        from qcode.tui.screens.coding import CodingScreen

        try:
            document = workbench.open_document(self.project, key)
        except QcodeError as error:
            self.notify(error.message, severity="error")
            return
        self.push_screen(CodingScreen(document, self.codebook, auto_suggest=self.auto_suggest))

    def action_help(self) -> None:
        from qcode.tui.screens.help import HelpScreen

        self.push_screen(HelpScreen(dict(self.project.settings.keys), self.codebook))

    def show_statistics(self) -> None:
        from qcode.tui.screens.supervisor import StatisticsScreen

        self.push_screen(StatisticsScreen())

    def show_agreement(self) -> None:
        from qcode.tui.screens.supervisor import AgreementScreen

        self.push_screen(AgreementScreen())

    def show_export(self, fmt: str = "qdpx") -> None:
        from qcode.tui.screens.supervisor import ExportModal

        self.push_screen(ExportModal(fmt))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Palette: the screen's own commands first, then app-wide ones ("verb: object")."""
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand("export: REFI-QDA", "Export the project as .qdpx", lambda: self.show_export("qdpx"))
        yield SystemCommand("export: tables", "Export codings as CSV tables", lambda: self.show_export("csv"))
        yield SystemCommand("show: statistics", "Frequency tables and phases per channel", self.show_statistics)
        yield SystemCommand("show: agreement", "Agreement per code; adjudicate", self.show_agreement)
        yield SystemCommand("show: keys", "Every key binding", self.action_help)
        yield SystemCommand("switch: coder", "Code under another name", self.choose_coder)
        yield SystemCommand("quit: workbench", "Leave qcode (everything is saved)", self.exit)

    def on_unmount(self) -> None:
        self.project.close()
