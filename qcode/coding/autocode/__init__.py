"""Automatic codes: Emoticons, Leestekens and Stiltes, applied by ``qcode autocode``.

:func:`autocode_document` is pure and deterministic: the same document and settings always
give the same codings. That is what makes ``qcode autocode`` idempotent — the store deletes
the previous codings of coder ``auto`` for :data:`AUTOMATIC_CODE_IDS` and inserts these; a
person's codings are never touched.

Only utterance text is scanned (never chat headers, e-mail headers or quoted e-mail text),
and only utterances of the counsellor and the client: platform messages are nobody's
paratext. The rules and their traps are in docs/autocode.md.
"""

from __future__ import annotations

from qcode.coding.autocode.emoticons import find_emoticons
from qcode.coding.autocode.punctuation import find_capitals, find_marks
from qcode.coding.autocode.settings import (
    DEFAULT_ACRONYMS,
    DEFAULT_PLACEHOLDERS,
    DEFAULT_TYPING_CHARS_PER_MINUTE,
    AutocodeSettings,
)
from qcode.coding.autocode.silences import (
    STILTES,
    find_silences,
    gaps_in_time_order,
    is_silence,
    silence_codings,
)
from qcode.coding.model import AUTO_CODER, Coding, Origin
from qcode.transcripts.model import Document, Role

__all__ = [
    "AUTOMATIC_CODE_IDS",
    "DEFAULT_ACRONYMS",
    "DEFAULT_PLACEHOLDERS",
    "DEFAULT_SETTINGS",
    "DEFAULT_TYPING_CHARS_PER_MINUTE",
    "EMOTICONS",
    "LEESTEKENS",
    "STILTES",
    "AutocodeSettings",
    "autocode_document",
    "find_silences",
    "gaps_in_time_order",
    "is_silence",
]

EMOTICONS = "emoticons"
LEESTEKENS = "leestekens"
AUTOMATIC_CODE_IDS = frozenset({EMOTICONS, LEESTEKENS, STILTES})
"""Code ids (in codebooks/klikvoorhulp.yaml) whose ``auto`` codings a re-run replaces."""
DEFAULT_SETTINGS = AutocodeSettings()


def autocode_document(
    document: Document, settings: AutocodeSettings = DEFAULT_SETTINGS
) -> list[Coding]:
    """All automatic codings of one document, ordered by position then code.

    Spans are offsets into ``document.text``: the emoticon, mark or word itself for Emoticons
    and Leestekens, the replying utterance for Stiltes.
    """
    exempt = frozenset(word.upper() for word in settings.acronyms | settings.placeholders)
    codings: list[Coding] = []

    def add(offset: int, hits: list[tuple[int, int, str]], code: str) -> None:
        codings.extend(
            Coding(
                document=document.key,
                start=offset + start,
                end=offset + end,
                code=code,
                coder=AUTO_CODER,
                origin=Origin.AUTOMATIC,
                detail=detail,
            )
            for start, end, detail in hits
        )

    for utterance in document.utterances:
        if utterance.role is Role.SYSTEM:
            continue
        emoticons = find_emoticons(utterance.text)
        faces = [(start, end) for start, end, _ in emoticons]
        add(utterance.start, emoticons, EMOTICONS)
        add(utterance.start, find_marks(utterance.text, faces), LEESTEKENS)
        add(utterance.start, find_capitals(utterance.text, exempt, faces), LEESTEKENS)
    codings.extend(
        silence_codings(document, settings.silence_minutes, settings.typing_chars_per_minute)
    )
    return sorted(codings, key=lambda c: (c.start, c.end, c.code, c.detail))
