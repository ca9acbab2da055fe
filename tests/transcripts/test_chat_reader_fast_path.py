"""The chat reader's fast path gives exactly what the line-by-line rules give.

``read_chat`` reads files of the usual shape with one regex match per turn
(``_read_regular``) and leaves everything else to ``read_chat_by_lines``, the plain reading
of the rules. Whenever the fast path takes a file, both must return equal documents and
warnings; when it does not, ``read_chat`` must behave exactly like the line rules (same
documents, or the same error with file and line). Hypothesis feeds both arbitrary text and
text built to be mostly regular, so that the fast path is really exercised.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from qcode.errors import TranscriptParseError
from qcode.transcripts import chat
from qcode.transcripts.chat import read_chat, read_chat_by_lines
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.registry import sniff
from qcode.transcripts.result import ReadResult
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile
from qcode.transcripts.synthetic import write_corpus

_PIECES = st.sampled_from(
    [
        "Hulpvrager", "Online hulpverlener", "hulpverlener", "[Systeem]", "[Sanne]", "Sanne",
        "zucht", "ik was om", "***", "**", "* ", " (", "(", ")", "):", ": ", ":", "19:02",
        "23:59", "00:03", "12:00", "11:59:59", "25:61", "١٩:٠٤", "\n", "\n\n", " \n", " ",
        "\t", "\u2028", "\x0b", "\xa0", "# casus: 1", "# datum: 2014-11-03", "#datum:x",
        "# datum: 9999-12-31", "# datum: 0001-01-01", "# kanaal: x", "# kanaal: e-mail",
        "# hulpverlener: HV1", "#", "[", "]", "*", "a", "1", ":)", "😊", "é",
        "(19:30) Verbinding verbroken", "*** De verbinding is verbroken ***",
        "[Systeem] Sessie gestart",
    ]
)
_LABELS = st.sampled_from(
    ["Hulpvrager", "Online hulpverlener", "hulpverlener", "ONLINE  HULPVERLENER", "Sanne",
     " Hulpvrager ", "Buurman Bob", "zucht en", "[Systeem]"]
)
_TIMES = st.sampled_from(
    ["19:02", "19:03:27", "23:58", "23:59", "00:03", "00:01", "12:00", "11:59", "01:00",
     "7:05", "19:01", "24:00", "19:60", "١٩:٠٤"]
)
_BODY = st.text(
    alphabet=st.sampled_from([*"ab :)(#*[]\t\xa0\u2028\x0b", "😊", "é"]), max_size=12
)
_CONTINUATION = st.sampled_from(
    ["wat ik moet doen", "", "   ", "# geen header", "(zucht)", "*** x ***", "[Systeem] x",
     "Hulpvrager (19:05)", "ik was om (12:00): thuis", "\t vervolg \t", "x (19:05): y"]
)


@st.composite
def _regular_chats(draw: st.DrawFn) -> str:
    """A header and turns, with now and then something the fast path must hand over."""
    lines = draw(st.lists(st.sampled_from(
        ["# casus: 7", "# datum: 2014-11-03", "# datum: 03-11-2014", "# kanaal: chat", "",
         "  ", "# hulpverlener: HV04", "#  Datum : 2015-01-02", "# datum: 9999-12-31"]
    ), max_size=4))
    for _ in range(draw(st.integers(1, 12))):
        space = draw(st.sampled_from(["", " ", "  "]))
        after = draw(st.sampled_from([": ", ":", " : ", ":\t", ": \xa0"]))
        lines.append(f"{draw(_LABELS)}{space}({draw(_TIMES)}){after}{draw(_BODY)}")
        lines.extend(draw(st.lists(_CONTINUATION, max_size=2)))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n", " \n"]))


SOURCES = st.sampled_from(
    [
        SourceFile(Path("chat-2014-11-03.txt"), None, "chat"),
        SourceFile(Path("chat.txt"), None, "chat"),
        SourceFile(Path("chat.txt"), "casus-9", "chat", date=dt.date(2015, 2, 1)),
        SourceFile(Path("chat.txt"), None, "chat", date=dt.date(9999, 12, 31)),
    ]
)
ROLES = RoleMap.default().with_labels({"Sanne": "counsellor", "[Sanne]": "system"})


def outcome(reader: object, source: SourceFile, text: str) -> ReadResult | tuple[str, int | None, str]:
    try:
        return reader(source, text, ROLES)  # type: ignore[operator, no-any-return]
    except TranscriptParseError as error:
        return (error.path, error.line, str(error))


def check_same(source: SourceFile, text: str) -> bool:
    """read_chat == the line rules; returns whether the fast path took the file."""
    assert outcome(read_chat, source, text) == outcome(read_chat_by_lines, source, text)
    taken = chat._read_regular(source, text, ROLES) is not None
    if taken:  # what the fast path accepts, the line rules accept too
        assert isinstance(outcome(read_chat_by_lines, source, text), ReadResult)
    return taken


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCES, st.one_of(st.text(), st.lists(_PIECES, max_size=60).map("".join)))
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (19:04): \n   \nvervolg  \n\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "*** Verbinding verbroken ***\nvervolg\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "# datum: x\nHulpvrager (19:04): a\nzz (1:00): b")
@example(SourceFile(Path("c.txt"), None, "chat"), "# datum: 9999-12-31\nHulpvrager (23:59): a\nHulpvrager (00:01): b")
@example(SourceFile(Path("c.txt"), None, "chat"), "\n\n# casus: 3\n(zucht)\n")
def test_arbitrary_text_reads_as_the_line_rules_read_it(source: SourceFile, text: str) -> None:
    check_same(source, text)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SOURCES, _regular_chats())
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (23:58): a\nHulpvrager (00:03): b\nHulpvrager (23:59): c\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (00:03): a\nHulpvrager (23:59): b\n")
@example(SourceFile(Path("c.txt"), None, "chat"), "Hulpvrager (19:04):  \t\n\n  vervolg \n \nHulpvrager (19:05): x")
def test_chats_of_the_usual_shape_read_as_the_line_rules_read_them(
    source: SourceFile, text: str
) -> None:
    check_same(source, text)


def test_the_fast_path_takes_the_usual_files(tmp_path: Path) -> None:
    """Otherwise the tests above would compare the line rules with themselves."""
    corpus = Path(__file__).resolve().parents[2] / "corpora" / "klikvoorhulp-sample"
    write_corpus(tmp_path, 20, seed=3)
    taken, compared = 0, 0
    for path in sorted(corpus.rglob("*.txt")) + sorted(tmp_path.rglob("*.txt")):
        text = decode_bytes(path.read_bytes(), path)
        if sniff(path, text) != "chat":
            continue
        compared += 1
        taken += check_same(SourceFile(path, None, "chat"), text)
    assert compared >= 30  # 11 sample chats (sample corpus) and the generated ones
    # The sample corpus shows off the quirks (platform notices, an unknown date, a failed
    # connection): those chats go to the line rules; generated chats are of the usual shape.
    assert taken >= compared - 11


def test_the_fast_path_handles_roll_over_continuations_and_out_of_order() -> None:
    source = SourceFile(Path("chat-2014-11-03.txt"), None, "chat")
    text = (
        "# casus: 5\n\nHulpvrager (23:58): hoi\nik ben\n\n  er nog  \n"
        "Hulpverlener (00:03): hallo\nHulpvrager (00:01): eerder\nHulpvrager (00:04):   \n"
    )
    regular = chat._read_regular(source, text, ROLES)
    assert regular is not None
    utterances = regular[0]
    assert [u.time for u in utterances] == [
        dt.datetime(2014, 11, 3, 23, 58), dt.datetime(2014, 11, 4, 0, 3),
        dt.datetime(2014, 11, 4, 0, 1), dt.datetime(2014, 11, 4, 0, 4),
    ]
    assert [u.out_of_order for u in utterances] == [False, False, True, False]
    assert utterances[0].text == "hoi\nik ben\n\n  er nog" and utterances[0].continued
    assert [u.line for u in utterances] == [3, 7, 8, 9]
    assert utterances[3].text == "" and utterances[3].start == len(text) - 1
    assert len(regular[4]) == 1 and ":8:" in regular[4][0]
