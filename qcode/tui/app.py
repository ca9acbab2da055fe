"""QcodeApp: opens the project, asks who codes, routes between screens. Handlers live on screens.

The app holds the session's :class:`~qcode.tui.context.WorkbenchContext` (project, coder,
codebook) and answers the screens' messages: navigation goes to
:class:`~qcode.tui.navigation.Navigator` (the one module that builds screens; this one imports
none), a codebook edit updates the context and the coding screen, "learn now" starts the
learning worker here, so it outlives the screen that asked.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path

from textual import on
from textual.app import SystemCommand
from textual.screen import Screen

from qcode.codebook.model import Codebook
from qcode.errors import QcodeError
from qcode.services import codebook as codebook_service
from qcode.services import learning
from qcode.services import team as team_service
from qcode.services.project import Project, open_project
from qcode.services.workbench import is_supervisor
from qcode.tui.bindings import APP_BINDINGS
from qcode.tui.context import WorkbenchContext
from qcode.tui.key_order import KeyOrder
from qcode.tui.messages import (
    CodebookChanged,
    CoderChanged,
    CoderChosen,
    LearnNow,
    ModelLearned,
    ModelReady,
    Navigate,
)
from qcode.tui.navigation import Navigator

LEARN_GROUP = "learn"
"""Worker group of "learn now" (one at a time)."""


class QcodeApp(KeyOrder):
    """The coding workbench. ``coder`` may be given; otherwise the first screen asks."""

    CSS_PATH = "styles/app.tcss"
    BINDINGS = APP_BINDINGS
    TITLE = "qcode"

    def __init__(
        self, project_dir: Path, coder: str = "", auto_suggest: bool = True, project: Project | None = None
    ) -> None:
        super().__init__()
        opened = project or open_project(project_dir)
        self.context = WorkbenchContext(opened, codebook_service.codebook(opened), coder, auto_suggest)
        self.navigator = Navigator(self, self.context)

    @property
    def project(self) -> Project:
        return self.context.project

    @property
    def coder(self) -> str:
        return self.context.coder

    @property
    def codebook(self) -> Codebook:
        return self.context.codebook

    def on_mount(self) -> None:
        self.set_keymap(dict(self.project.settings.keys))
        self.navigator.show_browser()
        self.call_after_refresh(self.navigator.prepare_coding_screen)
        # Everything loaded so far (Textual, SQLAlchemy, pandas, the codebook) lives as long as
        # the app: move it out of the collector's reach, so full collections triggered while
        # opening a long document do not scan it again and again (see services.gc_pause).
        self.call_after_refresh(gc.freeze)
        if self.coder:
            team_service.add_coder(self.project, self.coder)  # create the coder if new
            self._show_coder()
        else:
            self.choose_coder()

    # ---- the coder -------------------------------------------------------------------------
    def _show_coder(self) -> None:
        role = " (supervisor)" if is_supervisor(self.project, self.coder) else ""
        self.sub_title = f"coder: {self.coder}{role}"

    def choose_coder(self) -> None:
        self.navigator.choose_coder()

    def on_coder_chosen(self, message: CoderChosen) -> None:
        """The coder dialog answered: that coder codes from now on; the screens are told."""
        name = self.context.coder = message.name
        self._show_coder()
        for screen in self.screen_stack:
            screen.post_message(CoderChanged(name))

    # ---- messages from the screens -----------------------------------------------------------
    @on(Navigate)
    def _navigate(self, message: Navigate) -> None:
        try:
            self.navigator.go(message)
        finally:
            self.navigated(message)

    def on_codebook_changed(self, message: CodebookChanged) -> None:
        """A code was edited: every screen that shows codes gets the new codebook."""
        self.context.codebook = message.codebook
        self.navigator.codebook_changed(message.codebook)

    def on_learn_now(self, message: LearnNow) -> None:
        self.learn_now()

    def learn_now(self) -> None:
        """Fit a new model in a thread worker; the user keeps working, a toast reports the end."""
        if any(w.group == LEARN_GROUP and not w.is_finished for w in self.workers):
            self.notify("Already learning; the toast will say when it is done.")
            return
        self.notify("Learning from the team's codings in the background; keep coding.", title="Learn now")
        project = self.project

        def run() -> None:
            try:
                summary = learning.learn(project)
            except QcodeError as error:
                self.post_message(ModelLearned(error=error.message))
                return
            names = learning.code_names(project)
            codes = ", ".join(f"{names.get(c, c)} ({n})" for c, n in summary.codes.items())
            self.post_message(ModelLearned(f"Learned model {summary.version} from {summary.units} units: {codes}."))

        self.run_worker(run, thread=True, group=LEARN_GROUP, exclusive=True, name="learn now")

    def on_model_learned(self, message: ModelLearned) -> None:
        if message.error:
            self.notify(message.error, title="Not learned", severity="warning", timeout=8)
            return
        self.notify(message.line, title="Model ready", timeout=8)
        for screen in self.screen_stack:
            screen.post_message(ModelReady(message.line))

    # ---- what tests and the palette call -------------------------------------------------------
    def open_document(self, key: str, turn: int | None = None) -> None:
        """Show document ``key`` in the coding screen, the cursor on ``turn`` (index) if given."""
        self.navigator.open_document(key, turn)

    def show_fragments(self, code: str | None = None, filter_text: str = "", row: int = 0) -> None:
        """Fragments by code (``code`` id or name; None: pick one first)."""
        self.navigator.show_fragments(code, filter_text, row)

    def show_export(self, fmt: str = "qdpx") -> None:
        self.navigator.show_export(fmt)

    def action_help(self) -> None:
        self.navigator.show("help")

    def action_show_codebook(self) -> None:
        self.navigator.show("codebook")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Palette: the screen's own commands first, then app-wide ones ("verb: object")."""
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)

        yield SystemCommand("export: REFI-QDA", "Export the project as .qdpx", lambda: self.show_export("qdpx"))
        yield SystemCommand("export: tables", "Export codings as CSV tables", lambda: self.show_export("csv"))
        yield SystemCommand("memo: list", "Read, search and edit every memo; go to its place", lambda: self.navigator.show("memos"))
        yield SystemCommand("search: corpus", "Find words, lemmas or patterns; code the hits", lambda: self.navigator.show("search"))
        yield SystemCommand("code: find fragments", "Every coded fragment of a code, filtered", self.show_fragments)
        yield SystemCommand("codebook: edit", "Create, rename, recolour, regroup or merge codes", self.action_show_codebook)
        yield SystemCommand("show: statistics", "Frequency tables and phases per channel", lambda: self.navigator.show("statistics"))
        yield SystemCommand("show: agreement", "Agreement per code; adjudicate", lambda: self.navigator.show("agreement"))
        yield SystemCommand("show: keys", "Every key binding", self.action_help)
        yield SystemCommand("learn: now", "Learn from the team's codings (background)", self.learn_now)
        yield SystemCommand("show: trust", "How far the suggester agrees with you, per code", lambda: self.navigator.show("trust"))
        yield SystemCommand("switch: coder", "Code under another name", self.choose_coder)
        yield SystemCommand("quit: workbench", "Leave qcode (everything is saved)", self.exit)

    def on_unmount(self) -> None:
        gc.unfreeze()  # hand what on_mount froze back to the collector (tests run many apps)
        self.project.close()
