"""A user's regular expression without its zero-width checks, to scan whole texts with.

:func:`qcode.analysis.search.find_regex` searches each turn on its own, so that ``^``, ``$``
and look-arounds mean what they mean for one turn. A call per turn is slow (700,000 turns in
10,000 chats), so the pattern minus its zero-width checks first scans each document's whole
text, and only the turns it touches are searched with the real pattern
(:func:`qcode.analysis.search.find_in_spans`). The rewrite is judged on the pattern's text,
piece by piece (escapes and character classes kept whole), erring on the safe side: whatever
it cannot vouch for is left to the turn-by-turn search.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

import regex

_ZERO_WIDTH_ESCAPES = set("AZzbBGmM")
"""``\\A \\Z \\z \\b \\B \\G`` and ``regex``'s ``\\m \\M`` (word start and end): checks, no characters."""
_UNSAFE_ESCAPES = set("123456789gkKL")
"""Back-references (``\\1``, ``\\g<1>``, ``\\k<n>``), ``\\K`` and named lists: left turn by turn."""
_BRACED_ESCAPES = set("pPNxuUo")
"""Escapes that may take a ``{...}`` argument (``\\p{L}``, ``\\N{...}``, ``\\x{e9}``)."""
_LOOK_AROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_UNSAFE_GROUPS = ("(?(", "(?R", "(?&", "(?P>", "(?P=", "(?+", "(*")
"""Conditionals, recursion, back-references and verbs: left turn by turn."""
_FLAGS_GROUP = regex.compile(r"\(\?\^?([a-zA-Z]*)(?:-([a-zA-Z]*))?[:)]")
_QUANTIFIER = regex.compile(r"[*+?]|\{\d*,?\d*\}")


MAX_BRANCHES = 8
"""A relaxed pattern of up to this many alternatives is scanned for one alternative at a time."""


def _tokens(text: str) -> Iterator[tuple[int, int]]:
    """(start, length) of each piece of a pattern: an escape, a character class or one character.

    Raises:
        ValueError: for a nested set (``VERSION1`` syntax), which is not judged here.
    """
    i = 0
    while i < len(text):
        size = 1
        if text[i] == "\\":
            size = 2
            if text[i + 1 : i + 2] in _BRACED_ESCAPES and text.startswith("{", i + 2) and "}" in text[i:]:
                size = text.index("}", i) + 1 - i
        elif text[i] == "[":
            j = i + 1 + (text[i + 1 : i + 2] == "^")
            j += text[j : j + 1] == "]"
            while j < len(text) and text[j] != "]":
                if text[j] == "\\":
                    j += 1
                elif text.startswith("[:", j) and ":]" in text[j:]:
                    j = text.index(":]", j) + 1
                elif text[j] == "[":
                    raise ValueError("nested set")
                j += 1
            size = j + 1 - i
        yield i, size
        i += size


def _branches(text: str) -> list[str]:
    """The top-level alternatives of a pattern, looking inside one group that spans it all."""
    depth, cuts, closes = 0, [], []
    for i, size in _tokens(text):
        c = text[i : i + size]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                closes.append(i)
        elif c == "|" and depth == 0:
            cuts.append(i)
    if cuts:
        bounds = [-1, *cuts, len(text)]
        return [text[a + 1 : b] for a, b in pairwise(bounds)]
    if closes == [len(text) - 1] and (text.startswith("(?:") or (text.startswith("(") and not text.startswith("(?"))):
        return _branches(text[3 if text.startswith("(?:") else 1 : -1])
    return [text]


def relaxed_patterns(pattern: regex.Pattern[str]) -> list[regex.Pattern[str]] | None:
    """The pattern with every zero-width check dropped, to scan a document's whole text with.

    Dropped: ``^``, ``$``, ``\\b``, ``\\B``, ``\\A``, ``\\Z``, ``\\z``, ``\\G``, ``\\m``, ``\\M``
    and look-arounds (character classes are copied whole: ``[^a]``, ``[\\b]``). What is left
    consumes the same characters wherever they stand, so it matches at least wherever the
    pattern matches within a turn, whatever surrounds the turn, and
    :func:`qcode.analysis.search.find_in_spans`
    then finds every turn with a hit in one scan of the text. An alternation (``examens?|school``)
    comes back as one pattern per alternative (up to :data:`MAX_BRANCHES`): the ``regex``
    engine finds a pattern that starts with a literal by a fast literal search, but tries an
    alternation at every position, eight times slower here than two literal scans.

    None (search turn by turn) where that cannot be promised or judged from the pattern's
    text: back-references, conditionals, recursion, verbs, comments, ``\\K``, fuzzy matching,
    verbose (``x``) or reverse (``r``) mode, ``VERSION1``, a quantifier on a dropped check, or
    a relaxed pattern that matches empty text.
    """
    if pattern.flags & (regex.VERBOSE | regex.REVERSE | regex.VERSION1):
        return None
    try:
        relaxed = _relaxed_text(pattern.pattern)
    except _Unsafe:
        return None
    branches = _branches(relaxed)
    try:
        compiled = [regex.compile(b, pattern.flags) for b in (branches if len(branches) <= MAX_BRANCHES else [relaxed])]
    except regex.error:
        return None
    return None if any(p.fullmatch("") is not None for p in compiled) else compiled


class _Unsafe(Exception):
    """A part of the pattern that relaxing cannot promise to keep (the pattern is searched turn by turn)."""


def _relaxed_text(text: str) -> str:
    """The pattern's text without its zero-width checks (raises :class:`_Unsafe`)."""
    try:
        pieces = list(_tokens(text))
    except ValueError as error:
        raise _Unsafe from error
    out: list[str] = []
    groups: list[bool] = []
    """One entry per open group: True for a dropped look-around."""
    dropping = 0
    for i, size in pieces:
        if text[i] == "(" and size == 1:
            look = _opens_look_around(text, i)
            groups.append(look)
            dropping += look
            keep = not look
        elif text[i] == ")" and groups and groups.pop():
            dropping -= 1
            _refuse_quantified(text, i + 1)
            keep = False
        else:
            keep = _kept(text, i)
        if keep and not dropping:
            out.append(text[i : i + size])
    return "".join(out)


def _refuse_quantified(text: str, at: int) -> None:
    """A quantifier on a dropped check (``\\b+``, ``(?=a)*``) changes what the rest may match."""
    if _QUANTIFIER.match(text, at):
        raise _Unsafe


def _opens_look_around(text: str, i: int) -> bool:
    """Whether the group opening at ``i`` is a look-around (dropped); unsafe groups raise."""
    if text.startswith(_UNSAFE_GROUPS, i) or text.startswith("(?#", i):
        raise _Unsafe
    flags = _FLAGS_GROUP.match(text, i)
    if flags is not None and {"x", "r", "V"} & set((flags.group(1) or "") + (flags.group(2) or "")):
        raise _Unsafe
    return text.startswith(_LOOK_AROUNDS, i)


def _kept(text: str, i: int) -> bool:
    """Whether the token at ``i`` (not a group's bracket) is kept: False for a dropped check."""
    c = text[i]
    if c == "\\":
        letter = text[i + 1 : i + 2]
        if letter in _UNSAFE_ESCAPES:
            raise _Unsafe
        if letter in _ZERO_WIDTH_ESCAPES:
            _refuse_quantified(text, i + 2)
            return False
        return True
    if c in "^$":
        _refuse_quantified(text, i + 1)
        return False
    if c == "{" and not _QUANTIFIER.match(text, i):
        raise _Unsafe  # fuzzy matching ({e<=1}) or a brace the engine reads some other way
    return True


def start_anchored(pattern: regex.Pattern[str]) -> bool:
    """True when every match of ``pattern`` must start where the searched text starts.

    That is: after any leading inline flags (``(?i)``), the pattern begins with ``^`` or
    ``\\A``, has no top-level alternative that could start elsewhere, and ``^`` does not mean
    "after any line break" (no MULTILINE). Then, searching each turn on its own, only turns whose
    first character a relaxed match covers can hold a hit (:func:`qcode.analysis.search.find_in_spans`).
    Erring on the safe side: whatever is not plainly of that form is False.
    """
    if pattern.flags & regex.MULTILINE:
        return False
    text = pattern.pattern
    if len(_branches(text)) != 1:
        return False
    at = 0
    while (flags := _FLAGS_GROUP.match(text, at)) is not None and flags.group(0).endswith(")"):
        at = flags.end()
    return text.startswith("^", at) or text.startswith("\\A", at)
