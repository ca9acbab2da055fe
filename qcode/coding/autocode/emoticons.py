"""Find emoticons: ASCII faces (``:)``, ``;-)``, ``xD``, ``<3``, ``^^``) and Unicode emoji.

ASCII faces are matched with guards instead of bare alternatives, because the characters they
are made of are everyday punctuation (see docs/autocode.md for the full list and traps):

- no digit directly before a face: ``19:30`` and the ratio ``2:3`` hold ``:3`` but no cat face,
  and ``(19:30)`` holds no ``0)``-face because faces need eyes (``:``, ``;``, ``=``);
- a face ending in a letter or digit (``:D``, ``:P``, ``:3``, ``xD``) must not run on into a
  word (``op:Dinsdag``), and one starting with a letter (``xD``) must not start mid-word;
- ``:/`` and ``:\\`` need a non-word before them and no ``/`` after (``C:\\``, ``http://``);
- list markers (``a)``, ``1)``) and ``8)``-style faces are not matched at all;
- URLs and e-mail addresses are masked out before matching.

Unicode emoji come from the ``emoji`` package (``emoji.emoji_list``), minus typographic signs
below U+2600 written without the emoji selector (``©``, ``™``, ``‼``, arrows).
"""

from __future__ import annotations

import re

import emoji

from qcode.coding.autocode.masks import Span, is_masked, url_spans

_NOT_AFTER_DIGIT = r"(?<![0-9])"
_NOT_INTO_WORD = r"(?![^\W_])"

ASCII_EMOTICON_RE = re.compile(
    "|".join(
        (
            # eyes, optional nose or tear, a bracket mouth (repeatable: ":)))")
            _NOT_AFTER_DIGIT + r"[:;=][-'^]?(?:\)+|\(+|\]|\[|\||\*)",
            # eyes, optional nose, a letter or digit mouth that must not run into a word
            _NOT_AFTER_DIGIT + r"[:;=]-?(?:D+|P+|p+|O|o|3|S|\$|@)" + _NOT_INTO_WORD,
            # skeptical faces: not in paths or URLs
            r"(?<![\w:/\\])[:=]-?[/\\](?![/\\\w])",
            # letter faces: xD, XD, xP, XP
            r"(?<![^\W_])[xX][DP]+" + _NOT_INTO_WORD,
            # hearts and broken hearts
            r"(?<![0-9<])<\\?/?3+(?![0-9])",
            # eastern faces
            r"\^_?\^|\^-\^|-_-|>_<|T_T|[oO]_[oO]|;_;",
        )
    )
)
"""ASCII emoticons; alternatives are tried in order, longest forms first within each."""

_TYPOGRAPHIC_LIMIT = 0x2600
"""Below this code point a lone 'emoji' is a typographic sign (©, ™, ‼, ↔), not a face."""


def find_emoticons(text: str, masks: list[Span] | None = None) -> list[tuple[int, int, str]]:
    """(start, end, emoticon as written) for every emoticon in ``text``, in text order.

    Args:
        text: One utterance's text.
        masks: Extra spans to ignore, added to the URLs found here.
    """
    ignored = url_spans(text) + list(masks or [])
    hits: list[tuple[int, int, str]] = []
    for match in ASCII_EMOTICON_RE.finditer(text):
        if not is_masked(match.start(), match.end(), ignored):
            hits.append((match.start(), match.end(), match.group()))
    for found in emoji.emoji_list(text):
        start, end, glyph = found["match_start"], found["match_end"], found["emoji"]
        if len(glyph) == 1 and ord(glyph) < _TYPOGRAPHIC_LIMIT:
            continue
        if not is_masked(start, end, ignored):
            hits.append((start, end, glyph))
    return sorted(hits)
