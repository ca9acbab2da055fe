"""Stiltes on purpose-written chats: thresholds, typing allowance, midnight, out of order."""

from __future__ import annotations

from datetime import datetime, timedelta

from qcode.coding.autocode import AutocodeSettings, autocode_document, gaps_in_time_order
from qcode.transcripts.model import Document, Role
from tests.autocode.autocode_builders import chat, email

C, H, S = Role.CLIENT, Role.COUNSELLOR, Role.SYSTEM


def at(hhmm: str, day: int = 3) -> datetime:
    hour, minute = map(int, hhmm.split(":"))
    return datetime(2014, 11, day, hour, minute)


def stiltes(document: Document, settings: AutocodeSettings | None = None) -> list[tuple[str, str]]:
    """(replying utterance text, detail) of each Stilte."""
    codings = autocode_document(document, settings or AutocodeSettings())
    return [(document.text[c.start : c.end], c.detail) for c in codings if c.code == "stiltes"]


def test_a_pause_over_three_minutes_is_a_stilte_on_the_reply() -> None:
    document = chat(
        [
            (H, at("19:00"), "Waar wil je het over hebben?"),
            (C, at("19:02"), "over school"),  # 2 min: no
            (H, at("19:05"), "Vertel"),  # exactly 3 min: not *more* than three
            (C, at("19:11"), "ik word gepest"),  # 6 min, 14 characters: yes
        ]
    )
    assert stiltes(document) == [("ik word gepest", "6.0 min")]
    coding = next(c for c in autocode_document(document) if c.code == "stiltes")
    reply = document.utterances[3]
    assert (coding.start, coding.end) == (reply.start, reply.end)


def test_a_long_reply_explains_its_pause_by_typing() -> None:
    # 480 characters at the default 120 per minute take 4 minutes to type.
    long_reply = "a" * 479 + "."
    medium_reply = "b" * 299 + "."  # 300 characters: 2.5 minutes of typing
    document = chat(
        [
            (H, at("19:00"), "Wat is er gebeurd?"),
            (C, at("19:06"), long_reply),  # 6 − 4 = 2 min unexplained: no
            (H, at("19:14"), medium_reply),  # 8 − 2.5 = 5.5 min unexplained: yes
        ]
    )
    assert stiltes(document) == [(medium_reply, "8.0 min")]


def test_typing_speed_and_threshold_are_configurable() -> None:
    document = chat([(H, at("19:00"), "Hoi"), (C, at("19:06"), "x" * 240)])
    # default: 6 − 240/120 = 4 > 3: a Stilte
    assert len(stiltes(document)) == 1
    # at 60 characters a minute the reply took 4 minutes to type: 6 − 4 = 2, no Stilte
    assert stiltes(document, AutocodeSettings(typing_chars_per_minute=60)) == []
    # a threshold of 5 minutes: 4 is not more than 5
    assert stiltes(document, AutocodeSettings(silence_minutes=5)) == []


def test_a_pause_over_midnight_is_measured_across_the_date_change() -> None:
    document = chat(
        [
            (H, at("23:58"), "Ben je er nog?"),
            (C, at("00:03", day=4), "ja sorry"),  # 23:58 → 00:03 = 5 minutes
        ]
    )
    assert stiltes(document) == [("ja sorry", "5.0 min")]


def test_out_of_order_lines_are_skipped_and_never_give_negative_pauses() -> None:
    document = chat(
        [
            (C, at("19:50"), "hallo"),
            (H, at("19:53"), "Hoi, welkom"),
            (C, at("19:52"), "is daar iemand", True),  # printed late, flagged
            (H, at("19:58"), "Wat kan ik voor je doen?"),  # 5 min after 19:53
        ]
    )
    assert stiltes(document) == [("Wat kan ik voor je doen?", "5.0 min")]
    gaps = gaps_in_time_order([u.time for u in document.utterances])
    # time order: 19:50, 19:52, 19:53, 19:58 → gaps 2, 1, 5 (sum = 8 = duration)
    assert gaps == [None, 1.0, 2.0, 5.0]


def test_system_messages_neither_reply_nor_break_a_silence() -> None:
    document = chat(
        [
            (C, at("19:00"), "hallo?"),
            (S, at("19:04"), "De verbinding is hersteld"),
            (H, at("19:06"), "Sorry, ik ben er weer"),  # 6 min after the client
        ]
    )
    assert stiltes(document) == [("Sorry, ik ben er weer", "6.0 min")]


def test_lines_without_time_get_no_stilte() -> None:
    document = chat([(C, at("19:00"), "hoi"), (H, None, "hallo"), (C, at("19:10"), "ben je er")])
    # the untimed line has no pause; the client's second line is 10 minutes after the first
    assert stiltes(document) == [("ben je er", "10.0 min")]


def test_email_is_never_coded_for_stiltes() -> None:
    mail = email(
        [
            (C, datetime(2014, 3, 12, 23, 41), "Hallo", ""),
            (H, datetime(2014, 3, 15, 10, 12), "Beste NAAM", ""),
        ]
    )
    assert stiltes(mail) == []


def test_gaps_in_time_order_keep_printed_positions_and_ties() -> None:
    base = at("10:00")
    times = [base + timedelta(minutes=m) for m in (5, 0, 5, 7)]
    assert gaps_in_time_order([*times, None]) == [5.0, None, 0.0, 2.0, None]
