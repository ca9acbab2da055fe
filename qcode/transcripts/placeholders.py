"""The anonymisation placeholders of the study's transcripts, in one place.

Anonymisers replace personal data with capitalised words (``NAAM``, ``PLAATS``,
``[INSTELLING 1]``, ``NAAM@INSTELLING.nl``). The automatic coder must not read them as
shouting, the privacy check must not read them as personal data, and the optional name check
must not report them as names: all three use this list.
"""

from __future__ import annotations

_PLACEHOLDER_LIST = (
    "NAAM VOORNAAM ACHTERNAAM BIJNAAM PLAATS WOONPLAATS ADRES STRAAT POSTCODE TELEFOON "
    "TELEFOONNUMMER NUMMER INSTELLING ORGANISATIE BEDRIJF WERKGEVER SCHOOL HULPVERLENER "
    "HUISARTS ZIEKENHUIS GEMEENTE STAD LAND DATUM GEBOORTEDATUM LEEFTIJD EMAIL MAIL "
    "EMAILADRES WEBSITE URL"
)
PLACEHOLDERS = frozenset(_PLACEHOLDER_LIST.split())
"""Anonymisation placeholders of the study's transcripts (``NAAM``, ``[INSTELLING 1]``)."""


def is_placeholder_word(word: str) -> bool:
    """``NAAM``, ``INSTELLING1``, ``NAAM_2``: a placeholder, optionally numbered."""
    return word.rstrip("0123456789_-").upper() in PLACEHOLDERS and word.isupper()
