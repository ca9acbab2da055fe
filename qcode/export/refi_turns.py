"""Speaker turns rebuilt from speaker codings, for files whose ``qcode metadata`` note is gone.

qcode exports each turn twice: as a coding of a ``Sprekers`` code (which every tool keeps) and
in the metadata note (which QualCoder, for one, drops). Without the note the codings still say
who speaks where, so the turns are rebuilt from them:

1. A chat's stored text is its transcript verbatim, so it is read again with qcode's chat
   reader. If that reading gives exactly the turns the speaker codings mark (same spans, same
   roles), its turns are taken whole: speaker labels, times and line numbers included.
2. Otherwise (e-mail renderings, texts edited elsewhere) each speaker coding becomes one turn
   with its role, span and line; the speaker label is the role's code label and the time is
   unknown, since REFI carries neither.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from qcode.errors import QcodeError
from qcode.export.refi_model import SPEAKER_CODES
from qcode.transcripts.chat import read_chat
from qcode.transcripts.model import Channel, Role, Utterance
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

SPEAKER_ROLES: dict[str, Role] = {
    **{label.casefold(): role for role, label in SPEAKER_CODES.items()},
    **{role.value: role for role in Role},
}
"""Speaker code name (case-folded) → role: the study's labels and qcode's role names."""


def speaker_role(code_name: str) -> Role | None:
    """The role a speaker code stands for, or None for a code that is no speaker."""
    return SPEAKER_ROLES.get(code_name.strip().casefold())


def _from_reader(text: str, key: str, start: datetime | None,
                 marks: Sequence[tuple[int, int, Role]]) -> tuple[Utterance, ...] | None:
    source = SourceFile(Path(key), None, None, Channel.CHAT,
                        date=start.date() if start else None)
    try:
        result = read_chat(source, text, RoleMap.default())
    except (QcodeError, ValueError):
        return None
    if len(result.documents) != 1:
        return None
    turns = result.documents[0].utterances
    if [(u.start, u.end, u.role) for u in turns] != list(marks):
        return None
    return turns


def rebuild_turns(text: str, key: str, channel: Channel, start: datetime | None,
                  marks: Sequence[tuple[int, int, Role]]) -> tuple[tuple[Utterance, ...], bool]:
    """The turns of one document from its speaker codings (start, end, role).

    Returns:
        The turns, and whether they are complete (read again from the chat text) rather than
        spans and roles only.
    """
    ordered = sorted(set(marks))
    if channel is Channel.CHAT and ordered:
        whole = _from_reader(text, key, start, ordered)
        if whole is not None:
            return whole, True
    turns = tuple(
        Utterance(index, role, SPEAKER_CODES[role], None, text[b:e], b, e,
                  text.count("\n", 0, b) + 1)
        for index, (b, e, role) in enumerate(ordered)
    )
    return turns, False
