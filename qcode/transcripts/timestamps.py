"""Dates and times as the exports write them (Dutch day-first, ISO 8601, RFC 5322).

Chat times carry no time zone: they are Dutch wall-clock times. Times with a zone (e-mail
headers, ISO timestamps ending in ``Z``) are converted to Europe/Amsterdam wall-clock time and
stored without zone, so chat and e-mail times compare directly.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

try:
    _LOCAL: ZoneInfo | None = ZoneInfo("Europe/Amsterdam")
except ZoneInfoNotFoundError:  # no tz database: keep the wall-clock time as written
    _LOCAL = None

UNKNOWN_DATE = date(1900, 1, 1)
"""Stand-in date of a chat whose date no header, manifest or file name gives."""

_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_NAME_DATES = (
    (re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{2})-(\d{2})-(\d{4})(?!\d)"), (3, 2, 1)),
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), (1, 2, 3)),
)
_DUTCH_DATETIME = re.compile(
    r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?:,?\s+(?:om\s+)?(\d{1,2})[:.](\d{2})(?::(\d{2}))?)?\s*$"
)


def _make_date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_date(value: str) -> date | None:
    """Read ``2014-11-03`` or ``03-11-2014`` (also with ``/`` or ``.``); None if neither."""
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    if match:
        return _make_date(match.group(1), match.group(2), match.group(3))
    match = _DUTCH_DATE.fullmatch(text)
    if match:
        return _make_date(match.group(3), match.group(2), match.group(1))
    return None


def date_from_filename(name: str) -> date | None:
    """The first valid date in a file name: YYYY-MM-DD, DD-MM-YYYY or YYYYMMDD."""
    for pattern, (y, m, d) in _NAME_DATES:
        for match in pattern.finditer(name):
            found = _make_date(match.group(y), match.group(m), match.group(d))
            if found is not None:
                return found
    return None


def to_local_naive(moment: datetime) -> datetime:
    """Convert an aware time to Dutch wall-clock time without zone; leave naive times alone.

    Raises:
        ValueError: The converted time falls outside the calendar ``datetime`` knows (year
            1 to 9999), as ``9999-12-31T23:59:59-05:00`` does; ``datetime`` itself raises
            OverflowError there, which no reader expects.
    """
    if moment.tzinfo is None:
        return moment
    if _LOCAL is not None:
        try:
            moment = moment.astimezone(_LOCAL)
        except OverflowError:
            raise ValueError(f"{moment.isoformat()} falls outside the calendar") from None
    return moment.replace(tzinfo=None)


def parse_datetime(value: str) -> datetime | None:
    """Read a message date: ``12-03-2014 23:41``, ISO 8601, or an RFC 5322 date.

    Returns:
        A naive Dutch wall-clock time, or None when the value is no date this reads (also
        when its conversion to Dutch time leaves the calendar: year 9999 with an offset).
    """
    text = value.strip()
    if not text:
        return None
    match = _DUTCH_DATETIME.match(text)
    if match:
        day, month, year, hour, minute, second = match.groups()
        try:
            return datetime(
                int(year), int(month), int(day),
                int(hour or 0), int(minute or 0), int(second or 0),
            )
        except ValueError:
            return None
    try:
        return to_local_naive(datetime.fromisoformat(text))
    except ValueError:
        pass
    try:
        return to_local_naive(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
