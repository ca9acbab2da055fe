"""Export and REFI-QDA import through the services, on a real project store."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import xmlschema
from lxml import etree

from qcode.errors import ExportError
from qcode.services import codings as coding_service
from qcode.services import exchange as exchange_service
from qcode.services import tables as table_service
from qcode.services.project import Project, init_project
from tests.factories import make_document, store

SCHEMAS = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas"
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}


@pytest.fixture
def coded(sqlite_project: Project) -> Project:
    doc1 = make_document(
        "c1/chat",
        "c1",
        [
            ("counsellor", "19:02", "Hoi NAAM, waar wil je het over hebben? 😀"),
            ("client", "19:03", "over mn vader, één ding"),
            ("counsellor", "19:05", "Als ik het goed begrijp is het thuis lastig, klopt dat?"),
        ],
    )
    doc2 = make_document("c2/chat", "c2", [("client", "20:00", "hoi"), ("counsellor", "20:01", "Fijn dat je er bent!")])
    store(sqlite_project, doc1, doc2)
    for coder in ("anna", "bram"):
        coding_service.add_coding(sqlite_project, "c1/chat", "Open vraag", coder, utterance=0)
        coding_service.add_coding(sqlite_project, "c1/chat", "Verificatie interpretatie", coder, utterance=2)
    coding_service.add_coding(sqlite_project, "c2/chat", "Compliment woorden", "anna", utterance=1)
    coding_service.add_coding(sqlite_project, "c1/chat", "Onderwerp", "bram", start=doc1.utterances[1].start, end=doc1.utterances[1].start + 13)
    return sqlite_project


def _codings(project: Project) -> set[tuple[str, int, int, str, str]]:
    frame = coding_service.list_codings(project)
    return {(r.document, int(r.start), int(r.end), r.code, r.coder) for r in frame.itertuples()}


def test_qdpx_round_trip_is_lossless_and_valid(coded: Project, tmp_path: Path) -> None:
    target = tmp_path / "out.qdpx"
    summary = exchange_service.export_qdpx(coded, target)
    assert summary.paths == (target,)
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("project.qde")
        assert len([n for n in archive.namelist() if n.startswith("Sources/")]) == 2
    xmlschema.XMLSchema(str(SCHEMAS / "Project-mrt2019.xsd")).validate(etree.fromstring(xml))
    # six codings by two coders, counted from the XML itself
    assert len(etree.fromstring(xml).findall(".//q:Coding", NS)) >= 6
    fresh = init_project(tmp_path / "fresh")
    report = exchange_service.import_qdpx(fresh, target)
    assert report.documents == 2 and report.codings == 6
    assert _codings(fresh) == _codings(coded)
    for key in ("c1/chat", "c2/chat"):
        from qcode.services.corpus import get_document

        assert get_document(fresh, key) == get_document(coded, key)
    # importing the same file again changes nothing
    again = exchange_service.import_qdpx(fresh, target)
    assert again.documents == 0 and again.codings == 0
    assert len(coding_service.list_codings(fresh)) == 6


def test_qdc_validates(coded: Project, tmp_path: Path) -> None:
    target = tmp_path / "codes.qdc"
    exchange_service.export_qdc(coded, target)
    xmlschema.XMLSchema(str(SCHEMAS / "Codebook.xsd")).validate(str(target))
    fresh = init_project(tmp_path / "fresh")
    report = exchange_service.import_codebook(fresh, target)
    # the fresh project has the same 28 codes: each is matched by its GUID, none doubled
    assert report.codes_added == 0 and report.codes_matched == 28
    assert all("[same GUID]" in line for line in report.mapping)


def test_xlsx_and_csv_tables_agree(coded: Project, tmp_path: Path) -> None:
    table_service.export_tables(coded, "xlsx", tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert {"quotations", "codebook", "presence"} <= set(book.sheetnames)
    table_service.export_tables(coded, "csv", tmp_path / "csv", sep=";")
    quotes = pd.read_csv(tmp_path / "csv" / "quotations.csv", sep=";", encoding="utf-8-sig")
    sheet = pd.read_excel(tmp_path / "t.xlsx", sheet_name="quotations")
    # 4 distinct coded fragments: utterance 0, utterance 2, c2 utterance 1, and bram's span
    assert len(quotes) == len(sheet) == 4
    with pytest.raises(ExportError):
        table_service.export_tables(coded, "xlsx", tmp_path / "t.xlsx")


def test_export_filters_by_coder(coded: Project, tmp_path: Path) -> None:
    table_service.export_tables(coded, "csv", tmp_path / "anna", flt=table_service.ExportFilter(coders=["anna"]))
    long = pd.read_csv(tmp_path / "anna" / "quotations_long.csv", encoding="utf-8-sig")
    assert len(long) == 3


def _xpath_count(path: Path, query: str) -> int:
    with zipfile.ZipFile(path) as archive:
        inner = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
        root = etree.fromstring(archive.read(inner))
    return int(root.xpath(f"count({query})", namespaces=NS))


def test_nvivo_export_imports_into_a_project(tmp_path: Path) -> None:
    path = EXAMPLES / "nvivo-12.6-oltas_teszt.qdpx"
    project = init_project(tmp_path / "p")
    report = exchange_service.import_qdpx(project, path)
    sources = _xpath_count(path, "//q:TextSource")
    text_codings = _xpath_count(path, "//q:TextSource//q:PlainTextSelection/q:Coding")
    assert report.documents == sources == 2
    assert report.codings == text_codings == len(coding_service.list_codings(project))
    assert report.missing_sources == []


def test_atlas_export_reports_missing_sources(tmp_path: Path) -> None:
    path = EXAMPLES / "sky-loom-TestProject.qdpx"
    project = init_project(tmp_path / "p")
    report = exchange_service.import_qdpx(project, path)
    assert len(report.missing_sources) == _xpath_count(path, "//q:TextSource") == 6
    assert report.documents == 0
    assert any("missing sources" in w for w in report.warnings)
