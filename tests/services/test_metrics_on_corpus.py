"""Conversation measures on the sample corpus, against figures computed here independently.

The test re-reads the chat files with its own small parser (label regex, wrapped lines,
midnight roll-over by hand), so a bug in qcode's reader or measures cannot hide itself.
"""

from __future__ import annotations

import itertools
import re
import statistics
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from qcode.services.corpus import import_paths
from qcode.services.metrics import metrics_records, metrics_table
from qcode.services.project import Project, init_project

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "klikvoorhulp-sample"
LINE = re.compile(r"^(?P<label>[^\W\d][\w ]*?)\s*\((?P<time>\d{2}:\d{2}(?::\d{2})?)\):\s?(?P<text>.*)$")
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
COUNSELLOR = {"online hulpverlener", "hulpverlener"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    proj = init_project(tmp_path_factory.mktemp("m") / "p")
    assert import_paths(proj, [CORPUS]).errors == []
    return proj


def _turns(path: Path) -> list[tuple[str, datetime, str]]:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig") if raw[:3] == b"\xef\xbb\xbf" else raw.decode("utf-8", errors="strict")
    day = datetime.fromisoformat(re.search(r"# datum: (\S+)", text).group(1))  # type: ignore[union-attr]
    turns: list[tuple[str, datetime, str]] = []
    latest: datetime | None = None
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith("#") or not line.strip():
            continue
        m = LINE.match(line)
        if not m:
            role, when, body = turns[-1]
            turns[-1] = (role, when, body + "\n" + line)
            continue
        h, mi, *s = (int(x) for x in m["time"].split(":"))
        when = day.replace(hour=h, minute=mi, second=s[0] if s else 0)
        if latest is not None and when < latest - timedelta(hours=12):
            day += timedelta(days=1)
            when += timedelta(days=1)
        latest = max(latest, when) if latest else when
        role = "counsellor" if m["label"].strip().lower() in COUNSELLOR else "client"
        turns.append((role, when, m["text"]))
    return turns


@pytest.mark.parametrize("name", ["casus-01/chat-2013-10-14", "casus-07/chat-2015-04-27", "casus-03"])
def test_words_duration_dominance_and_response_times(project: Project, name: str) -> None:
    path = next(CORPUS.glob(f"{name}*.txt")) if "/" in name else next((CORPUS / name).glob("chat*.txt"))
    turns = _turns(path)
    key = f"{path.parent.name}/{path.stem}"
    record = next(r for r in metrics_records(project, key))
    words = {r: sum(len(WORD.findall(t)) for role, _, t in turns if role == r) for r in ("counsellor", "client")}
    assert record["words"]["counsellor"] == words["counsellor"]
    assert record["words"]["client"] == words["client"]
    assert record["utterances"]["counsellor"] == sum(1 for t in turns if t[0] == "counsellor")
    times = [t[1] for t in turns]
    assert record["duration_minutes"] == pytest.approx((max(times) - min(times)).total_seconds() / 60)
    assert record["duration_minutes"] >= 0
    share = words["counsellor"] / (words["counsellor"] + words["client"])
    assert record["share_words_counsellor"] == pytest.approx(share)
    # counsellor response: client turn -> next counsellor turn, in time order (runs of one role
    # are one turn: from the last message of the client's run to the first of the reply)
    ordered = sorted(turns, key=lambda t: t[1])
    responses = [
        (b[1] - a[1]).total_seconds() / 60
        for a, b in itertools.pairwise(ordered)
        if a[0] == "client" and b[0] == "counsellor"
    ]
    assert record["mean_counsellor_response_minutes"] == pytest.approx(statistics.mean(responses))
    assert record["median_counsellor_response_minutes"] == pytest.approx(statistics.median(responses))
    assert all(g is None or g >= 0 for g in record["gaps_minutes"])
    assert len(record["gaps_minutes"]) == len(turns)


def test_midnight_chat_spans_two_days(project: Project) -> None:
    record = next(r for r in metrics_records(project, "casus-07/chat-2015-04-27"))
    assert record["first_time"].startswith("2015-04-27T23:")
    assert record["last_time"].startswith("2015-04-28T00:")


def test_case_table_counts_chats_and_emails(project: Project) -> None:
    cases = metrics_table(project, None, by="case").set_index("case")
    # counted from the folders: casus-06 holds one chat and one e-mail thread, casus-08 three chats
    assert (cases.loc["casus-06", "n_chats"], cases.loc["casus-06", "n_emails"]) == (1, 1)
    assert (cases.loc["casus-08", "n_chats"], cases.loc["casus-08", "n_emails"]) == (3, 0)
