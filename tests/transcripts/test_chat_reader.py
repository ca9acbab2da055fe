"""The chat reader against every quirk of docs transcript-formats.md, section 1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qcode.errors import TranscriptParseError
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.model import Channel, Document, Role, check_offsets
from qcode.transcripts.registry import ReadResult, read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

HEADER = "# casus: 17\n# kanaal: chat\n# datum: 2014-11-03\n# hulpverlener: HV04\n"


def read(
    text: str,
    name: str = "chat.txt",
    roles: RoleMap | None = None,
    **source: object,
) -> ReadResult:
    src = SourceFile(Path(name), source.pop("case_key", None), "chat", **source)  # type: ignore[arg-type]
    return read_source(src, text, roles or RoleMap.default())


def only(result: ReadResult) -> Document:
    assert len(result.documents) == 1
    document = result.documents[0]
    check_offsets(document)
    for u in document.utterances:
        assert document.text[u.start : u.end] == u.text
    return document


def test_format_document_example_reads_with_roles_times_and_offsets() -> None:
    text = HEADER + (
        "Online hulpverlener (19:02): Hoi NAAM, welkom bij de chat. Waar wil je het over hebben?\n"
        "Hulpvrager (19:03): hoi\n"
        "Hulpvrager (19:04): ik heb ruzie met mn vader en ik weet niet\n"
        "wat ik moet doen\n"
        "Online hulpverlener(19:05): Wat vervelend voor je.\n"
        "hulpvrager (19:09): hij zegt dat ik niks goed doe....\n"
        "Hulpverlener (19:10): Als ik het goed lees voel je je niet gehoord, klopt dat?\n"
        "Hulpvrager (19:10): ja :(\n"
    )
    doc = only(read(text))
    assert doc.text == text  # stored verbatim, header included
    assert [u.role for u in doc.utterances] == [
        Role.COUNSELLOR, Role.CLIENT, Role.CLIENT, Role.COUNSELLOR, Role.CLIENT,
        Role.COUNSELLOR, Role.CLIENT,
    ]
    assert [u.speaker for u in doc.utterances][3:5] == ["Online hulpverlener", "hulpvrager"]
    assert doc.utterances[2].text == "ik heb ruzie met mn vader en ik weet niet\nwat ik moet doen"
    assert doc.utterances[2].continued and not doc.utterances[1].continued
    assert doc.utterances[0].time == dt.datetime(2014, 11, 3, 19, 2)
    assert doc.utterances[6].text == "ja :("
    assert [u.line for u in doc.utterances] == [5, 6, 7, 9, 10, 11, 12]
    assert doc.key == "17/chat" and doc.case_key == "17" and doc.channel is Channel.CHAT
    assert dict(doc.attributes) == {"hulpverlener": "HV04"}
    assert doc.start == dt.datetime(2014, 11, 3, 19, 2)


def test_label_case_and_missing_space_and_whitespace_variants() -> None:
    text = HEADER + "ONLINE  HULPVERLENER(19:02):hoi\nhulpVRAGER   (19:03):   hallo  \n"
    doc = only(read(text))
    assert [u.role for u in doc.utterances] == [Role.COUNSELLOR, Role.CLIENT]
    assert [u.text for u in doc.utterances] == ["hoi", "hallo"]  # trailing blanks excluded
    assert doc.utterances[1].speaker == "hulpVRAGER"


def test_seconds_in_times() -> None:
    doc = only(read(HEADER + "Hulpvrager (19:03:27): hoi\n"))
    assert doc.utterances[0].time == dt.datetime(2014, 11, 3, 19, 3, 27)


def test_midnight_rollover_moves_to_next_day() -> None:
    doc = only(read(HEADER + "Hulpvrager (23:58): nog wakker\nHulpverlener (00:03): ja\n"))
    assert doc.utterances[1].time == dt.datetime(2014, 11, 4, 0, 3)
    assert not doc.utterances[1].out_of_order


def test_out_of_order_line_is_kept_flagged_and_warned() -> None:
    text = HEADER + "Hulpvrager (19:53): b\nHulpverlener (19:52): a\nHulpvrager (19:54): c\n"
    result = read(text)
    doc = only(result)
    assert [u.text for u in doc.utterances] == ["b", "a", "c"]  # printed order
    assert [u.out_of_order for u in doc.utterances] == [False, True, False]
    assert doc.utterances[1].time == dt.datetime(2014, 11, 3, 19, 52)
    assert result.warnings == (
        "chat.txt:6: time is earlier than the line before; kept in printed order and "
        "flagged out of order",
    )


def test_out_of_order_across_midnight_is_previous_day() -> None:
    text = HEADER + "Hulpvrager (23:58): a\nHulpvrager (00:03): c\nHulpvrager (23:59): b\n"
    doc = only(read(text))
    assert doc.utterances[2].time == dt.datetime(2014, 11, 3, 23, 59)
    assert doc.utterances[2].out_of_order


def test_continuation_lines_and_blank_lines() -> None:
    text = HEADER + "Hulpvrager (19:04): eerste\n\ntweede regel  \n\nHulpverlener (19:05): ok\n"
    doc = only(read(text))
    assert doc.utterances[0].text == "eerste\n\ntweede regel"
    assert doc.utterances[0].continued


def test_empty_message_has_zero_length_span() -> None:
    text = HEADER + "Hulpvrager (19:04):\nHulpverlener (19:05): hallo?\n"
    doc = only(read(text))
    u = doc.utterances[0]
    assert u.text == "" and u.start == u.end == len(HEADER) + len("Hulpvrager (19:04):")


def test_system_messages_by_heuristic() -> None:
    text = HEADER + (
        "*** Chat gestart ***\n"
        "Hulpvrager (19:04): hoi\n"
        "*** De verbinding is verbroken ***\n"
        "[Systeem] Sessie hervat\n"
        "(19:30) Verbinding verbroken\n"
        "Klikvoorhulp (19:31): Deze chat is gesloten\n"
    )
    doc = only(read(text))
    roles = [u.role for u in doc.utterances]
    assert roles == [Role.SYSTEM, Role.CLIENT, Role.SYSTEM, Role.SYSTEM, Role.SYSTEM, Role.SYSTEM]
    assert [u.text for u in doc.utterances] == [
        "Chat gestart", "hoi", "De verbinding is verbroken", "Sessie hervat",
        "Verbinding verbroken", "Deze chat is gesloten",
    ]
    assert doc.utterances[3].speaker == "[Systeem]"
    assert doc.utterances[4].time == dt.datetime(2014, 11, 3, 19, 30)
    assert doc.utterances[2].time is None


def test_project_labels_map_nicknames() -> None:
    roles = RoleMap.default().with_labels({"Sanne": "counsellor", "Bezoeker 12": "client"})
    doc = only(read(HEADER + "Sanne (19:02): hoi\nbezoeker 12 (19:03): hallo\n", roles=roles))
    assert [u.role for u in doc.utterances] == [Role.COUNSELLOR, Role.CLIENT]


def test_unknown_label_error_names_label_and_settings() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read(HEADER + "Hulpvrager (19:02): hoi\nSanne (19:03): hallo\n")
    assert info.value.line == 6 and info.value.path == "chat.txt"
    assert "'Sanne'" in info.value.reason and "[roles]" in info.value.reason
    assert "qcode.toml" in info.value.reason


def test_long_prose_with_time_is_continuation_not_label() -> None:
    text = HEADER + "Hulpvrager (19:02): hoi\nik zei toen tegen hem dat (19:30): klopt\n"
    doc = only(read(text))
    assert doc.utterances[0].text == "hoi\nik zei toen tegen hem dat (19:30): klopt"


def test_text_before_first_utterance_is_error_with_line() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read("# casus: 1\nzomaar tekst\nHulpvrager (19:02): hoi\n")
    assert info.value.line == 2
    assert str(info.value).startswith("chat.txt:2: ")


def test_invalid_time_is_error() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read(HEADER + "Hulpvrager (25:02): hoi\n")
    assert info.value.line == 5 and "25:02" in info.value.reason


def test_date_from_manifest_when_no_header() -> None:
    doc = only(read("Hulpvrager (19:02): hoi\n", date=dt.date(2015, 1, 2)))
    assert doc.utterances[0].time == dt.datetime(2015, 1, 2, 19, 2)


def test_header_date_beats_manifest_and_file_name() -> None:
    doc = only(read(HEADER + "Hulpvrager (19:02): hoi\n", name="c-2010-01-01.txt",
                    date=dt.date(2015, 1, 2)))
    assert doc.utterances[0].time == dt.datetime(2014, 11, 3, 19, 2)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("chat-2014-11-03.txt", dt.date(2014, 11, 3)),
        ("chat_20141103.txt", dt.date(2014, 11, 3)),
        ("chat 03-11-2014.txt", dt.date(2014, 11, 3)),
    ],
)
def test_date_from_file_name(name: str, expected: dt.date) -> None:
    doc = only(read("Hulpvrager (19:02): hoi\n", name=name))
    assert doc.utterances[0].time == dt.datetime.combine(expected, dt.time(19, 2))
    assert "date_unknown" not in doc.attributes


def test_unknown_date_uses_1900_with_attribute_and_warning() -> None:
    result = read("Hulpvrager (19:02): hoi\n", name="sessie.txt")
    doc = only(result)
    assert doc.utterances[0].time == dt.datetime(1900, 1, 1, 19, 2)
    assert doc.attributes["date_unknown"] == "yes"
    assert len(result.warnings) == 1 and result.warnings[0].startswith("sessie.txt:1: ")


def test_invalid_header_date_is_error() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read("# datum: 2014-13-45\nHulpvrager (19:02): hoi\n")
    assert info.value.line == 1


def test_case_key_precedence_source_then_header_then_stem() -> None:
    body = "Hulpvrager (19:02): hoi\n"
    # a manifest row or case folder outranks the header (chat + e-mail of one folder stay one case)
    assert only(read("# casus: 9\n" + body, case_key="casus-3")).case_key == "casus-3"
    assert only(read("# casus: 9\n" + body)).case_key == "9"
    assert only(read(body, case_key="casus-3", name="a.txt")).key == "casus-3/a"
    result = read(body, name="los-bestand.txt", date=dt.date(2014, 1, 1))
    assert only(result).case_key == "los-bestand" and result.cases[0].key == "los-bestand"


def test_channel_from_header_then_source() -> None:
    body = "Hulpvrager (19:02): hoi\n"
    assert only(read("# kanaal: e-mail\n" + body)).channel is Channel.EMAIL
    assert only(read(body, channel=Channel.EMAIL)).channel is Channel.EMAIL
    with pytest.raises(TranscriptParseError):
        read("# kanaal: fax\n" + body)


def test_case_attributes_come_from_source() -> None:
    result = read("Hulpvrager (19:02): hoi\n", case_key="c1", attributes={"leeftijd": "16"})
    assert dict(result.cases[0].attributes) == {"leeftijd": "16"}


def test_emoticons_and_emoji_keep_offsets() -> None:
    text = HEADER + "Hulpvrager (19:02): ok :) ;-) :D xD <3 😊 👍🏽\nHulpverlener (19:03): 🙂\n"
    doc = only(read(text))
    assert doc.utterances[0].text == "ok :) ;-) :D xD <3 😊 👍🏽"
    assert doc.utterances[1].text == "🙂"


def test_windows_1252_bom_and_crlf_files_through_decode() -> None:
    body = "# datum: 2014-11-03\r\nHulpvrager (19:02): één café €5\r\nnog iets\rHulpverlener (19:03): ok\r\n"
    for raw in (body.encode("cp1252"), b"\xef\xbb\xbf" + body.encode("utf-8")):
        text = decode_bytes(raw, "c.txt")
        doc = only(read(text))
        assert doc.text.startswith("# datum")
        assert doc.utterances[0].text == "één café €5\nnog iets"
        assert doc.utterances[1].role is Role.COUNSELLOR


def test_undecoded_crlf_text_is_normalised_by_read_source() -> None:
    doc = only(read("Hulpvrager (19:02): hoi\r\n", date=dt.date(2014, 1, 1)))
    assert doc.text == "Hulpvrager (19:02): hoi\n" and doc.utterances[0].text == "hoi"


def test_hash_line_after_first_utterance_is_text_not_header() -> None:
    doc = only(read(HEADER + "Hulpvrager (19:02): hoi\n# casus: 99\n"))
    assert doc.case_key == "17"
    assert doc.utterances[0].text == "hoi\n# casus: 99" and doc.utterances[0].continued
