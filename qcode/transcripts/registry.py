"""The single entry point of the readers: pick a format, read a file, check the offsets."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

from qcode.errors import TranscriptParseError
from qcode.transcripts.chat import LABEL_LINE_RE, read_chat
from qcode.transcripts.email_mime import read_eml, read_mbox
from qcode.transcripts.email_thread import read_email_thread
from qcode.transcripts.encoding import normalise_newlines
from qcode.transcripts.model import check_offsets
from qcode.transcripts.result import ReadResult
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile
from qcode.transcripts.storable import clean_result
from qcode.transcripts.tabular import read_table

__all__ = ["FORMATS", "ReadResult", "read_source", "sniff"]

FORMATS = ("chat", "email-thread", "eml", "mbox", "csv", "jsonl")

_BY_EXTENSION = {
    ".eml": "eml",
    ".mbox": "mbox",
    ".mbx": "mbox",
    ".csv": "csv",
    ".tsv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_THREAD_FIELD_RE = re.compile(r"(?:Van|Datum|Aan|Onderwerp)\s*:", re.IGNORECASE)
_RFC_HEADER_RE = re.compile(
    r"(?:Return-Path|Received|Message-ID|MIME-Version|From|Date|Subject|To|Delivered-To)"
    r":[ \t]", re.IGNORECASE,
)
_SNIFF_LINES = 50


def _content_lines(text: str) -> Iterator[str]:
    """The lines that are neither blank nor ``#`` headers, among the first _SNIFF_LINES.

    Lazy: a chat is told by its first chat line, so most files are sniffed from a handful of
    lines instead of splitting (and copying) the whole text.
    """
    start = 0
    for _ in range(_SNIFF_LINES):
        end = text.find("\n", start)
        line = text[start:] if end < 0 else text[start:end]
        if line.strip() and not line.lstrip().startswith("#"):
            yield line
        if end < 0:
            return
        start = end + 1


def sniff(path: Path, text: str) -> str:
    """Tell the format of a file by its extension, else by its first meaningful lines.

    Raises:
        TranscriptParseError: Neither tells; the message lists the formats to force with
            ``--format``.
    """
    by_extension = _BY_EXTENSION.get(path.suffix.casefold())
    if by_extension is not None:
        return by_extension
    content = _content_lines(text)
    first = next(content, None)
    if first is not None:
        rest: Iterable[str] = content
        if first.startswith("From "):
            rest = list(content)
            if any(_RFC_HEADER_RE.match(ln) for ln in rest):
                return "mbox"
        if _THREAD_FIELD_RE.match(first):
            return "email-thread"
        if _RFC_HEADER_RE.match(first):
            return "eml"
        if first.lstrip().startswith("{") and path.suffix.casefold() == ".json":
            return "jsonl"
        if LABEL_LINE_RE.match(first) or any(LABEL_LINE_RE.match(ln) for ln in islice(rest, 9)):
            return "chat"
    raise TranscriptParseError(
        path, None,
        "cannot tell the format of this file; force one with --format "
        f"({', '.join(FORMATS)})",
    )


def read_source(
    source: SourceFile, text: str, roles: RoleMap, fmt: str | None = None
) -> ReadResult:
    """Read one decoded file in its format (``fmt``, else forced by ``source.fmt``, else sniffed).

    Every returned document passes :func:`qcode.transcripts.model.check_offsets` and holds
    no character a store refuses (:mod:`qcode.transcripts.storable`). The offsets are checked
    here for every reader but the chat reader, which cuts each utterance's text out of the
    document text at the offsets it stores with it, so they cannot differ (a second walk over
    every turn of every chat cost about 0.2 µs an utterance: docs/benchmarks.md, Import);
    tests/transcripts hold the chat reader to the check on generated and hostile input.

    Raises:
        TranscriptParseError: The format is unknown or the file cannot be read in it.
    """
    text = normalise_newlines(text)
    fmt = fmt or source.fmt or sniff(source.path, text)
    if fmt == "chat":
        result = read_chat(source, text, roles)
    elif fmt == "email-thread":
        result = read_email_thread(source, text, roles)
    elif fmt == "eml":
        result = read_eml(source, text, roles)
    elif fmt == "mbox":
        result = read_mbox(source, text, roles)
    elif fmt in ("csv", "jsonl"):
        result = read_table(source, text, roles, fmt)
    else:
        raise TranscriptParseError(
            source.path, None, f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}"
        )
    chat = fmt == "chat"  # the chat reader cuts every utterance string out of the text
    result = clean_result(result, source.path, verbatim=chat, sliced=chat)
    keys = [d.key for d in result.documents]
    if len(set(keys)) != len(keys):
        raise TranscriptParseError(source.path, None, "two documents in this file share a key")
    if not chat:  # the chat reader cuts each text at its own offsets (chat._build_utterances)
        for document in result.documents:
            check_offsets(document)
    return result
