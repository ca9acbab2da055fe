"""Documents pickle column-wise (``Document.__reduce__``) and come back identical.

"Identical" is checked by ``repr`` as well as ``==``: ``Role.CLIENT == "client"`` and a
naive datetime equals its ``fold=1`` twin, but a document that came back with plain strings
or another ``fold`` would not be the document the reader made.
"""

from __future__ import annotations

import copy
import pickle
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from qcode.services.demo import SAMPLE_CORPUS
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.model import Channel, Document, Role, Utterance
from qcode.transcripts.registry import read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import plan_sources


def _same(document: Document) -> Document:
    back = pickle.loads(pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == document
    assert repr(back) == repr(document)
    for ours, theirs in zip(back.utterances, document.utterances, strict=True):
        assert type(ours) is Utterance
        assert type(ours.role) is type(theirs.role)
        assert type(ours.time) is type(theirs.time)
        if theirs.time is not None:
            assert ours.time.fold == theirs.time.fold  # type: ignore[union-attr]
            assert ours.time.tzinfo == theirs.time.tzinfo  # type: ignore[union-attr]
    return back


def test_every_sample_document_survives_a_round_trip() -> None:
    documents = [
        doc
        for source in plan_sources([SAMPLE_CORPUS])
        for doc in read_source(
            source, decode_bytes(source.path.read_bytes(), source.path), RoleMap.default()
        ).documents
    ]
    assert len(documents) == 18
    for doc in documents:
        _same(doc)


def test_the_packed_form_leaves_out_what_the_document_holds() -> None:
    text = "Hulpvrager (19:02): hoi\n"
    utterance = Utterance(0, Role.CLIENT, "Hulpvrager", datetime(2014, 11, 3, 19, 2), "hoi", 20, 23, 1)
    doc = Document("c/chat", "c", Channel.CHAT, text, (utterance,))
    packed = doc.__reduce__()[1][4]
    assert packed[0] is None  # index 0, 1, 2, ...
    assert packed[4] is None  # text is text[start:end]
    assert packed[1] == ("value", ("client",))
    assert packed[3] == ("iso", ("2014-11-03T19:02:00",))
    _same(doc)


def test_a_document_without_utterances_and_a_deep_copy() -> None:
    empty = Document("c/leeg", "c", Channel.EMAIL, "", (), None, "x.eml", {"a": "b"})
    _same(empty)
    assert copy.deepcopy(empty) == empty


_times = st.one_of(
    st.none(),
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)),
    st.datetimes(
        min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), allow_imaginary=False
    ).map(lambda t: t.replace(fold=1)),
    st.datetimes(
        timezones=st.sampled_from([UTC, timezone(timedelta(hours=1)), ZoneInfo("Europe/Amsterdam")])
    ),
)


@settings(max_examples=300)
@given(
    text=st.text(max_size=40),
    rows=st.lists(
        st.tuples(
            st.integers(-2, 50),
            st.sampled_from([*Role, "client", "onbekend"]),
            st.text(max_size=8),
            _times,
            st.text(max_size=6),
            st.integers(0, 45),
            st.integers(0, 45),
            st.booleans(),
            st.booleans(),
            st.text(max_size=4),
        ),
        max_size=12,
    ),
    take_text_from_offsets=st.booleans(),
    number_in_order=st.booleans(),
)
def test_any_document_survives_a_round_trip(
    text: str, rows: list[tuple], take_text_from_offsets: bool, number_in_order: bool
) -> None:
    utterances = tuple(
        Utterance(
            i if number_in_order else index,
            role,  # type: ignore[arg-type]  # a plain str must survive as a plain str
            speaker,
            time,
            text[start:end] if take_text_from_offsets else own,
            start,
            end,
            i + 1,
            ooo,
            continued,
            quoted,
        )
        for i, (index, role, speaker, time, own, start, end, ooo, continued, quoted) in enumerate(rows)
    )
    _same(Document("k", "c", Channel.CHAT, text, utterances, None, "s", {"x": "y"}))
