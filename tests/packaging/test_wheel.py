"""The wheel installs like any package: ``qcode demo`` and ``qcode suggest --input`` work from it.

Builds the wheel with hatchling's PEP 517 hook (what ``pip wheel`` and ``python -m build``
call), installs it with ``--no-deps`` into a fresh virtual environment, and runs the installed
``qcode`` from a temporary folder. To stay fast and offline, the new environment borrows the
dependencies already installed for the tests: a ``.pth`` file lists this interpreter's
site-packages folders. Their own ``.pth`` files (the editable install's pointer to the
checkout among them) are not processed that way, and the wheel's ``qcode`` sits first on the
path; the tests check that ``qcode`` is imported from the new environment.

Marked ``packaging`` (up to a minute): ``pytest -m packaging`` runs only this,
``-m "not packaging"`` skips it.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import require_pipeline

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "corpora" / "klikvoorhulp-sample"


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True,
        stdin=subprocess.DEVNULL, timeout=300, check=False,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    build = _run(
        [sys.executable, "-W", "always", "-c",
         "import sys, hatchling.build as b; print(b.build_wheel(sys.argv[1]))", out],
        cwd=REPO,
    )
    assert build.returncode == 0, build.stderr
    assert build.stderr == "", f"the build warned:\n{build.stderr}"
    [name] = build.stdout.split()  # the hook prints the wheel's name and nothing else
    return out / name


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed; returns its folder."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.create(env_dir, with_pip=False)
    site = Path(
        _run([env_dir / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], cwd=env_dir).stdout.strip()
    )
    borrowed = [p for p in sys.path if p.endswith(("site-packages", "dist-packages"))]
    (site / "zz_borrowed_dependencies.pth").write_text("\n".join(borrowed) + "\n", encoding="utf-8")
    pip = _run(
        [sys.executable, "-m", "pip", "--python", env_dir / "bin" / "python", "install",
         "--no-deps", "--no-index", "--quiet", wheel],
        cwd=env_dir,
    )
    assert pip.returncode == 0, pip.stderr
    return env_dir


def _user_env() -> dict[str, str]:
    """The environment a user would have: no PYTHONPATH into the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["QCODE_CODER"] = ""
    return env


def test_the_wheel_carries_the_shipped_files_and_nothing_else(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    bundled = {n.removeprefix("qcode/_bundled/") for n in names if n.startswith("qcode/_bundled/")}
    tracked = subprocess.run(
        ["git", "ls-files", "codebooks", "corpora/klikvoorhulp-sample"],
        cwd=REPO, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert bundled == set(tracked)
    assert "qcode/_bundled/codebooks/klikvoorhulp.yaml" in names
    assert [n for n in names if not re.match(r"qcode/|qcode-[^/]+\.dist-info/", n)] == []
    assert not [n for n in names if "report-dev" in n or "nl_ud_sm" in n or "/tests/" in n]
    assert "qcode/tui/styles/app.tcss" in names and "qcode/storage/migrations/script.py.mako" in names


def test_the_installed_package_finds_its_files_inside_itself(installed: Path, tmp_path: Path) -> None:
    probe = _run(
        [installed / "bin" / "python", "-c",
         "import json, qcode\n"
         "from qcode.codebook.load import default_codebook_path\n"
         "from qcode.suggest.ruleset import default_rules_dir\n"
         "from qcode.services.demo import SAMPLE_CORPUS\n"
         "print(json.dumps([qcode.__file__, str(default_codebook_path()),"
         " str(default_rules_dir()), str(SAMPLE_CORPUS)]))"],
        cwd=tmp_path, env=_user_env(),
    )
    assert probe.returncode == 0, probe.stderr
    for path in json.loads(probe.stdout):
        assert Path(path).resolve().is_relative_to(installed.resolve()), path
        assert Path(path).exists()


def test_qcode_demo_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    with (SAMPLE / "cases.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    cases = {row["case_id"] for row in rows}
    first = _run([installed / "bin" / "qcode", "demo"], cwd=tmp_path, env=_user_env())
    assert first.returncode == 0, first.stderr
    assert f"{len(cases)} cases, {len(rows)} documents" in first.stdout
    assert "error" not in first.stderr
    again = _run([installed / "bin" / "qcode", "demo"], cwd=tmp_path, env=_user_env())
    assert again.returncode == 0 and "Reopened" in again.stdout
    listed = _run([installed / "bin" / "qcode", "cases", "--project", "qcode-demo", "--format", "csv"],
                  cwd=tmp_path, env=_user_env())
    assert listed.returncode == 0, listed.stderr
    assert all(case in listed.stdout for case in cases)


def test_qcode_suggest_input_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    require_pipeline()
    lines = [
        {"id": "q1", "speaker": "counsellor", "text": "Wat bedoel je daar precies mee?"},
        {"id": "q2", "speaker": "counsellor", "text": "Heb je dat al aan je moeder verteld?"},
    ]
    source = tmp_path / "utterances.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = _run([installed / "bin" / "qcode", "suggest", "--input", source], cwd=tmp_path, env=_user_env())
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith("Dutch spaCy pipeline: ")
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["q1", "q2"]
    assert {s["code"] for o in out for s in o["suggestions"]} & {"Open vraag", "Gesloten vraag"}


def test_qcode_suggest_on_a_project_runs_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    require_pipeline()
    qcode = installed / "bin" / "qcode"
    assert _run([qcode, "demo"], cwd=tmp_path, env=_user_env()).returncode == 0
    result = _run([qcode, "suggest", "--project", "qcode-demo", "--case", "casus-01"], cwd=tmp_path, env=_user_env())
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[0].startswith("Dutch spaCy pipeline: ")
    added = re.search(r"new suggestions: (\d+)", result.stdout)
    assert added is not None and int(added.group(1)) > 0, result.stdout
