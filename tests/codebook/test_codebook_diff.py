"""Codebook versions: renames keep codings, removals with codings are refused."""

from __future__ import annotations

import dataclasses

import pytest

from qcode.codebook.diff import check_no_orphans, removed_code_ids, renamed_codes
from qcode.codebook.load import default_codebook_path, load_codebook
from qcode.codebook.model import Codebook
from qcode.errors import CodebookError


@pytest.fixture
def old() -> Codebook:
    return load_codebook(default_codebook_path())


def without(codebook: Codebook, *ids: str) -> Codebook:
    codes = tuple(c for c in codebook.codes if c.id not in ids)
    return dataclasses.replace(codebook, codes=codes, version="2.0", source="v2.yaml")


def test_a_rename_is_not_a_removal(old: Codebook) -> None:
    codes = tuple(
        dataclasses.replace(c, name="Samenvatten") if c.id == "verificatie_interpretatie" else c
        for c in old.codes
    )
    new = dataclasses.replace(old, codes=codes)
    assert removed_code_ids(old, new) == set()
    assert renamed_codes(old, new) == {
        "verificatie_interpretatie": ("Verificatie interpretatie", "Samenvatten")
    }
    check_no_orphans(old, new, {"verificatie_interpretatie": 12})


def test_removing_unused_codes_is_allowed(old: Codebook) -> None:
    new = without(old, "feedback", "onderwerp")
    assert removed_code_ids(old, new) == {"feedback", "onderwerp"}
    check_no_orphans(old, new, {"feedback": 0, "intake": 5})


def test_removing_codes_with_codings_is_refused_with_an_explanation(old: Codebook) -> None:
    new = without(old, "feedback", "onderwerp", "open_vraag")
    with pytest.raises(CodebookError) as caught:
        check_no_orphans(old, new, {"feedback": 1, "open_vraag": 3, "onderwerp": 0})
    message = str(caught.value)
    assert message.startswith("v2.yaml: ")
    assert "'Feedback' (id feedback): 1 coding;" in message
    assert "'Open vraag' (id open_vraag): 3 codings" in message
    assert "Onderwerp" not in message
    assert "merge" in message
