"""A demo project built once per session and copied per test (building takes seconds)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from qcode.services.demo import build_demo

MODEL = Path(__file__).resolve().parents[2].parent / "shared" / "models" / "nl_ud_sm_selftrained"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tui") / "demo"
    project, _ = build_demo(folder)
    project.close()
    return folder


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(demo_template, target)
    return target


@pytest.fixture
def spacy_model(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point the suggester at the Dutch stand-in pipeline (always present in CI)."""
    if not MODEL.exists():
        pytest.fail(f"The Dutch spaCy stand-in is missing at {MODEL}")
    monkeypatch.setenv("QCODE_SPACY_MODEL", str(MODEL))
    yield MODEL
    os.environ.pop("QCODE_SPACY_MODEL", None)
