"""scan_personal_data: hits of each kind and the traps that must not be flagged."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from qcode.transcripts import privacy
from qcode.transcripts.model import Channel, Document, Role, Utterance, check_offsets
from qcode.transcripts.privacy import (
    Finding,
    is_valid_iban,
    passes_eleven_test,
    scan_document,
    scan_personal_data,
)


@pytest.mark.parametrize(
    ("text", "kind", "excerpt"),
    [
        ("mail me op jan.jansen@gmail.com ok", "email", "jan.jansen@gmail.com"),
        ("bel 06-12345678 maar", "phone", "06-12345678"),
        ("bel 06 1234 5678 maar", "phone", "06 1234 5678"),
        ("bel +31 6 12345678", "phone", "+31 6 12345678"),
        ("bel +31612345678.", "phone", "+31612345678"),
        ("bel 020-1234567", "phone", "020-1234567"),
        ("bel +31 (0)20 1234567", "phone", "+31 (0)20 1234567"),
        ("postcode 1234 AB toch", "postcode", "1234 AB"),
        ("postcode 1234AB toch", "postcode", "1234AB"),
        ("rek NL91ABNA0417164300 graag", "iban", "NL91ABNA0417164300"),
        ("rek NL91 ABNA 0417 1643 00 graag", "iban", "NL91 ABNA 0417 1643 00"),
        ("rek BE68 5390 0754 7034 ok", "iban", "BE68 5390 0754 7034"),  # a short word after it
        ("rek BE68539007547034 ok", "iban", "BE68539007547034"),
        ("bel 06 12 34 56 78 ok", "phone", "06 12 34 56 78"),
        ("mijn bsn is 111222333", "bsn", "111222333"),
        ("ik woon Kalverstraat 12 hoor", "address", "Kalverstraat 12"),
        ("ik woon op de dorpsweg 3a", "address", "dorpsweg 3a"),
        ("Herengracht 401-2, ", "address", "Herengracht 401-2"),
    ],
)
def test_hits(text: str, kind: str, excerpt: str) -> None:
    assert scan_personal_data(text) == [Finding(1, kind, excerpt)]


@pytest.mark.parametrize(
    "text",
    [
        "Hoi NAAM, woon je in PLAATS? Bel [INSTELLING 1] of NAAM HULPVERLENER TELEFOON",
        "Mijn ADRES is ADRES, POSTCODE POSTCODE, mail NAAM@EMAIL.nl",
        "Hulpvrager (19:02): om 19:30 of 23:58:10",
        "op 12-03-2014 en 03-11-2014 en 2014-11-03 en 20141103",
        "ik heb 123456789 euro schuld en 1500 euro en 3 maanden",
        "het was in 2014 ok, 0800-0432 is de kindertelefoon",
        "NL91ABNA0417164301 is geen geldige IBAN",
        "de straat 3 keer over, weg 2 weken",
        "tussen 0900-1700 en 10:00-12:00",
    ],
)
def test_traps_are_not_flagged(text: str) -> None:
    assert scan_personal_data(text) == []


def test_line_numbers_are_one_based() -> None:
    text = "eerste regel\n\nbel 0612345678\nen 1234 AB\n"
    assert [(f.line, f.kind) for f in scan_personal_data(text)] == [(3, "phone"), (4, "postcode")]


def test_check_helpers_against_published_examples() -> None:
    # NL91ABNA0417164300 is the example IBAN of the Dutch banks' IBAN documentation
    assert is_valid_iban("NL91ABNA0417164300")
    assert is_valid_iban("GB82 WEST 1234 5698 7654 32")  # ECBS example
    assert not is_valid_iban("NL91ABNA0417164301")
    # 111222333: 9+8+7+12+10+8+9+6-3 = 66 = 6 x 11 (by hand)
    assert passes_eleven_test("111222333")
    assert passes_eleven_test("123456782")  # 154 = 14 x 11
    assert not passes_eleven_test("123456789")  # 147, remainder 4


def _scan_each_utterance(document: Document) -> list[Finding]:
    """The plain reading of scan_document's contract: every part of every utterance."""
    findings = []
    for u in document.utterances:
        for part in (u.text, u.quoted, u.subject):
            for f in scan_personal_data(part):
                line = u.line + f.line - 1 if u.line > 0 and part is u.text else (u.line or f.line)
                findings.append(Finding(line, f.kind, f.excerpt))
    return sorted(set(findings), key=lambda f: (f.line, f.kind, f.excerpt))


_PRIVATE_PIECES = st.sampled_from(
    [
        "jan@x.nl", "NAAM@EMAIL.nl", "@", "06-12345678", "06 1234 5678", "+31 6 12345678",
        "0", "6", "12", "345", "-", " ", "\n", "1234 AB", "1234AB", "NL91 ABNA 0417 1643 00",
        "NL91ABNA0417164300", "111222333", "Kalverstraat 12", "dorpsweg 3a", "straat", "weg",
        " 7", "2014", "19:04", "(19:04)", "ok", "NAAM", "ſ", "١٢٣", "K", "x",
        "06 12 34 56 78", "GB21ABCDEFGHIJKL", "GB21 ABCD EFGH IJKL", "BE68 5390 0754 7034",
    ]
)


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.tuples(st.lists(_PRIVATE_PIECES, max_size=8).map("".join), st.booleans()), max_size=6),
    st.lists(_PRIVATE_PIECES, max_size=6).map("".join),
)
def test_scan_document_finds_what_scanning_each_utterance_finds(
    turns: list[tuple[str, bool]], header: str
) -> None:
    # A document whose text has a header and labelled lines around the utterances, so that
    # candidates outside the utterances (times, the header) are present too.
    text, utterances, line = "# " + header.replace("\n", " ") + "\n", [], 2
    for index, (body, quoted) in enumerate(turns):
        prefix = f"Hulpvrager (19:{index:02d}): "
        start = len(text) + len(prefix)
        utterances.append(
            Utterance(
                index, Role.CLIENT, "Hulpvrager", None, body, start, start + len(body), line,
                quoted=body[::-1] if quoted else "", subject="Re: 1234 AB" if quoted else "",
            )
        )
        text += prefix + body + "\n"
        line += body.count("\n") + 1
    document = Document("c/d", "c", Channel.CHAT, text, tuple(utterances))
    check_offsets(document)
    assert scan_document(document) == _scan_each_utterance(document)


_PATTERNS = {
    "email": privacy._EMAIL_RE, "iban": privacy._IBAN_RE, "phone": privacy._PHONE_RE,
    "postcode": privacy._POSTCODE_RE, "bsn": privacy._BSN_RE, "address": privacy._ADDRESS_RE,
}


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.text(), st.lists(_PRIVATE_PIECES, max_size=12).map("".join)))
@example("bel 06 12 34 56 78")
@example("bel +31 (0)20 1234567")
@example("Kalverstraat 1")
@example("KALVERſTRAAT 1")
@example("KerkDİJK 1")  # IGNORECASE matches İ and ı to i, which casefold would not
@example("Kerkdıjk 1")
def test_every_pattern_match_passes_the_cheap_gate(text: str) -> None:
    """possible_kinds may only skip a pattern that cannot match (run every pattern to see)."""
    matched = {kind for kind, pattern in _PATTERNS.items() if pattern.search(text)}
    assert matched <= privacy.possible_kinds(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(), st.integers(0, 20))
@example("é😊١x", 0)
@example("ab@", 1)
def test_next_candidate_is_where_digit_or_at_sign_first_matches(text: str, start: int) -> None:
    found = privacy._CANDIDATE.search(text, start)
    assert privacy._next_candidate(text, start) == (found.start() if found else -1)
