"""Lag-1 sequential analysis of turn codes, and response latency by the answered turn's code.

A *turn* is the unit of :mod:`qcode.analysis.response_times`: a maximal run of consecutive
utterances, in time order, by the same role, platform messages left out. The codes of a turn
are every code (of the codes asked for) applied to any of its utterances; a coding spanning
several utterances counts for each it overlaps (:func:`~qcode.analysis.reliability_units.utterance_hits`).
A turn without any of those codes has the category :data:`NO_CODE`, so the table accounts
for every transition.

The transition table (Bakeman & Quera, *Sequential Analysis and Observational Methods for the
Behavioral Sciences*, 2011, ch. 9-11): rows are the codes of a turn (*given*), columns the codes
of the next turn in the same conversation (*target*, always the other speaker). A transition
between a turn with codes G and a turn with codes T adds one to every cell (g, t) of G × T, as
GSEQ tallies multi-coded events. For each cell:

- expected = row total × column total / N (N: the table's grand total);
- adjusted residual (Haberman; Allison & Liker's z for the full table)
  = (observed − expected) / sqrt(expected × (1 − row/N) × (1 − column/N)), the figure
  statsmodels' ``Table.standardized_resids`` gives (tests/report cross-checks it);
- p: two-sided, from the standard normal; significant when p < 0.05;
- Yule's Q of the 2 × 2 table collapsed around the cell (given or not × target or not):
  (ad − bc) / (ad + bc), from −1 (never follows) to +1 (always follows).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from qcode.analysis.reliability_units import as_texts, utterance_hits
from qcode.analysis.response_times import number_turns, response_times

NO_CODE = "(no code)"
"""The category of a turn without any of the codes analysed."""
ALPHA = 0.05

PAIR_COLUMNS = [
    "given",
    "target",
    "observed",
    "expected",
    "adjusted_residual",
    "p_value",
    "yules_q",
    "significant",
    "given_total",
    "target_total",
    "total",
]
LATENCY_COLUMNS = ["channel", "answered_role", "code", "responses", "mean", "median", "unit"]


def turns(utterances: pd.DataFrame) -> pd.DataFrame:
    """Every spoken utterance with its turn: :func:`qcode.analysis.response_times.number_turns`.

    The one turn rule of qcode (the same as ``qcode metrics``' response times), so the
    latencies below and the sequences count the same turns.
    """
    return number_turns(utterances).drop(columns="time")


def turn_codes(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    code_ids: Sequence[str],
    numbered: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per turn: document, case, channel, turn, role, last_index, codes (a sorted tuple).

    ``numbered``: ``number_turns(utterances)``, if the caller has it already (the report
    numbers the turns once for response times and sequences).
    """
    if numbered is None:
        numbered = turns(utterances)
    wanted = codings[codings["code"].astype(str).isin([str(c) for c in code_ids])]
    hits = utterance_hits(wanted, utterances)
    turn_of_row = dict(zip(numbered["row"].tolist(), numbered["turn"].tolist(), strict=True))
    document_of_row = utterances["document"].astype(str).tolist()
    coded: dict[tuple[str, int], set[str]] = {}
    for row, code in zip(hits["row"].tolist(), as_texts(hits["code"]), strict=True):
        turn = turn_of_row.get(row)
        if turn is not None:  # system messages belong to no turn
            coded.setdefault((document_of_row[row], int(turn)), set()).add(code)
    grouped = numbered.groupby(["document", "turn"], sort=True)
    table = grouped.agg(
        case=("case", "first"),
        channel=("channel", "first"),
        role=("role", "first"),
        last_index=("index", "last"),
    ).reset_index()
    table["codes"] = [
        tuple(sorted(coded.get((str(d), int(t)), set())))
        for d, t in zip(table["document"].tolist(), table["turn"].tolist(), strict=True)
    ]
    return table


def transitions(turn_table: pd.DataFrame) -> pd.DataFrame:
    """Given × target counts over consecutive turns of each conversation (see module doc)."""
    given: list[str] = []
    target: list[str] = []
    documents = turn_table["document"].astype(str).tolist()
    codes = [c if c else (NO_CODE,) for c in turn_table["codes"].tolist()]
    for position in range(1, len(documents)):
        if documents[position] != documents[position - 1]:
            continue
        for g in codes[position - 1]:
            for t in codes[position]:
                given.append(g)
                target.append(t)
    if not given:
        return pd.DataFrame(dtype="int64")
    return pd.crosstab(pd.Series(given, name="given"), pd.Series(target, name="target"))


def _normal_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0)) if not math.isnan(z) else float("nan")


def sequence_pairs(table: pd.DataFrame) -> pd.DataFrame:
    """Observed, expected, adjusted residual, p, Yule's Q and significance for every cell."""
    if table.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    observed = table.to_numpy(dtype="float64")
    rows = observed.sum(axis=1, keepdims=True)
    columns = observed.sum(axis=0, keepdims=True)
    total = float(observed.sum())
    expected = rows @ columns / total
    variance = expected * (1.0 - rows / total) * (1.0 - columns / total)
    with np.errstate(divide="ignore", invalid="ignore"):
        residual = np.where(variance > 0, (observed - expected) / np.sqrt(variance), np.nan)
        a = observed
        b = rows - observed
        c = columns - observed
        d = total - rows - columns + observed
        q = np.where(a * d + b * c > 0, (a * d - b * c) / (a * d + b * c), np.nan)
    records: list[dict[str, object]] = []
    for i, g in enumerate(table.index.astype(str)):
        for j, t in enumerate(table.columns.astype(str)):
            z = float(residual[i, j])
            p = _normal_p(z)
            records.append(
                {
                    "given": g,
                    "target": t,
                    "observed": int(observed[i, j]),
                    "expected": float(expected[i, j]),
                    "adjusted_residual": z,
                    "p_value": p,
                    "yules_q": float(q[i, j]),
                    "significant": bool(p < ALPHA) if not math.isnan(p) else False,
                    "given_total": int(rows[i, 0]),
                    "target_total": int(columns[0, j]),
                    "total": int(total),
                }
            )
    return pd.DataFrame(records, columns=PAIR_COLUMNS)


def latency_by_code(
    turn_table: pd.DataFrame, utterances: pd.DataFrame, responses: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Response latency of the next turn, by a code of the turn answered.

    One row per channel × answered role × code (a turn with several codes counts for each;
    :data:`NO_CODE` for turns without any): the number of timed responses, their mean and
    median, in minutes for chat and days for e-mail (the study's units). The latency is the
    response time of :func:`qcode.analysis.response_times.response_times`, so it is the
    figure ``qcode metrics`` averages.
    """
    if responses is None:  # ``response_times(utterances)``, if the caller has it already
        responses = response_times(utterances)
    keyed = turn_table.assign(document=turn_table["document"].astype(str))[
        ["document", "last_index", "codes"]
    ]
    joined = responses.assign(document=responses["document"].astype(str)).merge(
        keyed, left_on=["document", "from_index"], right_on=["document", "last_index"], how="inner"
    )
    records: list[dict[str, object]] = []
    for channel, unit, column in (("chat", "minutes", "gap_minutes"), ("email", "days", "gap_days")):
        mine = joined[(joined["channel"].astype(str) == channel) & joined[column].notna()]
        labelled: list[tuple[str, ...]] = [c if c else (NO_CODE,) for c in mine["codes"].tolist()]
        exploded = mine.assign(code=pd.Series(labelled, index=mine.index, dtype=object)).explode("code")
        for (role, code), group in exploded.groupby(["from_role", "code"], sort=True):
            values = group[column].astype("float64")
            records.append(
                {
                    "channel": channel,
                    "answered_role": str(role),
                    "code": str(code),
                    "responses": len(values),
                    "mean": float(values.mean()),
                    "median": float(values.median()),
                    "unit": unit,
                }
            )
    return pd.DataFrame(records, columns=LATENCY_COLUMNS)


def significant_pairs(pairs: pd.DataFrame) -> pd.DataFrame:
    """The significant pairs between codes (``NO_CODE`` left out), strongest first."""
    chosen = pairs[
        pairs["significant"] & (pairs["given"] != NO_CODE) & (pairs["target"] != NO_CODE)
    ]
    return chosen.sort_values("adjusted_residual", ascending=False, key=abs).reset_index(drop=True)
