"""Learned models in the project store: each ``qcode learn`` adds a version; the newest is used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from qcode.storage.schema import DocumentRow, LearnedModelRow, LearnFeatures


@dataclass(frozen=True)
class StoredModel:
    """A learned model's record; ``model`` is its JSON (``LearnedModel.from_json``)."""

    version: int
    created: datetime
    codebook_version: str
    rules_version: str
    coders: list[str]
    codes: list[str]
    units: int
    digest: str
    learner: str
    estimates: dict[str, Any]
    model: str


def save_model(session: Session, record: StoredModel) -> int:
    """Store a new version (one more than the newest); returns it."""
    version = (session.scalar(select(func.max(LearnedModelRow.version))) or 0) + 1
    session.add(
        LearnedModelRow(
            version=version,
            created=record.created,
            codebook_version=record.codebook_version,
            rules_version=record.rules_version,
            coders=list(record.coders),
            codes=list(record.codes),
            units=record.units,
            digest=record.digest,
            learner=record.learner,
            estimates=dict(record.estimates),
            model=record.model,
        )
    )
    session.flush()
    return version


def _record(row: LearnedModelRow) -> StoredModel:
    return StoredModel(
        row.version, row.created, row.codebook_version, row.rules_version, list(row.coders),
        list(row.codes), row.units, row.digest, row.learner, dict(row.estimates), row.model,
    )


def latest_model(session: Session) -> StoredModel | None:
    row = session.scalars(select(LearnedModelRow).order_by(LearnedModelRow.version.desc())).first()
    return None if row is None else _record(row)


def model_versions(session: Session) -> list[StoredModel]:
    """Every stored version, oldest first."""
    return [_record(r) for r in session.scalars(select(LearnedModelRow).order_by(LearnedModelRow.version))]


def cached_units(session: Session, documents: list[str], key: str) -> dict[str, str]:
    """Document key → stored units JSON, for documents whose units were made under ``key``."""
    if not documents:
        return {}
    rows = session.execute(
        select(DocumentRow.key, LearnFeatures.units)
        .join(LearnFeatures, LearnFeatures.document_id == DocumentRow.id)
        .where(DocumentRow.key.in_(documents), LearnFeatures.key == key)
    )
    return {document: units for document, units in rows}


def store_units(session: Session, document: str, key: str, units: str) -> None:
    doc_id = session.scalar(select(DocumentRow.id).where(DocumentRow.key == document))
    if doc_id is None:
        return
    row = session.get(LearnFeatures, doc_id)
    if row is None:
        session.add(LearnFeatures(document_id=doc_id, key=key, units=units))
    else:
        row.key, row.units = key, units
    session.flush()
