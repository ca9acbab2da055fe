"""The optional name check over a project's stored documents (``qcode[deid]``, Deduce).

Names are reported as warnings for a person to look at, never as a refusal: unlike the
numbers the import's privacy gate refuses, a name has no form a program can be sure of (see
:mod:`qcode.transcripts.names` and docs/formats.md, "Optional name check").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from qcode.services.corpus import document_keys, get_document
from qcode.services.project import Project
from qcode.transcripts.names import find_names_in_document, name_checker


def find_personal_names(
    project: Project,
    cases: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    on_document: Callable[[str], None] | None = None,
) -> list[str]:
    """``document:line: possible name: ...`` for each name Deduce finds.

    Args:
        project: The project whose stored documents are read.
        cases: Only the documents of these cases (e.g. those an import just stored); None for
            every document.
        ignore: Words that are not names in this study.
        on_document: Called with each document key once it is checked (progress).

    Raises:
        QcodeError: Deduce is not installed.
    """
    name_checker()  # fail before reading anything when the library is missing
    keys = document_keys(project) if cases is None else [k for c in sorted(cases) for k in document_keys(project, c)]
    warnings: list[str] = []
    for key in keys:
        document = get_document(project, key)
        warnings.extend(
            f"{key}:{f.line}: possible name: {f.excerpt}" for f in find_names_in_document(document, ignore)
        )
        if on_document is not None:
            on_document(key)
    return warnings
