"""The Sequences and Agreement sections against independent computations.

Turns are rebuilt here from the stored utterances (role and time only) with the rule written
out in the test; codes per utterance come from ``qcode codings --format json``. The residuals
are cross-checked with statsmodels' contingency table (``Table.standardized_resids``, the
adjusted residuals), Yule's Q with statsmodels' 2 × 2 odds ratio, p with scipy.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy.stats import norm
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.contingency_tables import Table, Table2x2

from qcode.services.corpus import get_document
from qcode.services.project import open_project
from tests.report.conftest import Study, cli
from tests.report.study import CORPUS

BOOK = yaml.safe_load((CORPUS.parents[1] / "codebooks" / "klikvoorhulp.yaml").read_text(encoding="utf-8"))
ANALYSED = {c["id"] for c in BOOK["codes"] if c["group"] != "phases" and c["unit"] != "document"}
NO_CODE = "(no code)"


def _turns(study: Study, codings: pd.DataFrame) -> list[dict[str, Any]]:
    """Turns of every conversation: runs of one role in time order (untimed lines keep their
    printed place), system messages left out; with the codes of their utterances."""
    mine = codings[codings["coder"].isin(["consensus", "auto"]) & codings["code_id"].isin(ANALYSED)]
    assert mine["index"].notna().all()  # every analysed coding sits in one utterance
    codes: dict[tuple[str, int], set[str]] = {}
    for doc, utt, code in zip(mine["document"], mine["index"], mine["code_id"], strict=True):
        codes.setdefault((doc, int(utt)), set()).add(code)
    project = open_project(study.folder)
    turns: list[dict[str, Any]] = []
    try:
        keys = sorted(pd.DataFrame(json.loads(cli("metrics", "-p", str(study.folder), "--all", "--format", "json")))["document"])
        for key in keys:
            spoken = [u for u in get_document(project, key).utterances if u.role.value != "system"]
            last_time = None
            keyed = []
            for u in spoken:
                last_time = u.time or last_time
                keyed.append((last_time, u))
            first_time = next((t for t, _ in keyed if t is not None), None)
            keyed = [(t or first_time, u) for t, u in keyed]
            keyed.sort(key=lambda item: (item[0] is None, item[0] or 0, item[1].index))
            for _, u in keyed:
                if turns and turns[-1]["document"] == key and turns[-1]["role"] == u.role.value:
                    turn = turns[-1]
                else:
                    turn = {"document": key, "role": u.role.value, "codes": set(), "times": [], "first": u.time}
                    turns.append(turn)
                turn["codes"] |= codes.get((key, u.index), set())
                if u.time is not None:
                    turn["times"].append(u.time)
                turn["channel"] = get_document(project, key).channel.value if "channel" not in turn else turn["channel"]
    finally:
        project.close()
    return turns


@pytest.fixture(scope="module")
def turns(study: Study, codings: pd.DataFrame) -> list[dict[str, Any]]:
    return _turns(study, codings)


def _observed(turns: list[dict[str, Any]]) -> pd.DataFrame:
    given: list[str] = []
    target: list[str] = []
    for before, after in itertools.pairwise(turns):
        if before["document"] != after["document"]:
            continue
        for g in before["codes"] or {NO_CODE}:
            for t in after["codes"] or {NO_CODE}:
                given.append(g)
                target.append(t)
    return pd.crosstab(pd.Series(given, name="given"), pd.Series(target, name="target"))


def test_transition_counts_match_turns_rebuilt_here(study: Study, turns: list[dict[str, Any]]) -> None:
    report = study.report()
    pairs = pd.DataFrame(report["sections"]["sequences"]["tables"]["pairs"])
    observed = _observed(turns)
    got = pairs.pivot(index="given", columns="target", values="observed")
    assert sorted(got.index) == sorted(observed.index)
    assert sorted(got.columns) == sorted(observed.columns)
    got = got.loc[observed.index, observed.columns]
    assert (got.to_numpy() == observed.to_numpy()).all()
    figures = report["sections"]["sequences"]["figures"]
    assert figures["turns"] == len(turns)
    assert figures["transitions"] == int(observed.to_numpy().sum())


def test_residuals_expected_and_yules_q_match_statsmodels(study: Study) -> None:
    pairs = pd.DataFrame(study.report()["sections"]["sequences"]["tables"]["pairs"])
    observed = pairs.pivot(index="given", columns="target", values="observed")
    table = Table(observed.to_numpy(dtype=float), shift_zeros=False)
    resid = pd.DataFrame(table.standardized_resids, index=observed.index, columns=observed.columns)
    fitted = pd.DataFrame(table.fittedvalues, index=observed.index, columns=observed.columns)
    total = observed.to_numpy().sum()
    checked_q = 0
    for row in pairs.to_dict("records"):
        g, t = row["given"], row["target"]
        assert row["expected"] == pytest.approx(fitted.loc[g, t], rel=1e-9)
        assert row["adjusted_residual"] == pytest.approx(resid.loc[g, t], rel=1e-9)
        assert row["p_value"] == pytest.approx(2 * norm.sf(abs(resid.loc[g, t])), rel=1e-9, abs=1e-300)
        assert row["significant"] == (row["p_value"] < 0.05)
        a = observed.loc[g, t]
        b = observed.loc[g].sum() - a
        c = observed[t].sum() - a
        d = total - a - b - c
        if min(a, b, c, d) > 0:
            odds = Table2x2(np.array([[a, b], [c, d]], dtype=float), shift_zeros=False).oddsratio
            assert row["yules_q"] == pytest.approx((odds - 1) / (odds + 1), rel=1e-9)
            checked_q += 1
    assert checked_q > 10
    significant = pd.DataFrame(study.report()["sections"]["sequences"]["tables"]["significant"])
    expected = pairs[pairs["significant"] & (pairs["given"] != NO_CODE) & (pairs["target"] != NO_CODE)]
    assert len(significant) == len(expected) > 0


def test_latency_by_code_of_the_turn_answered(study: Study, turns: list[dict[str, Any]]) -> None:
    latency = pd.DataFrame(study.report()["sections"]["sequences"]["tables"]["latency"])
    gaps: dict[tuple[str, str, str], list[float]] = {}
    for before, after in itertools.pairwise(turns):
        if before["document"] != after["document"] or not before["times"] or after["first"] is None:
            continue
        seconds = (after["first"] - max(before["times"])).total_seconds()
        value = seconds / 60 if before["channel"] == "chat" else seconds / 86400
        for code in before["codes"] or {NO_CODE}:
            gaps.setdefault((before["channel"], before["role"], code), []).append(value)
    got = {(r["channel"], r["answered_role"], r["code"]): r for r in latency.to_dict("records")}
    assert set(got) == set(gaps)
    for key, values in gaps.items():
        assert got[key]["responses"] == len(values)
        assert got[key]["mean"] == pytest.approx(float(np.mean(values)))
        assert got[key]["median"] == pytest.approx(float(np.median(values)))


def test_agreement_section_is_what_qcode_agreement_prints(study: Study, codings: pd.DataFrame, metrics: list[dict[str, Any]]) -> None:
    section = study.report()["sections"]["agreement"]
    table = pd.DataFrame(section["tables"]["coefficients"])
    printed = pd.DataFrame(json.loads(cli("agreement", "-p", str(study.folder), "--coders", "anna,bram", "--bootstrap", "200", "--format", "json")))
    columns = ["code", "n_units", "percent_agreement", "cohen_kappa", "alpha", "alpha_low", "alpha_high", "ac1", "warning"]
    pd.testing.assert_frame_equal(table[columns].reset_index(drop=True), printed[columns].reset_index(drop=True))
    # Independently: Cohen's kappa for "Gesloten vraag" on the utterances of the conversations
    # both coders coded, with scikit-learn.
    both = set(codings.loc[codings["coder"] == "anna", "document"]) & set(codings.loc[codings["coder"] == "bram", "document"])
    sizes = {m["document"]: sum(m["utterances"].values()) for m in metrics}
    anna: list[int] = []
    bram: list[int] = []
    closed = codings[codings["code_id"] == "gesloten_vraag"]
    for doc in sorted(both):
        for index in range(sizes[doc]):
            hit = closed[(closed["document"] == doc) & (closed["index"] == index)]
            anna.append(int((hit["coder"] == "anna").any()))
            bram.append(int((hit["coder"] == "bram").any()))
    row = table[table["code"] == "gesloten_vraag"].iloc[0]
    assert row["n_units"] == len(anna)
    assert row["cohen_kappa"] == pytest.approx(cohen_kappa_score(anna, bram))
    figures = section["figures"]
    assert figures["coders"] == "anna, bram"
    assert figures["documents_double_coded"] == len(both)
    assert figures["units_per_code"] == len(anna)
    warned = [f"{n}: {w}" for n, w in zip(table["name"], table["warning"], strict=True) if w]
    assert section["notes"] == warned and warned
    assert not math.isnan(row["cohen_kappa"])
