"""What every e-mail reader shares: quote splitting, date order and the stored rendering.

Rendering of a document, one block per message, blocks joined by ``-----`` lines::

    Van: Hulpverlener
    Datum: 15-03-2014 10:12
    Onderwerp: Re: schulden

    <new text>

    <quoted text, if any>

Only the new text is an utterance's span; the quoted text is stored (never lost) but is nobody's
words, so it is neither counted nor coded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from qcode.transcripts.model import Channel, Document, Role, Utterance

SEPARATOR = "-----\n"
_ATTRIBUTION_START_RE = re.compile(r"\s*(?:Op|On)\s", re.IGNORECASE)
_ATTRIBUTION_WORD_RE = re.compile(r"\b(?:schreef|wrote)\b", re.IGNORECASE)
_FORWARD_RE = re.compile(
    r"\s*-{2,}\s*(?:Oorspronkelijk bericht|Original Message|Doorgestuurd bericht|"
    r"Forwarded message)\s*-{2,}\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class MailMessage:
    """One message before rendering."""

    header_lines: tuple[str, ...]
    """Rendered as given (``Van: Hulpvrager``), in the order Van, Datum, Aan, Onderwerp."""
    speaker: str
    role: Role
    time: datetime
    subject: str
    body: str
    """The whole body, quotes included; split by :func:`split_quoted`."""
    line: int
    """Line of the message's first header in the source file (0 if none)."""
    warnings: tuple[str, ...] = ()
    """``file:line: message`` lines about this message, for the file's ReadResult."""


def _ends_attribution(text: str) -> bool:
    r"""``schreef``/``wrote`` as a word, then anything, then a final ``:`` (white space after).

    Without a regex over the tail: ``\b(?:schreef|wrote)\b[^\n]*:\s*$`` searched from every
    ``wrote`` to the line's end, quadratic on ``On wrote wrote wrote ...``. Here the final
    colon is found once and the word searched for (once) before it.
    """
    stripped = text.rstrip()
    if not stripped.endswith(":"):
        return False
    return _ATTRIBUTION_WORD_RE.search(stripped, 0, len(stripped) - 1) is not None


def _quote_start(lines: Sequence[str]) -> int:
    """Index of the line that opens the quoted block (attribution or forward line)."""
    for i, line in enumerate(lines):
        if _FORWARD_RE.match(line):
            return i
        if _ATTRIBUTION_START_RE.match(line):
            # mail clients wrap a long "Op ... schreef NAAM <adres>:" over two lines
            if _ends_attribution(line):
                return i
            if i + 1 < len(lines) and _ends_attribution(line + " " + lines[i + 1]):
                return i
    return len(lines)


def split_quoted(body: str) -> tuple[str, str]:
    """Split a body into (new text, quoted text).

    Quoted: every line starting with ``>``, and everything from an ``Op <datum> om <tijd>
    schreef <wie>:`` / ``On ... wrote:`` / ``-----Oorspronkelijk bericht-----`` line on.
    Both parts are stripped of surrounding white space.
    """
    lines = body.split("\n")
    cut = _quote_start(lines)
    new_lines: list[str] = []
    quoted_lines: list[str] = []
    for line in lines[:cut]:
        (quoted_lines if line.lstrip().startswith(">") else new_lines).append(line)
    quoted_lines.extend(lines[cut:])
    return "\n".join(new_lines).strip(), "\n".join(quoted_lines).strip()


def order_by_date(
    messages: Sequence[MailMessage], where: str, warnings: list[str]
) -> list[MailMessage]:
    """Messages in date order (stable); warn when the source listed them otherwise."""
    ordered = sorted(messages, key=lambda m: m.time)
    if [id(m) for m in ordered] != [id(m) for m in messages]:
        warnings.append(f"{where}: messages are not in date order; sorted by date")
    return ordered


def build_email_document(
    key: str,
    case_key: str,
    messages: Sequence[MailMessage],
    source: str,
    attributes: Mapping[str, str] | None = None,
) -> Document:
    """Render messages (already in date order) into one e-mail document."""
    blocks: list[str] = []
    utterances: list[Utterance] = []
    offset = 0
    for index, message in enumerate(messages):
        new, quoted = split_quoted(message.body)
        block = "\n".join(message.header_lines) + "\n\n"
        start = offset + len(block)
        block += new + "\n"
        if quoted:
            block += "\n" + quoted + "\n"
        utterances.append(
            Utterance(
                index=index, role=message.role, speaker=message.speaker, time=message.time,
                text=new, start=start, end=start + len(new), line=message.line,
                quoted=quoted, subject=message.subject,
            )
        )
        blocks.append(block)
        offset += len(block) + len(SEPARATOR)
    return Document(
        key=key, case_key=case_key, channel=Channel.EMAIL, text=SEPARATOR.join(blocks),
        utterances=tuple(utterances), start=messages[0].time if messages else None,
        source=source, attributes=dict(attributes or {}),
    )
