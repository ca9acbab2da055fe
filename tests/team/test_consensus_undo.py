"""Undo in the review queue is recorded in the audit trail, never erased (issue 17).

A supervisor who takes a decision back must be able to show afterwards that the decision was
made, by whom, and who took it back when. These tests run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from qcode.services import codings as coding_service
from qcode.services import consensus
from qcode.services import exchange as exchange_service
from qcode.services import tables as table_service
from qcode.services import team as team_service
from qcode.services.consensus import Decision
from qcode.services.project import Project, init_project
from qcode.storage import decisions as decision_store
from qcode.transcripts.model import Case
from tests.factories import make_document, store

TURNS = [
    ("counsellor", "19:00", "Hoi, waar wil je over praten?"),
    ("client", "19:01", "Het gaat niet goed thuis. Mijn ouders maken ruzie."),
    ("counsellor", "19:02", "Wat vervelend. Hoe lang is dat al zo?"),
]


@pytest.fixture
def team(tmp_path: Path, backend_url: str) -> Iterator[Project]:
    project = init_project(tmp_path / "team", database=backend_url)
    store(project, make_document("a/chat", "a", TURNS), cases=(Case("a", {}),))
    team_service.add_coder(project, "sup", supervisor=True)
    coding_service.add_coding(project, "a/chat", "Probleemanalyse", "anna", utterance=1)
    coding_service.add_coding(project, "a/chat", "Strategiebepaling", "bram", utterance=1)
    yield project
    project.close()


def _live_consensus(project: Project) -> list[str]:
    return sorted(coding_service.list_codings(project, coders=["consensus"])["code"])


def test_an_undone_decision_stays_in_the_trail_marked_undone_and_counts_nowhere(team: Project) -> None:
    (item,) = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    done = consensus.settle(team, item, Decision("coder", coder="bram", memo="plan gemaakt"), "sup")
    assert _live_consensus(team) == ["strategiebepaling"]

    assert consensus.undo_decision(team, done, "sup") == 2  # the kept and the withdrawn code
    assert _live_consensus(team) == []
    # The unit is open again, so the same item comes back to the queue.
    (again,) = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    assert sorted(again["codes"]) == ["probleemanalyse", "strategiebepaling"]  # type: ignore[call-overload]

    trail = consensus.decisions(team, viewer="sup").set_index("code")
    assert set(trail["decision"]) == {"undone"}
    kept, dropped = trail.loc["Strategiebepaling"], trail.loc["Probleemanalyse"]
    assert (kept["was"], dropped["was"]) == ("kept", "withdrawn")
    for row in (kept, dropped):
        assert row["settled_by"] == "sup" and row["undone_by"] == "sup" and row["memo"] == "plan gemaakt"
        assert pd.Timestamp(row["undone_at"]) >= pd.Timestamp(row["settled_at"])
    # Undoing twice changes nothing: the first undo's who and when stay.
    assert consensus.undo_decision(team, done, "sup") == 0


def test_a_new_decision_after_an_undo_is_kept_beside_the_undone_one(team: Project) -> None:
    (item,) = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    consensus.undo_decision(team, consensus.settle(team, item, Decision("coder", coder="bram"), "sup"), "sup")
    (item,) = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    consensus.settle(team, item, Decision("coder", coder="anna"), "sup")
    assert _live_consensus(team) == ["probleemanalyse"]
    assert consensus.review_items(team, ["anna", "bram"], viewer="sup") == []
    trail = consensus.decisions(team, viewer="sup")
    got = sorted(zip(trail["code"], trail["decision"], trail["was"], strict=True))
    assert got == [
        ("Probleemanalyse", "kept", ""),
        ("Probleemanalyse", "undone", "withdrawn"),
        ("Strategiebepaling", "undone", "kept"),
        ("Strategiebepaling", "withdrawn", ""),
    ]


def test_undo_touches_only_consensus_decisions(team: Project) -> None:
    anna = int(coding_service.list_codings(team, coders=["anna"])["id"].iloc[0])
    with team.session() as session:
        assert decision_store.undo_decisions(session, [anna], "sup", pd.Timestamp.now().to_pydatetime()) == 0
    assert len(coding_service.list_codings(team, coders=["anna"])) == 1
    assert consensus.decisions(team, viewer="sup").empty


def test_the_exported_trail_shows_undone_decisions_as_undone(team: Project, tmp_path: Path) -> None:
    (item,) = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    consensus.undo_decision(team, consensus.settle(team, item, Decision("coder", coder="bram"), "sup"), "sup")
    book = tmp_path / "out.xlsx"
    table_service.export_tables(team, "xlsx", book, flt=table_service.ExportFilter(coders=["consensus"]), viewer="sup")
    rows = list(openpyxl.load_workbook(book)["consensus_decisions"].values)
    header = list(rows[0])
    got = sorted(
        (r[header.index("code")], r[header.index("decision")], r[header.index("was")], r[header.index("undone_by")])
        for r in rows[1:]
    )
    assert got == [("Probleemanalyse", "undone", "withdrawn", "sup"), ("Strategiebepaling", "undone", "kept", "sup")]
    assert all(r[header.index("undone_at")] is not None for r in rows[1:])
    # the second turn (index 1), numbered as people count it, as in qcode show
    assert "utterance" not in header
    assert {(r[header.index("turn")], r[header.index("index")]) for r in rows[1:]} == {(2, 1)}

    qdpx = tmp_path / "out.qdpx"
    exchange_service.export_qdpx(team, qdpx, viewer="sup")
    with zipfile.ZipFile(qdpx) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert "a/chat #2: Strategiebepaling kept by sup at " in qde
    assert "a/chat #2: Probleemanalyse withdrawn by sup at " in qde
    assert qde.count("; undone by sup at ") == 2
