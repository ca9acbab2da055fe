"""Summary tables for export: code × document counts, co-occurrence, codebook, presence.

These are ATLAS.ti's code-document table and code co-occurrence table, computed on the
DataFrames of ``docs/architecture.md``. Counts are of *quotations* (distinct spans), as in
ATLAS.ti, so two coders marking the same span count once; different spans count separately.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import combinations
from typing import Literal

import pandas as pd

from qcode.export.display import DATA_COLUMNS
from qcode.export.quotations import quotations, quotations_long

TOTAL = "Totals"

__all__ = [
    "code_document_table", "codebook_table", "cooccurrence_table", "filter_codings",
    "presence_matrix", "quotations", "quotations_long", "with_case_attributes",
]


def filter_codings(
    codings: pd.DataFrame, codes: Iterable[str] | None = None,
    groups: Iterable[str] | None = None, coders: Iterable[str] | None = None,
    cases: Iterable[str] | None = None, channels: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Keep codings matching every given filter (None means no filter on that column).

    ``codes`` matches the stable id or the name (case-insensitive); ``coders`` may include
    ``consensus`` to export the adjudicated codings.
    """
    keep = pd.Series(True, index=codings.index)
    if codes is not None:
        wanted = {c.casefold() for c in codes}
        keep &= codings["code"].str.casefold().isin(wanted) | codings["code_name"].str.casefold(
        ).isin(wanted)
    for column, values in (("group", groups), ("coder", coders), ("case", cases),
                           ("channel", channels)):
        if values is not None:
            keep &= codings[column].astype(str).isin([str(v) for v in values])
    return codings[keep]


def _spans(codings: pd.DataFrame) -> pd.DataFrame:
    return codings.drop_duplicates(["document", "start", "end", "code"])


def code_document_table(
    codings: pd.DataFrame, codes: pd.DataFrame, by: Literal["document", "case"] = "document"
) -> pd.DataFrame:
    """Quotations per code (rows, codebook order) and document or case (columns), with totals.

    The ``Totals`` column sums each row; the ``Totals`` row sums each column (as ATLAS.ti's
    code-document table does, so a quotation with two codes counts twice there).
    """
    if by not in ("document", "case"):
        raise ValueError(f"by must be 'document' or 'case', not {by!r}")
    spans = _spans(codings)
    columns = sorted({str(v) for v in spans[by].to_list()})
    counts: dict[tuple[str, str], int] = {}
    for code, column in zip(spans["code"].to_list(), spans[by].to_list(), strict=True):
        pair = (str(code), str(column))
        counts[pair] = counts.get(pair, 0) + 1
    table = pd.DataFrame({"code": codes["name"].to_list(), "group": codes["group"].to_list()})
    for column in columns:
        table[column] = [counts.get((str(c), column), 0) for c in codes["code"].to_list()]
    table[TOTAL] = table[columns].sum(axis=1).astype(int) if columns else 0
    totals = {"code": TOTAL, "group": "", **{c: int(table[c].sum()) for c in [*columns, TOTAL]}}
    result = pd.concat([table, pd.DataFrame([totals])], ignore_index=True)
    result.attrs[DATA_COLUMNS] = columns
    return result


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a == b or max(a[0], b[0]) < min(a[1], b[1])


def cooccurrence_table(codings: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """Symmetric code × code counts of overlapping quotations in the same document.

    Cell (A, B) counts pairs of a quotation coded A and a quotation coded B whose spans share
    at least one character (or are the same span); the diagonal holds each code's number of
    quotations. This is ATLAS.ti's co-occurrence count without its coefficient.
    """
    ids = codes["code"].to_list()
    index = {c: i for i, c in enumerate(ids)}
    matrix = [[0] * len(ids) for _ in ids]
    spans = _spans(codings)
    for _, frame in spans.groupby("document"):
        items = [(index[c], (int(s), int(e))) for c, s, e in frame[["code", "start", "end"]]
                 .itertuples(index=False, name=None) if c in index]
        for i, _span in items:
            matrix[i][i] += 1
        for (i, a), (j, b) in combinations(items, 2):
            if i != j and _overlap(a, b):
                matrix[i][j] += 1
                matrix[j][i] += 1
    names = codes["name"].to_list()
    table = pd.DataFrame(matrix, columns=names)
    table.insert(0, "code", names)
    table.attrs[DATA_COLUMNS] = names
    return table


def codebook_table(codings: pd.DataFrame, codes: pd.DataFrame) -> pd.DataFrame:
    """The codebook with how often each code was used: quotations, codings and cases."""
    spans = _spans(codings)
    quotation_counts = spans.groupby("code").size()
    coding_counts = codings.groupby("code").size()
    case_counts = codings.groupby("code")["case"].nunique()
    return pd.DataFrame({
        "code": codes["name"], "id": codes["code"], "group": codes["group"],
        "unit": codes["unit"].astype(str), "definition_en": codes["definition_en"],
        "definition_nl": codes["definition_nl"],
        "quotations": [int(quotation_counts.get(c, 0)) for c in codes["code"]],
        "codings": [int(coding_counts.get(c, 0)) for c in codes["code"]],
        "cases": [int(case_counts.get(c, 0)) for c in codes["code"]],
    }).reset_index(drop=True)


def presence_matrix(codings: pd.DataFrame, cases: pd.DataFrame,
                    codes: pd.DataFrame) -> pd.DataFrame:
    """One row per case, one 0/1 column per code name: was the code applied in the case."""
    present = set(zip(codings["case"].astype(str), codings["code"], strict=True))
    keys = list(dict.fromkeys([*cases["case"].astype(str),
                               *sorted(set(codings["case"].astype(str)))]))
    table = pd.DataFrame({"case": keys})
    for code, name in zip(codes["code"], codes["name"], strict=True):
        table[name] = [int((key, code) in present) for key in keys]
    table.attrs[DATA_COLUMNS] = list(codes["name"])
    return table


def with_case_attributes(table: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """``table`` with each case attribute as a column after ``case`` (ATLAS.ti's document
    variables beside each quotation). An attribute named like a column of the table is
    written as ``case_<name>``; the attribute columns are data (kept as named)."""
    attributes = [c for c in cases.columns if c != "case"]
    if not attributes or "case" not in table.columns:
        return table
    names = {a: (f"case_{a}" if a in table.columns else a) for a in attributes}
    values = cases.set_index("case")
    out = table.copy()
    position = list(out.columns).index("case") + 1
    for offset, attribute in enumerate(attributes):
        column = values[attribute].to_dict()
        out.insert(position + offset, names[attribute],
                   [column.get(k) for k in out["case"]])
    out.attrs[DATA_COLUMNS] = [*table.attrs.get(DATA_COLUMNS, ()), *names.values()]
    return out
