"""CSV and JSON Lines message tables."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from qcode.errors import TranscriptParseError
from qcode.transcripts.model import Channel, Role, check_offsets
from qcode.transcripts.registry import ReadResult, read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

CSV = (
    "case_id,document_id,channel,speaker,timestamp,text,leeftijd,onderwerp\n"
    "c1,d1,chat,Hulpvrager,2014-11-03T19:02:00,hoi,16,school\n"
    "c1,d1,chat,Online hulpverlener,2014-11-03T19:03:00,\"Hallo, welkom\nbij de chat\",16,school\n"
    "c1,d2,email,Hulpvrager,2014-11-05T08:00:00,mail,16,thuis\n"
    "c2,d1,chat,hulpvrager,2014-11-04T10:00:00,  hey  ,17,school\n"
)


def read(text: str, fmt: str = "csv", name: str = "export.csv") -> ReadResult:
    result = read_source(SourceFile(Path(name), None, fmt), text, RoleMap.default())
    for document in result.documents:
        check_offsets(document)
    return result


def test_csv_rows_become_documents_with_rendering_and_attributes() -> None:
    result = read(CSV)
    assert [c.key for c in result.cases] == ["c1", "c2"]
    assert dict(result.cases[0].attributes) == {"leeftijd": "16"}  # constant over c1
    assert dict(result.cases[1].attributes) == {"leeftijd": "17", "onderwerp": "school"}
    d1, d2, d3 = result.documents
    assert [d.key for d in result.documents] == ["c1/d1", "c1/d2", "c2/d1"]
    assert dict(d1.attributes) == {"onderwerp": "school"} and dict(d2.attributes) == {
        "onderwerp": "thuis"
    }
    assert d1.text == (
        "Hulpvrager (19:02): hoi\nOnline hulpverlener (19:03): Hallo, welkom\nbij de chat\n"
    )
    assert [u.role for u in d1.utterances] == [Role.CLIENT, Role.COUNSELLOR]
    assert d1.utterances[1].text == "Hallo, welkom\nbij de chat"
    assert [u.line for u in d1.utterances] == [2, 3]
    assert d2.utterances[0].line == 5  # the quoted field spans lines 3-4
    assert d2.channel is Channel.EMAIL and d1.channel is Channel.CHAT
    assert d3.utterances[0].text == "hey"
    assert d1.start == dt.datetime(2014, 11, 3, 19, 2)


def test_semicolon_csv_and_missing_optional_columns() -> None:
    text = "speaker;timestamp;text\nHulpvrager;2014-11-03 19:02;hoi\n"
    (doc,) = read(text, name="los.csv").documents
    assert doc.key == "los/los" and doc.channel is Channel.CHAT
    assert doc.utterances[0].time == dt.datetime(2014, 11, 3, 19, 2)


def test_zulu_timestamps_become_dutch_wall_clock() -> None:
    text = "speaker,timestamp,text\nHulpvrager,2014-07-01T17:02:00Z,hoi\n"
    (doc,) = read(text).documents
    assert doc.utterances[0].time == dt.datetime(2014, 7, 1, 19, 2)  # CEST = UTC+2


def test_out_of_order_rows_are_flagged() -> None:
    text = (
        "speaker,timestamp,text\nHulpvrager,2014-11-03T19:05,b\n"
        "Hulpverlener,2014-11-03T19:04,a\n"
    )
    result = read(text)
    assert [u.out_of_order for u in result.documents[0].utterances] == [False, True]
    assert result.warnings[0].startswith("export.csv:3: ")


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("speaker,timestamp,text\nHulpvrager,gisteren,hoi\n", 2, "timestamp"),
        ("speaker,timestamp,text\nHulpvrager,2014-11-03T19:02,hoi\nSanne,2014-11-03T19:03,x\n",
         3, "Sanne"),
        ("speaker,timestamp,text\nHulpvrager,2014-11-03T19:02\n", 2, "fields"),
        ("speaker,text\nHulpvrager,hoi\n", 2, "timestamp"),
    ],
)
def test_csv_errors_name_row_line(text: str, line: int, fragment: str) -> None:
    with pytest.raises(TranscriptParseError) as info:
        read(text)
    assert info.value.line == line and fragment in info.value.reason


def test_varying_column_within_document_is_reported() -> None:
    text = (
        "case_id,speaker,timestamp,text,stemming\n"
        "c1,Hulpvrager,2014-11-03T19:02,hoi,boos\nc1,Hulpvrager,2014-11-03T19:03,x,blij\n"
    )
    result = read(text)
    assert "stemming" not in result.cases[0].attributes
    assert "stemming" not in result.documents[0].attributes
    assert any("'stemming' varies" in w for w in result.warnings)


def test_jsonl() -> None:
    rows = [
        {"case_id": "c9", "document_id": "s1", "speaker": "Hulpvrager",
         "timestamp": "2014-11-03T19:02:00", "text": "hoi", "leeftijd": 15},
        {"case_id": "c9", "document_id": "s1", "speaker": "Hulpverlener",
         "timestamp": "2014-11-03T19:03:00", "text": "hallo", "leeftijd": 15},
    ]
    text = "\n".join(json.dumps(r) for r in rows) + "\n\n"
    result = read(text, "jsonl", "export.jsonl")
    (doc,) = result.documents
    assert doc.key == "c9/s1" and [u.text for u in doc.utterances] == ["hoi", "hallo"]
    assert dict(result.cases[0].attributes) == {"leeftijd": "15"}
    assert [u.line for u in doc.utterances] == [1, 2]


def test_jsonl_bad_line_is_error_with_line() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read('{"speaker": "Hulpvrager", "timestamp": "2014-11-03T19:02", "text": "x"}\n[1]\n',
             "jsonl", "e.jsonl")
    assert info.value.line == 2
