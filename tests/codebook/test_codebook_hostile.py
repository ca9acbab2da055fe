"""Deeply nested codebook files: a message with the line, never a RecursionError."""

from __future__ import annotations

import random

import pytest
import yaml

from qcode.codebook import load
from qcode.codebook.load import parse_codebook
from qcode.errors import CodebookError


def _depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def _nested(rng: random.Random, depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {"k": value}
    return value


@pytest.mark.parametrize("flow", [False, True, None])
def test_the_cheap_bound_never_misses_deep_nesting(flow: bool | None) -> None:
    """Whatever the style, a file nested past the bound is sent to the event walk."""
    rng = random.Random(5)
    for depth in (*range(1, 40), 60, 101, 150, 250):
        text = yaml.safe_dump(_nested(rng, depth), default_flow_style=flow, width=10_000)
        if _depth(text) > load._NESTING_BOUND:
            assert load._may_nest_deeply(text), text[:200]


@pytest.mark.parametrize(
    "text",
    [
        "id: x\ngroups: " + "[" * 5000 + "]" * 5000 + "\n",
        "id: x\ngroups: " + "{a: " * 3000 + "}" * 3000 + "\n",
        "codes:\n" + "".join("  " * i + "-\n" for i in range(1500)),
        "codes:\n" + "".join(" " * i + "a:\n" for i in range(1500)),
        "- " * 3000 + "x\n",
    ],
    ids=["flow-lists", "flow-maps", "block-lists", "block-maps", "compact-lists"],
)
def test_deep_nesting_is_refused_with_its_line(text: str) -> None:
    with pytest.raises(CodebookError) as info:
        parse_codebook(text, "diep.yaml")
    assert info.value.line is not None
    assert f"nested more than {load.MAX_DEPTH} deep" in str(info.value)


def test_the_packaged_codebook_is_not_parsed_twice() -> None:
    text = load.default_codebook_path().read_text(encoding="utf-8")
    assert not load._may_nest_deeply(text)
