"""Agreement where a supervisor needs it: per coder pair, per document, per case, per channel.

The data are the per-code report's (:mod:`qcode.analysis.reliability`): utterance-level
presence of each code, pooled over the codes some coder applied (the report's
"(pooled: applied codes)" row), so one figure summarises a pair or a part of the corpus.
A pair's figures use only that pair's ratings; the all-coder row is Krippendorff's alpha over
every coder at once (alpha allows missing values, so coders need not all code everything).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from qcode.analysis.agreement import cohen_kappa, krippendorff_alpha, percent_agreement
from qcode.analysis.reliability import presence_by_code
from qcode.analysis.reliability_units import Coverage, as_texts, covered_documents

PAIR_COLUMNS = ["coder_a", "coder_b", "n_units", "percent_agreement", "cohen_kappa", "alpha"]
GROUP_COLUMNS = ["by", "group", "n_units", "percent_agreement", "alpha"]

Grouping = Literal["document", "case", "channel"]


def pooled_presence(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    code_ids: Sequence[str],
    covered: Coverage | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.intp]]:
    """Coders × (utterance, applied code) presence, and each column's utterance row."""
    covered = covered if covered is not None else covered_documents(codings, coders)
    matrices = presence_by_code(codings, utterances, coders, code_ids, covered)
    applied = [m for m in matrices.values() if np.nan_to_num(m).max(initial=0.0) > 0]
    if not applied:
        return np.empty((len(coders), 0)), np.empty(0, dtype=np.intp)
    rows = np.tile(np.arange(len(utterances)), len(applied))
    return np.hstack(applied), rows


def _pairable(data: NDArray[np.float64]) -> int:
    return int(((~np.isnan(data)).sum(axis=0) >= 2).sum())


def _figures(data: NDArray[np.float64]) -> dict[str, Any]:
    n = _pairable(data)
    return {
        "n_units": n,
        "percent_agreement": percent_agreement(data) if n else np.nan,
        "alpha": krippendorff_alpha(data) if n else np.nan,
    }


def pairwise_agreement(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    code_ids: Sequence[str],
    covered: Coverage | None = None,
) -> pd.DataFrame:
    """One row per coder pair, then one row ``(all coders)`` with alpha over everyone."""
    coders = list(coders)
    data, _rows = pooled_presence(codings, utterances, coders, code_ids, covered)
    records: list[dict[str, Any]] = []
    for a, b in combinations(range(len(coders)), 2):
        pair = data[[a, b]]
        both = ~np.isnan(pair).any(axis=0)
        kappa = cohen_kappa(pair[0, both], pair[1, both]) if both.any() else np.nan
        records.append({"coder_a": coders[a], "coder_b": coders[b], **_figures(pair), "cohen_kappa": kappa})
    records.append({"coder_a": "(all coders)", "coder_b": "", **_figures(data), "cohen_kappa": np.nan})
    return pd.DataFrame(records, columns=PAIR_COLUMNS)


def pair_matrix(pairs: pd.DataFrame, coders: Sequence[str], value: str = "alpha") -> pd.DataFrame:
    """The pairwise figures as a symmetric coders × coders table (empty diagonal)."""
    matrix = pd.DataFrame(np.nan, index=list(coders), columns=list(coders))
    for r in pairs[pairs["coder_b"] != ""].to_dict("records"):
        matrix.loc[r["coder_a"], r["coder_b"]] = matrix.loc[r["coder_b"], r["coder_a"]] = r[value]
    return matrix


def agreement_by(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    code_ids: Sequence[str],
    by: Grouping,
    covered: Coverage | None = None,
) -> pd.DataFrame:
    """Pooled agreement of all ``coders`` within each document, case or channel."""
    data, rows = pooled_presence(codings, utterances, coders, code_ids, covered)
    labels = np.array(as_texts(utterances[by]), dtype=object)[rows] if len(rows) else np.array([], dtype=object)
    records = []
    for group in sorted(set(labels.tolist())):
        part = data[:, labels == group]
        figures = _figures(part)
        if figures["n_units"]:
            records.append({"by": by, "group": group, **figures})
    return pd.DataFrame(records, columns=GROUP_COLUMNS)
