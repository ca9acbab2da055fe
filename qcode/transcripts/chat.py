"""Read the study's plain-text chat transcripts (``Hulpvrager (19:04): tekst``).

The stored document text is the decoded file verbatim, header included; each utterance points
at its message text (after ``label (time): ``, through its continuation lines, surrounding
white space excluded).

Two readings of the same rules: :func:`read_chat_by_lines` classifies every line (one regex
match per line, times resolved in a second pass); ``_read_regular`` reads files of the usual
shape (header, then plain ``Label (time): text`` turns) with one match per turn and hands
anything else to the line rules. :func:`read_chat` tries the fast one first; a property test
holds the two to the same result.

System-message heuristic (unlabelled platform lines, role system, speaker ``""`` unless a
label is printed):

* a line wrapped in two or more asterisks on each side: ``*** De verbinding is verbroken ***``;
* a bracketed label that the role map sends to system: ``[Systeem] Sessie gestart``;
* a time in parentheses without a label: ``(19:30) Verbinding verbroken``.

Any other unlabelled line continues the previous utterance. Times: a time more than 12 hours
earlier than the latest time so far is on the next day (23:58 -> 00:03), one more than 12 hours
later is on the previous day (00:03 printed before 23:59); any other time earlier than the
previous timed utterance is kept in printed order and flagged ``out_of_order``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from operator import attrgetter
from typing import Any, cast

from qcode.errors import TranscriptParseError
from qcode.transcripts.headers import parse_channel, parse_header_line
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance
from qcode.transcripts.result import ReadResult
from qcode.transcripts.roles import RoleMap, normalise_label, unmapped_label_hint
from qcode.transcripts.sources import SourceFile
from qcode.transcripts.timestamps import UNKNOWN_DATE, date_from_filename, parse_date

_TIME = r"\((?P<time>(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?)\)"
LABEL_LINE_RE = re.compile(r"(?P<label>[^():\n]{1,62})" + _TIME + r"[ \t]*:[ \t]*")
"""``Label (HH:MM[:SS]):`` at the start of a line; the message text follows the match.

Deliberately loose (a plain character class is several times faster than a precise label
pattern); the role map decides what a label is, and :func:`_looks_like_label` what an
unknown one is.
"""
_LABEL_WORD_RE = re.compile(r"[\w.'’\-]+")


def stars_text(line: str) -> tuple[int, int] | None:
    r"""Span of the text of a ``** notice **`` line (blanks, 2+ stars, text, 2+ stars, blanks).

    The text is what lies between the leading and the trailing run of stars, without the
    blanks (space, tab) around it; a line of stars only (four or more) has an empty text
    before its last two stars. Written out rather than as the regex
    ``[ \t]*\*{2,}[ \t]*(?P<text>.*?)[ \t]*\*{2,}[ \t]*$`` it replaces, which gives the
    same spans (tests/transcripts/test_hostile_input.py compares them) but backtracked
    cubically on ``** `` and 2,000 spaces; this is a few strips of the line, in C.

    Returns:
        (start, end) of the text in ``line``, or None when the line is no such notice.
    """
    blanks = " \t"
    first = len(line) - len(line.lstrip(blanks))
    opened = len(line) - len(line[first:].lstrip("*"))
    if opened - first < 2:
        return None
    last = len(line.rstrip(blanks))  # never below ``opened``: line[opened - 1] is a star
    if last == opened:  # only blanks after the stars: one run opens and closes
        return (opened - 2, opened - 2) if opened - first >= 4 else None
    closed = len(line[:last].rstrip("*"))  # above ``opened``: line[opened] is no star
    if last - closed < 2:
        return None
    inner = line[opened:closed]
    start = opened + len(inner) - len(inner.lstrip(blanks))
    return start, start + len(line[start:closed].rstrip(blanks))


_BRACKET_RE = re.compile(r"[ \t]*\[(?P<label>[^\]\n]{1,40})\][ \t]*:?[ \t]*(?P<text>.*)$")
_BARE_TIME_RE = re.compile(r"[ \t]*" + _TIME + r"[ \t]*:?[ \t]*(?P<text>.*)$")
_HALF_DAY = 12 * 3600
_DAY = 24 * 3600

_Turn = tuple[Role, str, int | None, int, int, int, bool]
"""role, speaker, time of day in seconds, line, content start, content end, continued.

Plain tuples, not objects: the parser must handle well over 200,000 lines a second.
"""


def _looks_like_label(label: str) -> bool:
    """1–4 words, starting with a letter or ``[``: an unmapped speaker label, not prose."""
    if not label[:1].isalpha() and label[:1] != "[":
        return False
    words = normalise_label(label).split()
    return 1 <= len(words) <= 4 and all(_LABEL_WORD_RE.fullmatch(w) for w in words)


_TIME_CACHE: dict[str, int] = {}
"""Valid ``HH:MM[:SS]`` strings -> seconds, shared by all files (at most 86,400 + 1,440 keys)."""


class _ChatParser:
    """One pass over the lines of one chat file."""

    def __init__(self, source: SourceFile, text: str, roles: RoleMap) -> None:
        self.path = str(source.path)
        self.source = source
        self.text = text
        self.roles = roles
        self.role_cache: dict[str, Role | None] = {}
        self.time_cache = _TIME_CACHE
        self.turns: list[_Turn] = []
        self.header: dict[str, tuple[str, int]] = {}

    def role_of(self, label: str) -> Role | None:
        try:
            return self.role_cache[label]
        except KeyError:
            role = self.role_cache[label] = self.roles.role_of(label)
            return role

    def seconds(self, match: re.Match[str], lineno: int) -> int:
        """Time of day of a ``(HH:MM[:SS])`` match, in seconds (cached per time string)."""
        key = match["time"]
        try:
            return self.time_cache[key]
        except KeyError:
            pass
        hours, minutes, seconds = int(match["h"]), int(match["m"]), int(match["s"] or 0)
        if hours > 23 or minutes > 59 or seconds > 59:
            raise TranscriptParseError(self.path, lineno, f"invalid time '({key})'")
        value = self.time_cache[key] = hours * 3600 + minutes * 60 + seconds
        return value

    def parse(self) -> None:
        """Collect the turns; a turn is appended when the next one starts (or at the end)."""
        match_label = LABEL_LINE_RE.match
        role_cache = self.role_cache
        time_cache = self.time_cache
        turns = self.turns
        current: _Turn | None = None
        content_end = 0
        continued = False
        position = 0
        for lineno, line in enumerate(self.text.split("\n"), 1):
            line_start = position
            position += len(line) + 1
            match = match_label(line)
            if match is not None:
                label = match["label"]
                role = role_cache[label] if label in role_cache else self.role_of(label)
                if role is not None:
                    if current is not None:
                        turns.append((*current[:5], content_end, continued))
                    content_end = line_start + len(line)
                    continued = False
                    seconds = time_cache.get(match["time"])
                    if seconds is None:
                        seconds = self.seconds(match, lineno)
                    current = (
                        role, label.strip(), seconds, lineno,
                        line_start + match.end(), content_end, False,
                    )
                    continue
                if _looks_like_label(label):
                    raise TranscriptParseError(
                        self.path, lineno,
                        f"unknown speaker label '{label.strip()}'; "
                        + unmapped_label_hint(label.strip()),
                    )
            if not line or line.isspace():
                continue
            system = self.system_turn(line, line_start, lineno)
            if system is not None:
                if current is not None:
                    turns.append((*current[:5], content_end, continued))
                current, content_end, continued = system, system[5], False
            elif current is not None:
                content_end = line_start + len(line)
                continued = True
            elif line.lstrip().startswith("#"):
                header = parse_header_line(line.lstrip())
                if header is not None:
                    self.header.setdefault(header[0], (header[1], lineno))
            else:
                raise TranscriptParseError(
                    self.path, lineno,
                    "text before the first chat line; expected a header line '# key: value' "
                    "or a chat line 'Label (HH:MM): text'",
                )
        if current is not None:
            turns.append((*current[:5], content_end, continued))

    def system_turn(self, line: str, line_start: int, lineno: int) -> _Turn | None:
        """A platform notice as described in the module docstring, or None."""
        first = line.lstrip()[:1]
        match: re.Match[str] | None
        speaker = ""
        seconds: int | None = None
        if first == "*":
            span = stars_text(line)
            if span is None:
                return None
            return (Role.SYSTEM, "", None, lineno, line_start + span[0], line_start + span[1], False)
        if first == "[":
            match = _BRACKET_RE.match(line)
            if match is not None and self.role_of(match["label"]) is not Role.SYSTEM:
                match = None
            speaker = f"[{match['label']}]" if match is not None else ""
        elif first == "(":
            match = _BARE_TIME_RE.match(line)
            if match is not None:
                seconds = self.seconds(match, lineno)
        else:
            return None
        if match is None:
            return None
        return (
            Role.SYSTEM, speaker, seconds, lineno,
            line_start + match.start("text"), line_start + match.end("text"), False,
        )


def _chat_date(
    header: dict[str, tuple[str, int]], source: SourceFile, warnings: list[str]
) -> tuple[date, bool]:
    """The chat's date by precedence: header, manifest, file name; else the stand-in date."""
    if "datum" in header:
        value, lineno = header["datum"]
        found = parse_date(value)
        if found is None:
            raise TranscriptParseError(
                source.path, lineno, f"invalid date '{value}'; use YYYY-MM-DD or DD-MM-YYYY"
            )
        return found, False
    if source.date is not None:
        return source.date, False
    found = date_from_filename(source.path.name)
    if found is not None:
        return found, False
    warnings.append(
        f"{source.path}:1: no date in a '# datum:' header, the manifest or the file name; "
        f"times are stored on {UNKNOWN_DATE.isoformat()} (attribute date_unknown = yes)"
    )
    return UNKNOWN_DATE, True


def _build_utterances(
    parser: _ChatParser, day: date, warnings: list[str]
) -> tuple[Utterance, ...]:
    """Resolve times (roll-over, out-of-order) and cut each utterance's span out of the text."""
    text = parser.text
    base = datetime(day.year, day.month, day.day)
    moments: dict[int, datetime] = {}
    latest: int | None = None
    previous: int | None = None
    utterances: list[Utterance] = []
    for index, (role, speaker, seconds, line, content_start, content_end, continued) in (
        enumerate(parser.turns)
    ):
        moment: datetime | None = None
        out_of_order = False
        if seconds is not None:
            absolute = seconds
            if latest is not None:
                absolute += latest - latest % _DAY
                if absolute < latest - _HALF_DAY:
                    absolute += _DAY
                elif absolute > latest + _HALF_DAY:
                    absolute -= _DAY
                if absolute > latest:
                    latest = absolute
            else:
                latest = absolute
            if previous is not None and absolute < previous:
                out_of_order = True
                warnings.append(
                    f"{parser.path}:{line}: time is earlier than the line before; "
                    "kept in printed order and flagged out of order"
                )
            previous = absolute
            moment = moments.get(absolute)
            if moment is None:
                try:
                    moment = moments[absolute] = base + timedelta(seconds=absolute)
                except OverflowError:
                    raise TranscriptParseError(
                        parser.path, line, "time falls outside the calendar"
                    ) from None
        region = text[content_start:content_end]
        stripped = region.lstrip()
        start = content_end - len(stripped)
        body = stripped.rstrip()
        utterances.append(
            Utterance(
                index, role, speaker, moment, body, start, start + len(body), line,
                out_of_order, continued,
            )
        )
    return tuple(utterances)


_TURN_LINE_RE = re.compile(LABEL_LINE_RE.pattern + r"(?P<body>[^\n]*)")
"""A chat line through its end: ``LABEL_LINE_RE`` plus the message's first line."""
_CONTINUATION_RE = re.compile(
    r"(?:\n(?![^():\n]{1,62}\(\d{1,2}:\d{2}(?::\d{2})?\)[ \t]*:|[ \t]*[*\[(])[^\n]*)*"
)
"""From the end of a line: the following lines that cannot start a turn (continuation lines,
blank lines), i.e. lines that neither match ``LABEL_LINE_RE`` nor start with ``*``, ``[`` or
``(`` after blanks."""

_Regular = tuple[tuple[Utterance, ...], dict[str, tuple[str, int]], date, bool, list[str]]
"""utterances, header, date, date unknown, warnings."""


def _read_regular(source: SourceFile, text: str, roles: RoleMap) -> _Regular | None:
    """Read a chat of the usual shape fast, or return None to leave it to the line rules.

    The usual shape: header lines, then only ``Label (time): text`` turns with mapped labels
    and valid times, each followed by nothing but continuation or blank lines. Anything else
    (a platform notice, an unknown label, an invalid time or date, a line the rules reject)
    returns None and :func:`read_chat_by_lines` reads the file, raising where it must. For
    files of the usual shape both give the same result; test_chat_reader_fast_path.py checks
    this on arbitrary text. Fast because it runs one regex match and a little arithmetic per
    turn instead of classifying every line in Python (benchmarks/import_speed.py).
    """
    size = len(text)
    match_turn = _TURN_LINE_RE.match
    header: dict[str, tuple[str, int]] = {}
    position, lineno = 0, 1
    while True:  # the header block, up to the first turn
        turn = match_turn(text, position)
        if turn is not None:
            break
        line_end = text.find("\n", position)
        if line_end < 0:
            return None  # no turn at all
        line = text[position:line_end].lstrip()
        if line:
            if not line.startswith("#"):
                return None  # a platform notice, or text the line rules reject
            found_header = parse_header_line(line)
            if found_header is not None:
                header.setdefault(found_header[0], (found_header[1], lineno))
        position, lineno = line_end + 1, lineno + 1
    warnings: list[str] = []
    try:
        day, unknown = _chat_date(header, source, warnings)
    except TranscriptParseError:
        return None  # the line rules report it, after any error in the lines
    midnights = {0: datetime(day.year, day.month, day.day)}  # by day number from the chat's date
    speakers: dict[str, tuple[Role, str] | None] = {}
    clocks = _CLOCKS
    path = str(source.path)
    utterances: list[Utterance] = []
    append = utterances.append
    new_utterance, utterance_type, unseen = _new_utterance, Utterance, _UNSEEN
    match_continuation = _CONTINUATION_RE.match
    day_seconds, half_day = _DAY, _HALF_DAY
    index = 0
    latest = previous = -1  # absolute seconds since the chat's midnight; -1: none yet
    while True:
        label, clock, hours, minutes, seconds, body = turn.groups()
        speaker = speakers.get(label, unseen)
        if speaker is unseen:
            role = roles.role_of(label)
            speaker = speakers[label] = None if role is None else (role, label.strip())
        if speaker is None:
            return None
        known = clocks.get(clock)
        if known is None:
            h, m, s = int(hours), int(minutes), int(seconds or 0)
            if h > 23 or m > 59 or s > 59:
                return None
            known = clocks[clock] = (h * 3600 + m * 60 + s, timedelta(hours=h, minutes=m, seconds=s))
        # Roll-over and out-of-order rules (module docstring): the same arithmetic as in
        # _build_utterances, inlined because a call per turn costs; the fast-path property
        # tests fail if the two drift apart.
        absolute = known[0]
        out_of_order = False
        if latest >= 0:
            absolute += latest - latest % day_seconds
            if absolute < latest - half_day:
                absolute += day_seconds
            elif absolute > latest + half_day:
                absolute -= day_seconds
            if absolute > latest:
                latest = absolute
            if absolute < previous:
                out_of_order = True
                warnings.append(
                    f"{path}:{lineno}: time is earlier than the line before; "
                    "kept in printed order and flagged out of order"
                )
        else:
            latest = absolute
        previous = absolute
        day_number = absolute // day_seconds
        midnight = midnights.get(day_number)
        if midnight is None:
            try:
                midnight = midnights[day_number] = midnights[0] + timedelta(days=day_number)
            except OverflowError:
                return None
        end = turn.end()
        content_start = end - len(body)
        following = end + 1
        next_turn = match_turn(text, following) if following < size else None
        continued = False
        next_lineno = lineno + 1
        if next_turn is None and following < size:
            tail_end = match_continuation(text, end).end()  # type: ignore[union-attr]
            if tail_end < size:
                next_turn = match_turn(text, tail_end + 1)
                if next_turn is None:
                    return None  # a line that may start a turn, but not a plain one
            region = text[content_start:tail_end].rstrip()
            next_lineno += text.count("\n", end, tail_end)
            continued = "\n" in region
            body = region if region else body
        stripped = body.strip()
        if stripped is not body:  # str.strip returns the string itself when nothing is stripped
            content_start += len(body) - len(body.lstrip())
            body = stripped
        append(
            new_utterance(
                utterance_type,
                (
                    index, speaker[0], speaker[1], midnight + known[1], body, content_start,
                    content_start + len(body), lineno, out_of_order, continued, "", "",
                ),
            )
        )
        if next_turn is None:
            return tuple(utterances), header, day, unknown, warnings
        turn, lineno, index = next_turn, next_lineno, index + 1


_CLOCKS: dict[str, tuple[int, timedelta]] = {}
"""Valid ``HH:MM[:SS]`` strings -> (seconds of the day, the same as a timedelta): a turn's
time is then one addition to its day's midnight."""
_UNSEEN = ("", "")
"""Marks a label not looked up yet (None marks one looked up and not mapped)."""

_new_utterance = cast(Callable[[type[Utterance], tuple[Any, ...]], Utterance], tuple.__new__)
"""``Utterance`` built from a complete 12-tuple without the NamedTuple's Python-level
``__new__`` (a third of the cost of building one; the fast path builds one per turn)."""


def read_chat(source: SourceFile, text: str, roles: RoleMap) -> ReadResult:
    """Read one chat transcript into one document (see the module docstring for the rules).

    Raises:
        TranscriptParseError: A line cannot be read, or a speaker label is not mapped.
    """
    regular = _read_regular(source, text, roles)
    if regular is None:
        return read_chat_by_lines(source, text, roles)
    utterances, header, day, unknown, warnings = regular
    return _result(source, text, utterances, header, day, unknown, warnings)


def read_chat_by_lines(source: SourceFile, text: str, roles: RoleMap) -> ReadResult:
    """Read a chat by classifying every line: the reference reading of the rules.

    :func:`read_chat` uses it for every file :func:`_read_regular` does not take.

    Raises:
        TranscriptParseError: A line cannot be read, or a speaker label is not mapped.
    """
    parser = _ChatParser(source, text, roles)
    parser.parse()
    warnings: list[str] = []
    day, unknown = _chat_date(parser.header, source, warnings)
    utterances = _build_utterances(parser, day, warnings)
    return _result(source, text, utterances, parser.header, day, unknown, warnings)


def _result(
    source: SourceFile,
    text: str,
    utterances: tuple[Utterance, ...],
    header: dict[str, tuple[str, int]],
    day: date,
    unknown: bool,
    warnings: list[str],
) -> ReadResult:
    """The document and case of a read chat, from its header and the source's settings."""
    attributes = {
        key: value for key, (value, _) in header.items() if key not in ("casus", "kanaal", "datum")
    }
    if unknown:
        attributes["date_unknown"] = "yes"
    # A manifest row or case folder (source.case_key) outranks the file's own header, so the
    # chats and e-mails of one case folder stay one case even when only the chat has a header.
    header_case = header.get("casus", ("", 0))[0]
    case_key = source.case_key or header_case or source.path.stem
    channel = source.channel or Channel.CHAT
    if "kanaal" in header:
        value, lineno = header["kanaal"]
        channel = parse_channel(value, source.path, lineno)
    start = min(filter(None, map(attrgetter("time"), utterances)), default=None)
    if start is None:
        start = datetime(day.year, day.month, day.day)
    document = Document(
        key=f"{case_key}/{source.path.stem}", case_key=case_key, channel=channel, text=text,
        utterances=utterances, start=start, source=str(source.path), attributes=attributes,
    )
    return ReadResult(
        cases=(Case(case_key, source.attributes),), documents=(document,),
        warnings=tuple(warnings),
    )
