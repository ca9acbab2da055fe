"""Consensus decisions, kept and withdrawn, survive qcode -> .qdpx -> qcode (issue 18)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import xmlschema
from lxml import etree

from qcode.services import codings as coding_service
from qcode.services import consensus
from qcode.services import exchange as exchange_service
from qcode.services import team as team_service
from qcode.services.consensus import Decision
from qcode.services.project import init_project
from tests.factories import make_document, store

SCHEMA = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd"
TURNS = [
    ("counsellor", "19:00", "Hoi, waar wil je over praten?"),
    ("client", "19:01", "Het gaat niet goed thuis. Mijn ouders maken ruzie."),
]
COLUMNS = ["document", "code", "decision", "settled_by", "settled_at", "from", "memo", "start", "end"]


def test_decisions_travel_in_the_qdpx(tmp_path: Path) -> None:
    source = init_project(tmp_path / "team")
    store(source, make_document("a/chat", "a", TURNS))
    team_service.add_coder(source, "sup", supervisor=True)
    coding_service.add_coding(source, "a/chat", "Probleemanalyse", "anna", utterance=1)
    coding_service.add_coding(source, "a/chat", "Strategiebepaling", "bram", utterance=1)
    (item,) = consensus.review_items(source, ["anna", "bram"], viewer="sup")
    consensus.settle(source, item, Decision("coder", coder="bram", memo="plan gemaakt"), "sup")
    before = consensus.decisions(source, "sup")[COLUMNS]
    assert sorted(before["decision"]) == ["kept", "withdrawn"]  # one of each, as settled
    path = tmp_path / "team.qdpx"
    exchange_service.export_qdpx(source, path, viewer="sup")
    with zipfile.ZipFile(path) as archive:
        xmlschema.XMLSchema(str(SCHEMA)).validate(etree.fromstring(archive.read("project.qde")))
    copy = init_project(tmp_path / "copy")
    report = exchange_service.import_qdpx(copy, path)
    assert report.decisions == 2
    after = consensus.decisions(copy, "sup")[COLUMNS]
    key = ["document", "code", "decision"]
    assert after.sort_values(key).reset_index(drop=True).equals(before.sort_values(key).reset_index(drop=True))
    # the withdrawn decision is no coding: only the kept one counts as a consensus coding
    assert list(coding_service.list_codings(copy, coders=["consensus"])["code"]) == ["strategiebepaling"]
