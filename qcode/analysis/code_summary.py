"""The study's codes table and where codings came from, in codebook order.

:func:`code_table` lays the shares of :func:`qcode.analysis.frequencies.case_shares` (overall
and per channel, the numbers ``qcode stats --table shares`` prints) side by side, one row per
code in the codebook's group order, with the Dutch labels and the codebook colour. It only
arranges; it computes nothing new.

:func:`origin_counts` counts, per code, the codings by origin, so a report can say how many
came from accepted suggestions (a reader judging the method needs to know).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from qcode.analysis.reliability_units import as_texts

ORIGINS = ("manual", "automatic", "accepted suggestion", "imported", "consensus")


def codebook_order(codes: pd.DataFrame, groups: Sequence[tuple[str, str]]) -> pd.DataFrame:
    """The codes frame sorted by group (the codebook's group order), then codebook order."""
    rank = {key: position for position, (key, _label) in enumerate(groups)}
    labels = dict(groups)
    frame = codes.assign(
        group_label=[labels.get(str(g), str(g)) for g in codes["group"]],
        _group=[rank.get(str(g), len(rank)) for g in codes["group"]],
        _code=np.arange(len(codes)),
    )
    return frame.sort_values(["_group", "_code"]).drop(columns=["_group", "_code"]).reset_index(drop=True)


def code_table(
    overall: pd.DataFrame,
    per_channel: pd.DataFrame,
    codes: pd.DataFrame,
    groups: Sequence[tuple[str, str]],
) -> pd.DataFrame:
    """One row per code: group, label, colour, and cases/share overall and per channel.

    Args:
        overall: ``case_shares(..., by_channel=False)`` (channel ``all``).
        per_channel: ``case_shares(..., by_channel=True)``.
        codes: the codes frame.
        groups: the codebook's ``(key, label)`` groups, in order.

    Returns:
        Columns ``group``, ``group_label``, ``code``, ``name``, ``colour``, then
        ``cases_with_code``, ``cases``, ``share`` and, for each channel C present,
        ``C_cases_with_code``, ``C_cases``, ``C_share``.
    """
    ordered = codebook_order(codes, groups)[["group", "group_label", "code", "name", "colour"]]
    ordered = ordered.assign(code=as_texts(ordered["code"]))
    base = overall.assign(code=as_texts(overall["code"]))[["code", "cases_with_code", "cases", "share"]]
    table = ordered.merge(base, on="code", how="left")
    for channel in sorted(set(as_texts(per_channel["channel"]))):
        mine = per_channel[per_channel["channel"].astype(str) == channel]
        mine = mine.assign(code=as_texts(mine["code"]))[["code", "cases_with_code", "cases", "share"]]
        table = table.merge(
            mine.rename(columns={c: f"{channel}_{c}" for c in ("cases_with_code", "cases", "share")}),
            on="code",
            how="left",
        )
    counts = [c for c in table.columns if c.endswith("cases_with_code") or c.endswith("cases")]
    table[counts] = table[counts].fillna(0).astype("int64")
    return table


def origin_counts(codings: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Per code (codes frame order): codings, one column per origin, share from suggestions."""
    origin = codings["origin"].astype(str)
    table = pd.crosstab(codings["code"].astype(str), origin) if len(codings) else pd.DataFrame()
    lookup = {str(k): {str(o): int(n) for o, n in v.items()} for k, v in table.to_dict("index").items()}
    rows: list[dict[str, object]] = []
    for code, name in zip(as_texts(codes["code"]), as_texts(codes["name"]), strict=True):
        found = lookup.get(code, {})
        counts = {o: int(found.get(o, 0)) for o in ORIGINS}
        total = sum(int(v) for v in found.values())
        rows.append(
            {
                "code": code,
                "name": name,
                "codings": total,
                **counts,
                "share_from_suggestions": counts["accepted suggestion"] / total if total else np.nan,
            }
        )
    return pd.DataFrame(rows, columns=["code", "name", "codings", *ORIGINS, "share_from_suggestions"])


def coder_counts(codings: pd.DataFrame) -> pd.DataFrame:
    """Per coder: live codings, documents and cases with at least one of their codings."""
    grouped = codings.groupby(codings["coder"].astype(str), sort=True)
    frame = pd.DataFrame(
        {
            "codings": grouped.size(),
            "documents": grouped["document"].nunique(),
            "cases": grouped["case"].nunique(),
        }
    )
    frame.index.name = "coder"
    return frame.reset_index().astype({"codings": "int64", "documents": "int64", "cases": "int64"})
