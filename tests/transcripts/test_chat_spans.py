"""The chat reader's spans hold by construction: registry.read_source no longer checks them.

read_source runs check_offsets on every reader's documents but the chat reader's, which cuts
each utterance's text out of the document text at the offsets it stores (docs/benchmarks.md,
Import, session 7), and checks a chat's stored characters through its text alone. These tests
hold the chat reader's output, after the whole of read_source (newlines, characters no store
holds replaced), to check_offsets, to bodies without surrounding white space, and to every
utterance string being a piece of the text; the offsets of one chat are counted by hand.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.errors import TranscriptParseError
from qcode.transcripts.model import check_offsets
from qcode.transcripts.registry import read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

_PIECES = st.sampled_from(
    [
        "Hulpvrager (19:02): ", "Hulpverlener (19:03):", "Hulpvrager(00:01):\t", "\n",
        "\r\n", "\r", " ", "\t", "\u00a0", "\u2003", "\x0b", "\x00", "\ud800", "\udfff",
        "😊", "é", "hoi", "ja ", "*** Verbinding verbroken ***", "** **", "[Systeem] start",
        "(19:30) weg", "# casus: 1", "# datum: 2014-11-03", "***", "[", "(", ":", "x",
    ]
)
_SOURCE = SourceFile(Path("casus/chat-2014-11-03.txt"), None, "chat")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=30).map("".join))
def test_every_chat_span_holds_after_read_source(text: str) -> None:
    try:
        result = read_source(_SOURCE, text, RoleMap.default())
    except TranscriptParseError:
        return
    for document in result.documents:
        check_offsets(document)
        assert "\x00" not in document.text
        for u in document.utterances:
            assert document.text[u.start : u.end] == u.text
            assert u.text == u.text.strip()  # white space around a body is never part of it
            # every string is a piece of the text: what lets read_source check a chat's
            # stored characters through its text alone
            assert u.speaker in document.text
            assert u.quoted == "" and u.subject == ""
            assert "\x00" not in u.speaker and "\ud800" not in u.speaker


def test_a_replaced_character_keeps_every_later_span() -> None:
    """NUL and a lone surrogate are replaced one for one, in the text and the utterances."""
    text = "Hulpvrager (19:02): a\x00b\nHulpverlener (19:03): c\ud800d \nHulpvrager (19:04): e"
    result = read_source(_SOURCE, text, RoleMap.default())
    (document,) = result.documents
    assert [u.text for u in document.utterances] == ["a\ufffdb", "c\ufffdd", "e"]
    # by hand: "Hulpvrager (19:02): " is 20 characters, line 1 is 23 long plus its newline
    assert [(u.start, u.end) for u in document.utterances] == [(20, 23), (46, 49), (71, 72)]
    check_offsets(document)
    assert any("U+FFFD" in w for w in result.warnings)


def test_a_nul_in_a_speaker_label_is_replaced_with_the_text() -> None:
    roles = RoleMap.default().with_labels({"Hulp\x00vrager": "client"})
    text = "Hulp\x00vrager (19:02): hoi\n"
    result = read_source(_SOURCE, text, roles)
    (document,) = result.documents
    assert document.utterances[0].speaker == "Hulp\ufffdvrager"
    assert document.text == "Hulp\ufffdvrager (19:02): hoi\n"
    assert any("U+FFFD" in w for w in result.warnings)
