"""CSV and XLSX writers: readable by pandas/openpyxl, atomic, never clobbering."""

from __future__ import annotations

import stat
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from qcode.errors import ExportError
from qcode.export import tables
from qcode.export.writers import write_tables

from .frames import frames


def _tables() -> dict[str, pd.DataFrame]:
    f = frames()
    return {
        "quotations": tables.quotations(f["codings"], f["utterances"], f["documents"],
                                        f["codes"]),
        "code-document": tables.code_document_table(f["codings"], f["codes"]),
        "codebook": tables.codebook_table(f["codings"], f["codes"]),
    }


def test_xlsx_has_sheets_styled_frozen_header(tmp_path: Path) -> None:
    summary = write_tables(_tables(), tmp_path / "out.xlsx", fmt="xlsx")
    assert summary.counts == {"quotations": 5, "code-document": 5, "codebook": 4}
    workbook = openpyxl.load_workbook(summary.paths[0])
    assert workbook.sheetnames == ["quotations", "code-document", "codebook"]
    sheet = workbook["quotations"]
    assert [c.value for c in sheet[1]][:3] == ["quotation", "case", "document"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["J"].width > 8
    assert stat.S_IMODE(summary.paths[0].stat().st_mode) == 0o600


@pytest.mark.parametrize("sep", [",", ";"])
def test_csv_matches_xlsx_rows(tmp_path: Path, sep: str) -> None:
    data = _tables()
    csv = write_tables(data, tmp_path / "csv", fmt="csv", sep=sep)
    xlsx = write_tables(data, tmp_path / "t.xlsx", fmt="xlsx")
    assert [p.name for p in csv.paths] == ["quotations.csv", "code-document.csv",
                                           "codebook.csv"]
    raw = csv.paths[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    for path, name in zip(csv.paths, data, strict=True):
        from_csv = pd.read_csv(path, sep=sep, encoding="utf-8-sig", keep_default_na=False,
                               dtype=str)
        from_xlsx = pd.read_excel(xlsx.paths[0], sheet_name=name, dtype=str,
                                  keep_default_na=False)
        assert list(from_csv.columns) == list(from_xlsx.columns)
        assert len(from_csv) == len(from_xlsx) == len(data[name])
        assert from_csv["codes" if name == "quotations" else "code"].to_list() == \
            from_xlsx["codes" if name == "quotations" else "code"].to_list()


def test_csv_prefix_and_no_overwrite(tmp_path: Path) -> None:
    data = {"codebook": _tables()["codebook"]}
    summary = write_tables(data, tmp_path / "kvh.csv", fmt="csv")
    assert summary.paths == (tmp_path / "kvh-codebook.csv",)
    before = summary.paths[0].read_bytes()
    with pytest.raises(ExportError, match="already exists"):
        write_tables(data, tmp_path / "kvh.csv", fmt="csv")
    write_tables(data, tmp_path / "kvh.csv", fmt="csv", force=True)
    assert summary.paths[0].read_bytes() == before
    with pytest.raises(ExportError):
        write_tables(data, tmp_path / "x", fmt="csv", sep=";;")
