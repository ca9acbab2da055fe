"""Every unit behind an agreement figure, agreed and disagreed (issue 17, agreement screen).

Two coders on one six-turn chat, counted by hand (utterance-level units, a coding counts for
every turn its span overlaps):

====  ==============================  ===============================
turn  anna                            bram
====  ==============================  ===============================
1     Open vraag                      Open vraag
2     Probleemanalyse                 Strategiebepaling
3     Open vraag
4                                     Gesloten vraag
5     Open vraag (part of the turn)   Open vraag (whole turn)
6
====  ==============================  ===============================

Open vraag: 6 units; agreed present on turns 1 and 5, disagreed on 3, absent for both on 2, 4
and 6. Cohen's κ by hand: p_o = 5/6, p_e = 3/6·2/6 + 3/6·4/6 = 1/2, κ = (5/6 − 1/2)/(1/2) = 2/3.
Pooled (anna × bram, the chat): 4 applied codes × 6 turns = 24 units, 6 of them coded.
The phases: one turn (2) with a phase code from each coder, disagreed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qcode.errors import QcodeError
from qcode.services import agreement_units, analysis, consensus
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.consensus import Decision
from qcode.services.project import Project, init_project
from qcode.transcripts.model import Case
from tests.factories import make_document, store

TURNS = [
    ("counsellor", "19:00", "Hoi, waar wil je over praten?"),
    ("client", "19:01", "Het gaat niet goed thuis. Mijn ouders maken ruzie."),
    ("counsellor", "19:02", "Wat vervelend. Hoe lang is dat al zo?"),
    ("client", "19:03", "Al een jaar of zo."),
    ("counsellor", "19:04", "Wat zou je willen dat er verandert? Vertel eens."),
    ("client", "19:05", "Dat ze gewoon normaal doen."),
]


@pytest.fixture
def team(tmp_path: Path, backend_url: str) -> Iterator[Project]:
    project = init_project(tmp_path / "team", database=backend_url)
    chat = make_document("a/chat", "a", TURNS)
    store(project, chat, cases=(Case("a", {}),))
    team_service.add_coder(project, "sup", supervisor=True)
    for coder, code, turn in (
        ("anna", "Open vraag", 0), ("bram", "Open vraag", 0),
        ("anna", "Probleemanalyse", 1), ("bram", "Strategiebepaling", 1),
        ("anna", "Open vraag", 2), ("bram", "Gesloten vraag", 3), ("bram", "Open vraag", 4),
    ):
        coding_service.add_coding(project, "a/chat", code, coder, utterance=turn)
    u = chat.utterances[4]
    coding_service.add_coding(project, "a/chat", "Open vraag", "anna", start=u.start, end=u.start + u.text.index("?") + 1)
    yield project
    project.close()


def _rows(found: agreement_units.UnitsBehind) -> list[tuple[int, str, str, bool]]:
    return [(r.turn, r.code, r.status, r.settled) for r in found.units.itertuples()]


def test_a_code_lists_agreed_and_disagreed_units_and_counts_the_absent_ones(team: Project) -> None:
    found = agreement_units.units_behind(team, ["anna", "bram"], "code", "open_vraag", viewer="sup")
    assert _rows(found) == [(1, "Open vraag", "agreed", False), (3, "Open vraag", "disagreed", False), (5, "Open vraag", "agreed", False)]
    assert (found.figure_units, found.absent, found.agreed, found.disagreed) == (6, 3, 2, 1)
    report = analysis.project_agreement(team, ["anna", "bram"], bootstrap=0, viewer="sup").set_index("code")
    assert report.loc["open_vraag", "cohen_kappa"] == pytest.approx(2 / 3)  # the figure these units explain
    assert found.units.iloc[1]["coders_with"] == "anna" and found.units.iloc[1]["coders_without"] == "bram"


def test_settled_units_stay_listed_marked_settled(team: Project) -> None:
    items = consensus.review_items(team, ["anna", "bram"], viewer="sup")
    (item,) = [i for i in items if i["code"] == "set:question" and i["utterance"] == 2]  # Open vraag and Gesloten vraag exclude each other
    consensus.settle(team, item, Decision("coder", coder="anna"), "sup")
    found = agreement_units.units_behind(team, ["anna", "bram"], "code", "open_vraag", viewer="sup")
    assert _rows(found)[1] == (3, "Open vraag", "disagreed", True)
    assert (found.settled, len(found.units)) == (1, 3)


def test_a_pair_cell_and_a_document_pool_every_applied_code(team: Project) -> None:
    for view, key in (("pair", ("bram", "anna")), ("document", "a/chat"), ("code", "(pooled: applied codes)")):
        found = agreement_units.units_behind(team, ["anna", "bram"], view, key, viewer="sup")
        assert (found.figure_units, len(found.units), found.absent) == (24, 6, 18), view
        assert (found.agreed, found.disagreed) == (2, 4), view
        assert sorted(set(found.units["code"])) == ["Gesloten vraag", "Open vraag", "Probleemanalyse", "Strategiebepaling"]


def test_a_set_lists_each_turn_with_every_coders_code(team: Project) -> None:
    found = agreement_units.units_behind(team, ["anna", "bram"], "code", "set:phase", viewer="sup")
    assert _rows(found) == [(2, "anna: Probleemanalyse; bram: Strategiebepaling", "disagreed", False)]
    assert (found.figure_units, found.absent, found.uncounted) == (1, 0, 0)
    # Open vraag / Gesloten vraag: turns 3 and 4 have a code of the set from one coder only, so
    # the set's figure leaves them out (missing, not disagreeing), but they are listed.
    found = agreement_units.units_behind(team, ["anna", "bram"], "code", "set:question", viewer="sup")
    assert [(r.turn, r.code, r.status, r.counted) for r in found.units.itertuples()] == [
        (1, "anna: Open vraag; bram: Open vraag", "agreed", True),
        (3, "anna: Open vraag", "disagreed", False),
        (4, "bram: Gesloten vraag", "disagreed", False),
        (5, "anna: Open vraag; bram: Open vraag", "agreed", True),
    ]
    assert (found.figure_units, found.uncounted) == (2, 2)


def test_an_unknown_figure_is_refused(team: Project) -> None:
    with pytest.raises(QcodeError, match="two different coders"):
        agreement_units.units_behind(team, ["anna", "bram"], "pair", ("anna", "anna"), viewer="sup")
    with pytest.raises(QcodeError, match="No agreement figure"):
        agreement_units.units_behind(team, ["anna", "bram"], "document", "b/none", viewer="sup")
