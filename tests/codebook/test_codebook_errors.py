"""A broken codebook is refused with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from qcode.codebook.load import load_codebook, parse_codebook
from qcode.errors import CodebookError, QcodeError

GOOD = """\
id: mine
name: Mijn codeboek
version: 2
groups:
  - {key: technique, label: Techniek}
codes:
  - id: open_vraag
    name: Open vraag
    group: technique
    unit: utterance
    hotkey: w
    colour: "#00AA00"
  - id: gesloten_vraag
    name: Gesloten vraag
    group: technique
    unit: utterance
    hotkey: g
"""
# Line numbers in GOOD: 7 "- id: open_vraag", 8 name, 9 group, 10 unit, 11 hotkey,
# 12 colour, 13 "- id: gesloten_vraag", 14 name, 15 group, 16 unit, 17 hotkey.


def broken(old: str, new: str) -> CodebookError:
    assert old in GOOD
    with pytest.raises(CodebookError) as caught:
        parse_codebook(GOOD.replace(old, new, 1), "codebooks/mine.yaml")
    return caught.value


def test_the_good_file_loads_with_defaults_and_raw_text_versions() -> None:
    codebook = parse_codebook(GOOD, "codebooks/mine.yaml")
    assert codebook.version == "2"
    assert [c.id for c in codebook.codes] == ["open_vraag", "gesloten_vraag"]
    second = codebook.codes[1]
    assert (second.colour, second.automatic, second.exclusive, second.definition_en) == (
        "#888888",
        False,
        "",
        "",
    )
    assert codebook.source == "codebooks/mine.yaml"


@pytest.mark.parametrize(
    ("old", "new", "line", "field", "words"),
    [
        ('    colour: "#00AA00"', '    color: "#00AA00"', 12, "color", "unknown field"),
        ("    unit: utterance\n    hotkey: g", "    hotkey: g", 13, "unit", "lacks"),
        ("  - id: gesloten_vraag", "  - id: open_vraag", 13, "id", "already used on line 7"),
        ("    name: Gesloten vraag", "    name: OPEN VRAAG", 14, "name", "already used on line 8"),
        ("    hotkey: g", "    hotkey: w", 17, "hotkey", "already used on line 11"),
        ("    hotkey: g", "    hotkey: q", 17, "hotkey", "reserved"),
        ("    hotkey: g", "    hotkey: gh", 17, "hotkey", "one key"),
        (
            "    unit: utterance\n    hotkey: w",
            "    unit: sentence\n    hotkey: w",
            10,
            "unit",
            "unknown unit 'sentence'",
        ),
        ('"#00AA00"', "green", 12, "colour", "not a colour"),
        (
            "    group: technique\n    unit: utterance\n    hotkey: g",
            "    group: content\n    unit: utterance\n    hotkey: g",
            15,
            "group",
            "not declared",
        ),
        ("  - id: gesloten_vraag", "  - id: Gesloten-Vraag", 13, "id", "lowercase"),
        ("    hotkey: g", "    hotkey: g\n    automatic: ja", 18, "automatic", "true or false"),
        ("    hotkey: g", "    hotkey: g\n    hotkey: h", 18, "hotkey", "given twice"),
        ("version: 2", "version: 2\nauthor: me", 4, "author", "unknown field"),
        ("  - {key: technique, label: Techniek}", "  - {key: technique}", 5, "label", "lacks"),
    ],
)
def test_each_rule_names_line_and_field(
    old: str, new: str, line: int, field: str, words: str
) -> None:
    error = broken(old, new)
    assert (error.path, error.line, error.field) == ("codebooks/mine.yaml", line, field)
    assert words in str(error)
    assert str(error).startswith(f"codebooks/mine.yaml:{line} (field '{field}'): ")
    assert isinstance(error, QcodeError)


def test_a_yaml_syntax_error_names_its_line() -> None:
    error = broken("    name: Gesloten vraag", "    name: [Gesloten vraag")
    assert error.line is not None and 14 <= error.line <= 15
    assert "not valid YAML" in str(error)


def test_missing_top_level_field_and_empty_file() -> None:
    error = broken("version: 2\n", "")
    assert (error.line, error.field) == (1, "version")
    with pytest.raises(CodebookError, match="empty"):
        parse_codebook("# nothing\n", "empty.yaml")


def test_load_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD.replace("unit: utterance", "unit: zin", 1), encoding="utf-8")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    assert str(caught.value).startswith(f"{path}:10 (field 'unit'): ")
    with pytest.raises(CodebookError, match="cannot read"):
        load_codebook(tmp_path / "missing.yaml")
