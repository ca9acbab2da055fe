"""The ``# key: value`` header block of chat and thread files, and channel names.

The date, the case number and the channel of a chat are not in its lines; the study's exports
put them in a header block at the top of the file:

    # casus: 17
    # kanaal: chat
    # datum: 2014-11-03
"""

from __future__ import annotations

import re
from pathlib import Path

from qcode.errors import TranscriptParseError
from qcode.transcripts.model import Channel

MAX_HEADER_LINE = 1000
"""Characters a header line (``# key: value``, ``Van: ...``) may have; a longer line is not a
header (the readers treat it as they treat any other non-header line). Real headers are a
few dozen characters; the cap keeps hostile files from making header checks slow."""

HEADER_RE = re.compile(r"#\s*+([^\W\d][\w \-]*+)\s*+:(.*)")
r"""A header line: ``# key: value`` (key starts with a letter).

Possessive quantifiers (``*+``) give up nothing once matched, so the match is linear in the
line's length: the former lazy pattern (``[\w \-]*?\s*:\s*(.*?)\s*$``) tried every way to
split a run of spaces between its parts, quadratic on a line of 100,000 spaces. The key's
trailing spaces and the value's surrounding white space are stripped in
:func:`parse_header_line` instead.
"""

_CHANNELS = {
    "chat": Channel.CHAT,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "mail": Channel.EMAIL,
}


def parse_header_line(line: str) -> tuple[str, str] | None:
    """Split ``# Casus: 17`` into (``casus``, ``17``); None if the line is not a header.

    A line longer than :data:`MAX_HEADER_LINE` is not a header.
    """
    if len(line) > MAX_HEADER_LINE:
        return None
    match = HEADER_RE.match(line)
    if match is None:
        return None
    return " ".join(match.group(1).split()).casefold(), match.group(2).strip()


def parse_channel(value: str, path: str | Path, line: int | None) -> Channel:
    """Read a channel name (``chat``, ``email``, ``e-mail``, ``mail``; any case).

    Raises:
        TranscriptParseError: The value names no channel.
    """
    channel = _CHANNELS.get(value.strip().casefold())
    if channel is None:
        raise TranscriptParseError(
            path, line, f"unknown channel '{value}'; use 'chat' or 'email'"
        )
    return channel
