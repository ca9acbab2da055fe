"""Coding the hits of a search as one undoable action (``qcode search --code``, the search screen).

The hits come from :func:`qcode.services.search.search`; this module turns the chosen ones into
codings with origin "search" and the query in their detail, skips what the coder has coded
already, and stores them in one step of the coder's undo log
(:func:`qcode.storage.codings.add_codings`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER, Coding, Origin
from qcode.errors import QcodeError
from qcode.services.project import Project, now
from qcode.services.search import Hit, SearchRequest
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage.codings import CodingFilter

UNITS = ("match", "sentence", "utterance")
"""What a coded hit covers: the matched words, their sentence, or the whole turn."""


@dataclass
class CodeResult:
    """What coding the hits did."""

    added: int = 0
    already: int = 0
    """Hits (units) the coder had already coded with this code; not coded twice."""
    quoted: int = 0
    """Hits in quoted e-mail text, left uncoded."""
    coding_ids: list[int] = field(default_factory=list)


def choose(hits: Sequence[Hit], numbers: Sequence[int] | None) -> list[Hit]:
    """The hits with these numbers (all when None); refuses a number that is not a hit."""
    if numbers is None:
        return list(hits)
    wrong = [n for n in numbers if not 1 <= n <= len(hits)]
    if wrong:
        raise QcodeError(
            f"There is no hit {wrong[0]}: this search has {len(hits)} hit(s), numbered 1 to {len(hits)}.",
            title="No such hit",
        )
    by_number = {h.number: h for h in hits}
    return [by_number[n] for n in dict.fromkeys(numbers)]


def code_hits(
    project: Project,
    hits: Sequence[Hit],
    request: SearchRequest,
    code: str,
    coder: str,
    unit: str = "match",
) -> CodeResult:
    """Apply ``code`` to ``hits`` as one undoable action (origin "search", the query as detail).

    A hit whose unit the coder has already coded with this code (a coding of theirs covers
    it) is not coded again, so running the same search and code twice adds nothing. Hits in
    quoted e-mail text are never coded (quoted text is nobody's words).
    """
    coder = coder.strip()
    if not coder:
        raise QcodeError("Say who codes: --coder NAME (or set QCODE_CODER).", title="No coder")
    if coder in (AUTO_CODER, CONSENSUS_CODER):
        raise QcodeError(f"'{coder}' is reserved for qcode's own codings; code under your own name.")
    if unit not in UNITS:
        raise QcodeError(f"Unit '{unit}' is not one of {', '.join(UNITS)}.")
    result = CodeResult()
    spans: dict[tuple[str, int, int], None] = {}
    for hit in hits:
        if hit.quoted:
            result.quoted += 1
            continue
        start, end = {"match": (hit.start, hit.end), "sentence": hit.sentence, "utterance": hit.turn_span}[unit]
        spans.setdefault((hit.document, start, end))
    with project.session() as session:
        key = codebook_store.find_code(session, code).key
        documents = sorted({d for d, _, _ in spans})
        existing: dict[str, list[tuple[int, int]]] = {}
        if documents:
            for row in coding_store.coding_rows(
                session, CodingFilter(documents=documents, coders=[coder], codes=[key])
            ):
                existing.setdefault(str(row["document"]), []).append((int(row["start"]), int(row["end"])))
        new = []
        for document, start, end in spans:
            if any(s <= start and end <= e for s, e in existing.get(document, ())):
                result.already += 1
                continue
            new.append(Coding(document, start, end, key, coder, Origin.SEARCH, detail=request.describe()))
        result.coding_ids = coding_store.add_codings(session, new, now())
    result.added = len(result.coding_ids)
    return result
