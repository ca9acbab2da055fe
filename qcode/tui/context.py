"""What every workbench screen works with: the open project, who codes, the codebook.

Screens get a :class:`WorkbenchContext` in their constructor (from
:mod:`qcode.tui.navigation`, which builds every screen) instead of reaching for the app: a
screen then runs in any Textual app that hands it a context (the tests mount screens in a bare
``App``), and nothing in a screen needs to know the app's class.
"""

from __future__ import annotations

from dataclasses import dataclass

from qcode.codebook.model import Codebook
from qcode.services.project import Project


@dataclass(eq=False, slots=True)
class WorkbenchContext:
    """The project a workbench session has open, its coder and its codebook.

    One object per session, shared by every screen. ``project`` never changes. ``coder`` and
    ``codebook`` change only in the app, when it handles the message a screen posted
    (:class:`~qcode.tui.messages.CodebookChanged`, or the coder dialog's answer); screens read
    them, they never assign them. Services are reached through ``project``: every service
    function takes it first.
    """

    project: Project
    codebook: Codebook
    coder: str = ""
    """The coder at the keyboard ("" until the first screen has asked)."""
    auto_suggest: bool = True
    """Run the suggester when a document is opened (off in tests and benchmarks)."""
