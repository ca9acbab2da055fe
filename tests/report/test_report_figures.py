"""Every figure of report.json against a computation made here, independently of qcode.

Sources: the corpus files themselves (hand counts), ``qcode codings --format json`` and
``qcode metrics --format json`` read with pandas, the codebook YAML read with PyYAML.
"""

from __future__ import annotations

import csv
import importlib.metadata
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.report.conftest import Study
from tests.report.study import CORPUS

BOOK = yaml.safe_load((CORPUS.parents[1] / "codebooks" / "klikvoorhulp.yaml").read_text(encoding="utf-8"))
CONTACT = {  # the manifest's hand-written contact form → the study's case types
    "enkel chat": "single chat",
    "herhaalde chat": "repeated chats",
    "enkel e-mail": "single e-mail contact",
    "e-mailwisseling": "multi-message e-mail contact",
    "chat + e-mail": "chat + e-mail",
}
FIGURE_CODERS = ["consensus", "auto"]


def _manifest() -> list[dict[str, str]]:
    with (CORPUS / "cases.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _table(report: dict[str, Any], section: str, table: str) -> pd.DataFrame:
    return pd.DataFrame(report["sections"][section]["tables"][table])


# --- Corpus -----------------------------------------------------------------------------------


def test_case_types_match_a_hand_count(study: Study) -> None:
    report = study.report()
    rows = _manifest()
    # Hand count: the manifest's contact form per case; chats are chat files; e-mails are the
    # "Van:" header lines of the e-mail files (one per message in this corpus).
    kind = {r["case_id"]: CONTACT[r["contactvorm"]] for r in rows}
    chats: Counter[str] = Counter()
    mails: Counter[str] = Counter()
    for r in rows:
        if r["channel"] == "chat":
            chats[kind[r["case_id"]]] += 1
        else:
            text = (CORPUS / r["path"]).read_text(encoding="utf-8")
            mails[kind[r["case_id"]]] += sum(1 for line in text.splitlines() if line.startswith("Van:"))
    cases = Counter(kind.values())
    expected = {k: (cases[k], chats[k], mails[k]) for k in CONTACT.values()}
    assert expected == {  # the same, written out, so a broken manifest cannot hide anything
        "single chat": (5, 5, 0),
        "repeated chats": (2, 5, 0),
        "single e-mail contact": (2, 0, 4),
        "multi-message e-mail contact": (2, 0, 12),
        "chat + e-mail": (2, 2, 6),
    }
    table = _table(report, "corpus", "case_types").set_index("case_type")
    for name, (n_cases, n_chats, n_mails) in expected.items():
        assert tuple(table.loc[name, ["cases", "chats", "emails"]]) == (n_cases, n_chats, n_mails)
    assert tuple(table.loc["total", ["cases", "chats", "emails"]]) == (13, 12, 22)
    per_case = _table(report, "corpus", "cases").set_index("case")
    assert per_case["case_type"].to_dict() == kind
    figures = report["sections"]["corpus"]["figures"]
    assert (figures["cases"], figures["conversations"], figures["chats"], figures["emails"]) == (13, 18, 12, 22)


def test_case_attributes_are_counted(study: Study) -> None:
    rows = {r["case_id"]: r for r in _manifest()}
    attributes = _table(study.report(), "corpus", "attributes")
    for attribute in ("leeftijdsgroep", "geslacht", "regio"):
        expected = Counter(r[attribute] for r in rows.values())
        mine = attributes[attributes["attribute"] == attribute].set_index("value")["cases"].to_dict()
        assert mine == dict(expected)
    shares = attributes[attributes["attribute"] == "geslacht"].set_index("value")["share"]
    assert shares["vrouw"] == pytest.approx(7 / 13)


# --- Size and time -----------------------------------------------------------------------------


def test_size_and_time_match_qcode_metrics(study: Study, metrics: list[dict[str, Any]]) -> None:
    report = study.report()
    frame = pd.json_normalize(metrics)
    chats = frame[frame["channel"] == "chat"]
    figures = report["sections"]["size"]["figures"]
    minutes = chats["duration_minutes"].astype(float)
    assert figures["chats"] == len(chats) == 12
    assert figures["chat_duration_mean_minutes"] == pytest.approx(minutes.mean())
    assert figures["chat_duration_median_minutes"] == pytest.approx(minutes.median())
    assert figures["chat_duration_share_20_minutes_or_more"] == pytest.approx((minutes >= 20).mean())
    silences = chats["silences"].astype(float)
    assert figures["silences"] == int(silences.sum())
    assert figures["silences_mean_per_chat"] == pytest.approx(silences.mean())
    assert figures["silences_share_of_chats_with_silence"] == pytest.approx((silences > 0).mean())

    roles = _table(report, "size", "roles").set_index(["channel", "role"])
    for channel, mine in (("chat", chats), ("email", frame[frame["channel"] == "email"]), ("all", frame)):
        spoken = mine["words.counsellor"].sum() + mine["words.client"].sum()
        for role in ("counsellor", "client", "system"):
            row = roles.loc[(channel, role)]
            assert row["words"] == mine[f"words.{role}"].sum()
            assert row["utterances"] == mine[f"utterances.{role}"].sum()
            assert row["conversations"] == len(mine)
            assert row["words_per_conversation"] == pytest.approx(mine[f"words.{role}"].mean())
            assert row["utterances_per_conversation"] == pytest.approx(mine[f"utterances.{role}"].mean())
            if role != "system":
                assert row["share_of_words"] == pytest.approx(mine[f"words.{role}"].sum() / spoken)

    responses = _table(report, "size", "responses").set_index("channel")
    chat_means = chats["mean_counsellor_response_minutes"].dropna().astype(float)
    mail_means = frame.loc[frame["channel"] == "email", "mean_counsellor_response_days"].dropna().astype(float)
    assert responses.loc["chat", "conversations"] == len(chat_means) > 0
    assert responses.loc["chat", "mean"] == pytest.approx(chat_means.mean())
    assert responses.loc["chat", "median"] == pytest.approx(chat_means.median())
    assert responses.loc["email", "mean"] == pytest.approx(mail_means.mean())
    assert responses.loc["email", "median"] == pytest.approx(mail_means.median())
    assert responses.loc["email", "unit"] == "days"


@pytest.mark.parametrize(
    ("table", "column", "channel"),
    [
        ("hist_chat_duration_minutes", "duration_minutes", "chat"),
        ("hist_words_counsellor", "words.counsellor", None),
        ("hist_words_client", "words.client", None),
        ("hist_chat_response_minutes", "mean_counsellor_response_minutes", "chat"),
        ("hist_email_response_days", "mean_counsellor_response_days", "email"),
        ("hist_silences_per_chat", "silences", "chat"),
    ],
)
def test_histogram_counts_every_value_in_its_bin(
    study: Study, metrics: list[dict[str, Any]], table: str, column: str, channel: str | None
) -> None:
    frame = pd.json_normalize(metrics)
    values = frame[frame["channel"] == channel][column] if channel else frame[column]
    values = values.dropna().astype(float).to_numpy()
    bins = _table(study.report(), "size", table)
    assert bins["count"].sum() == len(values) > 0
    last = len(bins) - 1
    for position, (start, end, count) in enumerate(bins[["bin_start", "bin_end", "count"]].itertuples(index=False)):
        inside = (values >= start) & ((values <= end) if position == last else (values < end))
        assert count == int(inside.sum())


# --- Codes ---------------------------------------------------------------------------------------


def _codebook_rows() -> list[tuple[str, str, str]]:
    """(group label, id, Dutch name) in the codebook's group order."""
    labels = {g["key"]: g["label"] for g in BOOK["groups"]}
    order = [g["key"] for g in BOOK["groups"]]
    codes = sorted(enumerate(BOOK["codes"]), key=lambda item: (order.index(item[1]["group"]), item[0]))
    return [(labels[c["group"]], c["id"], c["name"]) for _, c in codes]


def _expected_shares(
    codings: pd.DataFrame, metrics: list[dict[str, Any]], coders: list[str], cases: set[str]
) -> dict[tuple[str, str], tuple[int, int]]:
    docs = pd.DataFrame(metrics)[["document", "case", "channel"]]
    docs = docs[docs["case"].isin(cases)]
    mine = codings[codings["coder"].isin(coders) & codings["case"].isin(cases)]
    result: dict[tuple[str, str], tuple[int, int]] = {}
    for _group, code, _name in _codebook_rows():
        hits = mine[mine["code_id"] == code]
        result[(code, "all")] = (hits["case"].nunique(), len(cases))
        for channel in ("chat", "email"):
            scope = set(docs.loc[docs["channel"] == channel, "case"])
            with_code = set(hits.loc[hits["channel"] == channel, "case"]) & scope
            result[(code, channel)] = (len(with_code), len(scope))
    return result


def _check_codes_table(table: pd.DataFrame, expected: dict[tuple[str, str], tuple[int, int]]) -> None:
    assert list(zip(table["group_label"], table["code"], table["name"], strict=True)) == _codebook_rows()
    for row in table.to_dict("records"):
        code = row["code"]
        assert (row["cases_with_code"], row["cases"]) == expected[(code, "all")]
        assert row["share"] == pytest.approx(expected[(code, "all")][0] / expected[(code, "all")][1])
        for channel in ("chat", "email"):
            hits, scope = expected[(code, channel)]
            assert (row[f"{channel}_cases_with_code"], row[f"{channel}_cases"]) == (hits, scope)
            assert row[f"{channel}_share"] == pytest.approx(hits / scope)


def test_codes_table_matches_qcode_codings(study: Study, codings: pd.DataFrame, metrics: list[dict[str, Any]]) -> None:
    table = _table(study.report(), "codes", "codes")
    cases = {r["case_id"] for r in _manifest()}
    expected = _expected_shares(codings, metrics, FIGURE_CODERS, cases)
    assert expected[("compliment_woorden", "all")][0] > 0  # the fixture coded something
    _check_codes_table(table, expected)


def test_a_filtered_report_counts_only_its_cases_and_coder(
    study: Study, codings: pd.DataFrame, metrics: list[dict[str, Any]]
) -> None:
    report = study.report(study.subset_out)
    cases = {r["case_id"] for r in _manifest() if r["leeftijdsgroep"] == "13-16"}
    assert len(cases) == 5
    expected = _expected_shares(codings, metrics, ["anna", "auto"], cases)
    _check_codes_table(_table(report, "codes", "codes"), expected)
    assert report["sections"]["corpus"]["figures"]["cases"] == 5
    assert report["sections"]["method"]["figures"]["filters"] == "leeftijdsgroep=13-16"
    assert report["sections"]["method"]["figures"]["codings_of"].startswith("anna")


# --- Phases --------------------------------------------------------------------------------------


def test_phases_match_qcode_codings(study: Study, codings: pd.DataFrame, metrics: list[dict[str, Any]]) -> None:
    report = study.report()
    phase_ids = [c["id"] for c in BOOK["codes"] if c["group"] == "phases"]
    docs = pd.DataFrame(metrics)[["document", "channel"]]
    mine = codings[codings["coder"].isin(FIGURE_CODERS) & codings["code_id"].isin(phase_ids)]
    table = _table(report, "phases", "shares").set_index("code")
    for code in phase_ids:
        with_phase = set(mine.loc[mine["code_id"] == code, "document"])
        assert table.loc[code, "all_with_phase"] == len(with_phase)
        assert table.loc[code, "all_share"] == pytest.approx(len(with_phase) / len(docs))
        for channel in ("chat", "email"):
            scope = set(docs.loc[docs["channel"] == channel, "document"])
            assert table.loc[code, f"{channel}_share"] == pytest.approx(len(with_phase & scope) / len(scope))
    # Order of first occurrence per conversation, by offset.
    firsts = mine.sort_values("start").drop_duplicates(["document", "code_id"])
    names = {c["id"]: c["name"] for c in BOOK["codes"]}
    patterns = Counter(" → ".join(names[c] for c in g["code_id"]) for _, g in firsts.groupby("document"))
    got = _table(report, "phases", "patterns")
    assert dict(zip(got["pattern"], got["conversations"], strict=True)) == dict(patterns)
    assert got["share"].iloc[0] == pytest.approx(patterns.most_common(1)[0][1] / sum(patterns.values()))
    # The fixture puts Intake first, then Probleemanalyse, Afsluiting last: the typical order.
    assert list(_table(report, "phases", "order")["code"]) == ["intake", "probleemanalyse", "afsluiting"]
    # Timeline: every coding, as shares of its document; a share ratio needs no text length.
    timeline = _table(report, "phases", "timeline")
    assert len(timeline) == len(mine)
    spans = sorted(zip(mine["document"], mine["start"], mine["end"], strict=True))
    shares = sorted(zip(timeline["document"], timeline["start"], timeline["end"], strict=True))
    for (doc, start, end), (doc2, s_share, e_share) in zip(spans, shares, strict=True):
        assert doc == doc2 and 0 <= s_share < e_share <= 1
        assert s_share * end == pytest.approx(e_share * start)


# --- Method --------------------------------------------------------------------------------------


def test_method_names_versions_coders_and_suggestion_use(study: Study, codings: pd.DataFrame) -> None:
    report = study.report()
    figures = report["sections"]["method"]["figures"]
    assert figures["qcode_version"] == importlib.metadata.version("qcode")
    assert figures["codebook_version"] == BOOK["version"]
    assert figures["codings_of"].startswith("consensus")
    coders = _table(report, "method", "coders").set_index("coder")
    for coder, rows in codings.groupby("coder"):
        assert coders.loc[coder, "codings"] == len(rows)
        assert coders.loc[coder, "documents"] == rows["document"].nunique()
    use = _table(report, "method", "suggestions").set_index("code")
    people = codings[codings["coder"] != "auto"]
    for code, rows in people.groupby("code_id"):
        accepted = int((rows["origin"] == "accepted suggestion").sum())
        assert use.loc[code, "codings"] == len(rows)
        assert use.loc[code, "accepted suggestion"] == accepted
        assert use.loc[code, "share_from_suggestions"] == pytest.approx(accepted / len(rows))
    assert use.loc["compliment_woorden", "accepted suggestion"] > 0


def test_figures_are_plain_json_numbers(study: Study) -> None:
    """NaN must be null in report.json, so any JSON reader (R, Excel's Power Query) can read it."""
    text = (study.out / "report.json").read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    assert np.isfinite(study.report()["sections"]["size"]["figures"]["chat_duration_mean_minutes"])


def test_report_files_are_private_to_the_user(study: Study) -> None:
    assert Path(study.out / "report.html").stat().st_mode & 0o777 == 0o600
