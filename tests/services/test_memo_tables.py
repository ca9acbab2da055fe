"""Memos in the XLSX/CSV tables: their own "Memos" sheet and the ``memo`` column on quotations."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from qcode.coding.memo import MemoTarget
from qcode.services import codings as coding_service
from qcode.services import tables as table_service
from qcode.services.memos import write_memo
from qcode.services.project import Project
from qcode.transcripts.model import Channel
from tests.factories import make_document, store

TURNS = [
    ("counsellor", "19:02", "Hoi NAAM, waar wil je het over hebben?"),
    ("client", "19:03", "over mn vader, één ding"),
    ("counsellor", "19:05", "Als ik het goed begrijp is het thuis lastig, klopt dat?"),
]


@pytest.fixture
def memod(sqlite_project: Project) -> Project:
    store(sqlite_project, make_document("c1/chat", "c1", TURNS), make_document("c2/chat", "c2", TURNS[:2]))
    first = coding_service.add_coding(sqlite_project, "c1/chat", "Open vraag", "anna", utterance=0)
    coding_service.add_coding(sqlite_project, "c1/chat", "Verificatie interpretatie", "bram", utterance=2)
    write_memo(sqlite_project, MemoTarget.on_coding(first), "anna", "open, maar sturend 🙂")
    write_memo(sqlite_project, MemoTarget.on_document("c1/chat", 1), "anna", "vader: kern")
    write_memo(sqlite_project, MemoTarget.on_document("c2/chat"), "bram", "kort gesprek")
    write_memo(sqlite_project, MemoTarget.on_case("c2"), "bram", "zelfde hulpvrager?")
    write_memo(sqlite_project, MemoTarget.on_code("Open vraag"), "anna", "werkdefinitie: laat ruimte")
    return sqlite_project


def _sheet(path: Path, name: str) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(path, read_only=True)[name].iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=True)) for r in rows[1:]]


def test_xlsx_has_a_memos_sheet_and_the_coding_memo_on_its_quotation(memod: Project, tmp_path: Path) -> None:
    target = tmp_path / "tables.xlsx"
    table_service.export_tables(memod, "xlsx", target)
    memos = _sheet(target, "Memos")
    assert sorted((r["kind"], r["memo"]) for r in memos) == [
        ("case", "zelfde hulpvrager?"),
        ("code", "werkdefinitie: laat ruimte"),
        ("coding", "open, maar sturend 🙂"),
        ("document", "kort gesprek"),
        ("utterance", "vader: kern"),
    ]
    turn = next(r for r in memos if r["kind"] == "utterance")
    assert (turn["document"], turn["turn"], turn["index"], turn["coder"], turn["case"]) == ("c1/chat", 2, 1, "anna", "c1")
    quotations = _sheet(target, "quotations")
    by_text = {r["text"]: r for r in quotations}
    assert by_text[TURNS[0][2]]["memo"] == "open, maar sturend 🙂"
    assert by_text[TURNS[2][2]]["memo"] in (None, "")


def test_csv_memos_file_and_export_filters(memod: Project, tmp_path: Path) -> None:
    table_service.export_tables(memod, "csv", tmp_path / "all")
    with (tmp_path / "all" / "Memos.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 5 and {r["memo"] for r in rows} >= {"open, maar sturend 🙂", "vader: kern"}
    only = table_service.build_tables(memod, table_service.ExportFilter(coders=["bram"]))
    assert sorted(only["Memos"]["memo"]) == ["kort gesprek", "zelfde hulpvrager?"]
    case = table_service.build_tables(memod, table_service.ExportFilter(cases=["c1"]))
    assert sorted(case["Memos"]["memo"]) == ["open, maar sturend 🙂", "vader: kern", "werkdefinitie: laat ruimte"]
    code = table_service.build_tables(memod, table_service.ExportFilter(codes=["Verificatie interpretatie"]))
    assert sorted(code["Memos"]["kind"]) == ["case", "document", "utterance"]


def test_the_channel_filter_keeps_memos_on_documents_of_that_channel(memod: Project) -> None:
    store(memod, make_document("c3/mail", "c3", TURNS[:1], channel=Channel.EMAIL))
    write_memo(memod, MemoTarget.on_document("c3/mail"), "anna", "e-mail: lange wachttijd")
    everything = table_service.build_tables(memod, table_service.ExportFilter())["Memos"]
    chats = table_service.build_tables(memod, table_service.ExportFilter(channels=["chat"]))["Memos"]
    assert "e-mail: lange wachttijd" in set(everything["memo"])
    assert set(everything["memo"]) - set(chats["memo"]) == {"e-mail: lange wachttijd"}
