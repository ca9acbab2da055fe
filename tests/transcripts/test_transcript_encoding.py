"""decode_bytes: UTF-8 with/without BOM, Windows-1252, line ends, and undecodable bytes."""

from __future__ import annotations

import pytest

from qcode.errors import TranscriptParseError
from qcode.transcripts.encoding import decode_bytes


def test_utf8_without_bom() -> None:
    assert decode_bytes("één 😊\n".encode(), "a.txt") == "één 😊\n"


def test_utf8_bom_is_stripped() -> None:
    assert decode_bytes(b"\xef\xbb\xbfhoi\n", "a.txt") == "hoi\n"


def test_windows_1252_fallback() -> None:
    # 0xE9 = é, 0x80 = € and 0x93/0x94 = curly quotes in Windows-1252 (not valid UTF-8)
    assert decode_bytes(b"caf\xe9 \x80 \x93ja\x94", "a.txt") == "café € “ja”"


def test_crlf_and_lone_cr_become_lf() -> None:
    assert decode_bytes(b"a\r\nb\rc\n", "a.txt") == "a\nb\nc\n"


def test_utf16_with_bom() -> None:
    assert decode_bytes("hoi\r\n".encode("utf-16"), "a.txt") == "hoi\n"


def test_undecodable_byte_names_file_and_line() -> None:
    # 0x81 is undefined in Windows-1252 and a stray continuation byte in UTF-8
    with pytest.raises(TranscriptParseError) as info:
        decode_bytes(b"regel een\nregel twee\nfout \x81 hier\n", "chat.txt")
    assert info.value.path == "chat.txt" and info.value.line == 3
    assert "0x81" in info.value.reason


def test_bom_with_invalid_utf8_is_error_with_line() -> None:
    with pytest.raises(TranscriptParseError) as info:
        decode_bytes(b"\xef\xbb\xbfok\n\xe9\n", "chat.txt")
    assert info.value.line == 2
