"""One reading of delimited files for the manifest and tabular exports: rows named by the line
they start on (counted by hand in each text below)."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcode.errors import TranscriptParseError
from qcode.transcripts.delimited import delimited_rows
from qcode.transcripts.sources import plan_sources


def test_rows_carry_their_first_line_past_quoted_line_breaks_and_blank_rows() -> None:
    text = 'Speaker;Text\nanna;"twee\nregels"\n\nbram;een\n'
    header, rows = delimited_rows(text, "x.csv")
    assert header == ["speaker", "text"]
    assert [(r.line, r.values) for r in rows] == [
        (2, {"speaker": "anna", "text": "twee\nregels"}),
        (5, {"speaker": "bram", "text": "een"}),
    ]


def test_a_short_row_after_a_multiline_one_is_named_by_its_own_first_line() -> None:
    _header, rows = delimited_rows('a,b\n1,"x\ny\nz"\n2\n', "x.csv")
    with pytest.raises(TranscriptParseError) as info:
        list(rows)
    assert info.value.line == 5 and "1 fields" in info.value.reason


def test_the_manifest_names_the_line_a_bad_row_starts_on(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Hulpvrager: hoi\n", encoding="utf-8")
    manifest = tmp_path / "cases.csv"
    manifest.write_text('path,case_id,notitie\na.txt,1,"lang\nverhaal"\nweg.txt,2,\n', encoding="utf-8")
    with pytest.raises(TranscriptParseError) as info:
        plan_sources([tmp_path / "a.txt"], manifest=manifest)
    assert info.value.line == 4 and "not found" in info.value.reason
