"""scan_document's joined search maps each hit to its utterance without a separator.

The utterance texts are joined with nothing between them (a candidate is one character, so
the text a hit lies in is the first whose end is past it). Texts that are empty, hold NUL (the
separator once used) or put a candidate at their first or last character are where a wrong
mapping would show; each case is compared with scanning every utterance on its own.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.transcripts.model import Channel, Document, Role, Utterance
from qcode.transcripts.privacy import Finding, scan_document, scan_personal_data

_PIECES = st.sampled_from(
    ["", "\x00", "jan@x.nl", "06-12345678", "1234 AB", "111222333", "Kalverstraat 12", "7",
     "@", " ", "\n", "é", "😊", "١٢٣", "NAAM@INSTELLING.nl", "hoi"]
)


def _each_on_its_own(document: Document) -> list[Finding]:
    """Every utterance text scanned alone (the contract, written out plainly)."""
    findings = {
        Finding(u.line + f.line - 1 if u.line > 0 else f.line, f.kind, f.excerpt)
        for u in document.utterances
        for f in scan_personal_data(u.text)
    }
    return sorted(findings, key=lambda f: (f.line, f.kind, f.excerpt))


def _document(bodies: list[str]) -> Document:
    utterances, text, line = [], "", 1
    for index, body in enumerate(bodies):
        utterances.append(
            Utterance(index, Role.CLIENT, "Hulpvrager", None, body, len(text), len(text) + len(body), line)
        )
        text += body + "\n"
        line += body.count("\n") + 1
    return Document("c/d", "c", Channel.CHAT, text, tuple(utterances))


@settings(max_examples=800, deadline=None)
@given(st.lists(st.lists(_PIECES, max_size=5).map("".join), max_size=8))
def test_joined_search_finds_what_each_utterance_alone_finds(bodies: list[str]) -> None:
    document = _document(bodies)
    assert scan_document(document) == _each_on_its_own(document)


def test_hits_at_the_edges_of_texts_land_on_their_own_lines() -> None:
    document = _document(["06-12345678", "", "x\x00", "jan@x.nl", "hoi 1234 AB"])
    assert [(f.line, f.kind) for f in scan_document(document)] == [
        (1, "phone"), (4, "email"), (5, "postcode"),
    ]
