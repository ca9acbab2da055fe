"""Finding the pipeline: environment first, then the project setting, then nl_core_news_sm."""

from __future__ import annotations

import importlib.util

import pytest

from qcode.errors import SuggestionError
from qcode.suggest import nlp


def test_environment_variable_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_SPACY_MODEL", "/models/x")
    assert nlp.find_pipeline("from_setting") == "/models/x"


def test_setting_used_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QCODE_SPACY_MODEL", raising=False)
    assert nlp.find_pipeline("my_pipeline") == "my_pipeline"


def test_installed_package_found(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QCODE_SPACY_MODEL", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    assert nlp.find_pipeline() == "nl_core_news_sm"


def test_missing_pipeline_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QCODE_SPACY_MODEL", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(SuggestionError) as caught:
        nlp.find_pipeline()
    assert "python -m spacy download nl_core_news_sm" in str(caught.value)
    assert "QCODE_SPACY_MODEL" in str(caught.value)


def test_unloadable_pipeline_is_a_suggestion_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_SPACY_MODEL", "/nonexistent/qcode-test-pipeline")
    with pytest.raises(SuggestionError, match="Could not load"):
        nlp.load_pipeline()
