"""Table builders, checked against counts worked out by hand from tests/export/frames.py."""

from __future__ import annotations

from qcode.export import tables

from .frames import frames


def test_quotations_one_row_per_span_with_atlas_ids() -> None:
    f = frames()
    q = tables.quotations(f["codings"], f["utterances"], f["documents"], f["codes"])
    # spans: c1/chat (5,20) (10,12) (35,50); c2/mail (0,10) (20,30) → 5 quotations
    assert q["quotation"].to_list() == ["1:1", "1:2", "1:3", "2:1", "2:2"]
    smiley = q[q["quotation"] == "1:2"].iloc[0]
    assert (smiley["codes"], smiley["coders"], smiley["memo"]) == ("Emoticon", "anna; bram",
                                                                  "smiley")
    assert (smiley["role"], smiley["speaker"]) == ("client", "Hulpvrager")
    compliment = q[q["quotation"] == "1:3"].iloc[0]
    assert (compliment["role"], compliment["start"], compliment["end"]) == ("counsellor", 35, 50)


def test_quotations_long_has_one_row_per_coding() -> None:
    f = frames()
    long = tables.quotations_long(f["codings"], f["utterances"], f["documents"], f["codes"])
    assert len(long) == 6
    assert long[long["quotation"] == "1:2"]["coder"].to_list() == ["anna", "bram"]


def test_code_document_table_counts_quotations_with_totals() -> None:
    f = frames()
    t = tables.code_document_table(f["codings"], f["codes"]).set_index("code")
    # by hand: ver c1/chat 1, c2/mail 1; com 1 + 1; emo 1 (two coders, one span); unused 0
    row = t.loc["Verificatie interpretatie", ["c1/chat", "c2/mail", "Totals"]]
    assert list(row) == [1, 1, 2]
    assert t.loc["Emoticon", "Totals"] == 1
    assert t.loc["Ongebruikt", "Totals"] == 0
    assert list(t.loc["Totals", ["c1/chat", "c2/mail", "Totals"]]) == [3, 2, 5]
    by_case = tables.code_document_table(f["codings"], f["codes"], by="case")
    assert list(by_case.columns) == ["code", "group", "c1", "c2", "Totals"]


def test_cooccurrence_counts_overlapping_quotations() -> None:
    f = frames()
    t = tables.cooccurrence_table(f["codings"], f["codes"]).set_index("code")
    # (10,12) emo lies inside (5,20) ver; com spans overlap nothing of another code
    assert t.loc["Emoticon", "Verificatie interpretatie"] == 1
    assert t.loc["Verificatie interpretatie", "Emoticon"] == 1
    assert t.loc["Compliment", "Verificatie interpretatie"] == 0
    assert t.loc["Verificatie interpretatie", "Verificatie interpretatie"] == 2


def test_codebook_table_and_presence_matrix() -> None:
    f = frames()
    book = tables.codebook_table(f["codings"], f["codes"]).set_index("code")
    assert list(book.loc["Emoticon", ["quotations", "codings", "cases"]]) == [1, 2, 1]
    assert book.loc["Compliment", "cases"] == 2
    presence = tables.presence_matrix(f["codings"], f["cases"], f["codes"]).set_index("case")
    assert list(presence.loc["c1"]) == [1, 1, 1, 0]
    assert list(presence.loc["c2"]) == [1, 1, 0, 0]
    assert list(presence.loc["c3"]) == [0, 0, 0, 0]


def test_filters() -> None:
    c = frames()["codings"]
    assert len(tables.filter_codings(c, codes=["emoticon"])) == 2  # by name, any case
    assert len(tables.filter_codings(c, groups=["technique"], channels=["email"])) == 2
    assert tables.filter_codings(c, coders=["consensus"])["code"].to_list() == ["ver"]
    assert len(tables.filter_codings(c, cases=["c1"], coders=["anna"])) == 2
