"""Settling disagreements: seeding and the review use agreement's own units (issue 17).

The reference for "a unit" is :func:`qcode.analysis.reliability_units.utterance_presence`, the
matrix the agreement coefficients are computed from; these tests compare the consensus with
that matrix, never with the consensus code's own view of units.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qcode.analysis.reliability_units import utterance_hits, utterance_presence
from qcode.errors import QcodeError
from qcode.services import analysis, consensus
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.consensus import Decision
from qcode.services.frames import codings_frame, utterances_frame
from qcode.services.project import Project, init_project
from qcode.storage.codings import CodingFilter
from qcode.transcripts.model import Case, Channel
from tests.factories import make_document, store

TURNS = [
    ("counsellor", "19:00", "Hoi, waar wil je over praten?"),
    ("client", "19:01", "Het gaat niet goed thuis. Mijn ouders maken ruzie."),
    ("counsellor", "19:02", "Wat vervelend. Hoe lang is dat al zo?"),
    ("client", "19:03", "Al een jaar of zo."),
    ("counsellor", "19:04", "Wat zou je willen dat er verandert?"),
    ("client", "19:05", "Dat ze gewoon normaal doen."),
]
MAIL = [
    ("client", "2014-11-03 10:00", "Beste hulpverlener. Ik zit erg in de knoop. Kunt u mij helpen?"),
    ("counsellor", "2014-11-04 09:00", "Beste, fijn dat je schrijft. Wat is er precies gebeurd?"),
]


def _project(folder: Path, backend_url: str = "") -> Project:
    project = init_project(folder, database=backend_url)
    store(
        project,
        make_document("a/chat", "a", TURNS),
        make_document("a/mail", "a", MAIL, channel=Channel.EMAIL),
        cases=(Case("a", {}),),
    )
    team_service.add_coder(project, "sup", supervisor=True)
    return project


@pytest.fixture
def team(tmp_path: Path, backend_url: str) -> Project:
    project = _project(tmp_path / "team", backend_url)
    yield project  # type: ignore[misc]
    project.close()


def _consensus(project: Project, include_deleted: bool = False) -> list[tuple[str, str, int, int]]:
    frame = coding_service.list_codings(project, coders=["consensus"]) if not include_deleted else None
    if frame is None:
        with project.session() as session:
            frame = codings_frame(session, CodingFilter(coders=["consensus"], include_deleted=True))
    return sorted(zip(frame["document"], frame["code"], frame["start"].astype(int), frame["end"].astype(int), strict=True))


def test_a_span_and_the_whole_turn_are_one_agreed_unit_and_it_is_seeded(team: Project) -> None:
    """The issue's scenario: agreement 1.000 on 4 units, so 4 units seeded, none left open."""
    chat = make_document("a/chat", "a", TURNS)
    u = chat.utterances
    for turn in (0, 4, 5):  # three turns both coded whole: the "3 agreed codings copied"
        coding_service.add_coding(team, "a/chat", "Open vraag", "anna", utterance=turn)
        coding_service.add_coding(team, "a/chat", "Open vraag", "bram", utterance=turn)
    # The fourth: anna coded the suggested span (the question only), bram the whole turn.
    question = u[2].text.index("Hoe lang")
    coding_service.add_coding(team, "a/chat", "Open vraag", "anna", start=u[2].start + question, end=u[2].end)
    coding_service.add_coding(team, "a/chat", "Open vraag", "bram", utterance=2)
    report = analysis.project_agreement(team, ["anna", "bram"], codes=["Open vraag"], bootstrap=0)
    row = report[report["code"] == "open_vraag"].iloc[0]
    assert row["percent_agreement"] == 1.0 and row["n_units"] == 6  # the chat's turns (the mail is uncoded)
    assert analysis.seed_consensus(team, ["anna", "bram"], by="sup") == 4
    assert analysis.disagreements(team, ["anna", "bram"]).empty
    spans = {(s, e) for _d, _c, s, e in _consensus(team)}
    assert spans == {(u[i].start, u[i].end) for i in (0, 2, 4, 5)}
    assert analysis.seed_consensus(team, ["anna", "bram"], by="sup") == 0  # nothing twice


def test_an_email_sentence_both_coders_marked_is_seeded_as_that_sentence(team: Project) -> None:
    mail = make_document("a/mail", "a", MAIL, channel=Channel.EMAIL)
    u = mail.utterances[0]
    offset = u.start + u.text.index("Kunt u")
    for coder in ("anna", "bram"):
        coding_service.add_coding(team, "a/mail", "Open vraag", coder, start=offset, end=u.end)
    assert analysis.seed_consensus(team, ["anna", "bram"], by="sup") == 1
    assert _consensus(team) == [("a/mail", "open_vraag", offset, u.end)]


CODE_IDS = ["open_vraag", "gesloten_vraag", "intake", "probleemanalyse"]


@st.composite
def random_codings(draw: st.DrawFn) -> list[tuple[str, str, int, int, int]]:
    """(coder, code, document number, first turn, span kind) with span kinds: whole turn,
    part of the turn, or a span over two turns."""
    return draw(
        st.lists(
            st.tuples(
                st.sampled_from(["anna", "bram"]),
                st.sampled_from(CODE_IDS),
                st.integers(0, 1),
                st.integers(0, 5),
                st.integers(0, 2),
            ),
            max_size=14,
        )
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(found=random_codings())
def test_every_unit_is_seeded_or_listed_never_neither(tmp_path_factory: pytest.TempPathFactory, found: list[tuple[str, str, int, int, int]]) -> None:
    project = _project(tmp_path_factory.mktemp("prop") / "p")
    try:
        docs = [make_document("a/chat", "a", TURNS), make_document("a/mail", "a", MAIL, channel=Channel.EMAIL)]
        for coder, code, number, turn, kind in found:
            doc = docs[number]
            first = doc.utterances[min(turn, len(doc.utterances) - 1)]
            if kind == 0:
                start, end = first.start, first.end
            elif kind == 1:
                start, end = first.start, first.start + max(1, len(first.text) // 2)
            else:
                last = doc.utterances[min(turn + 1, len(doc.utterances) - 1)]
                start, end = first.start, last.end
            coding_service.add_coding(project, doc.key, code, coder, start=start, end=end)
        coders = ["anna", "bram"]
        with project.session() as session:
            codings = codings_frame(session)
            utterances = utterances_frame(session)
        expected_agreed, expected_open = set(), set()
        for code in CODE_IDS:
            data = utterance_presence(codings[codings["coder"].isin(coders)], utterances, coders, code)
            for row in range(data.shape[1]):
                values = data[:, row][~np.isnan(data[:, row])]
                if len(values) >= 2 and values.max() == 1:
                    (expected_agreed if values.min() == 1 else expected_open).add((row, code))
        if found:
            analysis.seed_consensus(project, coders, by="sup")
        listed = analysis.disagreements(project, coders)
        keys = utterances[["document", "index"]].astype(str).agg("|".join, axis=1).tolist()
        listed_units = {(keys.index(f"{d}|{u}"), c) for d, u, c in zip(listed["document"], listed["utterance"], listed["code"], strict=True)}
        with project.session() as session:
            seeded_frame = codings_frame(session, CodingFilter(coders=["consensus"]))
        hits = utterance_hits(seeded_frame, utterances)
        seeded_units = set(zip(hits["row"].astype(int), hits["code"], strict=True))
        assert seeded_units == expected_agreed
        assert listed_units == expected_open
        assert not seeded_units & listed_units
    finally:
        project.close()


def test_an_exclusive_set_is_one_decision_per_turn(team: Project) -> None:
    coding_service.add_coding(team, "a/chat", "Probleemanalyse", "anna", utterance=1)
    coding_service.add_coding(team, "a/chat", "Strategiebepaling", "bram", utterance=1)
    coding_service.add_coding(team, "a/chat", "Feedback", "anna", utterance=2)
    items = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    phase = [i for i in items if i["code"] == "set:phase"]
    assert len(phase) == 1 and sorted(phase[0]["codes"]) == ["probleemanalyse", "strategiebepaling"]  # type: ignore[call-overload]
    assert phase[0]["by_coder"] == {"anna": ["probleemanalyse"], "bram": ["strategiebepaling"]}
    with pytest.raises(QcodeError, match="exclude each other"):
        consensus.settle(team, phase[0], Decision("both"), "sup")
    with pytest.raises(QcodeError, match="not in the set"):
        consensus.settle(team, phase[0], Decision("other", other_code="Open vraag"), "sup")
    consensus.settle(team, phase[0], Decision("coder", coder="bram", memo="eerst de strategie"), "sup")
    left = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    assert [i["code"] for i in left] == ["feedback"]  # A's Probleemanalyse is settled too
    u = make_document("a/chat", "a", TURNS).utterances[1]
    assert _consensus(team) == [("a/chat", "strategiebepaling", u.start, u.end)]
    assert ("a/chat", "probleemanalyse", u.start, u.end) in _consensus(team, include_deleted=True)


def test_another_code_of_the_set_replaces_both(team: Project) -> None:
    coding_service.add_coding(team, "a/chat", "Probleemanalyse", "anna", utterance=3)
    coding_service.add_coding(team, "a/chat", "Strategiebepaling", "bram", utterance=3)
    (item,) = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    consensus.settle(team, item, Decision("other", other_code="Evaluatie"), "sup")
    assert [c for _d, c, _s, _e in _consensus(team)] == ["evaluatie"]
    assert consensus.review_items(team, ["anna", "bram"], viewer="sup") == []


def test_a_decision_takes_the_span_the_chosen_coder_marked_and_can_be_undone(team: Project) -> None:
    u = make_document("a/mail", "a", MAIL, channel=Channel.EMAIL).utterances[1]
    offset = u.start + u.text.index("Wat is er")
    coding_service.add_coding(team, "a/mail", "Verificatie interpretatie", "anna", start=offset, end=u.end)
    coding_service.add_coding(team, "a/mail", "Feedback", "bram", utterance=1)
    items = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    assert [i["code"] for i in items] == ["feedback", "verificatie_interpretatie"]  # ordered by code
    question = items[1]
    assert question["spans"] == {"anna": [(offset, u.end, "verificatie_interpretatie")]}
    done = consensus.settle(team, question, Decision("coder", coder="anna"), "sup")
    assert _consensus(team) == [("a/mail", "verificatie_interpretatie", offset, u.end)]
    assert consensus.undo_decision(team, done, "sup") == 1
    assert _consensus(team, include_deleted=True) == []
    assert len(consensus.review_items(team, ["anna", "bram"], viewer="sup")) == 2


def test_only_a_supervisor_settles_even_when_the_project_has_none(tmp_path: Path) -> None:
    project = init_project(tmp_path / "p")
    try:
        store(project, make_document("a/chat", "a", TURNS), cases=(Case("a", {}),))
        coding_service.add_coding(project, "a/chat", "Open vraag", "anna", utterance=0)
        coding_service.add_coding(project, "a/chat", "Open vraag", "bram", utterance=2)
        (first, _second) = consensus.review_items(project, ["anna", "bram"], viewer="anna")
        for attempt in (
            lambda: consensus.settle(project, first, Decision("coder", coder="anna"), "anna"),
            lambda: analysis.seed_consensus(project, ["anna", "bram"], by="bram"),
            lambda: analysis.adjudicate(project, "a/chat", 0, 5, "Open vraag", True, by="anna"),
        ):
            with pytest.raises(QcodeError, match="qcode coders --add NAME --supervisor"):
                attempt()
        team_service.add_coder(project, "anna", supervisor=True)  # an existing coder made supervisor
        consensus.settle(project, first, Decision("coder", coder="anna"), "anna")
    finally:
        project.close()


def test_the_audit_trail_says_who_when_from_what_and_why(team: Project) -> None:
    coding_service.add_coding(team, "a/chat", "Open vraag", "anna", utterance=0)
    coding_service.add_coding(team, "a/chat", "Open vraag", "bram", utterance=0)
    coding_service.add_coding(team, "a/chat", "Probleemanalyse", "anna", utterance=1)
    coding_service.add_coding(team, "a/chat", "Strategiebepaling", "bram", utterance=1)
    listed = coding_service.list_codings(team)
    ids = {(c, k): int(i) for c, k, i in zip(listed["coder"], listed["code"], listed["id"], strict=True)}
    analysis.seed_consensus(team, ["anna", "bram"], by="sup")
    (item,) = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    consensus.settle(team, item, Decision("coder", coder="anna", memo="klachten staan centraal"), "sup")
    trail = consensus.decisions(team, viewer="sup").set_index("code")
    seeded = trail.loc["Open vraag"]
    assert seeded["decision"] == "kept" and seeded["settled_by"] == "sup"
    assert f"#{ids[('anna', 'open_vraag')]} anna" in seeded["from"] and f"#{ids[('bram', 'open_vraag')]} bram" in seeded["from"]
    kept, dropped = trail.loc["Probleemanalyse"], trail.loc["Strategiebepaling"]
    assert (kept["decision"], dropped["decision"]) == ("kept", "withdrawn")
    assert kept["memo"] == "klachten staan centraal" and "anna's" in kept["from"]
    assert f"#{ids[('bram', 'strategiebepaling')]} bram" in dropped["from"]
    assert not pd_isna(kept["settled_at"])


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def test_the_audit_trail_is_exported_with_the_consensus_codings(team: Project, tmp_path: Path) -> None:
    import zipfile

    import openpyxl
    import xmlschema

    from qcode.services import exchange as exchange_service
    from qcode.services import tables as table_service

    coding_service.add_coding(team, "a/chat", "Probleemanalyse", "anna", utterance=1)
    coding_service.add_coding(team, "a/chat", "Strategiebepaling", "bram", utterance=1)
    (item,) = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    consensus.settle(team, item, Decision("coder", coder="bram", memo="plan gemaakt"), "sup")
    book = tmp_path / "out.xlsx"
    table_service.export_tables(team, "xlsx", book, flt=table_service.ExportFilter(coders=["consensus"]), viewer="sup")
    sheet = openpyxl.load_workbook(book)["consensus_decisions"]
    rows = list(sheet.values)
    header = list(rows[0])
    got = sorted((r[header.index("code")], r[header.index("decision")], r[header.index("settled_by")], r[header.index("memo")]) for r in rows[1:])
    assert got == [("Probleemanalyse", "withdrawn", "sup", "plan gemaakt"), ("Strategiebepaling", "kept", "sup", "plan gemaakt")]
    # Only anna's codings go out: no consensus, so no audit sheet either.
    only_anna = tmp_path / "anna.xlsx"
    table_service.export_tables(team, "xlsx", only_anna, flt=table_service.ExportFilter(coders=["anna"]), viewer="sup")
    assert "consensus_decisions" not in openpyxl.load_workbook(only_anna).sheetnames
    qdpx = tmp_path / "out.qdpx"
    exchange_service.export_qdpx(team, qdpx, viewer="sup")
    with zipfile.ZipFile(qdpx) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    xmlschema.XMLSchema(Path(__file__).parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd").validate(qde)
    assert 'name="qcode consensus decisions"' in qde
    # The unit is stored utterance 1: turn 2 as people count (issue 16).
    assert "a/chat #2: Strategiebepaling kept by sup" in qde and "memo: plan gemaakt" in qde
    assert "a/chat #2: Probleemanalyse withdrawn by sup" in qde


def test_a_phase_agreed_on_consecutive_turns_is_seeded_as_one_segment(team: Project) -> None:
    u = make_document("a/chat", "a", TURNS).utterances
    coding_service.add_coding(team, "a/chat", "Intake", "anna", utterance=0, last_utterance=2)
    for turn in (0, 1, 2, 4):
        coding_service.add_coding(team, "a/chat", "Intake", "bram", utterance=turn)
    coding_service.add_coding(team, "a/chat", "Intake", "anna", utterance=4)
    assert analysis.seed_consensus(team, ["anna", "bram"], by="sup") == 4
    assert _consensus(team) == [("a/chat", "intake", u[0].start, u[2].end), ("a/chat", "intake", u[4].start, u[4].end)]
    assert analysis.disagreements(team, ["anna", "bram"]).empty
