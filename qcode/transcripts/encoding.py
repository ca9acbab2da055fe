"""Turn the raw bytes of a transcript file into the LF-only text qcode stores.

Exports of the study come as UTF-8 (with or without a byte-order mark) or as Windows-1252 from
older Windows tools, with CRLF line ends. Offsets of codings count characters in the text this
module returns, so every reader must start from it.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from qcode.errors import TranscriptParseError

_UTF8_BOM = codecs.BOM_UTF8
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def normalise_newlines(text: str) -> str:
    """Return ``text`` with CRLF and lone CR turned into LF (the only line end qcode stores)."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _line_of(raw: bytes, position: int) -> int:
    return raw.count(b"\n", 0, position) + 1


def decode_bytes(raw: bytes, path: str | Path) -> str:
    """Decode a transcript file: UTF-8 (BOM stripped), else Windows-1252; LF line ends.

    UTF-8 is tried first because valid UTF-8 with non-ASCII letters is practically never
    valid Windows-1252 text that means something else. A UTF-16 byte-order mark (Notepad's
    "Unicode") is honoured as well.

    Args:
        raw: The file's bytes.
        path: The file, named in errors.

    Returns:
        The decoded text with CRLF and lone CR replaced by LF.

    Raises:
        TranscriptParseError: The bytes are neither UTF-8 nor Windows-1252; names the line of
            the first byte that fits neither.
    """
    if raw.startswith(_UTF8_BOM):
        body = raw[len(_UTF8_BOM) :]
        try:
            return normalise_newlines(body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            line = _line_of(body, exc.start)
            raise TranscriptParseError(
                path, line, f"file starts with a UTF-8 mark but byte 0x{body[exc.start]:02X} "
                "is not UTF-8; save the file again as UTF-8"
            ) from None
    if raw.startswith(_UTF16_BOMS):
        try:
            return normalise_newlines(raw.decode("utf-16"))
        except UnicodeDecodeError:
            raise TranscriptParseError(
                path, None, "file starts with a UTF-16 mark but is not valid UTF-16"
            ) from None
    try:
        return normalise_newlines(raw.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    try:
        return normalise_newlines(raw.decode("cp1252"))
    except UnicodeDecodeError as exc:
        line = _line_of(raw, exc.start)
        raise TranscriptParseError(
            path, line, f"byte 0x{raw[exc.start]:02X} is neither UTF-8 nor Windows-1252; "
            "save the file as UTF-8"
        ) from None
