"""One coded sample project for all report tests, its reports, and what the CLI says about it.

Built once per session (importing and coding the sample corpus takes a few seconds). The
independent data come from the user's own commands: ``qcode codings --format json`` and
``qcode metrics --format json``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from qcode.cli import main
from tests.report.study import build_study


@dataclass(frozen=True)
class Study:
    folder: Path
    out: Path
    """The default report (``qcode report``: the consensus, all cases)."""
    subset_out: Path
    """``qcode report --coder anna --where leeftijdsgroep=13-16``."""

    def report(self, out: Path | None = None) -> dict[str, Any]:
        return json.loads(((out or self.out) / "report.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="session")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    folder = tmp_path_factory.mktemp("report") / "study"
    build_study(folder).close()
    out, subset = folder / "report-all", folder / "report-13-16"
    cli("report", "-p", str(folder), "--out", str(out), "--bootstrap", "200")
    cli("report", "-p", str(folder), "--coder", "anna", "--where", "leeftijdsgroep=13-16", "--out", str(subset), "--bootstrap", "0")
    return Study(folder, out, subset)


@pytest.fixture(scope="session")
def codings(study: Study) -> pd.DataFrame:
    return pd.DataFrame(json.loads(cli("codings", "-p", str(study.folder), "--format", "json")))


@pytest.fixture(scope="session")
def metrics(study: Study) -> list[dict[str, Any]]:
    return json.loads(cli("metrics", "-p", str(study.folder), "--all", "--format", "json"))  # type: ignore[no-any-return]
