"""The chat reader against a reference reading of the rules written here, line by line.

``read_chat`` classifies lines in one pass and passes over plain continuation lines in one
regex match (``_CONTINUATION_RE``), with caches for labels and times. The reference below
reads the same rules the plain way: it splits the text into lines, classifies every one of
them, and resolves times with ``datetime`` arithmetic instead of seconds. Hypothesis feeds both
arbitrary text and text built to be mostly regular; both must give the same utterances,
warnings and attributes, or the same error with file and line.

The reference borrows three things rather than restating them: the header and date helpers
(``parse_header_line``, ``parse_date``, ``date_from_filename``, tested with their modules),
the role map, and the shapes of a platform notice (``_ChatParser.system_turn``; its own
tests are in test_chat_reader.py). Everything the reader does with lines and times is
written again.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qcode.errors import TranscriptParseError
from qcode.transcripts import chat
from qcode.transcripts.chat import read_chat
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.headers import parse_channel, parse_header_line
from qcode.transcripts.model import Role, Utterance
from qcode.transcripts.registry import sniff
from qcode.transcripts.roles import RoleMap, normalise_label, unmapped_label_hint
from qcode.transcripts.sources import SourceFile
from qcode.transcripts.synthetic import write_corpus
from qcode.transcripts.timestamps import UNKNOWN_DATE, date_from_filename, parse_date

_PIECES = st.sampled_from(
    [
        "Hulpvrager", "Online hulpverlener", "hulpverlener", "[Systeem]", "[Sanne]", "Sanne",
        "zucht", "ik was om", "***", "**", "* ", " (", "(", ")", "):", ": ", ":", "19:02",
        "23:59", "00:03", "12:00", "11:59:59", "25:61", "١٩:٠٤", "\n", "\n\n", " \n", " ",
        "\t", "\u2028", "\x0b", "\xa0", "# casus: 1", "# datum: 2014-11-03", "#datum:x",
        "# datum: 9999-12-31", "# datum: 0001-01-01", "# kanaal: x", "# kanaal: e-mail",
        "# hulpverlener: HV1", "#", "[", "]", "*", "a", "1", ":)", "😊", "é",
        "(19:30) Verbinding verbroken", "*** De verbinding is verbroken ***",
        "[Systeem] Sessie gestart",
    ]
)
_LABELS = st.sampled_from(
    ["Hulpvrager", "Online hulpverlener", "hulpverlener", "ONLINE  HULPVERLENER", "Sanne",
     " Hulpvrager ", "Buurman Bob", "zucht en", "[Systeem]"]
)
_TIMES = st.sampled_from(
    ["19:02", "19:03:27", "23:58", "23:59", "00:03", "00:01", "12:00", "11:59", "01:00",
     "7:05", "19:01", "24:00", "19:60", "١٩:٠٤"]
)
_BODY = st.text(
    alphabet=st.sampled_from([*"ab :)(#*[]\t\xa0\u2028\x0b", "😊", "é"]), max_size=12
)
_CONTINUATION = st.sampled_from(
    ["wat ik moet doen", "", "   ", "# geen header", "(zucht)", "*** x ***", "[Systeem] x",
     "Hulpvrager (19:05)", "ik was om (12:00): thuis", "\t vervolg \t", "x (19:05): y"]
)


@st.composite
def _regular_chats(draw: st.DrawFn) -> str:
    """A header and turns, with now and then a line of another kind."""
    """A header and turns, with now and then a line of another kind."""
    lines = draw(st.lists(st.sampled_from(
        ["# casus: 7", "# datum: 2014-11-03", "# datum: 03-11-2014", "# kanaal: chat", "",
         "  ", "# hulpverlener: HV04", "#  Datum : 2015-01-02", "# datum: 9999-12-31"]
    ), max_size=4))
    for _ in range(draw(st.integers(1, 12))):
        space = draw(st.sampled_from(["", " ", "  "]))
        after = draw(st.sampled_from([": ", ":", " : ", ":\t", ": \xa0"]))
        lines.append(f"{draw(_LABELS)}{space}({draw(_TIMES)}){after}{draw(_BODY)}")
        lines.extend(draw(st.lists(_CONTINUATION, max_size=2)))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n", " \n"]))


SOURCES = st.sampled_from(
    [
        SourceFile(Path("chat-2014-11-03.txt"), None, "chat"),
        SourceFile(Path("chat.txt"), None, "chat"),
        SourceFile(Path("chat.txt"), "casus-9", "chat", date=dt.date(2015, 2, 1)),
        SourceFile(Path("chat.txt"), None, "chat", date=dt.date(9999, 12, 31)),
    ]
)
ROLES = RoleMap.default().with_labels({"Sanne": "counsellor", "[Sanne]": "system"})



_LABEL_LINE = re.compile(r"([^():\n]{1,62})\(((\d{1,2}):(\d{2})(?::(\d{2}))?)\)[ \t]*:[ \t]*")
_LABEL_WORD = re.compile(r"[\w.'’\-]+")
_HALF_DAY = dt.timedelta(hours=12)
_ONE_DAY = dt.timedelta(days=1)

Reading = tuple[tuple[Utterance, ...], tuple[str, ...], dict[str, str]]
Turn = tuple[Role, str, int | None, int, int, int, bool]
"""role, speaker, time of day in seconds, line, start and end of the text, continued."""


def _is_label(label: str) -> bool:
    words = normalise_label(label).split()
    return (
        (label[:1].isalpha() or label[:1] == "[")
        and 1 <= len(words) <= 4
        and all(_LABEL_WORD.fullmatch(w) for w in words)
    )


def reference(source: SourceFile, text: str, roles: RoleMap) -> Reading:
    """The chat rules of docs/formats.md, one line at a time (see the module docstring)."""
    path = str(source.path)
    notices = chat._ChatParser(source, text, roles)  # only for system_turn
    turns: list[Turn] = []
    header: dict[str, tuple[str, int]] = {}
    offset = 0
    for lineno, line in enumerate(text.split("\n"), 1):
        line_start, offset = offset, offset + len(line) + 1
        match = _LABEL_LINE.match(line)
        if match is not None:
            label, clock = match[1], match[2]
            role = roles.role_of(label)
            if role is not None:
                hours, minutes, seconds = int(match[3]), int(match[4]), int(match[5] or 0)
                if hours > 23 or minutes > 59 or seconds > 59:
                    raise TranscriptParseError(path, lineno, f"invalid time '({clock})'")
                turns.append((
                    role, label.strip(), hours * 3600 + minutes * 60 + seconds, lineno,
                    line_start + match.end(), line_start + len(line), False,
                ))
                continue
            if _is_label(label):
                raise TranscriptParseError(
                    path, lineno,
                    f"unknown speaker label '{label.strip()}'; " + unmapped_label_hint(label.strip()),
                )
        if not line.strip():
            continue
        notice = notices.system_turn(line, line_start, lineno)
        if notice is not None:
            turns.append(notice)
        elif turns:
            turns[-1] = (*turns[-1][:5], line_start + len(line), True)
        elif line.lstrip().startswith("#"):
            found = parse_header_line(line.lstrip())
            if found is not None:
                header.setdefault(found[0], (found[1], lineno))
        else:
            raise TranscriptParseError(
                path, lineno,
                "text before the first chat line; expected a header line '# key: value' "
                "or a chat line 'Label (HH:MM): text'",
            )
    warnings: list[str] = []
    day, unknown = _day(source, header, warnings)
    utterances = _utterances(path, text, turns, day, warnings)
    if "kanaal" in header:
        parse_channel(header["kanaal"][0], path, header["kanaal"][1])
    attributes = {k: v for k, (v, _) in header.items() if k not in ("casus", "kanaal", "datum")}
    if unknown:
        attributes["date_unknown"] = "yes"
    return utterances, tuple(warnings), attributes


def _day(
    source: SourceFile, header: dict[str, tuple[str, int]], warnings: list[str]
) -> tuple[dt.date, bool]:
    if "datum" in header:
        value, lineno = header["datum"]
        found = parse_date(value)
        if found is None:
            raise TranscriptParseError(
                source.path, lineno, f"invalid date '{value}'; use YYYY-MM-DD or DD-MM-YYYY"
            )
        return found, False
    found = source.date or date_from_filename(source.path.name)
    if found is not None:
        return found, False
    warnings.append(
        f"{source.path}:1: no date in a '# datum:' header, the manifest or the file name; "
        "times are stored on 1900-01-01 (attribute date_unknown = yes)"
    )
    return UNKNOWN_DATE, True


def _utterances(
    path: str, text: str, turns: list[Turn], day: dt.date, warnings: list[str]
) -> tuple[Utterance, ...]:
    """Times: on the day of the latest time so far, moved a day on (or back) when that is
    more than 12 hours away; earlier than the previous time: flagged."""
    latest: dt.datetime | None = None
    previous: dt.datetime | None = None
    utterances = []
    for index, (role, speaker, seconds, line, start, end, continued) in enumerate(turns):
        moment = None
        out_of_order = False
        if seconds is not None:
            clock = dt.timedelta(seconds=seconds)
            if latest is None:
                moment = dt.datetime.combine(day, dt.time()) + clock
            else:
                moment = dt.datetime.combine(latest.date(), dt.time()) + clock
                try:
                    if moment - latest < -_HALF_DAY:
                        moment += _ONE_DAY
                    elif moment - latest > _HALF_DAY:
                        moment -= _ONE_DAY
                except OverflowError:
                    raise TranscriptParseError(
                        path, line, "time falls outside the calendar"
                    ) from None
            if previous is not None and moment < previous:
                out_of_order = True
                warnings.append(
                    f"{path}:{line}: time is earlier than the line before; "
                    "kept in printed order and flagged out of order"
                )
            previous = moment
            latest = moment if latest is None or moment > latest else latest
        region = text[start:end]
        body = region.strip()
        first = end - len(region.lstrip())
        utterances.append(
            Utterance(
                index, role, speaker, moment, body, first, first + len(body), line,
                out_of_order, continued,
            )
        )
    return tuple(utterances)


def outcome(source: SourceFile, text: str) -> Reading | tuple[str, int | None, str]:
    """What read_chat gives, in the reference's terms: the reading, or the error."""
    try:
        result = read_chat(source, text, ROLES)
    except TranscriptParseError as error:
        return (error.path, error.line, str(error))
    (document,) = result.documents
    return document.utterances, result.warnings, dict(document.attributes)


def expected(source: SourceFile, text: str) -> Reading | tuple[str, int | None, str]:
    try:
        return reference(source, text, ROLES)
    except TranscriptParseError as error:
        return (error.path, error.line, str(error))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCES, st.one_of(st.text(), st.lists(_PIECES, max_size=60).map("".join)))
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (19:04): \n   \nvervolg  \n\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "*** Verbinding verbroken ***\nvervolg\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "# datum: x\nHulpvrager (19:04): a\nzz (1:00): b")
@example(SourceFile(Path("c.txt"), None, "chat"), "# datum: 9999-12-31\nHulpvrager (23:59): a\nHulpvrager (00:01): b")
@example(SourceFile(Path("c.txt"), None, "chat"), "# datum: 0001-01-01\nHulpvrager (00:01): a\nHulpvrager (23:59): b")
@example(SourceFile(Path("c.txt"), None, "chat"), "\n\n# casus: 3\n(zucht)\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (19:04): a\nvervolg\n  (zucht)\n\v[Systeem] x\nb")
def test_arbitrary_text_reads_as_the_reference_reads_it(source: SourceFile, text: str) -> None:
    assert outcome(source, text) == expected(source, text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCES, _regular_chats())
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (23:58): a\nHulpvrager (00:03): b\nHulpvrager (23:59): c\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (00:03): a\nHulpvrager (23:59): b\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (19:04):  \t\n\n  vervolg \n \nHulpvrager (19:05): x")
def test_chats_of_the_usual_shape_read_as_the_reference_reads_them(
    source: SourceFile, text: str
) -> None:
    assert outcome(source, text) == expected(source, text)


def test_the_sample_and_generated_chats_read_as_the_reference_reads_them(tmp_path: Path) -> None:
    corpus = Path(__file__).resolve().parents[2] / "corpora" / "klikvoorhulp-sample"
    write_corpus(tmp_path, 20, seed=3)
    compared = 0
    for path in sorted(corpus.rglob("*.txt")) + sorted(tmp_path.rglob("*.txt")):
        text = decode_bytes(path.read_bytes(), path)
        if sniff(path, text) != "chat":
            continue
        source = SourceFile(path, None, "chat")
        reading = outcome(source, text)
        assert reading == expected(source, text), path
        assert not isinstance(reading[0], str), reading  # every one of them reads
        compared += 1
    assert compared >= 30  # 11 sample chats (sample corpus) and the generated ones


def test_roll_over_continuations_and_out_of_order_by_hand() -> None:
    """Worked out by hand, independent of both readings above."""
    source = SourceFile(Path("chat-2014-11-03.txt"), None, "chat")
    text = (
        "# casus: 5\n\nHulpvrager (23:58): hoi\nik ben\n\n  er nog  \n"
        "Hulpverlener (00:03): hallo\nHulpvrager (00:01): eerder\nHulpvrager (00:04):   \n"
    )
    result = read_chat(source, text, ROLES)
    (document,) = result.documents
    utterances = document.utterances
    assert [u.time for u in utterances] == [
        dt.datetime(2014, 11, 3, 23, 58), dt.datetime(2014, 11, 4, 0, 3),
        dt.datetime(2014, 11, 4, 0, 1), dt.datetime(2014, 11, 4, 0, 4),
    ]
    assert [u.out_of_order for u in utterances] == [False, False, True, False]
    assert utterances[0].text == "hoi\nik ben\n\n  er nog" and utterances[0].continued
    assert utterances[0].start == text.index("hoi")
    assert [u.line for u in utterances] == [3, 7, 8, 9]
    assert [u.continued for u in utterances] == [True, False, False, False]
    assert utterances[3].text == "" and utterances[3].start == len(text) - 1
    assert len(result.warnings) == 1 and ":8:" in result.warnings[0]


def test_a_platform_notice_after_continuation_lines_starts_a_turn_by_hand() -> None:
    """The lines passed over in one match stop before a notice and before a label line."""
    source = SourceFile(Path("chat-2014-11-03.txt"), None, "chat")
    text = (
        "Hulpvrager (19:00): a\nb\nc\n*** Verbinding verbroken ***\nd\n"
        "(19:05) terug\n1. om (19:06): e\nHulpverlener (19:07): f\n"
    )
    (document,) = read_chat(source, text, ROLES).documents
    assert [(u.role.value, u.speaker, u.text, u.line) for u in document.utterances] == [
        ("client", "Hulpvrager", "a\nb\nc", 1),
        ("system", "", "Verbinding verbroken ***\nd", 4),  # continued: to the end of its last line
        ("system", "", "terug\n1. om (19:06): e", 6),
        ("counsellor", "Hulpverlener", "f", 8),
    ]


def test_a_label_gets_the_role_of_the_map_each_file_is_read_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The label caches shared by the files of one import are per role map: the same label
    read alternately with two maps (and with a map that lacks it) gets each map's answer, by
    hand; and with the caches' limit tiny, so they start again on every file, as well."""
    source = SourceFile(Path("c.txt"), None, "chat")
    text = "Sanne (19:04): hoi\nSanne (19:05): hoe gaat het\n"
    as_counsellor = RoleMap.default().with_labels({"Sanne": "counsellor"})
    as_client = RoleMap.default().with_labels({"Sanne": "client"})
    for limit in (10_000, 0):
        monkeypatch.setattr(chat, "_LABEL_CACHE_LIMIT", limit)
        for roles, role in [(as_counsellor, Role.COUNSELLOR), (as_client, Role.CLIENT)] * 2:
            (document,) = read_chat(source, text, roles).documents
            assert [(u.role, u.speaker) for u in document.utterances] == [(role, "Sanne")] * 2
            with pytest.raises(TranscriptParseError, match="unknown speaker label 'Sanne'"):
                read_chat(source, text, RoleMap.default())
