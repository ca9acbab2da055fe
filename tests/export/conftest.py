"""Small hand-built projects with known offsets (including non-ASCII and an emoji)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from qcode.codebook.model import Code, Codebook, Unit
from qcode.coding.model import Coding, Origin
from qcode.export.refi_model import ExchangeProject
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance

CHAT = (
    "Chat 2014-11-03\n"
    "Hulpvrager (19:49): hoi, één vraag 😀\n"
    "Online hulpverlener (19:50): Wat fijn dat je er bent!\n"
)
MAIL = "Van: hulpvrager\nOnderwerp: school\n\nIk durf niet naar school.\n"


def _utterance(text: str, piece: str, index: int, role: Role, speaker: str,
               time: datetime | None) -> Utterance:
    start = text.index(piece)
    return Utterance(index=index, role=role, speaker=speaker, time=time, text=piece,
                     start=start, end=start + len(piece))


@pytest.fixture
def codebook() -> Codebook:
    return Codebook(
        id="kvh", name="Klik voor hulp", version="1.0",
        codes=(
            Code("verificatie_interpretatie", "Verificatie interpretatie", "technique",
                 Unit.UTTERANCE, "Checks an interpretation", "Checkt een interpretatie",
                 "#1F77B4", "v", exclusive="question", suggestible=True),
            Code("compliment", "Compliment", "technique", Unit.SEGMENT, "Praise", "",
                 "#FF7F0E"),
            Code("emoticon", "Emoticon", "paratext", Unit.UTTERANCE, "", "Emoji of smiley",
                 "#2CA02C", automatic=True),
        ),
        groups=(("technique", "Gesprekstechnieken"), ("paratext", "Paratekst")),
    )


@pytest.fixture
def exchange(codebook: Codebook) -> ExchangeProject:
    t1 = datetime(2014, 11, 3, 19, 49)
    chat = Document(
        key="casus-1/chat-1", case_key="casus-1", channel=Channel.CHAT, text=CHAT,
        utterances=(
            _utterance(CHAT, "hoi, één vraag 😀", 0, Role.CLIENT, "Hulpvrager", t1),
            _utterance(CHAT, "Wat fijn dat je er bent!", 1, Role.COUNSELLOR,
                       "Online hulpverlener", datetime(2014, 11, 3, 19, 50)),
        ),
        start=t1, source="chats/casus-1.txt", attributes={"platform": "webchat"},
    )
    mail = Document(
        key="casus-2/mail-1", case_key="casus-2", channel=Channel.EMAIL, text=MAIL,
        utterances=(_utterance(MAIL, "Ik durf niet naar school.", 0, Role.CLIENT,
                               "hulpvrager", None),),
        source="mail/casus-2.eml",
    )
    # Offsets counted by hand: header "Chat 2014-11-03\n" is 16 code points, the label
    # "Hulpvrager (19:49): " 20 and "hoi, " 5, so "één" starts at 41; "één vraag " is 10
    # code points, so the emoji is 51-52 (one code point, though two UTF-16 units).
    created = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    codings = (
        Coding("casus-1/chat-1", 51, 52, "emoticon", "anna", Origin.MANUAL, "smiley",
               "😀", created),
        Coding("casus-1/chat-1", 51, 52, "emoticon", "bram", Origin.SUGGESTION),
        Coding("casus-1/chat-1", 41, 52, "verificatie_interpretatie", "anna"),
        Coding("casus-1/chat-1", 82, 106, "compliment", "anna", created=created),
        Coding("casus-1/chat-1", 82, 106, "compliment", "bram", memo="warm"),
        Coding("casus-2/mail-1", 35, 60, "verificatie_interpretatie", "bram",
               Origin.CONSENSUS),
    )
    return ExchangeProject(
        name="Klik voor hulp", codebook=codebook,
        cases=(Case("casus-1", {"leeftijd": "15"}), Case("casus-2", {"leeftijd": "17"})),
        documents=(chat, mail), codings=codings, coders=("anna", "bram"),
        created=datetime(2024, 5, 2, 9, 30, tzinfo=UTC),
    )
