"""The ORM schema of a qcode project store.

Portable SQL only (SQLite and PostgreSQL): nothing dialect-specific lives here; engine set-up
(`engine.py`) is the one place that knows the backend. Every change to these tables needs an
Alembic migration in ``migrations/versions``; ``tests/storage/test_migrations.py`` checks
that the migrations produce exactly this metadata.

Codings and suggestion decisions are never deleted: removal sets ``deleted_at`` so that undo,
audit and "nothing lost, ever" hold, and so a concurrent editor of a removed coding can be told
what happened.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON}


class Setting(Base):
    """Project-wide settings that must be shared by all coders (blind mode, releases)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SourceFileRow(Base):
    """A file that was imported; its content hash makes re-imports idempotent.

    Named ``...Row`` like its neighbours so it is never confused with the domain value
    :class:`qcode.transcripts.sources.SourceFile` (a file about to be read).
    """

    __tablename__ = "source_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), index=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    fmt: Mapped[str] = mapped_column(String(20))
    imported_at: Mapped[datetime] = mapped_column(DateTime)
    n_documents: Mapped[int] = mapped_column(Integer, default=0)


class CaseRow(Base):
    __tablename__ = "cases"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    start: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(1000), default="")
    source_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("source_files.id"), nullable=True, index=True
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class UtteranceRow(Base):
    __tablename__ = "utterances"
    __table_args__ = (UniqueConstraint("document_id", "idx", name="uq_utterances_document_idx"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    idx: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(20))
    speaker: Mapped[str] = mapped_column(String(200))
    time: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    line: Mapped[int] = mapped_column(Integer, default=0)
    out_of_order: Mapped[bool] = mapped_column(Boolean, default=False)
    continued: Mapped[bool] = mapped_column(Boolean, default=False)
    quoted: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(500), default="")


class CodebookRow(Base):
    __tablename__ = "codebooks"
    __table_args__ = (UniqueConstraint("key", "version", name="uq_codebooks_key_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(String(1000), default="")
    groups: Mapped[dict[str, Any]] = mapped_column(default=dict)
    loaded_at: Mapped[datetime] = mapped_column(DateTime)


class CodeRow(Base):
    """A code; ``key`` is the stable id codings refer to (via the integer primary key)."""

    __tablename__ = "codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    codebook_id: Mapped[int] = mapped_column(ForeignKey("codebooks.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    group: Mapped[str] = mapped_column(String(100))
    unit: Mapped[str] = mapped_column(String(20))
    definition_en: Mapped[str] = mapped_column(Text, default="")
    definition_nl: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(20), default="#888888")
    hotkey: Mapped[str] = mapped_column(String(20), default="")
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    suggestible: Mapped[bool] = mapped_column(Boolean, default=False)
    exclusive: Mapped[str] = mapped_column(String(50), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    merged_into: Mapped[str | None] = mapped_column(String(100), nullable=True)
    """Key of the code this one was merged into; its codings were moved there."""


class CoderRow(Base):
    __tablename__ = "coders"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20), default="person")
    """person, auto (the machine), consensus (adjudicated), imported."""
    supervisor: Mapped[bool] = mapped_column(Boolean, default=False)
    created: Mapped[datetime] = mapped_column(DateTime)


class CodingRow(Base):
    __tablename__ = "codings"
    __table_args__ = (
        Index("ix_codings_document_coder", "document_id", "coder_id"),
        Index("ix_codings_code", "code_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(500), default="")
    created: Mapped[datetime] = mapped_column(DateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    """Bumped on every change; an edit naming an old version is refused (lost-update guard)."""
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestions.id"), nullable=True)
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("coders.id"), nullable=True)
    """For consensus codings: the supervisor who settled it."""
    undone_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    """For consensus codings: when the decision was taken back (the review queue's undo). An
    undone decision is kept, with ``deleted_at`` set too, so it counts nowhere but the audit
    trail still shows it; ``deleted_at`` alone means withdrawn (a decision against the code)."""
    undone_by: Mapped[int | None] = mapped_column(ForeignKey("coders.id"), nullable=True)
    """The supervisor who took the decision back."""
    undone_from: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """What the undone decision had been: ``kept`` or ``withdrawn`` (``deleted_at`` no longer tells)."""


class CodingEvent(Base):
    """One change a coder made, for undo/redo across sessions and an audit trail."""

    __tablename__ = "coding_events"
    __table_args__ = (Index("ix_coding_events_coder", "coder_id", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    coding_id: Mapped[int | None] = mapped_column(ForeignKey("codings.id"), nullable=True)
    """The coding changed (add, remove, and a memo on a coding); None for other memos."""
    memo_id: Mapped[int | None] = mapped_column(ForeignKey("memos.id"), nullable=True)
    """The memo changed (action ``memo``: ``before`` and ``after`` hold its texts)."""
    action: Mapped[str] = mapped_column(String(20))
    """add, remove, memo."""
    undone: Mapped[bool] = mapped_column(Boolean, default=False)
    undo_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Order in which the coder undid steps: redo takes the most recently undone first."""
    abandoned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """An undone step the coder can no longer redo, because they made a new change after it."""
    batch: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Steps made as one action (coding every search hit) share it; undo/redo takes them together."""
    at: Mapped[datetime] = mapped_column(DateTime)
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")


class MemoRow(Base):
    """A coder's memo on a coding, an utterance, a document, a case or a code (``kind``).

    Only the columns of its kind are set (``qcode.coding.memo``). One memo per coding; one per
    coder and place otherwise. Cleared memos keep their row with empty text, so undo can bring
    the text back; every edit is a ``coding_events`` step (``memo_id``).
    """

    __tablename__ = "memos"
    __table_args__ = (Index("ix_memos_coding", "coding_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    """coding, utterance, document, case, code."""
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True, nullable=True)
    utterance_idx: Mapped[int | None] = mapped_column(Integer, nullable=True)
    coding_id: Mapped[int | None] = mapped_column(ForeignKey("codings.id"), nullable=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    code_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id"), nullable=True)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    text: Mapped[str] = mapped_column(Text)
    created: Mapped[datetime] = mapped_column(DateTime)
    updated: Mapped[datetime] = mapped_column(DateTime)


class SuggestionRow(Base):
    """A machine suggestion for a document, made by one version of the rules."""

    __tablename__ = "suggestions"
    __table_args__ = (Index("ix_suggestions_document", "document_id", "rules_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id"))
    utterance_idx: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[float] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(String(200))
    explanation: Mapped[str] = mapped_column(Text)
    rules_version: Mapped[str] = mapped_column(String(80))
    created: Mapped[datetime] = mapped_column(DateTime)
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    """Set when a newer rules version no longer makes this suggestion."""
    model_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The learned model (``learned_models.version``) that made or confirmed it; None: rules only."""


class SuggestionDecision(Base):
    """A coder's accept/reject of a suggestion; pending means no row for that coder."""

    __tablename__ = "suggestion_decisions"
    __table_args__ = (
        UniqueConstraint("suggestion_id", "coder_id", name="uq_suggestion_decisions_sc"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"))
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id"))
    status: Mapped[str] = mapped_column(String(20))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
    coding_id: Mapped[int | None] = mapped_column(ForeignKey("codings.id"), nullable=True)


class SuggestionRun(Base):
    """Which rules version last produced a document's suggestions (to skip unchanged work)."""

    __tablename__ = "suggestion_runs"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    rules_version: Mapped[str] = mapped_column(String(80))
    run_at: Mapped[datetime] = mapped_column(DateTime)


class SearchIndex(Base):
    """A document's turns packed for search, and its lemmas once computed (both derived data).

    ``units`` holds per turn, in order, eight little-endian int64s (``storage.search``): index,
    start, end, role, speaker number (into ``speakers``), time (seconds since 1970, -1 if none),
    start and end of its quoted text (-1 if none). One row per document instead of reading
    every utterance row is what makes a search over 10,000 chats answer within a second.
    """

    __tablename__ = "search_index"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    units: Mapped[bytes] = mapped_column(LargeBinary)
    speakers: Mapped[str] = mapped_column(Text, default="")
    """The document's speaker labels, one per line, numbered from 0."""
    clean_edges: Mapped[bool] = mapped_column(Boolean, default=True)
    """Every turn and quote has white space or punctuation (no letter, digit, ``_`` or mark) on
    either side, so a pattern behaves at a turn's edges in the whole text as in the turn alone
    (``analysis.search.find_regex`` once scanned such texts whole). No longer read by the
    matcher: its whole-text scan drops every zero-width check (``relaxed_patterns``), so the
    edges do not matter. Still written, as the column is NOT NULL; a migration may drop it."""
    lemma_pipeline: Mapped[str | None] = mapped_column(String(200), nullable=True)
    """Which spaCy pipeline made ``lemma_line``; lemmas of another pipeline are recomputed."""
    lemma_line: Mapped[str | None] = mapped_column(Text, nullable=True)
    """``analysis.search.token_line``: turns then quoted texts, tokens as ``form|lemma``."""
    lemma_offsets: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    """Start and end of every token in the line, as little-endian int64 document offsets."""


class CodebookEditRow(Base):
    """One codebook edit made in the workbench (create, rename, recolour, move, merge).

    Kept so that any later session can undo it, newest first, and as the record of how the
    codebook changed: a merge's ``moved`` holds the ids of the codings it moved, which is what
    its undo moves back. Undoing sets ``undone_at``; nothing is deleted.
    """

    __tablename__ = "codebook_edits"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(100))
    """Stable id of the code changed (a merge: the code merged away)."""
    before: Mapped[str] = mapped_column(Text, default="")
    after: Mapped[str] = mapped_column(Text, default="")
    moved: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """``{"codings": [ids]}`` for a merge."""
    editor: Mapped[str] = mapped_column(String(100), default="")
    created: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class LearnedModelRow(Base):
    """A model learned from the team's codings (``qcode learn``), one row per version.

    ``model`` is the JSON of ``qcode.suggest.learn.LearnedModel`` (vocabulary, weights,
    neighbours): plain data, never a pickle, so loading a colleague's project runs no code.
    """

    __tablename__ = "learned_models"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created: Mapped[datetime] = mapped_column(DateTime)
    codebook_version: Mapped[str] = mapped_column(String(80))
    rules_version: Mapped[str] = mapped_column(String(80))
    coders: Mapped[list[str]] = mapped_column(JSON)
    codes: Mapped[list[str]] = mapped_column(JSON)
    """Stable ids of the codes the model learned."""
    units: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of the training units and their labels (``TrainingSet.digest``)."""
    learner: Mapped[str] = mapped_column(String(200))
    estimates: Mapped[dict[str, Any]] = mapped_column(JSON)
    """Per code: cross-validated precision of its learned suggestions, to hide weak codes."""
    model: Mapped[str] = mapped_column(Text)


class LearnFeatures(Base):
    """A document's learning units and their features (derived data, recomputed when stale).

    Parsing is most of what ``qcode learn`` costs; a document never changes after import, so
    its units are kept here, tagged with what made them (feature version, rules version and
    pipeline: ``key``), and a re-learn after more coding parses only new documents.
    """

    __tablename__ = "learn_features"
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200))
    units: Mapped[str] = mapped_column(Text)
    """JSON list of ``[turn, start, end, features, rule codes]`` (``suggest.learn.units_json``)."""
