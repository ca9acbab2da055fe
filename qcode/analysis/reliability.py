"""The per-code agreement report of a project (qcode issue 5, part 2).

One row per code, one per mutually exclusive set and two pooled rows. Codes nobody applied are
reported both ways, never silently: every row has the figures over all units and over the
units where at least one coder applied the code (``*_coded_only``), and the two pooled rows
pool all codes and only the applied codes. See docs/agreement.md.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from qcode.analysis.agreement import coefficients, krippendorff_alpha, percent_agreement
from qcode.analysis.reliability_units import (
    Coverage,
    as_texts,
    categories_from_hits,
    coverage_matrix,
    covered_documents,
    presence_from_hits,
    utterance_categories,
    utterance_hits,
    utterance_presence,
)
from qcode.analysis.segments import continuum, segment_presence
from qcode.analysis.unitized import unitized_alpha

__all__ = [
    "REPORT_COLUMNS",
    "agreement_report",
    "covered_documents",
    "utterance_categories",
    "utterance_presence",
]

REPORT_COLUMNS = [
    "kind",
    "code",
    "name",
    "n_units",
    "n_units_coded",
    "percent_agreement",
    "cohen_kappa",
    "fleiss_kappa",
    "alpha",
    "alpha_low",
    "alpha_high",
    "ac1",
    "percent_agreement_coded_only",
    "alpha_coded_only",
    "unitized_alpha",
    "warning",
]

PRESENCE = (0.0, 1.0)


def _row(
    kind: str,
    code: str,
    name: str,
    data: NDArray[np.float64],
    bootstrap: int,
    seed: int,
    categories: tuple[float, ...] | None,
) -> dict[str, Any]:
    """Coefficients of one matrix, plus the same over units where someone applied the code."""
    result = coefficients(data, "nominal", bootstrap, seed, categories)
    applied = np.nan_to_num(data, nan=0.0).max(axis=0) > 0 if kind != "set" else None
    coded = data[:, applied] if applied is not None else data
    warnings = list(result.warnings)
    if applied is not None and not applied.any():
        warnings.insert(0, "no coder applied this code: agreement is on absence only")
    low, high = result.alpha_ci if result.alpha_ci is not None else (np.nan, np.nan)
    return {
        "kind": kind,
        "code": code,
        "name": name,
        "n_units": result.n_units,
        "n_units_coded": int(((~np.isnan(coded)).sum(axis=0) >= 2).sum()),
        "percent_agreement": result.percent_agreement,
        "cohen_kappa": result.cohen_kappa,
        "fleiss_kappa": result.fleiss_kappa,
        "alpha": result.krippendorff_alpha,
        "alpha_low": low,
        "alpha_high": high,
        "ac1": result.gwet_ac1,
        "percent_agreement_coded_only": percent_agreement(coded),
        "alpha_coded_only": krippendorff_alpha(coded),
        "unitized_alpha": np.nan,
        "warning": "; ".join(warnings),
    }


def _document_lengths(
    codings: pd.DataFrame, utterances: pd.DataFrame, documents: pd.DataFrame | None
) -> dict[str, int]:
    if documents is not None and "text" in documents:
        return dict(zip(as_texts(documents["document"]), documents["text"].str.len(), strict=True))
    ends = pd.concat(
        [utterances[["document", "end"]], codings[["document", "end"]]], ignore_index=True
    )
    return {str(k): int(v) for k, v in ends.groupby("document")["end"].max().items()}


def agreement_report(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    codes: pd.DataFrame,
    coders: Sequence[str],
    unit: Literal["utterance", "segment"] = "utterance",
    overlap: float = 0.5,
    include_absent: bool = True,
    bootstrap: int = 1000,
    seed: int = 0,
    covered: Coverage | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Agreement per code (and per exclusive set, and pooled) between ``coders``.

    Args:
        codings: the codings frame (all coders; filter codes via ``codes``).
        utterances: the utterances frame of the documents to compare.
        codes: the codes frame; its rows (in order) are the codes reported.
        coders: two or more coder names.
        unit: ``utterance`` (presence per utterance) or ``segment`` (spans matched by
            ``overlap`` share, plus unitized alpha over the character continuum).
        overlap: minimum intersection/union share for two segments to match.
        include_absent: show rows for codes nobody applied (the pooled rows show both ways).
        bootstrap: bootstrap replicates for alpha's interval (0 = none).
        seed: bootstrap seed.
        covered: coder → documents coded; inferred from the codings when None.
        documents: the documents frame, for text lengths (segment level); optional.

    Returns:
        A frame with :data:`REPORT_COLUMNS`; ``kind`` is ``code``, ``set`` or ``pooled``.
    """
    if len(coders) < 2:
        raise ValueError("agreement needs two or more coders")
    coders = list(coders)
    covered = covered if covered is not None else covered_documents(codings, coders)
    rows: list[dict[str, Any]] = []
    matrices: dict[str, NDArray[np.float64]] = {}
    if unit == "utterance":
        hits = utterance_hits(codings[codings["coder"].isin(coders)], utterances)
        coverage = coverage_matrix(utterances, coders, covered)
    everyone = set.intersection(*(set(covered.get(c, set())) for c in coders))
    lengths = _document_lengths(codings, utterances, documents)
    for code, name in zip(as_texts(codes["code"]), as_texts(codes["name"]), strict=True):
        if unit == "utterance":
            data = presence_from_hits(hits, coverage, coders, code)
        else:
            data = segment_presence(codings, coders, code, covered, overlap)
        matrices[code] = data
        applied = bool(np.nan_to_num(data).max(initial=0.0) > 0)
        if not applied and not include_absent:
            continue
        row = _row("code", code, name, data, bootstrap, seed, PRESENCE)
        if unit == "segment":
            segs, length = continuum(codings, coders, code, {d: lengths[d] for d in everyone})
            row["unitized_alpha"] = (
                unitized_alpha(segs, length, categories=[code]) if length else np.nan
            )
        rows.append(row)
    if unit == "utterance" and "exclusive" in codes:
        sets = codes[codes["exclusive"].fillna("").astype(str) != ""]
        for set_name, group in sets.groupby("exclusive", sort=True):
            ids = as_texts(group["code"])
            data = categories_from_hits(hits, coverage, coders, ids, none_category=False)
            label = str(set_name)
            rows.append(_row("set", f"set:{label}", label, data, bootstrap, seed, None))
    applied_codes = [c for c, m in matrices.items() if np.nan_to_num(m).max(initial=0.0) > 0]
    for label, chosen in (
        ("(pooled: all codes)", list(matrices)),
        ("(pooled: applied codes)", applied_codes),
    ):
        if chosen:
            pooled = np.hstack([matrices[c] for c in chosen])
            rows.append(_row("pooled", label, label, pooled, bootstrap, seed, PRESENCE))
    return pd.DataFrame(rows, columns=REPORT_COLUMNS)


def presence_by_code(
    codings: pd.DataFrame,
    utterances: pd.DataFrame,
    coders: Sequence[str],
    code_ids: Sequence[str],
    covered: Mapping[str, set[str]] | None = None,
) -> dict[str, NDArray[np.float64]]:
    """Presence matrices for several codes at once (one pass over the codings)."""
    covered = covered if covered is not None else covered_documents(codings, coders)
    hits = utterance_hits(codings[codings["coder"].isin(list(coders))], utterances)
    coverage = coverage_matrix(utterances, coders, covered)
    return {code: presence_from_hits(hits, coverage, coders, code) for code in code_ids}
