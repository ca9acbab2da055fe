"""Issue 18: tables an ATLAS.ti user reads (readable headers, study labels, case attributes,
one coder's codings), read back with openpyxl.

Expected values come from the sample corpus's ``cases.csv`` and the codings the test makes.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.errors import CoderChoiceError
from qcode.export.display import DATA_COLUMNS, for_people, header
from qcode.export.writers import write_tables
from qcode.services import codings as coding_service
from qcode.services import tables as table_service
from qcode.services import team as team_service
from qcode.services.corpus import get_document, import_paths
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.project import Project, init_project

DOC = "casus-03/chat-2014-05-21"


def _manifest(case: str) -> dict[str, str]:
    with (SAMPLE_CORPUS / "cases.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["case_id"] == case)
    return {k: v for k, v in row.items() if k not in ("path", "case_id", "channel", "date")}


def _sheet(path: Path, name: str) -> list[dict[str, object]]:
    rows = list(openpyxl.load_workbook(path)[name].values)
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


@pytest.fixture
def coded(tmp_path: Path) -> Project:
    project = init_project(tmp_path / "p")
    assert import_paths(project, [SAMPLE_CORPUS]).errors == []
    doc = get_document(project, DOC)
    counsellor = next(u for u in doc.utterances if u.role.value == "counsellor")
    client = next(u for u in doc.utterances if u.role.value == "client")
    coding_service.add_coding(project, DOC, "Open vraag", "anna", utterance=counsellor.index)
    coding_service.add_coding(project, DOC, "Onderwerp", "anna", utterance=client.index)
    coding_service.add_coding(project, DOC, "Gesloten vraag", "bram", utterance=counsellor.index)
    return project


def test_readable_headers_study_labels_and_case_attributes(coded: Project, tmp_path: Path) -> None:
    out = tmp_path / "t.xlsx"
    table_service.export_tables(coded, "xlsx", out, flt=table_service.ExportFilter(coders=["anna"]), display=for_people())
    rows = _sheet(out, "quotations")
    assert len(rows) == 2
    assert {r["Role"] for r in rows} == {"Hulpverlener", "Hulpvrager"}
    assert {r["Coders"] for r in rows} == {"anna"}
    for name, value in _manifest("casus-03").items():
        assert {r[name] for r in rows} == {value}  # attribute columns keep their names
    first = next(iter(openpyxl.load_workbook(out)["quotations"].values))
    attributes = _manifest("casus-03")
    assert first[:2] == ("Quotation ID", "Case")  # the case's attributes right after it
    assert set(first[2 : 2 + len(attributes)]) == set(attributes)
    assert "Number of codes" in first and "Memo" in first and "n_codes" not in first
    long = _sheet(out, "quotations_long")
    assert {r["Code name"] for r in long} == {"Open vraag", "Onderwerp"}
    # data columns (document keys, code names) are written as they are
    header_row = next(iter(openpyxl.load_workbook(out)["code_document"].values))
    assert DOC in header_row and "Totals" in header_row


def test_columns_added_later_get_a_readable_header_too(tmp_path: Path) -> None:
    """A column no list names (as another module may add, e.g. a memo author) gets words."""
    frame = pd.DataFrame({"memo_author": ["anna"], "settled_by": ["sam"], "role": ["client; counsellor"],
                          "casus-01": [3]})
    frame.attrs[DATA_COLUMNS] = ["casus-01"]
    out = tmp_path / "x.xlsx"
    write_tables({"extra": frame}, out, fmt="xlsx", display=for_people())
    assert list(openpyxl.load_workbook(out)["extra"].values) == [
        ("Memo author", "Settled by", "Role", "casus-01"), ("anna", "sam", "Hulpvrager; Hulpverlener", 3)]
    assert header("n_codes") == "Number of codes" and header("Open vraag") == "Open vraag"


def test_coder_choice_consensus_default_else_refuse(coded: Project, tmp_path: Path) -> None:
    with pytest.raises(CoderChoiceError, match="anna, bram"):
        table_service.table_coders(coded, None)
    assert table_service.table_coders(coded, None, all_coders=True) is None
    assert table_service.table_coders(coded, ["bram"]) == ["bram"]
    runner = CliRunner()
    refused = runner.invoke(main, ["export", "--project", str(coded.folder), "--format", "xlsx",
                                   "--out", str(tmp_path / "r.xlsx")])
    assert refused.exit_code == 2 and "--all-coders" in refused.output
    assert "Traceback" not in refused.output and not (tmp_path / "r.xlsx").exists()
    team_service.add_coder(coded, "sam", supervisor=True)
    doc = get_document(coded, DOC)
    counsellor = next(u for u in doc.utterances if u.role.value == "counsellor")
    result = runner.invoke(main, ["adjudicate", "--project", str(coded.folder), "--coders", "anna,bram",
                                  "--by", "sam", "--document", DOC, "--code", "Open vraag",
                                  "--utterance", str(counsellor.index + 1), "--decision", "apply"])
    assert result.exit_code == 0, result.output
    assert table_service.table_coders(coded, None) == ["consensus"]
    out = tmp_path / "c.xlsx"
    done = runner.invoke(main, ["export", "--project", str(coded.folder), "--format", "xlsx", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "Codings of: consensus" in done.output
    assert {r["Coders"] for r in _sheet(out, "quotations")} == {"consensus"}


def test_names_for_scripts(coded: Project, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    result = CliRunner().invoke(main, ["export", "--project", str(coded.folder), "--format", "csv", "--coder", "anna",
                                       "--headers", "names", "--out", str(out)])
    assert result.exit_code == 0, result.output
    quotes = pd.read_csv(out / "quotations.csv", encoding="utf-8-sig")
    assert {"quotation", "n_codes", "role", "leeftijdsgroep"} <= set(quotes.columns)
    assert set(quotes["role"]) == {"counsellor", "client"}
