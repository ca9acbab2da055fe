"""Optional check for person names left in transcripts, with the Deduce library.

The privacy gate (:mod:`qcode.transcripts.privacy`) refuses numbers and addresses, which have a
form a pattern can test. Names have none: the anonymisers replace them with ``NAAM``, but a
missed ``Petra`` looks like any other word. Deduce (Menger et al. 2018, *Telematics and
Informatics* 35(4); LGPL-3.0, ``pip install qcode[deid]``) finds Dutch names from its lists of
first names and surnames and from patterns (``meneer Jansen``, ``P. de Vries``). It was built for
clinical notes, so in chat it also tags ordinary words that are names too; its findings are
warnings to look at, never a refusal. Left out: the study's placeholders and
:data:`COMMON_FALSE_ALARMS`, the words Deduce tagged in the study's own anonymised text.
Measured figures: docs/formats.md, "Optional name check".

Deduce builds its lookup tables on first use (1-2 minutes once after installing) and then
loads them in a few seconds, so the checker is made once per process (:func:`name_checker`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from qcode.errors import QcodeError
from qcode.transcripts.model import Document
from qcode.transcripts.placeholders import is_placeholder_word
from qcode.transcripts.privacy import Finding

COMMON_FALSE_ALARMS = frozenset(["mooi", "super", "pas", "knap", "meneer", "mevrouw"])
"""Words Deduce reads as names in the study's anonymised text (compared case-insensitively).

Measured: on the sample corpus and the report's development fragments (966 lines) Deduce
tagged only sentence-initial words that are also surnames ("Mooi", "Super", "Pas", "Knap") and
a title before a placeholder ("meneer NAAM"); a finding made only of these words and
placeholders is dropped. Extend it per project with the ``ignore`` argument.
"""


@cache
def name_checker() -> Any:
    """The Deduce de-identifier (made once; loading its lookup tables takes seconds).

    Raises:
        QcodeError: Deduce is not installed.
    """
    try:
        from deduce import Deduce  # type: ignore[import-untyped, import-not-found, unused-ignore]
    except ImportError as error:
        raise QcodeError(
            "The name check needs the Deduce library: pip install 'qcode[deid]'",
            title="Name check not installed",
        ) from error
    return Deduce()


def _is_excluded(name: str, ignore: frozenset[str]) -> bool:
    words = [w.strip(".,-'") for w in name.split()]
    words = [w for w in words if w]
    if not words:
        return True
    return all(
        is_placeholder_word(w) or w.lower() in COMMON_FALSE_ALARMS or w.upper() in ignore
        for w in words
    )


def find_names(texts: Iterable[tuple[int, str]], ignore: Iterable[str] = ()) -> list[Finding]:
    """Possible person names in ``(line, text)`` pairs, as findings of kind ``name``.

    Args:
        texts: The text of each utterance with its first line in the source file.
        ignore: More words that are not names here (a project's own false alarms).
    """
    checker = name_checker()
    skip = frozenset(w.upper() for w in ignore)
    findings = []
    for line, text in texts:
        for annotation in checker.deidentify(text).annotations:
            if annotation.tag.startswith("pers") and not _is_excluded(annotation.text, skip):
                extra = text[: annotation.start_char].count("\n")
                findings.append(Finding(line + extra, "name", annotation.text))
    return sorted(set(findings), key=lambda f: (f.line, f.excerpt))


def find_names_in_document(document: Document, ignore: Iterable[str] = ()) -> list[Finding]:
    """:func:`find_names` over what people wrote in ``document`` (utterances, not headers)."""
    return find_names(((u.line, u.text) for u in document.utterances), ignore)
