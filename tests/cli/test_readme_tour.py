"""The README's "A short tour", run exactly as printed, and the names in every --help example.

The tour is read from README.md (the ```bash block under "## A short tour"), so lines added
to it later are run too. Each line runs in bash, in order, in a fresh folder laid out like the
qcode folder the tour starts in: ``corpora/`` is the repository's sample corpus (a symlink),
and ``.venv/bin/activate`` puts the Python running these tests first on PATH, as activating
the real virtual environment does. A line fails the test on a non-zero exit status or a
traceback. Lines that open the workbench need a terminal and are skipped (and named in the
test's output); ``qcode suggest`` needs the Dutch pipeline, which CI has (outside CI, without
one, that line alone is skipped, as ``tests.conftest.require_pipeline`` does for tests).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from qcode.cli import main
from qcode.services.demo import SAMPLE_CORPUS
from tests.cli.commands import cli_commands

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"


def tour_lines(readme: str) -> list[str]:
    """The command lines of the ```bash block under "## A short tour", in order."""
    section = readme.split("## A short tour", 1)
    assert len(section) == 2, "README.md has no '## A short tour' section"
    block = re.search(r"```bash\n(.*?)```", section[1], re.S)
    assert block is not None, "the tour section has no ```bash block"
    return [line for line in block.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def opens_workbench(line: str) -> bool:
    """``qcode`` alone, ``qcode tui ...`` or ``qcode demo`` (without --no-tui) open the workbench."""
    words = shlex.split(line, comments=True)
    if not words or words[0] != "qcode":
        return False
    rest = [w for w in words[1:] if w.startswith("-") is False]
    return not rest or rest[0] == "tui" or (rest[0] == "demo" and "--no-tui" not in words)


def needs_pipeline(line: str) -> bool:
    words = shlex.split(line, comments=True)
    return words[:2] == ["qcode", "suggest"] and "--input" not in words


def _pipeline_missing() -> str:
    from qcode.errors import SuggestionError
    from qcode.suggest.nlp import find_pipeline

    try:
        find_pipeline()
    except SuggestionError as error:
        return str(error)
    return ""


def test_tour_lines_are_found_and_classified() -> None:
    lines = tour_lines(README.read_text(encoding="utf-8"))
    assert lines[0] == "source .venv/bin/activate"
    assert any(line.startswith("qcode import ../corpora/klikvoorhulp-sample") for line in lines)
    assert opens_workbench("qcode                # the workbench") and opens_workbench("qcode tui --coder anna")
    assert not opens_workbench("qcode stats --coder anna") and not opens_workbench("qcode demo --no-tui")


def test_the_readme_tour_runs_as_printed(tmp_path: Path) -> None:
    root = tmp_path / "qcode"
    (root / ".venv" / "bin").mkdir(parents=True)
    (root / "corpora").symlink_to(REPO / "corpora", target_is_directory=True)
    bindir = Path(sys.executable).parent
    assert (bindir / "qcode").exists(), f"no qcode command beside {sys.executable}: install qcode in this environment"
    (root / ".venv" / "bin" / "activate").write_text(f'export PATH={shlex.quote(str(bindir))}:"$PATH"\n', encoding="utf-8")
    state = tmp_path / "state.sh"
    state.write_text(f"cd {shlex.quote(str(root))}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("QCODE_") or k == "QCODE_SPACY_MODEL"}
    env["COLUMNS"] = "100"
    skipped: list[str] = []
    for number, line in enumerate(tour_lines(README.read_text(encoding="utf-8")), 1):
        if opens_workbench(line):
            skipped.append(f"{line.split('#')[0].strip()}  (opens the workbench: needs a terminal)")
            continue
        if needs_pipeline(line) and (missing := _pipeline_missing()):
            if os.environ.get("CI"):
                pytest.fail(f"CI must run the tour's '{line}' with a Dutch pipeline: {missing}")
            skipped.append(f"{line}  (no Dutch pipeline here: {missing})")
            continue
        # Each line starts from the folder and environment the previous one left.
        script = f"source {shlex.quote(str(state))}\n{line}\nstatus=$?\n" \
            f"{{ export -p; echo cd \"$(printf %q \"$PWD\")\"; }} > {shlex.quote(str(state))}.new\nexit $status\n"
        result = subprocess.run(
            ["bash", "-c", script], env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=900,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"tour line {number} failed ({result.returncode}): {line}\n{output}"
        assert "Traceback" not in output, f"tour line {number} printed a traceback: {line}\n{output}"
        Path(f"{state}.new").replace(state)
    print("Tour lines not run:", *skipped, sep="\n  ")
    assert (root / "mystudy" / "qcode.toml").exists()


EXAMPLE_NAME = re.compile(r"\bcasus-\d{2}(?:/[\w.-]+)?")


def test_every_case_and_document_in_a_help_example_exists() -> None:
    """``qcode code casus-03/chat-2014-11-03`` named a document the sample corpus lacks."""
    documents = {f"{p.parent.name}/{p.stem}" for p in SAMPLE_CORPUS.glob("casus-*/*.txt")}
    cases = {p.name for p in SAMPLE_CORPUS.glob("casus-*")}
    texts = [(name, command.help or "") for name, command in cli_commands(main)]
    texts.append(("README.md", README.read_text(encoding="utf-8").split("## A short tour", 1)[1].split("```", 2)[1]))
    checked = 0
    for name, text in texts:
        for found in EXAMPLE_NAME.findall(text):
            checked += 1
            assert found in (documents if "/" in found else cases), f"{name}: '{found}' is not in the sample corpus"
    assert checked >= 5
