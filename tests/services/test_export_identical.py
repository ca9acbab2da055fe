"""Two exports of an unchanged project are byte-identical (docs/exports.md says so)."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from qcode.services import codings as coding_service
from qcode.services import exchange as exchange_service
from qcode.services.project import Project
from tests.factories import make_document, store

SCHEMA = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd"


def test_two_qdpx_exports_are_identical_whatever_the_clock(
    sqlite_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = make_document("c1/chat", "c1", [("client", "19:03", "hoi"), ("counsellor", "19:04", "Fijn!")])
    store(sqlite_project, doc)
    coding_service.add_coding(sqlite_project, "c1/chat", "Open vraag", "anna", utterance=0)
    created = coding_service.list_codings(sqlite_project)["created"].max().to_pydatetime()
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    monkeypatch.setattr(exchange_service, "now", lambda: datetime(2030, 1, 1, 12, 0))
    exchange_service.export_qdpx(sqlite_project, first)
    monkeypatch.setattr(exchange_service, "now", lambda: datetime(2031, 6, 1, 8, 30))
    exchange_service.export_qdpx(sqlite_project, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        stamps = {info.date_time for info in archive.infolist()}
        xml = archive.read("project.qde")
    xmlschema.XMLSchema(str(SCHEMA)).validate(etree.fromstring(xml))
    # the time stamps are the latest coding's time, not the export's (a zip stores even
    # seconds only)
    assert stamps == {created.replace(second=created.second // 2 * 2).timetuple()[:6]}
    assert etree.fromstring(xml).get("creationDateTime") == created.isoformat()
