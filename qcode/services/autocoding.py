"""``qcode autocode``: the codes a machine can apply exactly (Emoticons, Leestekens, Stiltes).

Idempotent: each run replaces the machine's previous codings of a document (coder ``auto``) and
never touches a person's.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from qcode.coding.autocode import AutocodeSettings, autocode_document
from qcode.services.project import Project, now
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import corpus


def settings_for(project: Project) -> AutocodeSettings:
    base = AutocodeSettings()
    changes: dict[str, object] = {}
    if project.settings.acronyms:
        changes["acronyms"] = base.acronyms | {a.upper() for a in project.settings.acronyms}
    if project.settings.typing_chars_per_minute > 0:
        changes["typing_chars_per_minute"] = project.settings.typing_chars_per_minute
    return dataclasses.replace(base, **changes) if changes else base  # type: ignore[arg-type]


def autocode(
    project: Project,
    documents: Sequence[str] | None = None,
    on_document: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Apply the automatic codes; returns the number of codings per code id."""
    settings = settings_for(project)
    with project.session() as session:
        keys = list(documents) if documents is not None else corpus.document_keys(session)
        known = set(codebook_store.code_row_ids(session))
    totals: dict[str, int] = {}
    for key in keys:
        with project.session() as session:
            doc = corpus.load_document(session, key)
            if doc is None:
                continue
            found = [c for c in autocode_document(doc, settings) if c.code in known]
            coding_store.replace_automatic(session, key, found, now())
        for c in found:
            totals[c.code] = totals.get(c.code, 0) + 1
        if on_document:
            on_document(key)
    return totals
