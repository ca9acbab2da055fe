"""Conversation measures for the CLI and the workbench (computed in qcode.analysis.measures)."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from qcode.analysis.measures import case_measures, document_measures, gaps_minutes
from qcode.errors import QcodeError
from qcode.services.frames import documents_frame, utterances_frame
from qcode.services.project import Project
from qcode.storage import corpus

ROLES = ("counsellor", "client", "system")


def _documents_for(project: Project, target: str | None) -> list[str] | None:
    """None for all; a document key; or every document of a case key."""
    if target is None:
        return None
    with project.session() as session:
        if corpus.document_id(session, target) is not None:
            return [target]
        if corpus.case_exists(session, target):
            return corpus.document_keys(session, target)
    raise QcodeError(f"No document or case '{target}' in this project (see: qcode cases).")


def _clean(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        return value.item()
    return value


def metrics_records(project: Project, target: str | None = None) -> list[dict[str, Any]]:
    """One JSON-ready object per document; the shape is documented in README ('qcode metrics')."""
    docs = _documents_for(project, target)
    with project.session() as session:
        utts = utterances_frame(session, docs)
        documents = documents_frame(session, docs)
    measures = document_measures(utts, documents).set_index("document")
    records: list[dict[str, Any]] = []
    for row in documents[["document", "case", "channel", "source"]].to_dict("records"):
        key = str(row["document"])
        mine = utts[utts["document"] == key]
        m = measures.loc[key]
        record: dict[str, Any] = {
            "document": key,
            "case": row["case"],
            "channel": row["channel"],
            "source": row["source"],
            "utterances": {r: int((mine["role"] == r).sum()) for r in ROLES},
            "words": {r: int(mine.loc[mine["role"] == r, "words"].sum()) for r in ROLES},
            "first_time": _clean(m.get("first_time")),
            "last_time": _clean(m.get("last_time")),
            "duration_minutes": _clean(m.get("duration_minutes")),
            "gaps_minutes": [_clean(g) for g in gaps_minutes(mine)],
        }
        for column, value in m.items():
            if column not in record and column not in ("case", "channel", "first_time", "last_time"):
                record[str(column)] = _clean(value)
        records.append(record)
    return records


def metrics_table(project: Project, target: str | None = None, by: str = "document") -> pd.DataFrame:
    """The measures as a flat table, per document or per case."""
    docs = _documents_for(project, target)
    with project.session() as session:
        utts = utterances_frame(session, docs)
        documents = documents_frame(session, docs)
    if by == "case":
        return case_measures(utts, documents)
    return document_measures(utts, documents)
