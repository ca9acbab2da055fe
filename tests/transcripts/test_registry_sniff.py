"""Format sniffing and the read_source entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcode.errors import TranscriptParseError
from qcode.transcripts.registry import FORMATS, read_source, sniff
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile


@pytest.mark.parametrize(
    ("name", "text", "fmt"),
    [
        ("a.eml", "", "eml"),
        ("a.MBOX", "", "mbox"),
        ("a.csv", "", "csv"),
        ("a.jsonl", "", "jsonl"),
        ("a.txt", "# casus: 1\n\nHulpvrager (19:02): hoi\n", "chat"),
        ("a.txt", "*** start ***\nhulpverlener(19:02): hoi\n", "chat"),
        ("a.txt", "# casus: 1\nVan: Hulpvrager\nDatum: 1-1-2014\n\nhoi\n", "email-thread"),
        ("a", "From x Sat Mar 15 10:12:00 2014\nFrom: a@b.nl\nSubject: x\n\nhoi\n", "mbox"),
        ("a.txt", "Return-Path: <a@b.nl>\nFrom: a@b.nl\n\nhoi\n", "eml"),
        ("a.json", '{"speaker": "x"}\n', "jsonl"),
    ],
)
def test_sniff(name: str, text: str, fmt: str) -> None:
    assert sniff(Path(name), text) == fmt
    assert fmt in FORMATS


def test_unknown_format_error_lists_formats() -> None:
    with pytest.raises(TranscriptParseError) as info:
        sniff(Path("notities.txt"), "Zomaar wat aantekeningen\nzonder vorm\n")
    assert "--format" in info.value.reason and "email-thread" in info.value.reason


def test_read_source_sniffs_when_no_format_given() -> None:
    source = SourceFile(Path("c-2014-11-03.txt"), "c", None)
    result = read_source(source, "Hulpvrager (19:02): hoi\n", RoleMap.default())
    assert result.documents[0].utterances[0].text == "hoi"


def test_read_source_rejects_unknown_forced_format() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read_source(SourceFile(Path("x.txt"), None, "docx"), "", RoleMap.default())
    assert "docx" in info.value.reason


@pytest.mark.parametrize("blank_lines", [0, 1, 48, 49, 50, 51, 80])
def test_sniff_looks_at_the_first_fifty_lines_only(blank_lines: int) -> None:
    # mbox needs a header line after "From " within the first 50 lines.
    text = "From x Sat Mar 15 10:12:00 2014\n" + "\n" * blank_lines + "From: a@b.nl\n\nhoi\n"
    header_line = 2 + blank_lines  # 1-based line of "From: a@b.nl"
    if header_line <= 50:
        assert sniff(Path("a"), text) == "mbox"
    else:
        with pytest.raises(TranscriptParseError):
            sniff(Path("a"), text)
