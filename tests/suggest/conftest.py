"""Fixtures for suggestion tests: the real Dutch pipeline, or a skip that says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require_pipeline

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold.jsonl"
HELDOUT = HERE / "gold_heldout.jsonl"


@pytest.fixture(scope="session")
def suggester():  # type: ignore[no-untyped-def]
    """A Suggester on the real pipeline; skipped ONLY when no pipeline can be found."""
    from qcode.suggest.engine import Suggester
    from qcode.suggest.nlp import load_pipeline
    from qcode.suggest.ruleset import default_rules_dir

    require_pipeline()
    return Suggester(load_pipeline(), default_rules_dir())
