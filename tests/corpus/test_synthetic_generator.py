"""The synthetic chat generator used by the benchmarks: size, determinism, shape, privacy."""

from __future__ import annotations

import datetime
import itertools
import random
import re
from pathlib import Path

import pytest

from qcode.transcripts.synthetic import generate_chat, generate_utterances, write_corpus

LABEL_RE = re.compile(
    r"^(?:online hulpverlener|hulpverlener|hulpvrager) ?\((\d{2}):(\d{2})(?::(\d{2}))?\): (.*)$",
    re.IGNORECASE,
)
DATE = datetime.date(2014, 11, 3)


def _labelled(text: str) -> list[re.Match[str]]:
    return [m for line in text.split("\n") if (m := LABEL_RE.match(line))]


@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 5, 7, 20, 57, 120])
def test_generate_utterances_returns_n_turns_with_known_roles(n: int) -> None:
    turns = generate_utterances(random.Random(n), n)
    assert len(turns) == n
    assert {role for role, _ in turns} <= {"counsellor", "client"}
    assert all(text.strip() == text and text for _, text in turns)
    if n:
        assert turns[0][0] == "counsellor"  # the counsellor opens the chat


def test_generate_utterances_contains_questions_and_both_roles() -> None:
    turns = generate_utterances(random.Random(1), 80)
    roles = [role for role, _ in turns]
    assert 20 <= roles.count("client") <= 60
    assert sum(text.endswith("?") for role, text in turns if role == "counsellor") >= 10


def test_generate_utterances_is_deterministic_per_seed() -> None:
    assert generate_utterances(random.Random(7), 50) == generate_utterances(random.Random(7), 50)
    assert generate_utterances(random.Random(7), 50) != generate_utterances(random.Random(8), 50)


@pytest.mark.parametrize("seed", range(8))
def test_generate_chat_writes_header_and_exactly_n_labelled_lines(seed: int) -> None:
    n = 20 + seed * 13
    text = generate_chat(random.Random(seed), n, "0042", DATE)
    lines = text.split("\n")
    assert lines[:4] == ["# casus: 0042", "# kanaal: chat", "# datum: 2014-11-03", lines[3]]
    assert re.fullmatch(r"# hulpverlener: HV\d{2}", lines[3])
    assert len(_labelled(text)) == n
    assert text.endswith("\n") and "\r" not in text
    # every non-header line is either labelled or a continuation of the line before
    body = [line for line in lines[4:] if line]
    assert LABEL_RE.match(body[0])


def test_generated_times_never_go_backwards_and_silences_and_wraps_occur() -> None:
    silences = wraps = emoticons = 0
    for seed in range(40):
        text = generate_chat(random.Random(seed), 60, "1", DATE)
        matches = _labelled(text)
        minutes = [int(m.group(1)) * 60 + int(m.group(2)) for m in matches]
        for before, after, m in zip(minutes, minutes[1:], matches[1:], strict=False):
            gap = (after - before) % (24 * 60)  # a chat may roll over midnight
            assert gap <= 8
            if gap > 3 and len(m.group(4).split()) <= 3:
                silences += 1
        wraps += sum(1 for line in text.split("\n")[4:] if line and not LABEL_RE.match(line))
        emoticons += len(re.findall(r":\)|;-\)|:\(|:D|xD|<3|:P|[\U0001f300-\U0001faff]", text))
    assert silences >= 10
    assert wraps >= 5
    assert emoticons >= 20


def test_a_late_chat_runs_past_midnight() -> None:
    crossed = 0
    for seed in range(60):
        minutes = [
            int(m.group(1)) * 60 + int(m.group(2))
            for m in _labelled(generate_chat(random.Random(seed), 120, "1", DATE))
        ]
        crossed += any(b < a for a, b in itertools.pairwise(minutes))
    assert crossed >= 1


def test_write_corpus_is_deterministic_and_sized(tmp_path: Path) -> None:
    first = write_corpus(tmp_path / "a", 25, seed=3, utterances=(20, 40))
    second = write_corpus(tmp_path / "b", 25, seed=3, utterances=(20, 40))
    assert len(first) == len(set(first)) == 25
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    other = write_corpus(tmp_path / "c", 25, seed=4, utterances=(20, 40))
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in first]
    for path in first:
        assert 20 <= len(_labelled(path.read_text(encoding="utf-8"))) <= 40
        assert re.fullmatch(r"casus-\d{4}", path.parent.name)
        assert path.parent.parent == tmp_path / "a"


def test_write_corpus_groups_one_to_three_chats_per_case(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 60, seed=11)
    per_case: dict[str, int] = {}
    for path in paths:
        per_case[path.parent.name] = per_case.get(path.parent.name, 0) + 1
    assert set(per_case.values()) == {1, 2, 3}
    assert sum(per_case.values()) == 60
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(per_case)


def test_generated_text_has_no_personal_data_patterns(tmp_path: Path) -> None:
    paths = write_corpus(tmp_path, 30, seed=5)
    text = "\n".join(p.read_text(encoding="utf-8") for p in paths)
    text += "\n".join(t for _, t in generate_utterances(random.Random(9), 500))
    assert not re.search(r"(?<!\d)\d{9}(?!\d)", text)
    assert not re.search(r"(?<![\w-])[1-9]\d{3} ?[A-Z]{2}(?![\w-])", text)
    assert not re.search(r"(?:\+31|0031|\b0\d)[ -]?\d{7,8}\b", text)
    assert "@" not in text
    # the only digits are in the header, the times, the placeholders and the <3 emoticon
    body = re.sub(r"^# .*$", "", text, flags=re.MULTILINE)
    body = re.sub(r"\(\d{2}:\d{2}(?::\d{2})?\)", "", body)
    body = re.sub(r"\[[A-Z]+ \d\]", "", body)  # placeholders such as [INSTELLING 1]
    body = body.replace("<3", "")
    assert not re.search(r"\d", body)
