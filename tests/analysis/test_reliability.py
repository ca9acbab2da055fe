"""Reliability data and the agreement report from hand-built frames (expected values by hand)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from qcode.analysis.disagreements import disagreements
from qcode.analysis.reliability import agreement_report, utterance_categories, utterance_presence
from qcode.analysis.segments import matched_units, overlap_share
from qcode.analysis.unitized import unitized_alpha
from tests.analysis.frames import CODES, CODINGS, DOCUMENTS, UTTERANCES

NA = np.nan
CODERS = ["ann", "bob"]


def test_presence_marks_uncoded_documents_missing() -> None:
    data = utterance_presence(CODINGS, UTTERANCES, CODERS, "compliment")
    # ann coded A/chat1, B/mail1, C/chat1; bob coded A/chat1, A/mail1, B/mail1.
    expected = np.array(
        [
            [0, 1, 0, NA, 0, 1, 0],
            [0, 1, 0, 0, 0, 0, NA],
        ]
    )
    np.testing.assert_array_equal(data, expected)


def test_partial_span_marks_its_utterance() -> None:
    data = utterance_presence(CODINGS, UTTERANCES, CODERS, "open")
    assert data[0, 1] == 1 and data[1, 1] == 0


def test_exclusive_set_categories_take_the_largest_overlap() -> None:
    data = utterance_categories(CODINGS, UTTERANCES, CODERS, ["intake", "afsluiting"])
    # ann: intake over all of A/chat1 -> 0,0,0; bob: intake for 0,1 and afsluiting on 2.
    np.testing.assert_array_equal(data[:, :3], [[0, 0, 0], [0, 0, 1]])
    assert np.isnan(data[0, 3]) and np.isnan(data[1, 3])  # nobody phased A/mail1
    assert data[0, 4] == 0 and data[1, 4] == 0


def test_report_rows_and_both_ways() -> None:
    report = agreement_report(CODINGS, UTTERANCES, CODES, CODERS, bootstrap=0)
    row = report.set_index("code").loc["compliment"]
    # Units both coded: A/chat1 (3) and B/mail1 (2) = 5; they differ only on B/mail1 #1.
    assert row["n_units"] == 5
    assert row["percent_agreement"] == pytest.approx(4 / 5)
    assert row["n_units_coded"] == 2
    assert row["percent_agreement_coded_only"] == pytest.approx(1 / 2)
    # Cohen: a = [0,1,0,0,1], b = [0,1,0,0,0]: p_o = .8, p_e = .6*.8 + .4*.2 = .56
    assert row["cohen_kappa"] == pytest.approx((0.8 - 0.56) / 0.44)
    kinds = report.groupby("kind").size().to_dict()
    assert kinds == {"code": 6, "pooled": 2, "set": 2}
    pooled = report.set_index("code")
    assert pooled.loc["(pooled: all codes)", "n_units"] == 6 * 5
    # storing: bob's A/mail1 codes are unpaired (ann did not code A/mail1) -> no coder
    # applied it on a shared unit? bob's A/mail1 utterance has ann missing, so it stays unpaired.
    assert pooled.loc["storing", "n_units"] == 5


def test_report_without_absent_codes() -> None:
    codings = CODINGS[CODINGS["code"] != "closed"]
    full = agreement_report(codings, UTTERANCES, CODES, CODERS, bootstrap=0)
    short = agreement_report(codings, UTTERANCES, CODES, CODERS, include_absent=False, bootstrap=0)
    assert "closed" in set(full["code"]) and "closed" not in set(short["code"])
    closed = full.set_index("code").loc["closed"]
    assert closed["percent_agreement"] == 1.0 and math.isnan(closed["alpha"])
    assert "no coder applied" in closed["warning"]
    pooled_all = full.set_index("code").loc["(pooled: all codes)", "n_units"]
    pooled_applied = full.set_index("code").loc["(pooled: applied codes)", "n_units"]
    assert pooled_all > pooled_applied


def test_segment_matching_by_overlap_share() -> None:
    assert overlap_share((0, 10), (5, 15)) == pytest.approx(5 / 15)
    segments = [("ann", 0, 10), ("bob", 2, 10), ("bob", 30, 40), ("ann", 50, 52), ("bob", 51, 60)]
    units = matched_units(segments, CODERS, overlap=0.5)
    # (0,10)~(2,10): 8/10 match; (30,40) bob only; (50,52)-(51,60): 1/10 no match.
    np.testing.assert_array_equal(units, [[1, 0, 1, 0], [1, 1, 0, 1]])


def test_segment_report_has_unitized_alpha() -> None:
    report = agreement_report(
        CODINGS, UTTERANCES, CODES, CODERS, unit="segment", bootstrap=0, documents=DOCUMENTS
    )
    intake = report.set_index("code").loc["intake"]
    # intake: A/chat1 ann (0,40) vs bob (0,30): share .75 -> one unit, both 1; B/mail1 same.
    assert intake["n_units"] == 2 and intake["percent_agreement"] == 1.0
    # Continuum: A/chat1 (40 chars) then B/mail1 (40): the documents both coders coded.
    laid_out = {
        "ann": [(0, 40, "intake"), (40, 55, "intake")],
        "bob": [(0, 30, "intake"), (40, 55, "intake")],
    }
    assert intake["unitized_alpha"] == pytest.approx(unitized_alpha(laid_out, 80))
    assert 0 < intake["unitized_alpha"] < 1


def test_disagreements_list() -> None:
    table = disagreements(CODINGS, UTTERANCES, CODERS, codes=["compliment", "open", "closed"])
    got = set(zip(table["document"], table["utterance"], table["code"], table["coders_with"], strict=False))
    assert got == {
        ("B/mail1", 1, "compliment", "ann"),
        ("A/chat1", 1, "open", "ann"),
        ("A/chat1", 1, "closed", "bob"),
    }
    assert list(table.columns[:3]) == ["document", "case", "utterance"]
    assert isinstance(table, pd.DataFrame)
