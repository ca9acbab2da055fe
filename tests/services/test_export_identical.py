"""Two exports of an unchanged project are byte-identical (docs/exports.md says so)."""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from qcode.services import coding, exports
from qcode.services.project import Project
from tests.factories import make_document, store

SCHEMA = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd"


def test_two_qdpx_exports_are_identical_whatever_the_clock(
    sqlite_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = make_document("c1/chat", "c1", [("client", "19:03", "hoi"), ("counsellor", "19:04", "Fijn!")])
    store(sqlite_project, doc)
    coding.add_coding(sqlite_project, "c1/chat", "Open vraag", "anna", utterance=0)
    created = coding.list_codings(sqlite_project)["created"].max().to_pydatetime()
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    monkeypatch.setattr(exports, "now", lambda: datetime(2030, 1, 1, 12, 0))
    exports.export_qdpx(sqlite_project, first)
    monkeypatch.setattr(exports, "now", lambda: datetime(2031, 6, 1, 8, 30))
    exports.export_qdpx(sqlite_project, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        stamps = {info.date_time for info in archive.infolist()}
        xml = archive.read("project.qde")
    xmlschema.XMLSchema(str(SCHEMA)).validate(etree.fromstring(xml))
    # the time stamps are the latest coding's time, not the export's (a zip stores even
    # seconds only)
    assert stamps == {created.replace(second=created.second // 2 * 2).timetuple()[:6]}
    assert etree.fromstring(xml).get("creationDateTime") == created.isoformat()
