"""Characters no store can hold, replaced in the reader where the line is still known.

Two characters reach a reader's output that a store refuses later, with an encoder error and
no line: a lone UTF-16 surrogate (U+D800 to U+DFFF: half of an emoji cut in two, from a JSON
``"\\ud800"``, a ``charset=utf-7`` or ``unicode_escape`` e-mail part), which UTF-8 cannot
encode, and NUL (U+0000), which PostgreSQL text cannot hold. Neither is a character anyone
wrote, so each is replaced by U+FFFD (the replacement character) and the file's warnings name
the line; the file is imported. One code point replaces one, so every offset stays valid.
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import chain
from operator import attrgetter
from pathlib import Path

from qcode.transcripts.model import Case, Document, Utterance
from qcode.transcripts.result import ReadResult

_UNSTORABLE_RE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"
UNSTORABLE_NOTE = (
    "a character no database can store (NUL, or a lone UTF-16 surrogate such as half an "
    "emoji) was replaced by U+FFFD"
)
"""The warning's text after ``file:line: ``."""


def replace_unstorable(text: str) -> str:
    """``text`` with NUL and lone surrogates replaced by U+FFFD; ``text`` itself if none."""
    if not _holds_unstorable(text):
        return text
    return _UNSTORABLE_RE.sub(REPLACEMENT, text)


def _holds_unstorable(text: str) -> bool:
    """Whether ``text`` holds NUL or a lone surrogate; four times faster than the regex.

    ``"\x00" in`` is a memchr; ``isascii`` is a flag CPython keeps; only UTF-8 encoding can
    fail on a surrogate, and it runs in C at memory speed.
    """
    if "\x00" in text:
        return True
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _has_unstorable(document: Document, sliced: bool = False) -> bool:
    """Whether any string of the document that reaches the store holds such a character.

    Two checks in C (the text, then every other string joined), no Python loop per turn: the
    import runs this on every document, and almost none holds such a character. With
    ``sliced`` every utterance string is a piece of the text, so the text covers them.
    """
    if _holds_unstorable(document.text):
        return True
    utterances = () if sliced else document.utterances
    attributes = document.attributes
    others = "".join({  # a set: a chat's hundred turns have two or three speakers
        document.key, document.case_key, document.source, *attributes.keys(),
        *attributes.values(), *map(_SPEAKER, utterances), *map(_QUOTED, utterances),
        *map(_SUBJECT, utterances),
    })
    return _holds_unstorable(others)


_SPEAKER, _QUOTED, _SUBJECT = attrgetter("speaker"), attrgetter("quoted"), attrgetter("subject")


def _case_has_unstorable(case: Case) -> bool:
    joined = "".join(chain((case.key,), case.attributes.keys(), case.attributes.values()))
    return _holds_unstorable(joined)


def _line_of(document: Document, verbatim: bool) -> int | None:
    """Source line of the first replaced character: exact for verbatim text, else its turn's."""
    found = _UNSTORABLE_RE.search(document.text)
    if found is None:  # only in a key, attribute or speaker: the first turn's line
        lines = [u.line for u in document.utterances if u.line]
        return lines[0] if lines else None
    position = found.start()
    if verbatim:
        return document.text.count("\n", 0, position) + 1
    line = None
    for utterance in document.utterances:
        if utterance.start > position:
            break
        line = utterance.line or line
    if line is None:
        lines = [u.line for u in document.utterances if u.line]
        line = lines[0] if lines else None
    return line


def _clean_utterance(utterance: Utterance) -> Utterance:
    return utterance._replace(
        speaker=replace_unstorable(utterance.speaker),
        text=replace_unstorable(utterance.text),
        quoted=replace_unstorable(utterance.quoted),
        subject=replace_unstorable(utterance.subject),
    )


def _clean_document(document: Document) -> Document:
    return replace(
        document,
        key=replace_unstorable(document.key),
        case_key=replace_unstorable(document.case_key),
        text=replace_unstorable(document.text),
        source=replace_unstorable(document.source),
        utterances=tuple(map(_clean_utterance, document.utterances)),
        attributes={
            replace_unstorable(k): replace_unstorable(v) for k, v in document.attributes.items()
        },
    )


def _clean_case(case: Case) -> Case:
    return Case(
        replace_unstorable(case.key),
        {replace_unstorable(k): replace_unstorable(v) for k, v in case.attributes.items()},
    )


def clean_result(
    result: ReadResult, path: str | Path, verbatim: bool = False, sliced: bool = False
) -> ReadResult:
    """Replace what no store holds in every document and case, with a warning per document.

    Args:
        result: What a reader returned.
        path: The file, named in the warnings.
        verbatim: The document text is the file's text (chat), so the warning's line is exact;
            otherwise it is the line of the turn (message, row) holding the character.
        sliced: Every string of every utterance (text, speaker, quoted text, subject) is a
            piece of its document's text or empty, as the chat reader cuts them, so checking
            the text checks them too (a walk over every turn less: docs/benchmarks.md, Import).

    Returns:
        ``result`` itself when nothing had to be replaced (the common case: one regex scan
        per document string), else a copy with the characters replaced and warnings added.
    """
    dirty = [d for d in result.documents if _has_unstorable(d, sliced)]
    dirty_cases = [c for c in result.cases if _case_has_unstorable(c)]
    if not dirty and not dirty_cases:
        return result
    warnings = list(result.warnings)
    for document in dirty:
        line = _line_of(document, verbatim)
        where = f"{path}:{line}" if line is not None else str(path)
        warnings.append(f"{where}: {UNSTORABLE_NOTE}")
    if dirty_cases and not dirty:
        warnings.append(f"{path}: {UNSTORABLE_NOTE} (in a case name or attribute)")
    dirty_ids = {id(d) for d in dirty} | {id(c) for c in dirty_cases}
    return ReadResult(
        tuple(_clean_case(c) if id(c) in dirty_ids else c for c in result.cases),
        tuple(_clean_document(d) if id(d) in dirty_ids else d for d in result.documents),
        tuple(warnings),
    )
