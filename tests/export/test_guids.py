"""GUIDs: deterministic uuid5 values, and every spelling tools use read as one value."""

from __future__ import annotations

import uuid

import pytest

from qcode.export.guids import QCODE_NAMESPACE, make_guid, normalise_guid

CANONICAL = "ad68fbe7-e1ee-4a82-a279-23cc698c89eb"  # ATLAS.ti's user GUID in tests/data


@pytest.mark.parametrize(
    "written",
    [
        "AD68FBE7-E1EE-4A82-A279-23CC698C89EB",  # ATLAS.ti
        "{AD68FBE7-E1EE-4A82-A279-23CC698C89EB}",  # NVivo
        "  ad68fbe7-e1ee-4a82-a279-23cc698c89eb\n",
        "urn:uuid:ad68fbe7-e1ee-4a82-a279-23cc698c89eb",
        "AD68FBE7E1EE4A82A27923CC698C89EB",
    ],
)
def test_every_spelling_of_a_guid_is_one_value(written: str) -> None:
    assert normalise_guid(written) == CANONICAL


@pytest.mark.parametrize(
    ("written", "expected"),
    [("Code-7", "code-7"), ("  {Not-A-Guid}  ", "{not-a-guid}"), ("ad68fbe7-e1ee", "ad68fbe7-e1ee")],
)
def test_values_that_are_not_guids_are_only_trimmed_and_lowered(written: str, expected: str) -> None:
    assert normalise_guid(written) == expected


def test_guids_are_uuid5_of_the_fixed_namespace() -> None:
    # RFC 4122 version 5 by the standard library, computed apart from make_guid's joining.
    assert make_guid("code", "open_vraag") == str(uuid.uuid5(QCODE_NAMESPACE, "code:open_vraag"))
    assert make_guid("doc", "casus-01/chat", 2) == str(uuid.uuid5(QCODE_NAMESPACE, "doc:casus-01/chat:2"))
    assert uuid.UUID(make_guid("code", "x")).version == 5
    assert make_guid("code", "x") != make_guid("code", "y")
