"""Read the study's plain-text chat transcripts (``Hulpvrager (19:04): tekst``).

The stored document text is the decoded file verbatim, header included; each utterance points
at its message text (after ``label (time): ``, through its continuation lines, surrounding
white space excluded). Every string of an utterance is a piece of that text: the message text
is cut out at the offsets stored with it, the speaker is the label as printed (stripped, or a
bracketed ``[Label]`` whole), quoted text and subject are empty. registry.read_source relies on
this: it checks neither these offsets nor these strings again (tests/transcripts/test_chat_spans.py).

One reading of the rules: :class:`_ChatParser` classifies each line (a labelled turn, a
platform notice, a header, a continuation or an error) in one pass and resolves times in a
second; tests/transcripts/test_chat_reader_reference.py holds it to a reference reading
written separately in the test.

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
from operator import itemgetter
from typing import Any, cast

from qcode.errors import TranscriptParseError
from qcode.transcripts.headers import parse_channel, parse_header_line
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance
from qcode.transcripts.result import ReadResult
from qcode.transcripts.roles import RoleMap, normalise_label, unmapped_label_hint
from qcode.transcripts.sources import SourceFile
from qcode.transcripts.timestamps import UNKNOWN_DATE, date_from_filename, parse_date

_TIME = r"\((?P<time>\d{1,2}:\d{2}(?::\d{2}|))\)"
"""``(HH:MM[:SS])``; the optional seconds as an alternative with the empty string, which the
regex engine tries faster than an optional group (a tenth of a turn line's match), and no
groups for the parts: :meth:`_ChatParser.seconds` splits the few times not cached yet."""
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


_TURN_LINE_RE = re.compile(LABEL_LINE_RE.pattern + r"(?P<body>.*)")
"""A chat line through its end: ``LABEL_LINE_RE`` plus the message's first line."""
_TURN_GROUPS = tuple(_TURN_LINE_RE.groupindex[name] for name in ("label", "time", "body"))
_NON_BLANK_RE = re.compile(r"\S")


def _blank(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is empty or white space (without copying it)."""
    return _NON_BLANK_RE.search(text, start, end) is None


_TIME_CACHE: dict[str, int] = {}
"""Valid ``HH:MM[:SS]`` strings -> seconds, shared by all files (at most 86,400 + 1,440 keys)."""

_LABEL_CACHE_LIMIT = 10_000
"""Labels the shared caches hold before they start again (prose before ``(12:00):`` in a
broken file is a "label" too, so they must not grow without bound)."""


class _LabelCaches:
    """What a role map says about each label read, shared by the files read with that map.

    Both answers depend only on the label and the role map, and a :class:`RoleMap` is frozen
    (its labels a ``FrozenMap``), so the map's identity is the key: one import reads all its
    files with one map. Without this every file looked up each of its labels again through
    the slow line path (0.2 µs an utterance, docs/benchmarks.md, Import).
    """

    def __init__(self, roles: RoleMap) -> None:
        self.roles = roles
        self.roles_of: dict[str, Role | None] = {}
        """Label -> role (None: not mapped)."""
        self.speakers: dict[str, tuple[Role, str] | None] = {}
        """Label as matched -> (role, speaker as stored), or None for an unmapped label."""

    def check_size(self) -> None:
        if len(self.roles_of) > _LABEL_CACHE_LIMIT or len(self.speakers) > _LABEL_CACHE_LIMIT:
            self.roles_of.clear()
            self.speakers.clear()


_LAST_CACHES: list[_LabelCaches] = []
"""The caches of the role map read with last (one entry: an import uses one map)."""


def _label_caches(roles: RoleMap) -> _LabelCaches:
    if _LAST_CACHES and _LAST_CACHES[0].roles is roles:
        caches = _LAST_CACHES[0]
        caches.check_size()
        return caches
    caches = _LabelCaches(roles)
    _LAST_CACHES[:] = [caches]
    return caches


class _ChatParser:
    """One pass over the lines of one chat file."""

    def __init__(self, source: SourceFile, text: str, roles: RoleMap) -> None:
        self.path = str(source.path)
        self.source = source
        self.text = text
        self.roles = roles
        caches = _label_caches(roles)
        self.role_cache = caches.roles_of
        self.speakers = caches.speakers
        """Label as matched -> (role, speaker as stored), or None for an unmapped label."""
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
        hours, minutes, *rest = map(int, key.split(":"))
        seconds = rest[0] if rest else 0
        if hours > 23 or minutes > 59 or seconds > 59:
            raise TranscriptParseError(self.path, lineno, f"invalid time '({key})'")
        value = self.time_cache[key] = hours * 3600 + minutes * 60 + seconds
        return value

    def parse(self) -> None:
        """Collect the turns, line by line; a turn is appended when the next one starts.

        Speed matters here (an import reads a few hundred thousand turns a second), so the
        usual line, a turn with a known label, is read inline with one regex match (the whole
        line, so its end needs no search); any other line goes to :meth:`line_turn`.
        """
        text, turns, speakers, clocks = self.text, self.turns, self.speakers, self.time_cache
        size = len(text)
        match_turn = _TURN_LINE_RE.match
        label_group, time_group, body_group = _TURN_GROUPS  # by number: cheaper than by name
        current: _Turn | None = None
        position, lineno = 0, 1
        while position <= size:
            match = match_turn(text, position)
            speaker = None if match is None else speakers.get(match[label_group])
            if match is not None and speaker is not None:
                body_start, line_end = match.span(body_group)  # the body ends the match
                try:  # a subscript, not .get: a miss is rare (a time of day not read yet)
                    seconds = clocks[match[time_group]]
                except KeyError:
                    seconds = self.seconds(match, lineno)
                if current is not None:
                    turns.append(current)
                current = (speaker[0], speaker[1], seconds, lineno, body_start, line_end, False)
            else:
                line_end = text.find("\n", position)
                if line_end < 0:
                    line_end = size
                turn = self.line_turn(match, position, line_end, lineno)
                if turn is not None:
                    if current is not None:
                        turns.append(current)
                    current = turn
                elif current is None:
                    self.before_first_turn(text[position:line_end], lineno)
                elif not _blank(text, position, line_end):  # a continuation line
                    current = (*current[:5], line_end, True)
            position, lineno = line_end + 1, lineno + 1
        if current is not None:
            turns.append(current)

    def line_turn(
        self, match: re.Match[str] | None, start: int, end: int, lineno: int
    ) -> _Turn | None:
        """The turn the line from ``start`` to ``end`` starts (labelled, or a platform
        notice), or None for a line that can only continue one (or is blank).

        ``match`` is the line's ``_TURN_LINE_RE`` match, if any; its label is looked up and
        remembered here (``parse`` reads the turns of known labels itself).
        """
        if match is not None:
            label = match["label"]
            try:
                speaker = self.speakers[label]
            except KeyError:
                role = self.role_of(label)
                speaker = self.speakers[label] = None if role is None else (role, label.strip())
            if speaker is not None:
                seconds = self.seconds(match, lineno)
                return (*speaker, seconds, lineno, match.start("body"), end, False)
            if _looks_like_label(label):
                raise TranscriptParseError(
                    self.path, lineno,
                    f"unknown speaker label '{label.strip()}'; " + unmapped_label_hint(label.strip()),
                )
        if _blank(self.text, start, end):
            return None
        return self.system_turn(self.text[start:end], start, lineno)

    def before_first_turn(self, line: str, lineno: int) -> None:
        """A line before the first turn: blank, a ``# key: value`` header, or an error."""
        if not line or line.isspace():
            return
        if line.lstrip().startswith("#"):
            header = parse_header_line(line.lstrip())
            if header is not None:
                self.header.setdefault(header[0], (header[1], lineno))
            return
        raise TranscriptParseError(
            self.path, lineno,
            "text before the first chat line; expected a header line '# key: value' "
            "or a chat line 'Label (HH:MM): text'",
        )

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


_new_utterance = cast(Callable[[type[Utterance], tuple[Any, ...]], Utterance], tuple.__new__)
"""``Utterance`` built from a complete 12-tuple without the NamedTuple's Python-level
``__new__``: 0.18 against 0.38 µs a turn (docs/benchmarks.md, Import)."""

_SINCE_MIDNIGHT: dict[int, timedelta] = {}
"""Seconds since the chat's midnight -> the same as a timedelta, shared by all files (a chat
spans a few days at most; cleared when it grows past a week's worth): building a timedelta
costs more than adding it."""


def _since_midnight(seconds: int) -> timedelta:
    if len(_SINCE_MIDNIGHT) >= 7 * _DAY:
        _SINCE_MIDNIGHT.clear()
    since = _SINCE_MIDNIGHT[seconds] = timedelta(seconds=seconds)
    return since


def _build_utterances(
    parser: _ChatParser, day: date, warnings: list[str]
) -> tuple[Utterance, ...]:
    """Resolve times (roll-over, out-of-order) and cut each utterance's span out of the text."""
    text = parser.text
    base = datetime(day.year, day.month, day.day)
    offsets = _SINCE_MIDNIGHT
    latest: int | None = None
    previous: int | None = None
    utterances: list[Utterance] = []
    append, new_utterance = utterances.append, _new_utterance
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
            try:  # a subscript, not .get: a miss is rare (an offset not met yet)
                since = offsets[absolute]
            except KeyError:
                since = _since_midnight(absolute)
            try:
                moment = base + since
            except OverflowError:
                raise TranscriptParseError(
                    parser.path, line, "time falls outside the calendar"
                ) from None
        # The body is cut out of the text at the offsets stored with it, so every chat
        # utterance keeps ``text[start:end] == body`` by construction (registry.read_source
        # relies on this instead of checking each span again).
        region = text[content_start:content_end]
        body = region.strip()
        if body is region:  # str.strip returns the string itself when nothing is stripped
            start = content_start
        else:  # the first non-blank character starts the body; an empty one sits at the end
            start = content_start + region.find(body) if body else content_end
        append(
            new_utterance(
                Utterance,
                (index, role, speaker, moment, body, start, start + len(body), line,
                 out_of_order, continued, "", ""),
            )
        )
    return tuple(utterances)


def read_chat(source: SourceFile, text: str, roles: RoleMap) -> ReadResult:
    """Read one chat transcript into one document (see the module docstring for the rules).

    Raises:
        TranscriptParseError: A line cannot be read, or a speaker label is not mapped.
    """
    parser = _ChatParser(source, text, roles)
    parser.parse()
    warnings: list[str] = []
    day, unknown = _chat_date(parser.header, source, warnings)
    utterances = _build_utterances(parser, day, warnings)
    return _result(source, text, utterances, parser.header, day, unknown, warnings)


_TIME_OF = itemgetter(Utterance._fields.index("time"))
"""An utterance's time by position (faster than ``attrgetter`` on a NamedTuple)."""


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
    start = min(filter(None, map(_TIME_OF, utterances)), default=None)
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
