"""RFC 5322 .eml and mbox files through the stdlib email parser."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qcode.errors import TranscriptParseError
from qcode.transcripts.email_mime import normalise_subject
from qcode.transcripts.model import Role, check_offsets
from qcode.transcripts.registry import ReadResult, read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

ROLES = RoleMap.default().with_labels(
    {"hv04@klikvoorhulp.nl": "counsellor", "client17@example.org": "client"}
)

PLAIN = """From: Client <client17@example.org>
To: hv04@klikvoorhulp.nl
Subject: schulden
Date: Wed, 12 Mar 2014 23:41:00 +0100
Message-ID: <m1@example.org>
Content-Type: text/plain; charset=utf-8

Hallo, ik heb een huurachterstand.
"""

MULTIPART = """From: hv04@klikvoorhulp.nl
Subject: Re: schulden
Date: Sat, 15 Mar 2014 10:12:00 +0100
Message-ID: <m2@klikvoorhulp.nl>
In-Reply-To: <m1@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="XX"

--XX
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Beste NAAM, =C3=A9=C3=A9n ding.

Op 12-03-2014 om 23:41 schreef Client:
> Hallo
--XX
Content-Type: text/html; charset=utf-8

<p>HTML versie</p>
--XX--
"""

HTML_ONLY = """From: hv04@klikvoorhulp.nl
Subject: info
Date: Sat, 15 Mar 2014 10:12:00 +0100
Content-Type: text/html; charset=utf-8

<html><body><p>Beste NAAM,</p><p>Hier is <b>info</b>.<br>Groet</p><script>x()</script></body></html>
"""


def read(text: str, name: str, fmt: str) -> ReadResult:
    result = read_source(SourceFile(Path(name), "c1", fmt), text, ROLES)
    for document in result.documents:
        check_offsets(document)
    return result


def test_eml_plain() -> None:
    (doc,) = read(PLAIN, "m1.eml", "eml").documents
    (u,) = doc.utterances
    assert u.role is Role.CLIENT and u.text == "Hallo, ik heb een huurachterstand."
    assert u.time == dt.datetime(2014, 3, 12, 23, 41)  # +0100 is Amsterdam winter time
    assert u.subject == "schulden" and doc.key == "c1/m1"
    assert doc.text.startswith("Van: Client <client17@example.org>\nDatum: Wed, 12 Mar 2014")


def test_eml_multipart_prefers_plain_and_splits_quote() -> None:
    (doc,) = read(MULTIPART, "m2.eml", "eml").documents
    (u,) = doc.utterances
    assert u.role is Role.COUNSELLOR
    assert u.text == "Beste NAAM, één ding."
    assert u.quoted == "Op 12-03-2014 om 23:41 schreef Client:\n> Hallo"
    assert "HTML versie" not in doc.text


def test_eml_html_only_is_stripped_to_text() -> None:
    (doc,) = read(HTML_ONLY, "m3.eml", "eml").documents
    assert doc.utterances[0].text == "Beste NAAM,\n\nHier is info.\nGroet"


def test_eml_unknown_sender_is_error() -> None:
    with pytest.raises(TranscriptParseError) as info:
        read(PLAIN.replace("Client <client17@example.org>", "Iemand <x@y.nl>"), "m.eml", "eml")
    assert "x@y.nl" in info.value.reason and "[roles]" in info.value.reason


def test_mbox_threads_by_reference_and_subject_in_date_order() -> None:
    other = (
        "From: client17@example.org\nSubject: Antw: ander onderwerp\n"
        "Date: Mon, 10 Mar 2014 09:00:00 +0100\n\n>From the start\n"
    )
    mbox = (
        "From MAILER-DAEMON Sat Mar 15 10:12:00 2014\n" + MULTIPART + "\n"
        "From MAILER-DAEMON Wed Mar 12 23:41:00 2014\n" + PLAIN + "\n"
        "From MAILER-DAEMON Mon Mar 10 09:00:00 2014\n" + other
    )
    result = read(mbox, "casus.mbox", "mbox")
    assert [d.key for d in result.documents] == ["c1/casus-01", "c1/casus-02"]
    first, second = result.documents
    assert [u.text for u in first.utterances] == ["From the start"]  # >From unescaped
    assert [u.role for u in second.utterances] == [Role.CLIENT, Role.COUNSELLOR]
    assert second.utterances[0].line == 24  # line of its "From " separator
    assert any("date order" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("subject", "key"),
    [("Re: Schulden", "schulden"), ("AW: Antw:  RE[2]: schulden ", "schulden"), ("Fwd: x", "x")],
)
def test_normalise_subject(subject: str, key: str) -> None:
    assert normalise_subject(subject) == key


def test_unknown_charset_falls_back_to_utf8() -> None:
    text = PLAIN.replace("charset=utf-8", "charset=x-onbekend").replace("Hallo", "Hé")
    (doc,) = read(text, "m.eml", "eml").documents
    assert doc.utterances[0].text == "Hé, ik heb een huurachterstand."
