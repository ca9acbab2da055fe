"""Emoticons and Leestekens on purpose-written chats: every hit, every trap."""

from __future__ import annotations

from datetime import datetime

from qcode.coding.autocode import AutocodeSettings, autocode_document
from qcode.coding.model import AUTO_CODER, Coding, Origin
from qcode.transcripts.model import Document, Role
from tests.autocode.autocode_builders import chat, email

T0 = datetime(2014, 11, 3, 19, 0)


def one_line(text: str, role: Role = Role.CLIENT) -> Document:
    return chat([(role, T0, text)])


def found(document: Document, code: str) -> list[tuple[str, str]]:
    """(covered text, detail) of each coding of ``code``, in text order."""
    return [
        (document.text[c.start : c.end], c.detail)
        for c in autocode_document(document)
        if c.code == code
    ]


def test_ascii_emoticons_are_found_with_their_spans() -> None:
    text = "hoi :) ja :-) ;) ;-) :( :-( :D xD XD :P :p <3 ^^ :3 :'( =) :/ -_-"
    document = one_line(text)
    expected = text.split()[1:]  # every token after "hoi" is one emoticon
    expected.remove("ja")
    assert found(document, "emoticons") == [(e, e) for e in expected]


def test_emoticon_offsets_point_into_the_document_text() -> None:
    document = chat([(Role.COUNSELLOR, T0, "Hoi!"), (Role.CLIENT, T0, "dank je wel :)")])
    coding = next(c for c in autocode_document(document) if c.code == "emoticons")
    # "Hulpverlener (19:00): Hoi!\n" is 27 characters, "Hulpvrager (19:00): " 20 more,
    # and ":)" starts 12 characters into "dank je wel :)".
    assert (coding.start, coding.end) == (27 + 20 + 12, 27 + 20 + 14)


def test_repeated_mouths_are_one_emoticon() -> None:
    assert found(one_line("leuk:))) haha :DDD"), "emoticons") == [
        (":)))", ":)))"),
        (":DDD", ":DDD"),
    ]


def test_unicode_emoji_are_found_with_skin_tones_and_selectors() -> None:
    document = one_line("dank je 🙂 echt 👍🏽 en ❤️")
    assert found(document, "emoticons") == [("🙂", "🙂"), ("👍🏽", "👍🏽"), ("❤️", "❤️")]


def test_typographic_signs_are_not_emoji() -> None:
    assert found(one_line("© 2014 Klikvoorhulp™ en ‼"), "emoticons") == []


def test_times_ratios_and_list_markers_are_not_emoticons() -> None:
    text = (
        "Kun je om (19:30) chatten? Of 20:3 uur. De verhouding is 2:3 of 1:3. "
        "a) eerst bellen b) dan mailen 1) ja 2) nee 8) misschien"
    )
    assert found(one_line(text), "emoticons") == []


def test_urls_paths_and_words_hide_no_emoticons() -> None:
    text = (
        "kijk op https://www.klikvoorhulp.nl/chat?id=3 of http://x.nl/:P/ en C:\\Users\\NAAM "
        "of mail naam@voorbeeld.nl. Let op:Dinsdag is de chat dicht, zie ook:Protocol."
    )
    assert found(one_line(text), "emoticons") == []


def test_question_and_exclamation_marks_and_runs() -> None:
    document = one_line("Echt?! Nou!!! Waarom??")
    assert found(document, "leestekens") == [
        ("?", "?"),
        ("!", "!"),
        ("!!!", "!"),
        ("??", "?"),
    ]


def test_dot_runs_and_ellipsis_but_not_single_or_double_dots() -> None:
    document = one_line("Tja... ok.. nou.... ja… dus. ok…..")
    assert found(document, "leestekens") == [
        ("...", "..."),
        ("....", "..."),
        ("…", "..."),
        ("…..", "..."),
    ]


def test_words_in_capitals_are_leestekens() -> None:
    document = one_line("ik wil HULP en IK WEET het niet")
    assert found(document, "leestekens") == [
        ("HULP", "CAPS: HULP"),
        ("IK", "CAPS: IK"),
        ("WEET", "CAPS: WEET"),
    ]


def test_placeholders_acronyms_and_one_letter_words_are_not_capitals() -> None:
    text = (
        "Hoi NAAM, ik woon in PLAATS en zit bij [INSTELLING 1] en <NAAM HULPVERLENER> "
        "TELEFOON. Het AMW en de GGZ vragen mijn BSN. Ik zit op het VMBO. "
        "A of I, NAAM_1 en NAAM2, een MP3, AMW'ER en GGZ-instelling."
    )
    assert found(one_line(text), "leestekens") == []


def test_marks_inside_urls_are_not_leestekens_but_after_them_are() -> None:
    text = "zie www.klikvoorhulp.nl/vraag?id=1&OK=JA! en https://x.nl/#TOP?"
    assert found(one_line(text), "leestekens") == [("!", "!"), ("?", "?")]


def test_an_emoticon_is_not_also_a_word_in_capitals() -> None:
    document = one_line("haha XD")
    assert found(document, "leestekens") == []
    assert found(document, "emoticons") == [("XD", "XD")]


def test_configured_acronyms_and_placeholders_are_respected() -> None:
    document = one_line("ik ben bij XYZ en ABC")
    plain = [c.detail for c in autocode_document(document) if c.code == "leestekens"]
    assert plain == ["CAPS: XYZ", "CAPS: ABC"]
    settings = AutocodeSettings(acronyms=frozenset({"xyz"}), placeholders=frozenset({"ABC"}))
    assert [c for c in autocode_document(document, settings) if c.code == "leestekens"] == []


def test_headers_system_lines_and_quoted_mail_are_never_scanned() -> None:
    document = chat(
        [
            (Role.SYSTEM, T0, "LET OP: de verbinding is verbroken!! :("),
            (Role.CLIENT, T0, "ok"),
        ],
        header="# casus: 17\n# notitie: BELANGRIJK?! :)\n",
    )
    assert autocode_document(document) == []
    mail = email(
        [
            (Role.CLIENT, datetime(2014, 3, 12, 23, 41), "Hallo, ik heb schulden", ""),
            (
                Role.COUNSELLOR,
                datetime(2014, 3, 15, 10, 12),
                "Beste NAAM, bel het AMW",
                "> Hallo, ik heb SCHULDEN!!! :(",
            ),
        ]
    )
    assert autocode_document(mail) == []


def test_codings_are_automatic_by_the_auto_coder_and_deterministic() -> None:
    document = one_line("HELP!! :( ...")
    first = autocode_document(document)
    assert first == autocode_document(document)
    assert [(c.code, c.detail) for c in first] == [
        ("leestekens", "CAPS: HELP"),
        ("leestekens", "!"),
        ("emoticons", ":("),
        ("leestekens", "..."),
    ]
    assert all(
        isinstance(c, Coding)
        and c.coder == AUTO_CODER == "auto"
        and c.origin is Origin.AUTOMATIC
        and c.document == document.key
        for c in first
    )
