"""check_offsets: the invariant every reader's documents must keep."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qcode.transcripts.model import Channel, Document, Role, Utterance, check_offsets


def _document(text: str, *spans: tuple[int, int, str]) -> Document:
    utterances = tuple(
        Utterance(i, Role.CLIENT, "Hulpvrager", None, body, start, end)
        for i, (start, end, body) in enumerate(spans)
    )
    return Document("c/d", "c", Channel.CHAT, text, utterances)


def test_offsets_that_hold_pass() -> None:
    check_offsets(_document("Hulpvrager (19:02): hoi\nHulpvrager (19:03): ja", (20, 23, "hoi"), (44, 46, "ja")))
    check_offsets(_document("", (0, 0, "")))


@pytest.mark.parametrize(
    ("spans", "culprit"),
    [
        (((20, 23, "hoi"), (43, 46, "ja")), "utterance 1 offsets 43-46"),  # one off
        (((19, 23, "hoi"), (44, 46, "ja")), "utterance 0 offsets 19-23"),
        (((20, 23, "hoi"), (44, 46, "nee")), "utterance 1 offsets 44-46"),  # text differs
        (((20, 23, "hoi"), (-2, 0, "ja")), "utterance 1 offsets -2-0"),  # "ja" ends the text
    ],
)
def test_a_wrong_offset_is_named(spans: tuple[tuple[int, int, str], ...], culprit: str) -> None:
    with pytest.raises(ValueError, match=culprit):
        check_offsets(_document("Hulpvrager (19:02): hoi\nHulpvrager (19:03): ja", *spans))


def test_carriage_returns_are_refused() -> None:
    with pytest.raises(ValueError, match="CR"):
        check_offsets(_document("a\r\nb"))


@given(st.text(alphabet="ab\n", max_size=8), st.lists(st.tuples(st.integers(-3, 10), st.integers(-3, 10)), max_size=4), st.text(alphabet="ab", max_size=3))
def test_agrees_with_slicing(text: str, spans: list[tuple[int, int]], body: str) -> None:
    """The check accepts exactly what ``text[start:end] == u.text`` accepts."""
    document = _document(text, *((s, e, text[s:e] if (s + e) % 2 else body) for s, e in spans))
    expected_ok = all(text[s:e] == u.text for (s, e), u in zip(spans, document.utterances, strict=True))
    if expected_ok:
        check_offsets(document)
    else:
        with pytest.raises(ValueError):
            check_offsets(document)
