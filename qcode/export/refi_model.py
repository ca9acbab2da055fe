"""Domain values exchanged with other QDA tools through REFI-QDA files.

The services build an :class:`ExchangeProject` from the store for an export, and store the
:class:`ImportedProject` that an import returns; the REFI modules never touch the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from qcode.codebook.model import Codebook
from qcode.coding.memo import Memo
from qcode.coding.model import Coding
from qcode.export.import_tally import ImportTally
from qcode.transcripts.model import Case, Document, Role
from qcode.transcripts.roles import ROLE_LABELS

SPEAKER_GROUP = "Sprekers"
"""Name of the REFI code group that carries speaker roles; never an ordinary qcode code."""

SPEAKER_CODES: dict[Role, str] = ROLE_LABELS
"""Speaker code label per role, in the study's Dutch (the one list, ``ROLE_LABELS``)."""

SPEAKER_USER = "qcode"
"""REFI user that owns the speaker codings (they are structure, not any coder's judgement)."""


@dataclass(frozen=True)
class Settled:
    """One consensus decision: the consensus coding, who settled it, and whether it withdrew
    the code (a withdrawn decision is no coding, but remembers that the unit was settled)."""

    coding: Coding
    settled_by: str
    withdrawn: bool = False


@dataclass(frozen=True)
class ExchangeProject:
    """Everything a ``.qdpx`` carries: codebook, cases, documents, codings and coders."""

    name: str
    codebook: Codebook
    cases: tuple[Case, ...]
    documents: tuple[Document, ...]
    """With ``text`` and ``utterances``; utterance roles are exported as speaker codings."""
    codings: tuple[Coding, ...]
    coders: tuple[str, ...]
    """Coder names; each becomes a REFI ``User``."""
    created: datetime
    notes: tuple[tuple[str, str], ...] = ()
    """Further project notes as (name, plain text), e.g. the consensus decisions' audit trail."""
    decisions: tuple[Settled, ...] = ()
    """Every consensus decision, kept and withdrawn; kept ones are also in ``codings``. They
    travel in the ``qcode metadata`` note (REFI has no decisions)."""
    memos: tuple[Memo, ...] = ()
    """Memos on codings, turns, documents, cases, codes and the project (``export.refi_notes``)."""


@dataclass(frozen=True)
class ImportedProject:
    """A REFI project read back into qcode values, with what could not be brought in.

    ``project.documents`` holds one Document per TextSource (channel chat unless a variable
    named ``channel`` says email; turns from the ``qcode metadata`` note, else rebuilt from
    the speaker codings, else none). Documents whose text is not in the file have ``text=""``
    and are listed in ``missing_sources``; their codings are returned too, and the importer
    skips them with a warning.
    """

    project: ExchangeProject
    missing_sources: tuple[str, ...]
    """``"name (path)"`` of every source whose text is not inside the file."""
    warnings: tuple[str, ...]
    tally: ImportTally = field(default_factory=ImportTally)
    """What was left out (or kept in another form), counted per kind."""
    rebuilt: tuple[str, ...] = ()
    """Keys of documents whose turns were rebuilt from speaker codings (no metadata note)."""
