"""Command-line interface: thin commands, each one service call.

Each area has its own module that attaches commands to :data:`qcode.cli.app.main`.
"""

from __future__ import annotations

from qcode.cli import (  # noqa: F401  (imported for command registration)
    analysis,
    codings,
    exporting,
    fragments,
    learning,
    memos,
    project,
    reporting,
    search,
    suggesting,
    team,
    workbench,
)
from qcode.cli.app import main

__all__ = ["main"]
