"""Incoming codes matched to a project's codes: id/GUID, then name within the group (issue 18)."""

from __future__ import annotations

from qcode.codebook.matching import apply_matches, match_codes
from qcode.codebook.model import Code, Codebook, Unit
from qcode.export.import_tally import ImportTally


def _code(code_id: str, name: str, group: str) -> Code:
    return Code(code_id, name, group, Unit.SEGMENT)


PROJECT = Codebook("kvh", "Klik voor hulp", "1", (
    _code("intake", "Intake", "phases"),
    _code("open_vraag", "Open vraag", "technique"),
    _code("feedback", "Feedback", "technique"),
    _code("feedback_2", "Feedback", "paratext"),
), groups=(("phases", "Fasen"), ("technique", "Gesprekstechniek"), ("paratext", "Paratekst")))


def guid(code_id: str) -> str:
    return f"guid-{code_id}"


def test_each_rule_in_order() -> None:
    incoming = Codebook("file", "file", "", (
        _code("guid-intake", "Intake (renamed)", "Fasen"),        # GUID wins over the name
        _code("x1", "open VRAAG", "Gesprekstechniek"),            # name in group, by label
        _code("x2", "Open vraag", "Fasen"),                       # same name, other group: new
        _code("x3", "Intake", "imported"),                        # loose, unique name
        _code("x4", "Feedback", "imported"),                      # loose, two in the project: new
        _code("x5", "Nieuw", "Gesprekstechniek"),                 # new, joins the group
    ), groups=(("Fasen", "Fasen"), ("Gesprekstechniek", "Gesprekstechniek"),
               ("imported", "Imported")), parents=(("x5", "x1"),))
    matches = match_codes(incoming, PROJECT, guid, "imported")
    assert [(m.how, m.existing.id if m.existing else None) for m in matches] == [
        ("GUID", "intake"), ("name in group", "open_vraag"), ("new", None), ("name", "intake"),
        ("new", None), ("new", None)]
    book, ids = apply_matches(incoming, PROJECT, matches)
    assert [(c.id, c.group) for c in book.codes] == [
        ("x2", "phases"), ("x4", "imported"), ("x5", "technique")]
    assert ids["x1"] == "open_vraag" and ids["x5"] == "x5"
    assert book.parents == (("x5", "open_vraag"),)  # the parent follows its match


def test_tally_lines_one_per_kind() -> None:
    tally = ImportTally()
    assert not tally and tally.lines() == []
    tally.left_out("Links", 2, "no links")
    tally.left_out("Links", 1)
    tally.left_out("Graphs", 0)
    tally.kept("case descriptions", 3, "memos")
    assert tally.lines() == ["left out on import: 3 Links (no links)",
                             "kept as memos: 3 case descriptions"]
    assert tally.count_left_out("Links") == 3 and tally.count_left_out("Graphs") == 0
