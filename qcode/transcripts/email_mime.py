"""Read RFC 5322 e-mail: one message per ``.eml`` file, or an mbox file of a whole case.

Parsing uses the standard library (``email`` with ``policy.default``, refusing headers longer
than ``MAX_HEADER_LINE``). The text/plain part is
preferred; HTML is reduced to text only when a message has no plain part. An mbox is split as
``mailbox.mbox`` splits it (every line starting with ``From `` opens a message; ``>From ``
lines are unescaped as in mboxrd), which keeps line numbers for errors. Its messages are
grouped into threads (References/In-Reply-To, and the subject without Re:/Fw:/Antw:), one
document per thread, messages in date order.
"""

from __future__ import annotations

import re
from email import message_from_string, policy
from email.message import EmailMessage
from email.policy import EmailPolicy
from functools import lru_cache
from html import unescape
from typing import Any

import lxml.html
from lxml import etree

from qcode.errors import TranscriptParseError
from qcode.transcripts.email_render import MailMessage, build_email_document, order_by_date
from qcode.transcripts.encoding import normalise_newlines
from qcode.transcripts.headers import MAX_HEADER_LINE
from qcode.transcripts.model import Case, Document
from qcode.transcripts.result import ReadResult
from qcode.transcripts.roles import RoleMap, unmapped_label_hint
from qcode.transcripts.sources import SourceFile
from qcode.transcripts.storable import UNSTORABLE_NOTE, replace_unstorable
from qcode.transcripts.timestamps import parse_datetime

_REPLY_PREFIX_RE = re.compile(
    r"^\s*+(?:(?:re|fw|fwd|antw|aw|doorst|tr|sv|wg)\s*+(?:\[\d++\])?\s*+:\s*+)+", re.IGNORECASE
)
r"""Possessive: two adjacent ``\s*`` split a run of spaces in quadratically many ways."""
_MBOX_ESCAPE_RE = re.compile(r"^>(>*From )", re.MULTILINE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})


_SKIPPED_TAGS = frozenset({"script", "style"})
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*+)?[^<>]*+>")
"""A tag, for the fallback only: possessive, and ``[^<>]`` stops at the next ``<``, so linear
(``<`` and 20,000 letters without ``>`` took 6 s with plain ``*``)."""


def _html_parser() -> lxml.html.HTMLParser:
    return lxml.html.HTMLParser(
        encoding="utf-8", huge_tree=True, remove_comments=True, remove_pis=True,
        no_network=True,
    )


def _walk_text(root: etree._Element) -> str:
    """Text and tails in document order, a line break at block elements; no recursion."""
    parts: list[str] = []
    skip = 0
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in _SKIPPED_TAGS:
                skip += 1
            elif tag in _BLOCK_TAGS:
                parts.append("\n")
            if not skip and element.text:
                parts.append(element.text)
        else:
            if tag in _SKIPPED_TAGS:
                skip = max(0, skip - 1)
            elif tag in _BLOCK_TAGS and tag != "br":  # <br> is empty: one line break
                parts.append("\n")
            if not skip and element.tail and element is not root:
                parts.append(element.tail)
    return "".join(parts)


_SKIPPED_OPEN_RE = re.compile(r"<(script|style)\b", re.IGNORECASE)
_SKIPPED_CLOSE_RE = {tag: re.compile(rf"</{tag}\b", re.IGNORECASE) for tag in _SKIPPED_TAGS}


def _strip_tags(html: str) -> str:
    """Fallback for what libxml2 refuses (nesting past its depth limit): drop the tags.

    Script and style content is dropped as the tree walk drops it; every search moves
    forward, so this stays linear too.
    """
    kept: list[str] = []
    position = 0
    while (opening := _SKIPPED_OPEN_RE.search(html, position)) is not None:
        kept.append(html[position : opening.start()])
        closing = _SKIPPED_CLOSE_RE[opening[1].lower()].search(html, opening.end())
        position = len(html) if closing is None else closing.start()
    kept.append(html[position:])

    def replace(match: re.Match[str]) -> str:
        return "\n" if (match[2] or "").lower() in _BLOCK_TAGS else ""

    return unescape(_TAG_RE.sub(replace, "".join(kept)))


def html_to_text(html: str) -> str:
    """Visible text of an HTML body, one line per block, runs of blank lines collapsed.

    lxml's HTML parser (libxml2) reads the body in linear time; the standard library's
    ``HTMLParser`` took minutes on 33,000 unclosed ``<a `` tags. Text is taken in document
    order with :func:`lxml.etree.iterwalk`, so deep nesting cannot exhaust Python's stack;
    past libxml2's own depth limit (2048 with ``huge_tree``) it stops reading, and then the
    tags are stripped instead so no text is lost. Lone surrogates, which no UTF-8 encoder
    takes, must be replaced before (see :func:`_body_of`).
    """
    parser = _html_parser()
    try:
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except etree.ParserError:  # "Document is empty": nothing but white space or comments
        return ""
    if any(entry.level == etree.ErrorLevels.FATAL for entry in parser.error_log):
        text = _strip_tags(html)
    else:
        text = _walk_text(root)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class HeaderTooLong(ValueError):
    """A header the email package would parse is longer than :data:`MAX_HEADER_LINE`."""

    def __init__(self, name: str, length: int) -> None:
        super().__init__(
            f"the {name} header has {length:,} characters, more than the {MAX_HEADER_LINE:,} "
            "a header may have"
        )


class _CappedPolicy(EmailPolicy):  # type: ignore[type-arg]
    """``policy.default``, but a header longer than :data:`MAX_HEADER_LINE` is not parsed.

    The email package's header parser is slow on hostile values (a 20,000-character From of
    quotes takes 12 s, and nested comments recurse past Python's limit); real headers that
    qcode reads (From, Date, Subject, Content-*) are far shorter. Threading headers are read
    raw (:func:`_raw_header`) and never reach this parser.
    """

    def header_fetch_parse(self, name: str, value: str) -> Any:
        if len(value) > MAX_HEADER_LINE:
            raise HeaderTooLong(name, len(value))
        return _parsed_header(name, value)


@lru_cache(maxsize=4096)
def _parsed_header(name: str, value: str) -> Any:
    """``policy.default``'s parse of a header, remembered.

    The email package parses a header anew on every access (a message's Content-Type some
    eight times while it is read), and its HeaderRegistry builds a new class each time; an
    mbox of 2,900 short messages took 18 s. Header objects are immutable strings, so one
    parse of each distinct (name, value) serves every access, across messages too.
    """
    return policy.default.header_fetch_parse(name, value)


_POLICY = _CappedPolicy()


def normalise_subject(subject: str) -> str:
    """Thread key of a subject: without Re:/Fw:/Antw: prefixes, case and spacing."""
    return " ".join(_REPLY_PREFIX_RE.sub("", subject).split()).casefold()


def _content_of(part: EmailMessage) -> str:
    """A text part's content; with an unknown charset, the text as decoded, else UTF-8/cp1252."""
    try:
        return normalise_newlines(str(part.get_content()))
    except (LookupError, ValueError, UnicodeError):
        pass
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding in ("", "7bit", "8bit", "binary"):
        text = part.get_payload()
        if isinstance(text, str):  # the file was decoded already (decode_bytes)
            return normalise_newlines(text)
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    try:
        return normalise_newlines(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return normalise_newlines(raw.decode("cp1252", errors="replace"))


def _body_of(message: EmailMessage) -> tuple[str, bool]:
    """The body as text, and whether characters no store holds had to be replaced first.

    Only an HTML body needs it here (libxml2 takes UTF-8, and lone surrogates from a
    ``charset=utf-7`` part cannot be encoded); everything else reaches
    :func:`qcode.transcripts.storable.replace_unstorable` through the registry.
    """
    part = message.get_body(preferencelist=("plain",))
    if isinstance(part, EmailMessage):
        return _content_of(part), False
    part = message.get_body(preferencelist=("html",))
    if isinstance(part, EmailMessage):
        html = _content_of(part)
        clean = replace_unstorable(html)
        return html_to_text(clean), clean is not html
    return "", False


def _one_line(value: object) -> str:
    return " ".join(str(value).split())


def _to_mail(message: EmailMessage, path: str, line: int, roles: RoleMap) -> MailMessage:
    try:
        return _read_mail(message, path, line, roles)
    except TranscriptParseError:
        raise
    except HeaderTooLong as exc:
        raise TranscriptParseError(path, line, str(exc)) from None
    except Exception as exc:  # malformed headers can crash the stdlib header parser
        raise TranscriptParseError(path, line, f"malformed e-mail message: {exc!r}") from None


def _read_mail(message: EmailMessage, path: str, line: int, roles: RoleMap) -> MailMessage:
    sender = _one_line(message.get("From", ""))
    if not sender:
        raise TranscriptParseError(path, line, "message has no From header")
    address, name = "", ""
    from_header = message["From"]
    addresses = getattr(from_header, "addresses", ())
    if addresses:
        address, name = addresses[0].addr_spec, addresses[0].display_name
    role = roles.role_of_sender(address, name) or roles.role_of(sender)
    if role is None:
        who = address or sender
        raise TranscriptParseError(
            path, line, f"unknown sender '{who}'; " + unmapped_label_hint(who)
        )
    date_value = _one_line(message.get("Date", ""))
    moment = parse_datetime(date_value)
    if moment is None:
        raise TranscriptParseError(path, line, f"message has no readable Date ('{date_value}')")
    subject = _one_line(message.get("Subject", ""))
    headers = [f"Van: {sender}", f"Datum: {date_value}"]
    if subject:
        headers.append(f"Onderwerp: {subject}")
    body, replaced = _body_of(message)
    notes = (f"{path}:{line}: {UNSTORABLE_NOTE}",) if replaced else ()
    return MailMessage(tuple(headers), sender, role, moment, subject, body, line, notes)


def _parse(text: str, path: str, line: int) -> EmailMessage:
    try:
        message = message_from_string(text, policy=_POLICY)
    except Exception as exc:  # the parser is lenient; this guards against its rare crashes
        raise TranscriptParseError(path, line, f"not a readable e-mail message: {exc}") from None
    assert isinstance(message, EmailMessage)
    return message


def split_mbox(text: str) -> list[tuple[int, str]]:
    """(1-based line of the ``From `` line, message text) for every message of an mbox."""
    chunks: list[tuple[int, str]] = []
    start: int | None = None
    lines = text.split("\n")
    for i, line in enumerate([*lines, "From "]):
        if line.startswith("From "):
            if start is not None:
                body = "\n".join(lines[start + 1 : i])
                chunks.append((start + 1, _MBOX_ESCAPE_RE.sub(r"\1", body)))
            start = i
    return chunks


_REFERENCE_RE = re.compile(r"<([^<>]+)>")
"""A message id in References/In-Reply-To; ``[^<>]`` keeps a run of ``<`` linear."""


def _raw_header(message: EmailMessage, name: str) -> str:
    """A header's value as written, unfolded; "" if absent.

    Threading needs only the ``<id>`` tokens, and the parsed header objects of
    ``policy.default`` crash on malformed ids (``Message-ID: <`` raises IndexError).
    """
    for key, value in message.raw_items():
        if key.lower() == name:
            return _one_line(value)
    return ""


def _thread_groups(messages: list[tuple[MailMessage, EmailMessage]]) -> list[list[int]]:
    """Group message indices into threads by references and by normalised subject."""
    parent = list(range(len(messages)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_id: dict[str, int] = {}
    by_subject: dict[str, int] = {}
    for i, (mail, raw) in enumerate(messages):
        message_id = _raw_header(raw, "message-id").strip().strip("<>")
        if message_id:
            by_id.setdefault(message_id, i)
        subject = normalise_subject(mail.subject)
        if subject:
            parent[find(i)] = find(by_subject.setdefault(subject, i))
    for i, (_, raw) in enumerate(messages):
        refs = f"{_raw_header(raw, 'references')} {_raw_header(raw, 'in-reply-to')}"
        for ref in _REFERENCE_RE.findall(refs):
            if ref in by_id:
                parent[find(i)] = find(by_id[ref])
    groups: dict[int, list[int]] = {}
    for i in range(len(messages)):
        groups.setdefault(find(i), []).append(i)
    return sorted(groups.values(), key=lambda g: min(messages[i][0].time for i in g))


def read_eml(source: SourceFile, text: str, roles: RoleMap) -> ReadResult:
    """Read one ``.eml`` file into a one-message e-mail document."""
    path = str(source.path)
    mail = _to_mail(_parse(text, path, 1), path, 1, roles)
    case_key = source.case_key or source.path.stem
    document = build_email_document(f"{case_key}/{source.path.stem}", case_key, [mail], path)
    return ReadResult((Case(case_key, source.attributes),), (document,), mail.warnings)


def read_mbox(source: SourceFile, text: str, roles: RoleMap) -> ReadResult:
    """Read an mbox of one case: one document per thread, threads in order of first date."""
    path = str(source.path)
    parsed: list[tuple[MailMessage, EmailMessage]] = []
    for line, chunk in split_mbox(text):
        raw = _parse(chunk, path, line)
        parsed.append((_to_mail(raw, path, line, roles), raw))
    if not parsed:
        raise TranscriptParseError(path, 1, "no messages found (an mbox starts with 'From ')")
    case_key = source.case_key or source.path.stem
    groups = _thread_groups(parsed)
    documents: list[Document] = []
    warnings = [note for mail, _ in parsed for note in mail.warnings]
    for number, group in enumerate(groups, 1):
        mails = [parsed[i][0] for i in group]
        ordered = order_by_date(mails, f"{path}:{mails[0].line}", warnings)
        suffix = f"-{number:02d}" if len(groups) > 1 else ""
        key = f"{case_key}/{source.path.stem}{suffix}"
        documents.append(build_email_document(key, case_key, ordered, path))
    return ReadResult((Case(case_key, source.attributes),), tuple(documents), tuple(warnings))
