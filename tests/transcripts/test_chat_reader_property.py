"""Arbitrary text never crashes the chat reader with anything but TranscriptParseError."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.errors import TranscriptParseError
from qcode.transcripts.model import check_offsets
from qcode.transcripts.registry import read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

_PIECES = st.sampled_from(
    [
        "Hulpvrager", "Online hulpverlener", "hulpverlener", "[Systeem]", "Sanne", "***",
        " (", "(", ")", "):", ": ", "19:02", "23:59", "00:03", "25:61", "\n", "\r\n", "\r",
        "# casus: 1", "# datum: 2014-11-03", "# datum: 9999-12-31", "# kanaal: x", " ",
        "\t", ":)", "😊", "é", "#", "[", "]", "*", "a", "1",
    ]
)
TEXTS = st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_arbitrary_text_raises_only_parse_errors(text: str) -> None:
    source = SourceFile(Path("x-2014-11-03.txt"), None, "chat")
    try:
        result = read_source(source, text, RoleMap.default())
    except TranscriptParseError as exc:
        assert exc.path == "x-2014-11-03.txt"
        return
    for document in result.documents:
        check_offsets(document)
        assert "\r" not in document.text


_MAIL_PIECES = st.sampled_from(
    [
        "Van: Hulpvrager\n", "Van: Hulpverlener\n", "Datum: 12-03-2014 23:41\n",
        "Datum: 2014-03-15T10:12\n", "Onderwerp: Re: x\n", "-----\n", "\n", "> oud\n",
        "Op 12-03-2014 om 23:41 schreef NAAM:\n", "From x\n", "From: a@b.nl\n",
        "Date: Sat, 15 Mar 2014 10:12:00 +0100\n", "speaker,timestamp,text\n",
        "Hulpvrager,2014-11-03T19:02,hoi\n", '{"speaker": "Hulpvrager"}\n', "tekst", ",", '"',
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(), st.lists(_MAIL_PIECES, max_size=30).map("".join)))
@pytest.mark.parametrize("fmt", ["email-thread", "eml", "mbox", "csv", "jsonl"])
def test_other_readers_raise_only_parse_errors(fmt: str, text: str) -> None:
    source = SourceFile(Path("x.txt"), None, fmt)
    try:
        result = read_source(source, text, RoleMap.default())
    except TranscriptParseError:
        return
    for document in result.documents:
        check_offsets(document)
