"""Format sniffing and the read_source entry point."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def _sniff_by_splitting(path: Path, text: str) -> str | None:
    """The plain reading of sniff's rules (the reference the lazy version must match)."""
    from qcode.transcripts import registry

    by_extension = registry._BY_EXTENSION.get(path.suffix.casefold())
    if by_extension is not None:
        return by_extension
    lines = [ln for ln in text.split("\n", 50)[:50] if ln.strip()]
    content = [ln for ln in lines if not ln.lstrip().startswith("#")]
    if content:
        first = content[0]
        if first.startswith("From ") and any(registry._RFC_HEADER_RE.match(ln) for ln in content[1:]):
            return "mbox"
        if registry._THREAD_FIELD_RE.match(first):
            return "email-thread"
        if registry._RFC_HEADER_RE.match(first):
            return "eml"
        if first.lstrip().startswith("{") and path.suffix.casefold() == ".json":
            return "jsonl"
        if any(registry.LABEL_LINE_RE.match(ln) for ln in content[:10]):
            return "chat"
    return None


_SNIFF_PIECES = st.sampled_from(
    ["From x 2014\n", "From: a@b.nl\n", "Van: NAAM\n", "Datum: 1-1-2014\n", "# casus: 1\n",
     "\n", "  \n", "Hulpvrager (19:02): hoi\n", "zomaar tekst\n", "{\"a\": 1}\n", "#\n",
     "Subject: x\n", " From x\n", "Onderwerp: hoi\n"]
)


@settings(max_examples=600, deadline=None)
@given(
    st.sampled_from(["a.txt", "a.json", "a", "a.TXT"]),
    st.one_of(
        st.lists(_SNIFF_PIECES, max_size=70).map("".join),
        st.builds(lambda n, tail: "\n" * n + tail, st.integers(40, 60), st.lists(_SNIFF_PIECES, max_size=12).map("".join)),
    ),
)
def test_sniff_matches_the_plain_reading(name: str, text: str) -> None:
    try:
        got: str | None = sniff(Path(name), text)
    except TranscriptParseError:
        got = None
    assert got == _sniff_by_splitting(Path(name), text)


@pytest.mark.parametrize(("prose_lines", "is_chat"), [(0, True), (9, True), (10, False)])
def test_a_chat_line_counts_among_the_first_ten_content_lines(prose_lines: int, is_chat: bool) -> None:
    text = "# casus: 1\n\n" + "zomaar tekst\n" * prose_lines + "Hulpvrager (19:02): hoi\n"
    assert _sniff_by_splitting(Path("a.txt"), text) == ("chat" if is_chat else None)
    if is_chat:
        assert sniff(Path("a.txt"), text) == "chat"
    else:
        with pytest.raises(TranscriptParseError):
            sniff(Path("a.txt"), text)
