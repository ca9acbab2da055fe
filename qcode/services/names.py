"""Refusing names the project does not have, with the closest ones it does have.

Every command that takes a code, coder, document, case or group name checks it here before
it filters anything, because a filter on a misspelt name is silently empty: ``export --code
"Open vrag"`` used to write empty tables and exit 0. The hint itself is
:class:`qcode.errors.UnknownNameError` (rapidfuzz over the names given to it); this module only
fetches the project's names. Codes are also checked wherever they are resolved
(``storage.codebooks.find_code``), so the same refusal reaches the workbench.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER
from qcode.errors import QcodeError, UnknownNameError
from qcode.services.project import Project
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store
from qcode.storage import corpus
from qcode.storage import search as index_store


def _missing(names: Iterable[str], known: set[str]) -> str | None:
    return next((name for name in names if name not in known), None)


def check_names(
    project: Project,
    *,
    codes: Iterable[str] = (),
    coders: Iterable[str] = (),
    documents: Iterable[str] = (),
    cases: Iterable[str] = (),
    groups: Iterable[str] = (),
    cases_or_documents: Iterable[str] = (),
) -> None:
    """Raise :class:`UnknownNameError` for the first name the project does not have.

    Codes match by stable id or by label, ignoring case, as everywhere else; coders,
    documents, cases and groups match exactly.
    """
    with project.session() as session:
        check_in_session(
            session, codes=codes, coders=coders, documents=documents, cases=cases, groups=groups,
            cases_or_documents=cases_or_documents,
        )


def check_in_session(
    session: Session,
    *,
    codes: Iterable[str] = (),
    coders: Iterable[str] = (),
    documents: Iterable[str] = (),
    cases: Iterable[str] = (),
    groups: Iterable[str] = (),
    cases_or_documents: Iterable[str] = (),
) -> None:
    """:func:`check_names` inside a session a service already holds."""
    for code in codes:
        codebook_store.find_code(session, code)
    coders = list(coders)
    if coders:
        known = {coder.name for coder in coding_store.coder_names(session)}
        known |= {AUTO_CODER, CONSENSUS_CODER}  # qcode's own, there before their first coding
        if (name := _missing(coders, known)) is not None:
            raise UnknownNameError("coder", name, known, see="qcode coders")
    documents, cases, both = list(documents), list(cases), list(cases_or_documents)
    document_keys = set(corpus.document_keys(session)) if documents or both else set()
    case_keys = {c.key for c in corpus.list_cases(session)} if cases or both else set()
    if (name := _missing(documents, document_keys)) is not None:
        raise UnknownNameError("document", name, document_keys, see="qcode cases, qcode show CASE")
    if (name := _missing(cases, case_keys)) is not None:
        raise UnknownNameError("case", name, case_keys, see="qcode cases")
    if (name := _missing(both, case_keys | document_keys)) is not None:
        raise UnknownNameError("case or document", name, case_keys | document_keys, see="qcode cases")
    groups = list(groups)
    if groups:
        known = set(codebook_store.code_groups(session))
        if (name := _missing(groups, known)) is not None:
            raise UnknownNameError("code group", name, known, see="qcode codes list")


def require_registered_coder(project: Project, coder: str) -> None:
    """Refuse to code as a person the project has not registered (exit 2, the near names).

    A typo (``--coder ana``) would otherwise start a second identity whose codings count as
    another coder's in every agreement figure. Registering is explicit: ``qcode coders --add``,
    or the workbench's coder picker.
    """
    with project.session() as session:
        people = {c.name for c in coding_store.coder_names(session) if c.kind == "person"}
    if coder.strip() not in people:
        raise UnknownNameError(
            "coder", coder, people, see=f"register a new coder with: qcode coders --add {coder}"
        )


def check_attributes(session: Session, where: Sequence[tuple[str, str]]) -> None:
    """A ``--where`` filter that matched nothing: refuse an unknown attribute name (a typo)
    and name the known ones, for search and fragments alike."""
    names = index_store.attribute_names(session)
    unknown = [name for name, _ in where if name.lower() not in names]
    if unknown:
        raise QcodeError(
            f"No document or case has the attribute '{unknown[0]}'. Known: {', '.join(sorted(names))}.",
            title="Unknown attribute",
        )
