"""Foreign positions (CRLF, UTF-16 units, BOM) map onto the stored LF text."""

from __future__ import annotations

from qcode.export.refi_text import Convention, load_source_text


def test_utf16_units_of_crlf_text_map_to_code_points_of_lf_text() -> None:
    # raw "a😀\r\nbc": UTF-16 units a=0, 😀=1-2, CR=3, LF=4, b=5, c=6 (counted by hand)
    source = load_source_text("\ufeffa😀\r\nbc".encode())
    assert source.text == "a😀\nbc"
    utf16 = Convention.UTF16
    assert source.text[source.position(5, utf16) : source.position(7, utf16)] == "bc"
    assert source.text[source.position(1, utf16) : source.position(3, utf16)] == "😀"
    assert source.length(utf16) == 7


def test_code_point_positions_with_crlf() -> None:
    # raw "één\r\ntwee": code points é=0 é=1 n=2 CR=3 LF=4 t=5 (counted by hand)
    source = load_source_text("één\r\ntwee".encode())
    assert source.text[source.position(5) : source.position(9)] == "twee"
    assert source.text[source.position(0) : source.position(3)] == "één"


def test_line_break_counted_as_one_and_utf16_of_lf_text() -> None:
    # raw "😀 a\r\nb\r\ncd"; LF text "😀 a\nb\ncd": code points 😀=0 ' '=1 a=2 LF=3 b=4 LF=5
    # c=6 d=7; UTF-16 units of the LF text one more after the emoji (counted by hand)
    source = load_source_text("😀 a\r\nb\r\ncd")
    lf, utf16_lf = Convention.CODE_POINTS_LF, Convention.UTF16_LF
    assert source.span(6, 8, lf) == (6, 8)
    assert source.span(7, 9, utf16_lf) == (6, 8)
    assert source.span(0, 2, utf16_lf) == (0, 1)
    assert source.length(lf) == 8 and source.length(utf16_lf) == 9
    assert source.span(8, 10, lf) is None  # past the end under that convention
