"""Find what still looks like personal data in a transcript that should be anonymised.

The study's material is anonymised with capitalised placeholders (``NAAM``, ``PLAATS``,
``[INSTELLING 1]``, ``ADRES``, ``POSTCODE``); those contain no digits or ``@`` and so never
match. Checks, each on one pattern plus a validity test where one exists:

* e-mail addresses (a local part that is a placeholder, ``NAAM@...``, is not flagged);
* Dutch phone numbers: ``0`` / ``+31`` / ``0031`` followed by nine digits in groups split by
  single spaces or hyphens (``06-12345678``, ``06 1234 5678``, ``+31 6 12345678``,
  ``020-1234567``, ``+31 (0)20 1234567``); dates such as ``03-11-2014`` have too few digits;
* postcodes ``1234 AB`` / ``1234AB`` (capitals; SA, SD, SS are never issued);
* IBANs, accepted only when the ISO 13616 mod-97 check gives 1;
* 9-digit numbers passing the BSN eleven-test (weights 9..2 and -1, sum divisible by 11);
* street addresses: a word ending in straat/laan/weg/plein/gracht/kade/singel/dijk/dreef/hof
  (at least two letters before the ending) followed by a house number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate, count
from operator import add, attrgetter

from qcode.transcripts.model import Document


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
    # The lookahead keeps dates out: "02-06-2014 21:17" has nine digits after a 0 as well.
    r"(?<![\w+])(?!\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})(?:\+31|0031|0)(?:[ -]?\(0\))?(?:[ -]?\d){9}(?![\w-])"
)
_POSTCODE_RE = re.compile(r"(?<![\w-])[1-9]\d{3} ?(?!SA|SD|SS)[A-Z]{2}(?![\w-])")
_IBAN_RE = re.compile(
    r"(?<!\w)[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?P<tail> ?[A-Z0-9]{1,3})?(?!\w)", re.IGNORECASE
)
"""An IBAN in groups of four; the tail group is its last 1-3 characters, or a short word after
it (``BE68 5390 0754 7034 ok``), so a candidate that fails the check is tried without it."""
_BSN_RE = re.compile(r"(?<![\w.-])\d{9}(?![\w-])")
_ADDRESS_RE = re.compile(
    r"(?<!\w)[^\W\d_]{2,}(?:straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof)"
    r" +\d{1,5}(?: ?[a-zA-Z](?!\w)|-\d{1,4})?(?![\w-])",
    re.IGNORECASE,
)


def is_valid_iban(candidate: str) -> bool:
    """ISO 13616 check: move the first four characters to the end, letters to numbers, mod 97."""
    iban = candidate.replace(" ", "").upper()
    if not 15 <= len(iban) <= 34 or (iban.startswith("NL") and len(iban) != 18):
        return False
    digits = "".join(str(int(ch, 36)) for ch in iban[4:] + iban[:4])
    return int(digits) % 97 == 1


def passes_eleven_test(number: str) -> bool:
    """The BSN eleven-test (the Dutch ``elfproef`` for citizen service numbers)."""
    if len(number) != 9 or not number.isdigit() or number == "000000000":
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(number, weights, strict=True)) % 11 == 0


def _is_placeholder(local_part: str) -> bool:
    return local_part.isupper() and local_part.isalpha()


_DIGIT_RE = re.compile(r"\d")
_STREET_NUMBER_RE = re.compile(
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof) +\d", re.IGNORECASE
)

_MIN_DIGITS = {"iban": 2, "postcode": 4, "bsn": 9, "phone": 10, "address": 1}
"""The fewest digits (``\\d``, as in the patterns) a finding of each kind contains: a phone
number is a ``0`` (or ``+31``/``0031``) and nine more digits."""


def possible_kinds(text: str) -> frozenset[str]:
    """The kinds of finding ``text`` can hold at all, from cheap necessary conditions.

    The patterns above start with look-behinds, which keeps the regex engine from skipping
    ahead and costs several microseconds each per line of text; most text that has a digit at
    all (``[INSTELLING 1]``, ``<3``) cannot match most of them.
    """
    digits = len(_DIGIT_RE.findall(text))
    kinds = {kind for kind, least in _MIN_DIGITS.items() if digits >= least}
    if "address" in kinds and _STREET_NUMBER_RE.search(text) is None:
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
            if not _is_placeholder(match.group(1)):
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
        spans.extend((m.start(), m.end(), "phone") for m in _PHONE_RE.finditer(text))
    if "postcode" in kinds:
        spans.extend((m.start(), m.end(), "postcode") for m in _POSTCODE_RE.finditer(text))
    if "bsn" in kinds:
        spans.extend(
            (m.start(), m.end(), "bsn")
            for m in _BSN_RE.finditer(text)
            if passes_eleven_test(m.group(0))
        )
    if "address" in kinds:
        spans.extend((m.start(), m.end(), "address") for m in _ADDRESS_RE.finditer(text))
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
    than test them one by one in Python, the texts are joined (with a separator that is
    neither) and searched in one pass, and only the utterances with a hit are scanned in
    full. The result equals testing each utterance on its own, which
    tests/transcripts/test_privacy_scan.py checks against that plain loop.
    """
    utterances = document.utterances
    texts = list(map(attrgetter("text"), utterances))
    joined = "\x00".join(texts)
    findings: list[Finding] = []
    hit = _next_candidate(joined, 0)
    if hit >= 0:
        # next_starts[i]: where the text after utterance i starts in ``joined``
        next_starts = list(map(add, accumulate(map(len, texts)), count(1)))
        while hit >= 0:
            i = bisect.bisect_right(next_starts, hit)
            _scan_part(texts[i], utterances[i].line, True, findings)
            hit = _next_candidate(joined, next_starts[i])
    # Quoted text and subjects come with e-mail only; C-level checks skip them for chats.
    if any(map(attrgetter("quoted"), utterances)) or any(map(attrgetter("subject"), utterances)):
        for u in utterances:
            for part in (u.quoted, u.subject):
                if part and _CANDIDATE.search(part):
                    _scan_part(part, u.line, False, findings)
    return sorted(set(findings), key=lambda f: (f.line, f.kind, f.excerpt))


def _scan_part(part: str, first_line: int, is_text: bool, findings: list[Finding]) -> None:
    for f in scan_personal_data(part):
        line = first_line + f.line - 1 if first_line > 0 and is_text else (first_line or f.line)
        findings.append(Finding(line, f.kind, f.excerpt))
