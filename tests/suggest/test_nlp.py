"""Finding the pipeline: environment, project setting, nl_core_news_sm, any installed Dutch one.

The installed-package tests use fake lists (``installed_pipelines`` patched) or a fake
pipeline package on a temporary ``sys.path``, so they run without any model installed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.errors import SuggestionError
from qcode.suggest import nlp

DUTCH = {"lang": "nl", "name": "ud_sm_selftrained", "version": "0.1.0"}
ENGLISH = {"lang": "en", "name": "core_web_sm", "version": "3.8.0"}


@pytest.fixture
def nothing_set(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No environment variable, no nl_core_news_sm; installed packages as each test says."""
    monkeypatch.delenv("QCODE_SPACY_MODEL", raising=False)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "nl_core_news_sm" else real(name)
    )
    return monkeypatch


def test_environment_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_SPACY_MODEL", "/models/x")
    monkeypatch.setattr(nlp, "installed_pipelines", lambda: {"nl_a": DUTCH})
    choice = nlp.choose_pipeline("from_setting")
    assert (choice.target, choice.origin) == ("/models/x", "set in QCODE_SPACY_MODEL")
    assert nlp.find_pipeline("from_setting") == "/models/x"


def test_setting_used_without_environment(nothing_set: pytest.MonkeyPatch) -> None:
    nothing_set.setattr(nlp, "installed_pipelines", lambda: {"nl_a": DUTCH})
    assert nlp.find_pipeline("my_pipeline") == "my_pipeline"
    assert nlp.choose_pipeline("my_pipeline", "set with --model").origin == "set with --model"


def test_nl_core_news_sm_comes_before_other_dutch_pipelines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QCODE_SPACY_MODEL", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    monkeypatch.setattr(nlp, "installed_pipelines", lambda: {"nl_a": DUTCH})
    assert nlp.find_pipeline() == "nl_core_news_sm"


def test_an_installed_dutch_pipeline_is_found_last(nothing_set: pytest.MonkeyPatch) -> None:
    installed = {"en_core_web_sm": ENGLISH, "nl_zz": DUTCH, "nl_ud_sm_selftrained": DUTCH}
    nothing_set.setattr(nlp, "installed_pipelines", lambda: installed)
    choice = nlp.choose_pipeline()
    assert choice.target == "nl_ud_sm_selftrained"  # Dutch only, the first by name
    assert "installed Dutch pipeline" in choice.origin


def test_a_pipeline_of_another_language_is_not_taken(nothing_set: pytest.MonkeyPatch) -> None:
    nothing_set.setattr(nlp, "installed_pipelines", lambda: {"en_core_web_sm": ENGLISH})
    with pytest.raises(SuggestionError):
        nlp.choose_pipeline()


def test_missing_pipeline_says_how_to_install(nothing_set: pytest.MonkeyPatch) -> None:
    nothing_set.setattr(nlp, "installed_pipelines", dict)
    with pytest.raises(SuggestionError) as caught:
        nlp.find_pipeline()
    assert "python -m spacy download nl_core_news_sm" in str(caught.value)
    assert "QCODE_SPACY_MODEL" in str(caught.value)


def _fake_pipeline_package(root: Path, module: str, meta: dict[str, str]) -> None:
    """What ``spacy package`` + ``pip install`` leave in site-packages, reduced to what counts:
    the module with its meta.json and a ``spacy_models`` entry point."""
    (root / module).mkdir(parents=True)
    (root / module / "__init__.py").write_text("", encoding="utf-8")
    (root / module / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    info = root / f"{module}-{meta['version']}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {module}\nVersion: {meta['version']}\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[spacy_models]\n{module} = {module}\n", encoding="utf-8"
    )


def test_installed_pipelines_reads_entry_points_and_meta(
    tmp_path: Path, nothing_set: pytest.MonkeyPatch
) -> None:
    _fake_pipeline_package(tmp_path, "nl_aa_qcode_fake", {**DUTCH, "name": "aa_qcode_fake", "version": "9.1"})
    _fake_pipeline_package(tmp_path, "en_aa_qcode_fake", {**ENGLISH, "name": "aa_qcode_fake"})
    nothing_set.syspath_prepend(str(tmp_path))
    found = nlp.installed_pipelines()
    assert found["nl_aa_qcode_fake"]["lang"] == "nl"
    assert found["en_aa_qcode_fake"]["lang"] == "en"
    assert "nl_aa_qcode_fake" not in sys.modules  # read from its folder, never imported
    choice = nlp.choose_pipeline()  # "nl_aa_" sorts before any real Dutch package name
    assert choice.describe() == (
        "nl_aa_qcode_fake 9.1 (installed package nl_aa_qcode_fake, "
        "the first installed Dutch pipeline package)"
    )


def test_describe_a_folder_names_it_and_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "meta.json").write_text(json.dumps(DUTCH), encoding="utf-8")
    monkeypatch.setenv("QCODE_SPACY_MODEL", str(tmp_path))
    assert nlp.choose_pipeline().describe() == (
        f"nl_ud_sm_selftrained 0.1.0 (folder {tmp_path}, set in QCODE_SPACY_MODEL)"
    )


def test_suggest_names_the_pipeline_on_its_first_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first line comes before loading, so a folder that is no pipeline still shows it."""
    (tmp_path / "meta.json").write_text(json.dumps(DUTCH), encoding="utf-8")
    monkeypatch.setenv("QCODE_SPACY_MODEL", str(tmp_path))
    result = CliRunner().invoke(main, ["suggest", "--input", "-"], input="")
    first = result.stderr.splitlines()[0]
    assert first == (
        f"Dutch spaCy pipeline: nl_ud_sm_selftrained 0.1.0 (folder {tmp_path}, "
        "set in QCODE_SPACY_MODEL)"
    )
    assert result.exit_code != 0 and "Could not load" in result.output


def test_unloadable_pipeline_is_a_suggestion_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_SPACY_MODEL", "/nonexistent/qcode-test-pipeline")
    with pytest.raises(SuggestionError, match="Could not load"):
        nlp.load_pipeline()


STAND_IN = Path(__file__).resolve().parents[3] / "shared" / "models" / "nl_ud_sm_selftrained"


def test_run_installed_the_stand_in_as_a_package(monkeypatch: pytest.MonkeyPatch) -> None:
    """What ``./run`` promises: with the stand-in beside the checkout, it is an installed
    package that qcode finds with no environment variable (CI runs this after ``./run``)."""
    if not STAND_IN.is_dir():
        pytest.skip(f"no stand-in pipeline at {STAND_IN}")
    monkeypatch.delenv("QCODE_SPACY_MODEL", raising=False)
    if "nl_ud_sm_selftrained" not in nlp.installed_pipelines() and not os.environ.get("CI"):
        pytest.skip("the stand-in is not installed here: ./run installs it")
    choice = nlp.choose_pipeline()
    assert choice.target in ("nl_core_news_sm", "nl_ud_sm_selftrained")
    assert not Path(choice.target).is_dir()  # a package, not the folder
