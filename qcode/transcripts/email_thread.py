"""Read plain-text e-mail threads: messages with ``Van:``/``Datum:`` headers between dashes.

An optional ``# key: value`` header block at the top gives case, channel and attributes as in
chat files. Each message: header lines (``Van``, ``Datum``, optional ``Aan``, ``Onderwerp``;
the English ``From``/``Date``/``To``/``Subject`` too), a blank line, the body. Messages are
separated by a line of three or more dashes.
"""

from __future__ import annotations

import re
from email.utils import parseaddr

from qcode.errors import TranscriptParseError
from qcode.transcripts.email_render import MailMessage, build_email_document, order_by_date
from qcode.transcripts.headers import MAX_HEADER_LINE, parse_channel, parse_header_line
from qcode.transcripts.model import Case, Channel, Role
from qcode.transcripts.result import ReadResult
from qcode.transcripts.roles import RoleMap, unmapped_label_hint
from qcode.transcripts.sources import SourceFile
from qcode.transcripts.timestamps import parse_datetime

_SEPARATOR_RE = re.compile(r"\s*-{3,}\s*$")
_FIELD_RE = re.compile(
    r"(?P<name>Van|Aan|Datum|Onderwerp|From|To|Date|Subject|Cc)\s*+:(?P<value>.*)",
    re.IGNORECASE,
)
"""A header line of a message; the value is stripped after the match. Possessive and without
a lazy middle, so linear in the line (see ``HEADER_RE`` in headers.py for why)."""
_CANONICAL = {"from": "van", "to": "aan", "date": "datum", "subject": "onderwerp", "cc": "aan"}
_RENDER_ORDER = ("van", "datum", "aan", "onderwerp")


def sender_role(value: str, roles: RoleMap) -> Role | None:
    """Role of a ``Van:``/From value: a label (``Hulpvrager``), an address or ``Naam <adres>``."""
    role = roles.role_of(value)
    if role is not None:
        return role
    try:
        name, address = parseaddr(value)
    except RecursionError:  # the stdlib recurses once per nested "(" comment
        return None
    return roles.role_of_sender(address if "@" in address else "", name)


def _parse_message(
    lines: list[str], first: int, path: str, roles: RoleMap
) -> MailMessage | None:
    """One message from its lines; ``first`` is the 1-based line number of ``lines[0]``."""
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        return None
    fields: dict[str, tuple[str, str, int]] = {}  # name -> (value, line as written, lineno)
    while i < len(lines):
        match = _FIELD_RE.match(lines[i]) if len(lines[i]) <= MAX_HEADER_LINE else None
        if match is None:
            break
        name = match["name"].casefold()
        fields.setdefault(
            _CANONICAL.get(name, name), (match["value"].strip(), lines[i].rstrip(), first + i)
        )
        i += 1
    start_line = first + next(k for k, line in enumerate(lines) if line.strip())
    for required in ("van", "datum"):
        if required not in fields:
            raise TranscriptParseError(
                path, start_line, f"message has no '{required.capitalize()}:' header"
            )
    speaker, _, van_line = fields["van"]
    role = sender_role(speaker, roles)
    if role is None:
        raise TranscriptParseError(
            path, van_line, f"unknown sender '{speaker}'; " + unmapped_label_hint(speaker)
        )
    value, _, datum_line = fields["datum"]
    moment = parse_datetime(value)
    if moment is None:
        raise TranscriptParseError(
            path, datum_line, f"invalid date '{value}'; use DD-MM-YYYY HH:MM or ISO 8601, years 1 to 9999"
        )
    return MailMessage(
        header_lines=tuple(fields[n][1] for n in _RENDER_ORDER if n in fields),
        speaker=speaker, role=role, time=moment,
        subject=fields["onderwerp"][0] if "onderwerp" in fields else "",
        body="\n".join(lines[i:]), line=van_line,
    )


def read_email_thread(source: SourceFile, text: str, roles: RoleMap) -> ReadResult:
    """Read one thread file into one e-mail document, messages in date order.

    Raises:
        TranscriptParseError: A message lacks ``Van:``/``Datum:``, has an unreadable date, or
            a sender the role map does not know.
    """
    path = str(source.path)
    lines = text.split("\n")
    header: dict[str, tuple[str, int]] = {}
    top = 0
    while top < len(lines) and (not lines[top].strip() or lines[top].lstrip().startswith("#")):
        parsed = parse_header_line(lines[top].lstrip())
        if parsed is not None:
            header.setdefault(parsed[0], (parsed[1], top + 1))
        top += 1
    messages: list[MailMessage] = []
    block_start = top
    for i in range(top, len(lines) + 1):
        if i == len(lines) or _SEPARATOR_RE.match(lines[i]):
            message = _parse_message(lines[block_start:i], block_start + 1, path, roles)
            if message is not None:
                messages.append(message)
            block_start = i + 1
    if not messages:
        raise TranscriptParseError(path, None, "no messages found (expected 'Van:' headers)")
    warnings: list[str] = []
    ordered = order_by_date(messages, f"{path}:{messages[0].line}", warnings)
    case_key = header.get("casus", ("", 0))[0] or source.case_key or source.path.stem
    attributes = {k: v for k, (v, _) in header.items() if k not in ("casus", "kanaal", "datum")}
    document = build_email_document(
        f"{case_key}/{source.path.stem}", case_key, ordered, path, attributes
    )
    if "kanaal" in header:
        value, lineno = header["kanaal"]
        if parse_channel(value, path, lineno) is not Channel.EMAIL:
            warnings.append(f"{path}:{lineno}: an e-mail thread is always stored as email")
    return ReadResult((Case(case_key, source.attributes),), (document,), tuple(warnings))
