"""Turn numbers as people count them: from 1, in every command's options and output.

The store and the services number utterances from 0 (``Utterance.index``); everything a user
types or reads counts from 1 (issue 16). JSON and CSV carry both: ``turn`` (from 1) and
``index`` (from 0, for scripts that join on the stored index).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import pandas as pd


class TurnNumber(click.ParamType[int, Any]):
    """A turn number typed by a user (1 = the first turn); 0 and below are refused."""

    name = "turn"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            number = value
        else:
            try:
                number = int(str(value).strip())
            except ValueError:
                self.fail(f"'{value}' is not a turn number (turns count from 1, as in qcode show).", param, ctx)
        if number < 1:
            self.fail(f"{number} is not a turn: turns count from 1 (the first turn is 1, as in qcode show).", param, ctx)
        return number


TURN = TurnNumber()


def index_of(turn: int | None) -> int | None:
    """The stored 0-based index of a 1-based turn number (None stays None)."""
    return None if turn is None else turn - 1


def turn_label(index: int | None) -> str:
    """``#5`` for stored index 4; empty when the span is not one turn."""
    return "" if index is None else f"#{index + 1}"


def with_turns(frame: pd.DataFrame, column: str = "utterance") -> pd.DataFrame:
    """``frame`` with its 0-based ``column`` replaced, in place, by ``turn`` (from 1) and
    ``index`` (from 0); missing values (a span that is not one turn) stay missing."""
    if column not in frame.columns:
        return frame
    position = list(frame.columns).index(column)
    index = frame[column].astype("Int64")
    out = frame.drop(columns=[column])
    out.insert(position, "index", index)
    out.insert(position, "turn", index + 1)
    return out
