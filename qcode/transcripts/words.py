"""The word-count rule, in one place so every figure (metrics, dominance, exports) agrees.

Rule: a word is a maximal run of letters or digits, optionally joined by an internal hyphen or
apostrophe (``m'n``, ``zo'n``, ``e-mail``, ``19:30`` counts as two: ``19`` and ``30``).
Punctuation, emoticons and emoji are not words. Quoted e-mail text is never passed in here, so
it never counts as the replier's words. This matches counting "words" in a word processor for
ordinary prose, which is how the study counted in Excel, while staying well defined for chat
spelling.
"""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[^\W_]+(?:['’\-][^\W_]+)*")


def count_words(text: str) -> int:
    """Number of words in ``text`` under the rule above."""
    return len(WORD_RE.findall(text))
