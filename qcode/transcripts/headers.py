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

HEADER_RE = re.compile(r"#\s*([^\W\d][\w \-]*?)\s*:\s*(.*?)\s*$")
"""A header line: ``# key: value`` (key starts with a letter)."""

_CHANNELS = {
    "chat": Channel.CHAT,
    "email": Channel.EMAIL,
    "e-mail": Channel.EMAIL,
    "mail": Channel.EMAIL,
}


def parse_header_line(line: str) -> tuple[str, str] | None:
    """Split ``# Casus: 17`` into (``casus``, ``17``); None if the line is not a header."""
    match = HEADER_RE.match(line)
    if match is None:
        return None
    return " ".join(match.group(1).split()).casefold(), match.group(2)


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
