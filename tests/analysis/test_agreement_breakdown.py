"""Agreement per coder pair, per document, case and channel, against reference libraries.

The reliability data are written out by hand below from the codings; alpha comes from the
``krippendorff`` package and Cohen's kappa from scikit-learn, never from qcode itself.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from qcode.analysis.agreement_breakdown import agreement_by, pair_matrix, pairwise_agreement
from tests.analysis.frames import codings_frame

NA = np.nan
UTTERANCES = pd.DataFrame(
    [
        ("A/chat1", "A", "chat", 0, "client", "a", 0, 10),
        ("A/chat1", "A", "chat", 1, "counsellor", "b", 12, 20),
        ("A/chat1", "A", "chat", 2, "client", "c", 22, 30),
        ("A/chat1", "A", "chat", 3, "counsellor", "d", 32, 40),
        ("B/mail1", "B", "email", 0, "client", "e", 0, 10),
        ("B/mail1", "B", "email", 1, "counsellor", "f", 12, 20),
    ],
    columns=["document", "case", "channel", "index", "role", "text", "start", "end"],
)
SPANS = {("A/chat1", 0): (0, 10), ("A/chat1", 1): (12, 20), ("A/chat1", 2): (22, 30), ("A/chat1", 3): (32, 40),
         ("B/mail1", 0): (0, 10), ("B/mail1", 1): (12, 20)}


def _coding(doc: str, turn: int, code: str, coder: str) -> dict[str, object]:
    start, end = SPANS[(doc, turn)]
    return {"document": doc, "case": doc[0], "channel": "email" if "mail" in doc else "chat", "code": code,
            "group": "g", "coder": coder, "start": start, "end": end, "utterance": turn}


CODINGS = codings_frame(
    [
        _coding("A/chat1", 0, "x", "ann"), _coding("A/chat1", 1, "x", "ann"), _coding("A/chat1", 2, "y", "ann"),
        _coding("B/mail1", 0, "x", "ann"),
        _coding("A/chat1", 0, "x", "bob"), _coding("A/chat1", 2, "y", "bob"), _coding("A/chat1", 3, "y", "bob"),
        _coding("B/mail1", 0, "x", "bob"), _coding("B/mail1", 1, "x", "bob"),
        _coding("A/chat1", 1, "x", "cas"), _coding("A/chat1", 2, "y", "cas"),  # cas never coded B/mail1
    ]
)
# Columns: x on A0..A3, B0, B1, then y on the same six utterances.
ANN = [1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]
BOB = [1, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0]
CAS = [0, 1, 0, 0, NA, NA, 0, 0, 1, 0, NA, NA]
CODERS = ["ann", "bob", "cas"]


def _alpha(*rows: list[float]) -> float:
    return float(krippendorff.alpha(reliability_data=np.array(rows, dtype=float), level_of_measurement="nominal"))


def test_every_pair_and_all_coders_match_the_references() -> None:
    pairs = pairwise_agreement(CODINGS, UTTERANCES, CODERS, ["x", "y"]).set_index(["coder_a", "coder_b"])
    ann_bob = pairs.loc[("ann", "bob")]
    assert ann_bob["n_units"] == 12
    assert ann_bob["percent_agreement"] == pytest.approx(9 / 12)  # differ on x@A1, x@B1, y@A3
    assert ann_bob["alpha"] == pytest.approx(_alpha(ANN, BOB), abs=1e-12)
    assert ann_bob["cohen_kappa"] == pytest.approx(cohen_kappa_score(ANN, BOB), abs=1e-12)
    ann_cas = pairs.loc[("ann", "cas")]
    both = [i for i, v in enumerate(CAS) if v == v]
    assert ann_cas["n_units"] == 8
    assert ann_cas["alpha"] == pytest.approx(_alpha(ANN, CAS), abs=1e-12)
    assert ann_cas["cohen_kappa"] == pytest.approx(cohen_kappa_score([ANN[i] for i in both], [CAS[i] for i in both]), abs=1e-12)
    everyone = pairs.loc[("(all coders)", "")]
    assert everyone["alpha"] == pytest.approx(_alpha(ANN, BOB, CAS), abs=1e-12)
    matrix = pair_matrix(pairs.reset_index(), CODERS)
    assert matrix.loc["bob", "ann"] == matrix.loc["ann", "bob"] == ann_bob["alpha"]
    assert np.isnan(matrix.loc["cas", "cas"])


def test_per_document_case_and_channel_match_the_references() -> None:
    chat = [i for i in range(12) if i % 6 < 4]
    mail = [i for i in range(12) if i % 6 >= 4]
    expected = {
        "A/chat1": _alpha(*[[row[i] for i in chat] for row in (ANN, BOB, CAS)]),
        "B/mail1": _alpha(*[[row[i] for i in mail] for row in (ANN, BOB)]),
    }
    by_doc = agreement_by(CODINGS, UTTERANCES, CODERS, ["x", "y"], "document").set_index("group")
    assert by_doc.loc["A/chat1", "n_units"] == 8 and by_doc.loc["B/mail1", "n_units"] == 4
    for group, alpha in expected.items():
        assert by_doc.loc[group, "alpha"] == pytest.approx(alpha, abs=1e-12)
    by_case = agreement_by(CODINGS, UTTERANCES, CODERS, ["x", "y"], "case").set_index("group")
    assert by_case.loc["A", "alpha"] == pytest.approx(expected["A/chat1"], abs=1e-12)
    by_channel = agreement_by(CODINGS, UTTERANCES, CODERS, ["x", "y"], "channel").set_index("group")
    assert by_channel.loc["email", "alpha"] == pytest.approx(expected["B/mail1"], abs=1e-12)
    assert by_channel.loc["email", "percent_agreement"] == pytest.approx(3 / 4)  # differ on x@B1
