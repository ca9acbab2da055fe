"""``qcode demo``: a fresh project built from the bundled sample corpus."""

from __future__ import annotations

from pathlib import Path

from qcode.services.autocoding import autocode
from qcode.services.importing import ImportSummary, import_paths
from qcode.services.project import Project, init_project

SAMPLE_CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "klikvoorhulp-sample"


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
