"""Shape of the bundled sample corpus ``corpora/klikvoorhulp-sample``.

Every later feature (readers, automatic codes, suggestions, analysis, exports, the README
tour) is demonstrated on this corpus, so these tests pin what it promises: the case layout,
the manifest, the encodings and the quirks of the study's exports. They look at the raw
files with their own simple regular expressions, never through qcode's readers, so a reader
bug cannot hide a corpus defect (or the other way round).
"""

from __future__ import annotations

import csv
import datetime
import itertools
import re
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "klikvoorhulp-sample"
LABEL_RE = re.compile(
    r"^(?:online hulpverlener|hulpverlener|hulpvrager) ?\((\d{2}):(\d{2})(?::(\d{2}))?\): ",
    re.IGNORECASE,
)
CONTACT_FORMS = {"enkel chat", "herhaalde chat", "enkel e-mail", "e-mailwisseling", "chat + e-mail"}


def _decode(path: Path) -> str:
    """Decode as the study's exports come: UTF-8 (BOM stripped), else Windows-1252."""
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252")


def _lines(path: Path) -> list[str]:
    return _decode(path).replace("\r\n", "\n").split("\n")


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "cases.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _chat_files() -> list[Path]:
    return sorted(CORPUS.glob("casus-*/chat-*.txt"))


def _times(path: Path) -> list[tuple[int, int]]:
    """(hour, minute) of every labelled line, in printed order."""
    found = [LABEL_RE.match(line) for line in _lines(path)]
    return [(int(m.group(1)), int(m.group(2))) for m in found if m]


def test_at_least_twelve_case_folders() -> None:
    folders = [p for p in CORPUS.iterdir() if p.is_dir() and re.fullmatch(r"casus-\d{2}", p.name)]
    assert len(folders) >= 12


def test_manifest_lists_every_file_and_only_existing_files() -> None:
    rows = _manifest()
    listed = [row["path"] for row in rows]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    on_disk = {
        p.relative_to(CORPUS).as_posix()
        for p in CORPUS.rglob("*")
        if p.is_file() and p.name != "cases.csv"
    }
    assert set(listed) == on_disk


def test_manifest_rows_are_consistent() -> None:
    rows = _manifest()
    assert list(rows[0])[:4] == ["path", "case_id", "channel", "date"]
    attributes: dict[str, tuple[str, ...]] = {}
    for row in rows:
        assert row["path"].split("/")[0] == row["case_id"]
        assert row["channel"] in {"chat", "email"}
        datetime.date.fromisoformat(row["date"])
        assert row["leeftijdsgroep"] in {"13-16", "17-20", "21-25"}
        assert row["contactvorm"] in CONTACT_FORMS
        values = (row["leeftijdsgroep"], row["geslacht"], row["regio"], row["onderwerp"])
        assert attributes.setdefault(row["case_id"], values) == values
    assert {row["contactvorm"] for row in rows} == CONTACT_FORMS


def test_contact_form_matches_the_files_of_each_case() -> None:
    by_case: dict[str, list[dict[str, str]]] = {}
    for row in _manifest():
        by_case.setdefault(row["case_id"], []).append(row)
    for case, rows in by_case.items():
        channels = sorted(row["channel"] for row in rows)
        form = rows[0]["contactvorm"]
        if form == "herhaalde chat":
            assert channels in (["chat"] * 2, ["chat"] * 3), case
        elif form == "chat + e-mail":
            assert set(channels) == {"chat", "email"}, case
        elif form in ("enkel chat", "enkel e-mail", "e-mailwisseling"):
            assert len(channels) == 1, case


def test_one_chat_file_is_windows_1252() -> None:
    path = CORPUS / "casus-02" / "chat-2014-02-03.txt"
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1252")
    assert "€" in text and "é" in text and "ë" in text


def test_one_file_has_crlf_line_ends() -> None:
    raw = (CORPUS / "casus-07" / "chat-2015-04-27.txt").read_bytes()
    assert raw.count(b"\r\n") == raw.count(b"\n") > 20


def test_one_file_has_a_utf8_bom() -> None:
    raw = (CORPUS / "casus-10" / "chat-2014-12-02.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert not raw[3:].startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("path", _chat_files(), ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_each_chat_has_a_header_and_20_to_120_labelled_lines(path: Path) -> None:
    lines = _lines(path)
    assert lines[:2] == [f"# casus: {path.parent.name[-2:]}", "# kanaal: chat"]
    assert lines[2] == f"# datum: {path.stem.removeprefix('chat-')}"
    assert re.fullmatch(r"# hulpverlener: HV\d{2}", lines[3])
    labelled = sum(1 for line in lines if LABEL_RE.match(line))
    assert 20 <= labelled <= 120


def test_label_variants_and_time_formats_occur() -> None:
    labels: set[str] = set()
    with_seconds = []
    for path in _chat_files():
        for line in _lines(path):
            match = re.match(r"^([A-Za-z ]+?)( ?)\(\d{2}:\d{2}(:\d{2})?\): ", line)
            if match:
                labels.add(match.group(1) + match.group(2))
                if match.group(3):
                    with_seconds.append(path.name)
    assert {"Online hulpverlener ", "Hulpverlener ", "Hulpvrager ", "hulpvrager "} <= labels
    assert "Online hulpverlener" in labels  # no space before the parenthesis
    assert set(with_seconds) == {"chat-2014-09-24.txt"}


def test_a_chat_runs_past_midnight() -> None:
    crossing = [
        path
        for path in _chat_files()
        if any(
            a[0] == 23 and a[1] >= 50 and b[0] == 0 and b[1] < 10
            for a, b in itertools.pairwise(_times(path))
        )
    ]
    assert crossing == [CORPUS / "casus-07" / "chat-2015-04-27.txt"]


def test_a_silence_of_more_than_three_minutes_before_a_short_reply() -> None:
    lines = _lines(CORPUS / "casus-10" / "chat-2014-12-02.txt")
    turns = [(LABEL_RE.match(line), line) for line in lines]
    found = []
    previous: tuple[int, str] | None = None
    for match, line in turns:
        if not match:
            continue
        minute = int(match.group(1)) * 60 + int(match.group(2))
        text = line[match.end() :]
        if previous and minute - previous[0] > 3 and len(text.split()) <= 3:
            found.append(text)
        previous = (minute, text)
    assert found == ["weet niet"]


def test_an_out_of_order_line() -> None:
    text = "\n".join(_lines(CORPUS / "casus-03" / "chat-2014-05-21.txt"))
    assert re.search(r"\(19:53\): .*\n[^\n]*\(19:52\): ", text)


def test_a_connection_failure_and_a_lost_message() -> None:
    lines = _lines(CORPUS / "casus-08" / "chat-2014-01-16.txt")
    at = lines.index("*** De verbinding met de chat is verbroken ***")
    after = " ".join(lines[at + 1 : at + 4])
    assert re.search(r"niet verstuurd|niet aangekomen|kwam mijn bericht aan", after)


def test_wrapped_continuation_lines_occur() -> None:
    continuations = [
        line
        for path in _chat_files()
        for line in _lines(path)
        if line
        and not line.startswith("#")
        and not LABEL_RE.match(line)
        and not line.startswith("***")
    ]
    assert len(continuations) >= 3


def test_ascii_emoticons_and_emoji_occur_in_chats() -> None:
    text = "\n".join("\n".join(_lines(p)) for p in _chat_files())
    for emoticon in (":)", ";-)", ":(", ":D", "xD", "<3"):
        assert emoticon in text, emoticon
    assert re.search("[\U0001f300-\U0001faff]", text)


def test_email_threads_have_headers_quoting_and_day_gaps() -> None:
    threads = sorted(CORPUS.glob("casus-*/mail*.txt"))
    assert len(threads) >= 5
    quoted_gt = quoted_op = 0
    for path in threads:
        text = "\n".join(_lines(path))
        messages = text.split("\n-----\n")
        stamps = []
        for message in messages:
            head = message.split("\n\n", 1)[0].split("\n")
            assert re.fullmatch(r"Van: (Hulpvrager|Hulpverlener)", head[0]), path
            date = re.fullmatch(r"Datum: (\d{2})-(\d{2})-(\d{4}) (\d{2}):(\d{2})", head[1])
            assert date, path
            d, m, y, hh, mm = (int(g) for g in date.groups())
            stamps.append(datetime.datetime(y, m, d, hh, mm))
        assert stamps == sorted(stamps), path
        quoted_gt += len(re.findall(r"^> ", text, re.MULTILINE))
        quoted_op += len(
            re.findall(r"^Op \d{2}-\d{2}-\d{4} om \d{2}:\d{2} schreef .+:$", text, re.MULTILINE)
        )
    assert quoted_gt >= 5 and quoted_op >= 3


def test_counsellor_email_replies_come_one_to_five_days_later() -> None:
    gaps = []
    for path in sorted(CORPUS.glob("casus-*/mail*.txt")):
        previous: tuple[str, datetime.datetime] | None = None
        for match in re.finditer(
            r"^Van: (\w+)\nDatum: (\S+ \S+)$", "\n".join(_lines(path)), re.MULTILINE
        ):
            when = datetime.datetime.strptime(match.group(2), "%d-%m-%Y %H:%M")
            if previous and previous[0] == "Hulpvrager" and match.group(1) == "Hulpverlener":
                gaps.append((when - previous[1]).days)
            previous = (match.group(1), when)
    assert len(gaps) >= 8
    assert all(0 <= gap <= 5 for gap in gaps)
    assert max(gaps) >= 3


def test_message_table_case_has_iso_timestamps_and_an_extra_column() -> None:
    path = CORPUS / "casus-11" / "berichten.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "case_id",
        "document_id",
        "channel",
        "speaker",
        "timestamp",
        "text",
        "onderwerp",
    ]
    assert 20 <= len(rows) <= 120
    assert {row["case_id"] for row in rows} == {"casus-11"}
    stamps = [datetime.datetime.fromisoformat(row["timestamp"]) for row in rows]
    assert stamps == sorted(stamps)
    assert {row["speaker"] for row in rows} == {"Hulpverlener", "Hulpvrager"}


# Independent, deliberately broad patterns for what the import privacy check refuses.
_PERSONAL = {
    "e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "phone number": re.compile(r"(?<!\d)(?:\+31|0031|06)[ -]?\d{8}(?!\d)|(?<!\d)0\d{2}-\d{7}"),
    "postcode": re.compile(r"(?<![\w-])[1-9]\d{3} ?[A-Z]{2}(?![\w-])"),
    "IBAN": re.compile(r"\bNL\d{2} ?[A-Z]{4}"),
    "9-digit number": re.compile(r"(?<!\d)\d{9}(?!\d)"),
    "street address": re.compile(r"\w{2,}(?:straat|laan|weg|plein|gracht) \d+", re.IGNORECASE),
    "web address": re.compile(r"www\.|https?://"),
}


@pytest.mark.parametrize("kind", sorted(_PERSONAL))
def test_no_personal_data_patterns(kind: str) -> None:
    hits = [
        f"{path.relative_to(CORPUS)}:{n}"
        for path in sorted(CORPUS.rglob("*"))
        if path.is_file()
        for n, line in enumerate(_lines(path), 1)
        if _PERSONAL[kind].search(line)
    ]
    assert hits == []
