"""What the automatic coder may be tuned with, and the defaults the study's material needs."""

from __future__ import annotations

from dataclasses import dataclass

from qcode.transcripts.placeholders import PLACEHOLDERS

_ACRONYM_LIST = (
    "AMW SMW GGZ GGD JGZ CJG BJZ AMK MEE WMO WLZ PGB AWBZ SEH EHBO HAP VVE BSO KDV PSZ BSN "
    "UWV DUO SVB CAK CJIB BKR IND COA AZC WW WIA WAO AOW WWB KVK ING ABN AMRO SNS ASN OV NS "
    "CV HBO MBO VMBO HAVO VWO ROC WO VO VSO LWOO PRO BBL BOL ADHD ADD ASS PDD NOS PTSS OCD "
    "SOA HIV AIDS LHBT LHBTI OK TV PC SMS MSN WC ID LOL OMG ICT HR"
)
DEFAULT_ACRONYMS = frozenset(_ACRONYM_LIST.split())
"""Capitalised words that are abbreviations, not shouting (extend per project)."""

DEFAULT_PLACEHOLDERS = PLACEHOLDERS
"""Anonymisation placeholders of the study's transcripts (``NAAM``, ``[INSTELLING 1]``)."""

DEFAULT_TYPING_CHARS_PER_MINUTE = 120.0
"""Composing speed in characters per minute, spaces included (about 20 words a minute).

Why 120: people *composing* text type far slower than people copying it. Karat et al. (CHI
1999) measured 19 words per minute for composition at a keyboard against 33 for
transcription; Dhakal et al. (CHI 2018, 136 million keystrokes) found 52 wpm for copying,
and Palin et al. (MobileHCI 2019) 36 wpm on phones. A chat reply is composed, often on a
phone, by a client or a counsellor who weighs their words: about 20 wpm, or 20 × 6 = 120
characters (Dutch words average 5 letters plus a space). A slower assumed speed explains
more of a pause as typing, so 120 errs towards *not* calling a pause a silence.
See docs/autocode.md.
"""


@dataclass(frozen=True)
class AutocodeSettings:
    """Tuning for ``qcode autocode``; projects override it from ``qcode.toml``."""

    acronyms: frozenset[str] = DEFAULT_ACRONYMS
    """Capitalised words never coded as Leestekens (compared in capitals)."""
    placeholders: frozenset[str] = DEFAULT_PLACEHOLDERS
    """Anonymisation placeholders, never coded as Leestekens."""
    silence_minutes: float = 3.0
    """A pause longer than this, after discounting typing time, is a Stilte."""
    typing_chars_per_minute: float = DEFAULT_TYPING_CHARS_PER_MINUTE
    """Assumed composing speed used to discount typing time from a pause."""
