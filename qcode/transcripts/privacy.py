"""Find what still looks like personal data in a transcript that should be anonymised.

The study's material is anonymised with capitalised placeholders (``NAAM``, ``PLAATS``,
``[INSTELLING 1]``, ``NAAM@INSTELLING.nl``, see :mod:`qcode.transcripts.placeholders`). Each
check finds candidates with a cheap, linear pattern and confirms them with a well-kept library
where one exists:

* e-mail addresses, unless the whole address is made of placeholders (``NAAM@INSTELLING.nl``
  is one, ``J.JANSEN@ziggo.nl`` and ``NAAM@ziggo.nl`` are not);
* phone numbers: a run of at least nine digits that starts like a dialled number (``0``,
  ``+``, ``(0``), confirmed by Google's libphonenumber (``phonenumbers``, region NL) and kept
  when it can belong to a person (fixed line, mobile, VoIP, personal, pager). Service numbers
  (``0800``/``0900``, ``088`` company numbers) are not personal data;
* postcodes ``1234 AB`` in any case, checked with python-stdnum (``nl.postcode``: no leading
  0, never SA/SD/SS). A letter pair that is also a common word or unit (``2014 OK``,
  ``1990 en``, ``1500 km``) counts only beside a postcode context: the word ``postcode``, a
  capitalised place name or placeholder after it, a house number before it;
* IBANs (python-stdnum ``iban``: ISO 13616 mod 97 and the country's format);
* BSNs: nine digits, also written with dots, spaces or hyphens, passing the eleven-test
  (python-stdnum ``nl.bsn``);
* street addresses: a word ending in a street word (straat, laan, weg, pad, steeg, markt, dijk,
  kade, singel, gracht, plein, ...) followed by a house number, unless the word is an everyday
  noun (``snelweg``, ``supermarkt``, ``fietspad``) or the number is a quantity (``2 uur``,
  ``3 keer``).

The lists of everyday nouns, common two-letter words and units are the known false alarms; they
are documented in docs/formats.md with the figures measured on a generated test set.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate, pairwise
from operator import itemgetter

import phonenumbers
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn
from stdnum.nl import postcode as stdnum_postcode

from qcode.transcripts.model import Document, Utterance
from qcode.transcripts.placeholders import is_placeholder_word


@dataclass(frozen=True)
class Finding:
    """One piece of text that looks like personal data."""

    line: int
    """1-based line in the text given."""
    kind: str
    """email, phone, postcode, iban, bsn or address."""
    excerpt: str
    """The matched text."""


_EMAIL_RE = re.compile(r"(?<![\w.+-])([\w.+-]+)@([\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})\b")
_PHONE_RE = re.compile(
    # A candidate: 0, +, or (0 and then at least nine digits in all, split by at most three
    # separators at a time (``020 - 123 45 67``, ``(06) 12345678``, ``+31 (0)20 1234567``).
    # Each repetition consumes a digit, so the pattern is linear. The lookahead keeps dates
    # out: "02-06-2014 21:17" has nine digits after a 0 as well.
    r"(?<![\w+])(?!\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:\+ ?|\( ?)?0?\d(?:[ .()/-]{0,3}\d){8,}"
)
_POSTCODE_RE = re.compile(r"(?<![\w-])[1-9]\d{3}(?P<space> ?)(?P<letters>[^\W\d_]{2})(?![\w-])")
_IBAN_RE = re.compile(
    r"(?<!\w)[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?P<tail> ?[A-Z0-9]{1,3})?(?!\w)", re.IGNORECASE
)
"""An IBAN in groups of four; the tail group is its last 1-3 characters, or a short word after
it (``BE68 5390 0754 7034 ok``), so a candidate that fails the check is tried without it."""
_BSN_RE = re.compile(r"(?<![\w.,-])\d(?:[ .-]?\d){8}(?![\w-]|[ .,-]\d)")
"""Nine digits, optionally grouped (``123.456.782``, ``1234 56 782``), not part of a longer
number."""

STREET_ENDINGS = (
    "straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "dreef", "hof", "pad",
    "steeg", "markt", "wal", "allee", "boulevard", "plantsoen", "kanaal", "burgwal", "haven",
)
"""Last parts of Dutch street names (a name is a word of at least two letters before one)."""
_ADDRESS_RE = re.compile(
    r"(?<!\w)(?P<street>[^\W\d_]{2,}(?:" + "|".join(STREET_ENDINGS) + r"))"
    r" +\d{1,5}(?: ?[a-zA-Z](?!\w)|-\d{1,4})?(?![\w-])(?P<after> *[^\W\d_]*|[ %]*%)",
    re.IGNORECASE,
)
EVERYDAY_STREET_WORDS = frozenset(
    [
        "snelweg", "autoweg", "rijksweg", "omweg", "uitweg", "zijweg", "spoorweg",
        "luchtweg", "waterweg", "onderweg", "halfweg", "terugweg", "heenweg", "thuisweg",
        "fietsweg", "fietspad", "voetpad", "wandelpad", "zebrapad", "levenspad",
        "ruiterpad", "tuinpad", "bospad", "oorlogspad", "supermarkt", "arbeidsmarkt",
        "woningmarkt", "huizenmarkt", "banenmarkt", "weekmarkt", "jaarmarkt", "vrijmarkt",
        "rommelmarkt", "vlooienmarkt", "kerstmarkt", "zwartemarkt", "schoolplein",
        "speelplein", "kerkhof", "gerechtshof", "speelhof", "slotgracht", "luchthaven",
        "jachthaven", "zeehaven", "thuishaven",
    ]
)
"""Everyday nouns with a street ending: ``op de snelweg 2`` is no address."""
QUANTITY_WORDS = frozenset(
    [
        "keer", "x", "maal", "uur", "uurtjes", "u", "min", "minuut", "minuten", "sec",
        "seconden", "kwartier", "dag", "dagen", "dagje", "week", "weken", "weekje", "maand",
        "maanden", "jaar", "jaren", "jaartje", "eeuw", "km", "kilometer", "kilometers", "m",
        "meter", "meters", "cm", "mm", "kg", "kilo", "gram", "euro", "eur", "cent",
        "procent", "pct", "%", "stuks", "stuk", "man", "mensen", "personen", "kinderen",
    ]
)
"""Words after a number that make it a quantity (``2 uur``), not a house number."""
_COMMON_PAIRS = frozenset(
    [
        "al", "de", "en", "ff", "ik", "in", "is", "ja", "je", "na", "nu", "of", "ok", "om",
        "op", "te", "we", "ze", "zo", "xd",
    ]
)
"""Two-letter words that follow a year or an amount in chat (``2014 OK``, ``in 1990 en``)."""
_UNITS = frozenset(["km", "kg", "mg", "ml", "cm", "mm", "gb", "mb", "kb"])
"""Units written after a four-digit number, often glued to it (``1500km``)."""
_POSTCODE_CONTEXT_BEFORE = re.compile(
    r"(?:postcode\W*(?:is\W*)?|[^\W\d_]{2,}(?:" + "|".join(STREET_ENDINGS) + r") +\d{1,5}[a-zA-Z]?,?) *$",
    re.IGNORECASE,
)
"""``postcode is 1234 ok``, ``Dorpsweg 3, 1234 ok``: the number is a postcode after all."""
_POSTCODE_CONTEXT_AFTER = re.compile(r" +(?:[A-Z][a-z]|[A-Z]{4,})")
"""``1234 EN Amsterdam``, ``1234 EN PLAATS``: a place (or its placeholder) follows."""
_PERSONAL_PHONE_TYPES = frozenset(
    {
        phonenumbers.PhoneNumberType.FIXED_LINE,
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        phonenumbers.PhoneNumberType.VOIP,
        phonenumbers.PhoneNumberType.PERSONAL_NUMBER,
        phonenumbers.PhoneNumberType.PAGER,
    }
)


def is_valid_iban(candidate: str) -> bool:
    """ISO 13616 mod-97 check and the country's IBAN format (python-stdnum).

    The national account checks are not applied: a mistyped or unknown bank code is still an
    account number somebody wrote down.
    """
    return bool(stdnum_iban.is_valid(candidate, check_country=False))


def passes_eleven_test(number: str) -> bool:
    """The BSN eleven-test (``elfproef``) on nine digits, grouped or not (python-stdnum)."""
    digits = re.sub(r"[ .-]", "", number)
    if len(digits) != 9 or not digits.isdigit() or int(digits) == 0:
        return False
    return bool(stdnum_bsn.is_valid(digits))


def _is_placeholder_address(local_part: str, domain: str) -> bool:
    """True only where the whole address is placeholders: ``NAAM@INSTELLING.nl``."""
    labels = domain.split(".")[:-1]
    return all(is_placeholder_word(part) for part in (local_part, *labels))


def _postcode_hits(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _POSTCODE_RE.finditer(text):
        letters = match["letters"]
        if not (letters.isascii() and stdnum_postcode.is_valid(match.group())):
            continue
        if _is_word_not_postcode(text, match) and not _postcode_context(text, match):
            continue
        spans.append((match.start(), match.end()))
    return spans


def _is_word_not_postcode(text: str, match: re.Match[str]) -> bool:
    """Whether the letters may be a word or unit after a number rather than a postcode's.

    A unit (``1500 km``, ``1500km``) always may. A common word may when it is written apart
    (nobody glues a word to a year: ``2014ok`` is a postcode) and in lower case, or in capitals
    that are ``OK`` or stand in shouted text (``IN 2014 IS HET``), where every word is capitals.
    """
    pair = match["letters"].lower()
    if pair in _UNITS:
        return True
    if pair not in _COMMON_PAIRS or not match["space"]:
        return False
    if not match["letters"].isupper() or pair == "ok":
        return True
    before = text[: match.start()].split()
    return bool(before) and before[-1].isupper()


def _postcode_context(text: str, match: re.Match[str]) -> bool:
    """``postcode is 1234 ok``, ``Dorpsweg 3, 1234 ok``, ``1234 EN PLAATS``."""
    before = text[max(0, match.start() - 40) : match.start()]
    if _POSTCODE_CONTEXT_BEFORE.search(before):
        return True
    return match["letters"].isupper() and _POSTCODE_CONTEXT_AFTER.match(text, match.end()) is not None


def _phone_hits(text: str) -> list[tuple[int, int]]:
    spans = []
    for candidate in _PHONE_RE.finditer(text):
        part = candidate.group()
        for found in phonenumbers.PhoneNumberMatcher(part, "NL"):
            if phonenumbers.number_type(found.number) in _PERSONAL_PHONE_TYPES:
                spans.append((candidate.start() + found.start, candidate.start() + found.end))
    return spans


def _address_hits(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _ADDRESS_RE.finditer(text):
        if match["after"].strip().lower() in QUANTITY_WORDS:
            continue  # "2 uur", "3 keer": a quantity, not a house number
        street = match["street"]
        if street.lower() in EVERYDAY_STREET_WORDS and not _written_as_address(text, match):
            continue
        spans.append((match.start(), match.start("after")))
    return spans


def _written_as_address(text: str, match: re.Match[str]) -> bool:
    """An everyday noun (``kerkhof``, ``snelweg``) used as a street name: capitalised where a
    sentence does not start (``ik woon Kerkhof 3``), or with a house-number addition
    (``kerkhof 3a``, ``spoorweg 12-2``)."""
    number = text[match.end("street") : match.start("after")].strip()
    if not number.isdigit():
        return True
    before = text[: match.start()].rstrip()
    starts_sentence = not before or before[-1] in ".!?:"
    return match["street"][0].isupper() and not starts_sentence


_DIGIT_RE = re.compile(r"\d")
_ENDING_RE = re.compile(r"(?:" + "|".join(STREET_ENDINGS) + r")$", re.IGNORECASE)


def _has_street_number(text: str) -> bool:
    """A word ending in a street ending, then a word starting with a digit (necessary for an
    address). Two times faster than searching the text for the endings; the ending is tested
    with the address pattern's own case rules (IGNORECASE: ``ſ`` is ``s``, ``İ`` is ``i``)."""
    words = text.split()
    return any(b[:1].isdigit() and _ENDING_RE.search(a) is not None for a, b in pairwise(words))


_MIN_DIGITS = {"iban": 2, "postcode": 4, "bsn": 9, "phone": 9, "address": 1}
"""The fewest digits (``\\d``, as in the patterns) a finding of each kind contains."""


def possible_kinds(text: str) -> frozenset[str]:
    """The kinds of finding ``text`` can hold at all, from cheap necessary conditions.

    The patterns above start with look-behinds, which keeps the regex engine from skipping
    ahead and costs several microseconds each per line of text; most text that has a digit at
    all (``[INSTELLING 1]``, ``<3``) cannot match most of them. The phone library costs about
    0.2 ms a call, so it only ever sees the candidates its pattern found.
    """
    digits = len(_DIGIT_RE.findall(text))
    kinds = {kind for kind, least in _MIN_DIGITS.items() if digits >= least}
    if "address" in kinds and not _has_street_number(text):
        kinds.discard("address")
    if "@" in text:
        kinds.add("email")
    return frozenset(kinds)


def scan_personal_data(text: str) -> list[Finding]:
    """All findings in ``text``, in order of position; overlapping matches are reported once."""
    kinds = possible_kinds(text)
    if not kinds:
        return []
    spans: list[tuple[int, int, str]] = []
    if "email" in kinds:
        for match in _EMAIL_RE.finditer(text):
            if not _is_placeholder_address(match.group(1), match.group(2)):
                spans.append((match.start(), match.end(), "email"))
    if "iban" in kinds:
        for match in _IBAN_RE.finditer(text):
            if is_valid_iban(match.group(0)):
                spans.append((match.start(), match.end(), "iban"))
            elif (match["tail"] or "").startswith(" ") and is_valid_iban(
                text[match.start() : match.start("tail")]
            ):
                spans.append((match.start(), match.start("tail"), "iban"))
    if "phone" in kinds:
        spans.extend((start, end, "phone") for start, end in _phone_hits(text))
    if "postcode" in kinds:
        spans.extend((start, end, "postcode") for start, end in _postcode_hits(text))
    if "bsn" in kinds:
        spans.extend(
            (m.start(), m.end(), "bsn") for m in _BSN_RE.finditer(text) if passes_eleven_test(m.group())
        )
    if "address" in kinds:
        spans.extend((start, end, "address") for start, end in _address_hits(text))
    if not spans:
        return []
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    findings: list[Finding] = []
    covered_until = -1
    for start, end, kind in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start < covered_until:
            continue  # inside an earlier, longer finding (a postcode inside an address line)
        covered_until = end
        line = bisect.bisect_right(line_starts, start)
        findings.append(Finding(line, kind, text[start:end]))
    return findings


_CANDIDATE = re.compile(r"[\d@]")
"""Every pattern above needs a digit or an '@': text without either cannot match (fast skip)."""
_MAYBE_CANDIDATE = re.compile(r"[^\x00-/:-?A-\x7f]")
"""ASCII digits, '@' and any non-ASCII character.

A plain range test per character, about three times faster than ``[\\d@]`` with its Unicode
category lookup; the few non-ASCII hits (é, emoji) are then tested with ``str.isdecimal``,
which is what ``\\d`` means in a ``str`` pattern (category Nd)."""


def _next_candidate(text: str, position: int) -> int:
    """Where ``_CANDIDATE`` would next match in ``text`` from ``position``; -1 if nowhere."""
    search = _MAYBE_CANDIDATE.search
    while (found := search(text, position)) is not None:
        char = found.group()
        if char <= "@" or char.isdecimal():
            return found.start()
        position = found.end()
    return -1


def scan_document(document: Document) -> list[Finding]:
    """Personal data in what people wrote: utterance text, quoted text and subjects.

    Headers that only route a message (an e-mail's From address, which the role map needs)
    are not scanned. Lines are mapped back to the source file where the reader recorded them.

    Most utterances hold neither a digit nor an '@' and so cannot hold personal data; rather
    than test them one by one in Python, the texts are joined and searched in one pass, and
    only the utterances with a hit are scanned in full (a candidate is one character, so no
    separator is needed: a hit lies in the text whose end is the first one past it). The
    result equals testing each utterance on its own, which tests/transcripts/test_privacy_scan.py
    checks against that plain loop.
    """
    utterances = document.utterances
    texts = list(map(_TEXT, utterances))
    joined = "".join(texts)
    findings: list[Finding] = []
    hit = _next_candidate(joined, 0)
    if hit >= 0:
        ends = list(accumulate(map(len, texts)))  # ends[i]: where text i ends in ``joined``
        while hit >= 0:
            i = bisect.bisect_right(ends, hit)
            _scan_part(texts[i], utterances[i].line, True, findings)
            hit = _next_candidate(joined, ends[i])
    # Quoted text and subjects come with e-mail only; C-level checks skip them for chats.
    if any(map(_QUOTED, utterances)) or any(map(_SUBJECT, utterances)):
        for u in utterances:
            for part in (u.quoted, u.subject):
                if part and _CANDIDATE.search(part):
                    _scan_part(part, u.line, False, findings)
    return sorted(set(findings), key=lambda f: (f.line, f.kind, f.excerpt))


_TEXT, _QUOTED, _SUBJECT = (
    itemgetter(Utterance._fields.index(name)) for name in ("text", "quoted", "subject")
)
"""An utterance's fields by position: ``itemgetter`` reads a tuple item about twice as fast
as ``attrgetter`` reads the NamedTuple's attribute, for every utterance of an import."""


def _scan_part(part: str, first_line: int, is_text: bool, findings: list[Finding]) -> None:
    for f in scan_personal_data(part):
        line = first_line + f.line - 1 if first_line > 0 and is_text else (first_line or f.line)
        findings.append(Finding(line, f.kind, f.excerpt))
