"""Reading reliability tables (qcode agreement --data FILE.csv)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from qcode.analysis.agreement import AgreementDataError, krippendorff_alpha, read_reliability_table
from qcode.errors import QcodeError


def test_numeric_table_with_missing_cells(tmp_path: Path) -> None:
    path = tmp_path / "k2011.csv"
    # Krippendorff (2011) example, one row per unit, observers A-D.
    path.write_text(
        "unit,A,B,C,D\n1,1,1,,1\n2,2,2,3,2\n3,3,3,3,3\n4,3,3,3,3\n5,2,2,2,2\n6,1,2,3,4\n"
        "7,4,4,4,4\n8,1,1,2,1\n9,2,2,2,2\n10,,5,5,5\n11,,,1,1\n12,,3,,\n",
        encoding="utf-8",
    )
    units, coders, matrix = read_reliability_table(path)
    assert coders == ["A", "B", "C", "D"] and units[0] == "1" and len(units) == 12
    assert matrix.shape == (4, 12) and np.isnan(matrix[0, 9])
    assert round(krippendorff_alpha(matrix, "interval"), 3) == 0.849


def test_text_categories_are_nominal(tmp_path: Path) -> None:
    path = tmp_path / "cats.csv"
    path.write_text("id;ann;bob\nu1;ja;ja\nu2;nee;ja\nu3;;nee\n", encoding="utf-8")
    _, coders, matrix = read_reliability_table(path)
    assert coders == ["ann", "bob"]
    np.testing.assert_array_equal(matrix, [[0, 1, np.nan], [0, 0, 1]])
    with pytest.raises(AgreementDataError, match=r"cats.csv:2: .ja. is not a number"):
        read_reliability_table(path, level="interval")


def test_ragged_row_names_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("id,a,b\nu1,1,2\nu2,1\n", encoding="utf-8")
    with pytest.raises(AgreementDataError, match=r"bad.csv:3: expected 3 cells") as caught:
        read_reliability_table(path)
    assert isinstance(caught.value, QcodeError) and isinstance(caught.value, ValueError)


def test_duplicate_unit_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text("id,a,b\nu1,1,2\nu1,1,1\n", encoding="utf-8")
    with pytest.raises(AgreementDataError, match=r"dup\.csv:3"):
        read_reliability_table(path)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(AgreementDataError, match="empty"):
        read_reliability_table(empty)
