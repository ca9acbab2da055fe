"""Badge text colour: Textual's contrast choice, checked against WCAG 2 contrast ratios."""

from __future__ import annotations

import pytest

from qcode.codebook.load import default_codebook_path, load_codebook
from qcode.tui.widgets.transcript import readable_on


def _wcag_luminance(hex_colour: str) -> float:
    """Relative luminance as WCAG 2.1 defines it (sRGB linearised, 0.2126/0.7152/0.0722)."""
    channels = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_wcag_luminance(a), _wcag_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize(
    ("background", "text"),
    [("#FFFF00", "black"), ("#FFFFFF", "black"), ("#000000", "white"), ("#1F3A93", "white"),
     ("#7F7F7F", "white"), ("#818181", "black")],  # Textual's threshold: brightness 0.5
)
def test_clear_cases(background: str, text: str) -> None:
    assert readable_on(background) == text


def test_a_colour_that_is_not_one_gets_black() -> None:
    assert readable_on("banana") == "black"


def test_every_codebook_colour_gets_readable_badge_text() -> None:
    """WCAG's 3:1 minimum for large text, computed here, not by Textual."""
    hexes = {"black": "#000000", "white": "#FFFFFF"}
    for code in load_codebook(default_codebook_path()).codes:
        text = hexes[readable_on(code.colour)]
        assert _contrast(code.colour, text) >= 3.0, (code.name, code.colour, text)
