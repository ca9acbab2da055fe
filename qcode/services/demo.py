"""``qcode demo``: a project built from the bundled sample corpus, reopened when it exists."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from qcode.bundled import bundled_path
from qcode.services.autocoding import autocode
from qcode.services.corpus import ImportSummary, import_paths
from qcode.services.project import Project, init_project, open_project

SAMPLE_CORPUS = bundled_path("corpora/klikvoorhulp-sample")


@dataclass
class Demo:
    """The demo project and how it came about: ``summary`` is None when it was reopened."""

    project: Project
    folder: Path
    summary: ImportSummary | None


def fresh_folder(base: Path) -> Path:
    """``base`` if unused, else ``base-2``, ``base-3``… (a demo never touches earlier work)."""
    if not base.exists():
        return base
    n = 2
    while Path(f"{base}-{n}").exists():
        n += 1
    return Path(f"{base}-{n}")


def build_demo(folder: Path) -> tuple[Project, ImportSummary]:
    """Create the project, import the sample corpus and apply the automatic codes."""
    project = init_project(folder, name="qcode demo (Klikvoorhulp sample)")
    summary = import_paths(project, [SAMPLE_CORPUS])
    autocode(project)
    return project, summary


def open_demo(base: Path, fresh: bool = False) -> Demo:
    """Reopen the demo project in ``base``, or build one.

    Running ``qcode demo`` twice should bring back the codings made the first time, so an
    existing project in ``base`` is opened as it is. A new project is built in ``base`` when it
    is missing or an empty folder, and in the next free ``base-N`` when ``fresh`` is asked for
    or ``base`` holds files that are not a qcode project (they are never touched).
    """
    if not fresh and (base / "qcode.toml").is_file():
        return Demo(open_project(base), base, None)
    empty = base.is_dir() and not any(base.iterdir())
    folder = base if empty and not fresh else fresh_folder(base)
    project, summary = build_demo(folder)
    return Demo(project, folder, summary)
