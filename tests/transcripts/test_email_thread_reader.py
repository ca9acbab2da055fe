"""Plain-text e-mail threads: headers, roles, quotes, date order, rendering."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qcode.errors import TranscriptParseError
from qcode.transcripts.model import Channel, Role, check_offsets
from qcode.transcripts.registry import ReadResult, read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

THREAD = """Van: Hulpvrager
Datum: 12-03-2014 23:41
Onderwerp: schulden

Hallo, ik heb een huurachterstand van drie maanden en ...
-----
Van: Hulpverlener
Datum: 15-03-2014 10:12
Onderwerp: Re: schulden

Beste NAAM,

Uit je mail begrijp ik dat ...

Op 12-03-2014 om 23:41 schreef Hulpvrager:
> Hallo, ik heb een huurachterstand
"""


def read(text: str, roles: RoleMap | None = None, case_key: str | None = "c1") -> ReadResult:
    source = SourceFile(Path("mail.txt"), case_key, "email-thread")
    result = read_source(source, text, roles or RoleMap.default())
    for document in result.documents:
        check_offsets(document)
    return result


def test_format_document_example() -> None:
    result = read(THREAD)
    (doc,) = result.documents
    assert doc.channel is Channel.EMAIL and doc.key == "c1/mail"
    first, second = doc.utterances
    assert (first.role, second.role) == (Role.CLIENT, Role.COUNSELLOR)
    assert first.time == dt.datetime(2014, 3, 12, 23, 41)
    assert second.time == dt.datetime(2014, 3, 15, 10, 12)
    assert first.text == "Hallo, ik heb een huurachterstand van drie maanden en ..."
    assert second.text == "Beste NAAM,\n\nUit je mail begrijp ik dat ..."
    assert second.quoted == "Op 12-03-2014 om 23:41 schreef Hulpvrager:\n> Hallo, ik heb een huurachterstand"
    assert (first.subject, second.subject) == ("schulden", "Re: schulden")
    assert (first.line, second.line) == (1, 7)
    assert doc.start == first.time
    assert result.warnings == ()


def test_rendering_is_exact() -> None:
    (doc,) = read(THREAD).documents
    expected = (
        "Van: Hulpvrager\nDatum: 12-03-2014 23:41\nOnderwerp: schulden\n\n"
        "Hallo, ik heb een huurachterstand van drie maanden en ...\n"
        "-----\n"
        "Van: Hulpverlener\nDatum: 15-03-2014 10:12\nOnderwerp: Re: schulden\n\n"
        "Beste NAAM,\n\nUit je mail begrijp ik dat ...\n\n"
        "Op 12-03-2014 om 23:41 schreef Hulpvrager:\n> Hallo, ik heb een huurachterstand\n"
    )
    assert doc.text == expected
    assert doc.utterances[1].start == expected.index("Beste NAAM")


def test_inline_quote_lines_and_english_attribution() -> None:
    text = (
        "Van: Hulpverlener\nDatum: 2014-03-15 10:12\n\n"
        "> wat moet ik doen?\nDat snap ik.\n\nOn Sat, Mar 15, 2014 at 9:00 AM NAAM wrote:\n> oud\n"
    )
    (doc,) = read(text).documents
    u = doc.utterances[0]
    assert u.text == "Dat snap ik."
    assert u.quoted == "> wat moet ik doen?\nOn Sat, Mar 15, 2014 at 9:00 AM NAAM wrote:\n> oud"
    assert u.time == dt.datetime(2014, 3, 15, 10, 12)


def test_wrapped_attribution_line() -> None:
    text = (
        "Van: Hulpverlener\nDatum: 15-03-2014 10:12\n\nNieuw.\n\n"
        "Op za 15 mrt. 2014 om 09:00 schreef NAAM <\nNAAM@voorbeeld.nl>:\n> oud\n"
    )
    (doc,) = read(text).documents
    assert doc.utterances[0].text == "Nieuw."
    assert doc.utterances[0].quoted.startswith("Op za 15 mrt.")


def test_messages_out_of_date_order_are_sorted_with_warning() -> None:
    text = (
        "Van: Hulpverlener\nDatum: 15-03-2014 10:12\n\nAntwoord\n---\n"
        "Van: Hulpvrager\nDatum: 12-03-2014 23:41\n\nVraag\n"
    )
    result = read(text)
    (doc,) = result.documents
    assert [u.text for u in doc.utterances] == ["Vraag", "Antwoord"]
    assert [u.index for u in doc.utterances] == [0, 1]
    assert doc.text.startswith("Van: Hulpvrager")
    assert len(result.warnings) == 1 and "date order" in result.warnings[0]
    assert result.warnings[0].startswith("mail.txt:1: ")


def test_roles_from_addresses_and_aan_header_kept() -> None:
    roles = RoleMap.default().with_labels(
        {"hv04@klikvoorhulp.nl": "counsellor", "@hotmail.com": "client"}
    )
    text = (
        "Van: NAAM <naam@hotmail.com>\nAan: hv04@klikvoorhulp.nl\nDatum: 12-03-2014 23:41\n\nhoi\n"
        "-----\nVan: hv04@klikvoorhulp.nl\nDatum: 13-03-2014 08:00\n\nhallo\n"
    )
    (doc,) = read(text, roles).documents
    assert [u.role for u in doc.utterances] == [Role.CLIENT, Role.COUNSELLOR]
    assert doc.text.startswith(
        "Van: NAAM <naam@hotmail.com>\nDatum: 12-03-2014 23:41\nAan: hv04@klikvoorhulp.nl\n\nhoi\n"
    )


def test_unknown_sender_is_error_with_hint() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read("Van: onbekend@example.org\nDatum: 12-03-2014 23:41\n\nhoi\n")
    assert info.value.line == 1 and "onbekend@example.org" in info.value.reason
    assert "[roles]" in info.value.reason


def test_missing_or_bad_date_is_error_with_line() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read("Van: Hulpvrager\nDatum: 12-03-2014 23:41\n\nhoi\n-----\nVan: Hulpverlener\n\nx\n")
    assert info.value.line == 6 and "Datum" in info.value.reason
    with pytest.raises(TranscriptParseError) as info:
        read("Van: Hulpvrager\nDatum: gisteren\n\nhoi\n")
    assert info.value.line == 2


def test_header_block_gives_case_and_attributes() -> None:
    text = "# casus: 42\n# onderwerp: schulden\n\n" + THREAD
    result = read(text, case_key=None)
    (doc,) = result.documents
    assert doc.case_key == "42" and dict(doc.attributes) == {"onderwerp": "schulden"}
