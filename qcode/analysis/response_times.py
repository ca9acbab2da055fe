"""Timing of a conversation: pauses between utterances and response times between turns.

Both work in *time* order, not printed order, so a line the export printed out of order
(19:53 before 19:52) can never produce a negative figure; ties keep the printed order.
Utterances without a time keep their printed place (they sort right after the timed line
printed before them) and yield no figure.

Turns and response times (the same rule for chat and e-mail, on the same timestamps):
- a *turn* is a maximal run of consecutive utterances, in time order, by the same role;
  system (platform) messages are left out first — they neither answer nor are answered;
- the *response time* of a turn is the time of its first utterance minus the time of the last
  utterance of the turn before it (the classic turn-transition gap). For e-mail this is the
  days from the client's latest message to the counsellor's reply;
- one row per turn change, so the number of rows of a document is its number of speaker
  switches.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from qcode.coding.autocode.silences import gaps_in_time_order

RESPONSE_COLUMNS = [
    "document",
    "case",
    "channel",
    "from_role",
    "to_role",
    "from_index",
    "index",
    "gap_minutes",
    "gap_days",
]
SYSTEM = "system"


def _python_times(times: pd.Series) -> list[datetime | None]:
    return [None if pd.isna(time) else pd.Timestamp(time).to_pydatetime() for time in times]


def gaps_minutes(utterances_of_one_document: pd.DataFrame) -> list[float | None]:
    """Minutes since the previous utterance in time order, for each row in printed order.

    Rows are taken in the order of the ``index`` column. The gap of a row is its time minus
    the time of the utterance just before it after a stable sort on time, so an out-of-order
    row is measured from the latest time that is not later than its own: never negative,
    and the gaps sum to the document's duration. The earliest row and rows without a time
    get ``None``. All roles count here; system messages are left out only for turns.
    """
    ordered = utterances_of_one_document.sort_values("index", kind="stable")
    return gaps_in_time_order(_python_times(ordered["time"]))


def time_ordered(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` of one document in time order; untimed rows stay after their printed predecessor."""
    printed = rows.sort_values("index", kind="stable")
    key = pd.to_datetime(printed["time"]).ffill().bfill()
    if key.isna().all():
        return printed
    return (
        printed.assign(_key=key).sort_values(["_key", "index"], kind="stable").drop(columns="_key")
    )


def number_turns(utterances: pd.DataFrame) -> pd.DataFrame:
    """Spoken utterances (system left out) of every document in time order, with their turn.

    The order is :func:`time_ordered`'s, computed for all documents at once (the report runs
    this on hundreds of thousands of utterances). Returns the columns ``document``, ``case``,
    ``channel``, ``index``, ``role``, ``time``, ``row`` (position in ``utterances``) and
    ``turn`` (0, 1, ... within each document), sorted by document, then time order.
    """
    frame = utterances[["document", "case", "channel", "index", "role", "time"]].copy()
    frame["row"] = range(len(frame))
    frame = frame[frame["role"].astype(str) != SYSTEM]
    frame = frame.sort_values(["document", "index"], kind="stable")
    frame["time"] = pd.to_datetime(frame["time"])
    key = frame["time"].groupby(frame["document"], sort=False).ffill()
    frame["_key"] = key.groupby(frame["document"], sort=False).bfill()
    frame = frame.sort_values(["document", "_key", "index"], kind="stable").drop(columns="_key")
    document = frame["document"].astype(str)
    role = frame["role"].astype(str)
    new_document = document != document.shift()
    run = (new_document | (role != role.shift())).cumsum()
    frame["turn"] = (run - run.groupby(document, sort=False).transform("min")).astype("int64")
    return frame.reset_index(drop=True)


def response_times(utterances: pd.DataFrame, numbered: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per turn change of every document (see the module docstring for the rule).

    Columns: document, case, channel, from_role, to_role, from_index (the last utterance of
    the turn answered), index (the first utterance of the answering turn), gap_minutes,
    gap_days (NaN when either end has no time).
    """
    if numbered is None:  # ``number_turns(utterances)``, if the caller has it already
        numbered = number_turns(utterances)
    if numbered.empty:
        return pd.DataFrame(columns=RESPONSE_COLUMNS).astype(
            {"from_index": "int64", "index": "int64", "gap_minutes": "float64", "gap_days": "float64"}
        )
    keys = [numbered["document"], numbered["turn"]]
    grouped = numbered.groupby(keys, sort=False)
    first = numbered[grouped.cumcount() == 0].reset_index(drop=True)
    last = numbered[grouped.cumcount(ascending=False) == 0].reset_index(drop=True)
    end = grouped["time"].max().reset_index(drop=True)  # the turn's latest time (NaT: none)
    answering = first["turn"] > 0
    previous = answering[answering].index - 1
    seconds = (
        first.loc[answering, "time"].to_numpy() - end.iloc[previous].to_numpy()
    ) / pd.Timedelta(seconds=1)
    frame = pd.DataFrame(
        {
            "document": first.loc[answering, "document"].to_numpy(),
            "case": first.loc[answering, "case"].to_numpy(),
            "channel": first.loc[answering, "channel"].to_numpy(),
            "from_role": last["role"].iloc[previous].to_numpy(),
            "to_role": first.loc[answering, "role"].to_numpy(),
            "from_index": last["index"].iloc[previous].to_numpy(),
            "index": first.loc[answering, "index"].to_numpy(),
            "gap_minutes": seconds / 60.0,
            "gap_days": seconds / 86400.0,
        },
        columns=RESPONSE_COLUMNS,
    )
    return frame.astype(
        {"from_index": "int64", "index": "int64", "gap_minutes": "float64", "gap_days": "float64"}
    )
