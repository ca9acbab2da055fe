"""Statistics, agreement and adjudication through the services on a hand-built project."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

from qcode.errors import QcodeError
from qcode.services import analysis
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.project import Project
from qcode.transcripts.model import Case, Channel
from tests.factories import make_document, store

TURNS = [("counsellor", f"19:{m:02d}", f"zin {m}") for m in range(10)]


@pytest.fixture
def coded(sqlite_project: Project) -> Project:
    store(
        sqlite_project,
        make_document("a/chat", "a", TURNS),
        make_document("b/chat", "b", TURNS[:4]),
        make_document("b/mail", "b", TURNS[:3], channel=Channel.EMAIL),
        make_document("c/mail", "c", TURNS[:3], channel=Channel.EMAIL),
        cases=(Case("a", {"leeftijd": "13-16"}), Case("b", {"leeftijd": "17-20"}), Case("c", {"leeftijd": "17-20"})),
    )
    anna = [1, 1, 0, 0, 1, 0, 1, 0, 0, 1]
    bram = [1, 0, 0, 0, 1, 0, 1, 1, 0, 1]
    for i in range(10):
        if anna[i]:
            coding_service.add_coding(sqlite_project, "a/chat", "Open vraag", "anna", utterance=i)
        if bram[i]:
            coding_service.add_coding(sqlite_project, "a/chat", "Open vraag", "bram", utterance=i)
    coding_service.add_coding(sqlite_project, "b/mail", "Compliment woorden", "anna", utterance=0)
    coding_service.add_coding(sqlite_project, "b/mail", "Compliment woorden", "bram", utterance=0)
    coding_service.add_coding(sqlite_project, "c/mail", "Technische storing", "anna", utterance=1)
    coding_service.add_coding(sqlite_project, "a/chat", "Technische storing", "bram", utterance=2)
    team_service.add_coder(sqlite_project, "sup", supervisor=True)
    return sqlite_project


def test_cohen_kappa_for_a_code_matches_scikit_learn(coded: Project) -> None:
    report = analysis.project_agreement(coded, ["anna", "bram"], codes=["Open vraag"], bootstrap=0)
    row = report[report["code"] == "open_vraag"].iloc[0]
    # Both coders coded a/chat and b/mail, so the units are the utterances of those two
    # documents: the 10 of a/chat, then the 3 of b/mail (no "Open vraag" there).
    anna = [1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0]
    bram = [1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0]
    assert row["n_units"] == 13
    assert row["cohen_kappa"] == pytest.approx(cohen_kappa_score(anna, bram), abs=1e-12)
    assert row["percent_agreement"] == pytest.approx(11 / 13)


def test_shares_of_cases_overall_and_per_channel(coded: Project) -> None:
    shares = analysis.stats(coded, "shares", by="case", flt=analysis.StatsFilter(coder=["anna"]))
    got = {r.code: (r.cases_with_code, r.cases) for r in shares.itertuples()}
    assert got["open_vraag"] == (1, 3)
    assert got["technische_storing"] == (1, 3)
    per = analysis.stats(coded, "shares", by="channel", flt=analysis.StatsFilter(coder=["anna", "bram"]))
    storing = per[per["code"] == "technische_storing"].set_index("channel")
    # chat cases: a, b (2); e-mail cases: b, c (2). Storing in a chat of a, in an e-mail of c.
    assert (storing.loc["chat", "cases_with_code"], storing.loc["chat", "cases"]) == (1, 2)
    assert (storing.loc["email", "cases_with_code"], storing.loc["email", "cases"]) == (1, 2)


def test_counts_by_coder_and_attribute_filter(coded: Project) -> None:
    counts = analysis.stats(coded, "counts", by="coder").set_index("code")
    assert counts.loc["open_vraag", "anna"] == 5 and counts.loc["open_vraag", "bram"] == 5
    older = analysis.stats(coded, "shares", flt=analysis.StatsFilter(case_attributes={"leeftijd": "17-20"}))
    assert set(older["cases"]) == {2}
    with pytest.raises(QcodeError, match="No case attribute"):
        analysis.stats(coded, "shares", flt=analysis.StatsFilter(case_attributes={"nope": "x"}))


def test_adjudication_settles_disagreements_into_consensus(coded: Project) -> None:
    open_before = analysis.disagreements(coded, ["anna", "bram"], ["Open vraag"])
    assert sorted(open_before["utterance"]) == [1, 7]
    seeded = analysis.seed_consensus(coded, ["anna", "bram"], by="sup")
    assert seeded == 5  # 4 agreed "Open vraag" utterances + the agreed compliment
    with pytest.raises(QcodeError, match="supervisor"):
        analysis.adjudicate(coded, "a/chat", 0, 1, "Open vraag", True, by="anna")
    doc_turn = open_before.set_index("utterance")
    analysis.adjudicate(coded, "a/chat", int(doc_turn.loc[1, "start"]), int(doc_turn.loc[1, "end"]), "Open vraag", True, "sup")
    analysis.adjudicate(coded, "a/chat", int(doc_turn.loc[7, "start"]), int(doc_turn.loc[7, "end"]), "Open vraag", False, "sup")
    assert analysis.disagreements(coded, ["anna", "bram"], ["Open vraag"]).empty
    consensus = coding_service.list_codings(coded, coders=["consensus"])
    assert sorted(consensus.loc[consensus["code"] == "open_vraag", "utterance"].astype(int)) == [0, 1, 4, 6, 9]
    counts = analysis.stats(coded, "counts", by="coder", flt=analysis.StatsFilter(coder=["consensus"]))
    assert int(counts.set_index("code").loc["open_vraag", "consensus"]) == 5


def test_agreement_table_csv(tmp_path: pd.DataFrame) -> None:
    path = tmp_path / "r.csv"
    path.write_text("unit,a,b\n1,x,x\n2,x,y\n3,y,y\n4,y,\n", encoding="utf-8")
    result = analysis.agreement_from_table(path, "nominal", bootstrap=0)
    assert result.n_units == 3  # unit 4 has one rating only: not pairable
    assert result.cohen_kappa == pytest.approx(cohen_kappa_score(["x", "x", "y"], ["x", "y", "y"]))
