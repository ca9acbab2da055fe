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


def _document_responses(rows: pd.DataFrame) -> list[dict[str, object]]:
    spoken = time_ordered(rows[rows["role"] != SYSTEM])
    records: list[dict[str, object]] = []
    turn_role: str | None = None
    turn_last_index = -1
    turn_end: datetime | None = None
    roles = [str(role) for role in spoken["role"].tolist()]
    indices = [int(index) for index in spoken["index"].tolist()]
    for role, index, time in zip(roles, indices, _python_times(spoken["time"]), strict=True):
        if turn_role is not None and role != turn_role:
            seconds = (
                (time - turn_end).total_seconds()
                if time is not None and turn_end is not None
                else float("nan")
            )
            records.append(
                {
                    "from_role": turn_role,
                    "to_role": role,
                    "from_index": turn_last_index,
                    "index": index,
                    "gap_minutes": seconds / 60.0,
                    "gap_days": seconds / 86400.0,
                }
            )
            turn_end = None
        turn_role = role
        turn_last_index = index
        if time is not None:
            turn_end = time if turn_end is None else max(turn_end, time)
    first = rows.iloc[0]
    for record in records:
        record.update(document=first["document"], case=first["case"], channel=first["channel"])
    return records


def response_times(utterances: pd.DataFrame) -> pd.DataFrame:
    """One row per turn change of every document (see the module docstring for the rule).

    Columns: document, case, channel, from_role, to_role, from_index (the last utterance of
    the turn answered), index (the first utterance of the answering turn), gap_minutes,
    gap_days (NaN when either end has no time).
    """
    records: list[dict[str, object]] = []
    for _, rows in utterances.groupby("document", sort=True):
        records.extend(_document_responses(rows))
    frame = pd.DataFrame.from_records(records, columns=RESPONSE_COLUMNS)
    return frame.astype(
        {"from_index": "int64", "index": "int64", "gap_minutes": "float64", "gap_days": "float64"}
    )
