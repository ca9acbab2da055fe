"""Map the speaker labels and sender addresses of transcripts to the study's three roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from qcode.errors import QcodeError
from qcode.transcripts.model import FrozenMap, Role

ROLE_LABELS: dict[Role, str] = {
    Role.COUNSELLOR: "Hulpverlener",
    Role.CLIENT: "Hulpvrager",
    Role.SYSTEM: "Systeem",
}
"""The study's own label per role: what tables for people and REFI speaker codes show."""

_DEFAULT_LABELS: dict[str, Role] = {
    "online hulpverlener": Role.COUNSELLOR,
    "hulpverlener": Role.COUNSELLOR,
    "medewerker": Role.COUNSELLOR,
    "counsellor": Role.COUNSELLOR,
    "counselor": Role.COUNSELLOR,
    "hulpvrager": Role.CLIENT,
    "bezoeker": Role.CLIENT,
    "client": Role.CLIENT,
    "cliënt": Role.CLIENT,
    "systeem": Role.SYSTEM,
    "system": Role.SYSTEM,
    "klikvoorhulp": Role.SYSTEM,
}


def normalise_label(label: str) -> str:
    """Case-fold and collapse white space, so ``Online  Hulpverlener`` matches its entry.

    Square brackets around a label (``[Systeem]``) are dropped: platforms print their own
    label that way.
    """
    key = " ".join(label.split()).casefold()
    if key.startswith("[") and key.endswith("]"):
        key = " ".join(key[1:-1].split())
    return key


def _role_from_setting(label: str, value: str) -> Role:
    wanted = normalise_label(value)
    for role in Role:
        if wanted == role.value:
            return role
    if wanted in _DEFAULT_LABELS:  # "Sanne" = "hulpverlener" reads naturally too
        return _DEFAULT_LABELS[wanted]
    raise QcodeError(
        f"[roles] in qcode.toml maps '{label}' to '{value}'; use counsellor, client or system",
        title="Invalid role mapping",
    )


@dataclass(frozen=True)
class RoleMap:
    """Speaker label (case-insensitive, white space normalised) or e-mail address to role.

    An entry that starts with ``@`` (``@klikvoorhulp.nl``) maps every address of that domain.
    """

    labels: Mapping[str, Role] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "labels", FrozenMap(self.labels))

    @classmethod
    def default(cls) -> RoleMap:
        """The labels of the Klikvoorhulp exports and their common English equivalents."""
        return cls(_DEFAULT_LABELS)

    def with_labels(self, extra: Mapping[str, str]) -> RoleMap:
        """Return a copy with project labels added (``{"Sanne": "counsellor"}``).

        Raises:
            QcodeError: A value is not a role (counsellor, client, system) or a known label.
        """
        merged = dict(self.labels)
        for label, value in extra.items():
            merged[normalise_label(label)] = _role_from_setting(label, value)
        return RoleMap(merged)

    def role_of(self, label: str) -> Role | None:
        """The role of a speaker label or address; None when the label is not mapped."""
        return self.labels.get(normalise_label(label))

    def role_of_sender(self, address: str, display_name: str = "") -> Role | None:
        """The role of an e-mail sender: full address, then ``@domain``, then display name."""
        if address:
            role = self.role_of(address)
            if role is not None:
                return role
            _, at, domain = address.rpartition("@")
            if at:
                role = self.role_of("@" + domain)
                if role is not None:
                    return role
        if display_name:
            return self.role_of(display_name)
        return None


def unmapped_label_hint(label: str) -> str:
    """The sentence that tells a user how to map an unknown label in the project settings."""
    return (
        f"map it to a role in the project settings (qcode.toml), e.g.\n"
        f'[roles]\n"{label}" = "counsellor"   # or "client" or "system"'
    )
