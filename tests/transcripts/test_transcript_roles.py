"""RoleMap: default labels, project labels, addresses."""

from __future__ import annotations

import pytest

from qcode.errors import QcodeError
from qcode.transcripts.model import Role
from qcode.transcripts.roles import RoleMap


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("Online hulpverlener", Role.COUNSELLOR),
        ("  online   HULPVERLENER ", Role.COUNSELLOR),
        ("Medewerker", Role.COUNSELLOR),
        ("counsellor", Role.COUNSELLOR),
        ("Hulpvrager", Role.CLIENT),
        ("Bezoeker", Role.CLIENT),
        ("Cliënt", Role.CLIENT),
        ("client", Role.CLIENT),
        ("Systeem", Role.SYSTEM),
        ("[Systeem]", Role.SYSTEM),
        ("KlikVoorHulp", Role.SYSTEM),
    ],
)
def test_default_labels(label: str, role: Role) -> None:
    assert RoleMap.default().role_of(label) is role


def test_unknown_label_is_none() -> None:
    assert RoleMap.default().role_of("Sanne") is None


def test_with_labels_adds_without_changing_original() -> None:
    base = RoleMap.default()
    extended = base.with_labels({"Sanne": "counsellor", "Piet": "hulpvrager"})
    assert extended.role_of("sanne") is Role.COUNSELLOR
    assert extended.role_of("PIET") is Role.CLIENT
    assert base.role_of("Sanne") is None


def test_invalid_role_value_is_user_error() -> None:
    with pytest.raises(QcodeError) as info:
        RoleMap.default().with_labels({"Sanne": "baas"})
    assert "Sanne" in str(info.value) and "counsellor" in str(info.value)


def test_sender_by_address_then_domain_then_name() -> None:
    roles = RoleMap.default().with_labels(
        {"hv04@klikvoorhulp.nl": "counsellor", "@hotmail.com": "client", "Sanne": "counsellor"}
    )
    assert roles.role_of_sender("HV04@klikvoorhulp.nl") is Role.COUNSELLOR
    assert roles.role_of_sender("iemand@hotmail.com") is Role.CLIENT
    assert roles.role_of_sender("x@elders.nl", "Sanne") is Role.COUNSELLOR
    assert roles.role_of_sender("x@elders.nl", "Onbekend") is None
