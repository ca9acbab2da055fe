"""Foreign positions (CRLF, UTF-16 units, BOM) map onto the stored LF text."""

from __future__ import annotations

from qcode.export.refi_text import load_source_text


def test_utf16_units_of_crlf_text_map_to_code_points_of_lf_text() -> None:
    # raw "a😀\r\nbc": UTF-16 units a=0, 😀=1-2, CR=3, LF=4, b=5, c=6 (counted by hand)
    source = load_source_text("\ufeffa😀\r\nbc".encode(), utf16_positions=True)
    assert source.text == "a😀\nbc"
    assert source.text[source.position(5) : source.position(7)] == "bc"
    assert source.text[source.position(1) : source.position(3)] == "😀"


def test_code_point_positions_with_crlf() -> None:
    # raw "één\r\ntwee": code points é=0 é=1 n=2 CR=3 LF=4 t=5 (counted by hand)
    source = load_source_text("één\r\ntwee".encode())
    assert source.text[source.position(5) : source.position(9)] == "twee"
    assert source.text[source.position(0) : source.position(3)] == "één"
