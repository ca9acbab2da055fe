"""``qcode learn``, learned suggestions and ``qcode suggestions trust`` on a coded project,
with the real Dutch pipeline, including a code of our own that no rule knows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

from qcode.cli import main
from qcode.errors import SuggestionError
from qcode.services import learning
from qcode.services import suggestions as suggestion_service
from qcode.services import trust as trust_service
from qcode.services.project import Project
from qcode.storage import learned as learned_store
from qcode.suggest.engine import Suggester
from qcode.suggest.learn import LearnedModel
from tests.conftest import require_pipeline
from tests.suggest.learning_project import coded_project


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    require_pipeline()
    from qcode.services.suggestions import make_suggester

    return make_suggester()


@pytest.fixture
def coded(tmp_path: Path) -> Project:
    project = coded_project(tmp_path)
    yield project
    project.close()


def test_learn_stores_a_versioned_model_with_its_provenance(coded: Project, suggester: Suggester) -> None:
    first = learning.learn(coded, suggester=suggester)
    second = learning.learn(coded, suggester=suggester)  # from the feature cache: the same data
    assert (first.version, second.version) == (1, 2)
    assert first.digest == second.digest  # same codings, same training data
    assert first.codes == {"schoolzorgen": 12, "verificatie_interpretatie": 8}
    with coded.session() as session:
        stored = learned_store.latest_model(session)
    assert stored is not None and stored.version == 2
    assert stored.coders == ["anna"] and stored.codebook_version and stored.units == 48
    assert stored.rules_version == suggester.rules_version
    assert LearnedModel.from_json(stored.model).codes.keys() == {"schoolzorgen", "verificatie_interpretatie"}
    with coded.session() as session:
        first_model = learned_store.model_versions(session)[0].model
    assert first_model == stored.model  # the cached features give the very same model


def test_a_code_without_rules_gets_explained_learned_suggestions(coded: Project, suggester: Suggester) -> None:
    learning.learn(coded, suggester=suggester)
    active = learning.active_model(coded)
    assert active is not None
    suggestion_service.suggest_documents(coded, suggester=suggester, learned=active)
    rows = suggestion_service.list_suggestions(coded, "bram")
    school = [r for r in rows if r["code"] == "schoolzorgen"]
    assert school and all(r["rule"] == "learned" and r["model_version"] == 1 for r in school)
    explanation = school[0]["explanation"]
    assert explanation.startswith("learned (model 1, confidence 0.")
    assert "turn " in explanation and "casus-" in explanation
    # the rule suggestions the model agrees with name it too; the others stay rule-only
    checks = [r for r in rows if r["code"] == "verificatie_interpretatie"]
    assert checks and all(r["model_version"] == 1 and "; learned (model 1" in r["explanation"] for r in checks)
    assert any(r["model_version"] is None for r in rows if r["code"] == "open_vraag")
    assert not [r for r in rows if r["rule"] == "learned" and r["code"] == "verificatie_interpretatie"]
    # client turns on other topics get no Schoolzorgen
    assert all("school" in r["text"] or "cijfer" in r["text"] or "huiswerk" in r["text"] for r in school)


def test_trust_figures_are_those_scikit_learn_computes(coded: Project, suggester: Suggester) -> None:
    report = trust_service.trust(coded, "anna", suggester=suggester, n_boot=200)
    rows = {(r["code_id"], r["channel"]): r for r in trust_service.trust_json(report)}
    assert set(rows) == {("schoolzorgen", "all"), ("schoolzorgen", "chat"),
                         ("verificatie_interpretatie", "all"), ("verificatie_interpretatie", "chat")}
    for code in ("schoolzorgen", "verificatie_interpretatie"):
        gold, guess, _ = report.vectors[code]
        row = rows[(code, "all")]
        p, r, f, _ = precision_recall_fscore_support(gold, guess, average="binary", zero_division=0)
        assert (row["precision"], row["recall"], row["f1"]) == pytest.approx((p, r, f), abs=1e-4)
        assert row["kappa"] == pytest.approx(cohen_kappa_score(gold, guess), abs=1e-4)
        assert row["units"] == 48 and row["positives"] == sum(gold)
        assert {"precision_ci", "recall_ci", "f1_ci", "kappa_ci"} <= set(row)
    assert rows[("schoolzorgen", "all")]["f1"] >= 0.6  # a code no rule knows, learned by case
    assert rows[("schoolzorgen", "all")]["offered"] is True
    assert "Open vraag" in trust_service.trust_text(report)  # suggested, never coded: said so


def test_codes_below_the_precision_bar_are_hidden_and_the_reason_said(coded: Project, suggester: Suggester) -> None:
    assert learning.offer(0.55, 0.6) == (False, "learned suggestions' precision 0.55 is below the bar 0.60")
    assert learning.offer(0.6, 0.6) == (True, "")
    assert learning.offer(None, 0.6)[0] is False
    learning.learn(coded, suggester=suggester)
    with coded.session() as session:
        stored = learned_store.latest_model(session)
    assert stored is not None
    precision = stored.estimates["schoolzorgen"]["precision"]
    assert precision is not None and precision >= 0.6
    assert learning.active_model(coded).hidden.keys() == {"verificatie_interpretatie"}  # type: ignore[union-attr]
    learning.set_precision_bar(coded, 1.0)
    active = learning.active_model(coded)
    assert active is not None and learning.precision_bar(coded) == 1.0
    assert ("schoolzorgen" in active.hidden) == (precision < 1.0)
    assert "never suggested it beyond the rules" in active.hidden["verificatie_interpretatie"]
    suggestion_service.suggest_documents(coded, suggester=suggester, learned=active)
    rows = suggestion_service.list_suggestions(coded, "bram")
    assert not [r for r in rows if r["rule"] == "learned" and r["code"] in active.hidden]
    with pytest.raises(SuggestionError, match="between 0 and 1"):
        learning.set_precision_bar(coded, 1.5)


def test_cli_learn_trust_and_suggest_input_inside_the_project(coded: Project, suggester: Suggester) -> None:
    runner = CliRunner()
    folder = str(coded.folder)
    learned = runner.invoke(main, ["learn", "-p", folder])
    assert learned.exit_code == 0, learned.output
    assert "Learned model 1 from 48 units in 8 documents" in learned.output
    assert "Schoolzorgen: 12 coded units" in learned.output
    trust = runner.invoke(main, ["suggestions", "trust", "-p", folder, "--coder", "anna", "--format", "json"])
    assert trust.exit_code == 0, trust.output
    data = json.loads(trust.stdout)
    assert {"code", "channel", "units", "positives", "precision", "recall", "f1", "kappa"} <= set(data["codes"][0])
    assert data["learning_curve"] and data["precision_bar"] == 0.6
    lines = "\n".join(json.dumps(x) for x in [
        {"id": "1", "speaker": "client", "text": "ik heb problemen met mijn leraar op school"},
        {"id": "2", "speaker": "counsellor", "text": "Als ik het goed begrijp ben je verdrietig, klopt dat?"},
        {"id": "3", "speaker": "client", "text": "ik heb ruzie met mijn broer"},
    ])
    out = runner.invoke(main, ["suggest", "-p", folder, "--input", "-"], input=lines)
    assert out.exit_code == 0, out.output
    results = {r["id"]: r["suggestions"] for r in map(json.loads, out.stdout.splitlines())}
    assert ("Schoolzorgen", "learned", 1) in [(s["code"], s["source"], s["model"]) for s in results["1"]]
    assert all(s["source"] == "rule" for s in results["1"] if s["code"] != "Schoolzorgen")
    sources = {s["code"]: s["source"] for s in results["2"]}
    assert sources["Verificatie interpretatie"] == "both" and sources["Gesloten vraag"] == "rule"
    assert not any(s["code"] == "Schoolzorgen" for s in results["3"])
    unknown = runner.invoke(main, ["suggestions", "trust", "-p", folder, "--coder", "nobody"])
    assert unknown.exit_code == 2 and "Traceback" not in unknown.output


def test_learning_needs_human_codings(tmp_path: Path, suggester: Suggester) -> None:
    from qcode.services.project import init_project
    from tests.factories import make_document, store

    project = init_project(tmp_path / "empty")
    store(project, make_document("c/chat", "c", [("client", "19:00", "hoi")]))
    with pytest.raises(SuggestionError, match="Nothing to learn from"):
        learning.learn(project, suggester=suggester)
    project.close()


def test_the_model_goes_with_copy_project(tmp_path: Path, pg_url: str, suggester: Suggester) -> None:
    from qcode.services.project import open_project
    from qcode.services.team import copy_project

    project = coded_project(tmp_path)
    learning.learn(project, suggester=suggester)
    with project.session() as session:
        before = learned_store.latest_model(session)
    project.close()
    report = copy_project(project.folder, pg_url, switch=True)
    assert report.tables and all(t.ok for t in report.tables)
    assert any(t.table == "learned_models" and t.target_rows == 1 for t in report.tables)
    copied = open_project(project.folder)
    assert copied.url.startswith("postgresql")
    with copied.session() as session:
        after = learned_store.latest_model(session)
    assert after == before
    active = learning.active_model(copied)
    assert active is not None and active.version == 1
    copied.close()


def test_suggest_fills_the_feature_cache_so_learning_parses_nothing(
    coded: Project, suggester: Suggester, monkeypatch: pytest.MonkeyPatch
) -> None:
    suggestion_service.suggest_documents(coded, suggester=suggester)
    reference = learning.learn(coded, suggester=suggester)

    def no_parse(*_args: object, **_kwargs: object) -> object:
        raise AssertionError("parsed although every document's features were cached")

    monkeypatch.setattr(suggester, "analyse", no_parse)
    cached = learning.learn(coded, suggester=suggester)
    assert cached.digest == reference.digest and cached.codes == reference.codes
    # features made under other rules are not reused
    monkeypatch.setattr(suggester, "rules_version", suggester.rules_version + "-changed")
    with pytest.raises(AssertionError, match="parsed although"):
        learning.learn(coded, suggester=suggester)


def test_one_coded_case_learns_but_offers_nothing_and_says_why(tmp_path: Path, suggester: Suggester) -> None:
    from qcode.services import codings as coding_service

    project = coded_project(tmp_path)
    with project.session() as session:
        from qcode.storage.codings import CodingFilter, coding_rows

        ids = [r["id"] for r in coding_rows(session, CodingFilter(coders=["anna"])) if r["case"] != "casus-0"]
    for coding_id in ids:
        coding_service.remove_coding(project, coding_id, "anna")
    summary = learning.learn(project, suggester=suggester)
    assert summary.documents == 1 and summary.codes == {"schoolzorgen": 2}
    assert summary.skipped == {"verificatie_interpretatie": 1}  # one coded unit: not learned
    active = learning.active_model(project)
    assert active is not None
    assert all("one case only" in why for why in active.hidden.values()) and active.hidden
    with pytest.raises(SuggestionError, match="at least two cases"):
        trust_service.trust(project, "anna", suggester=suggester)
    project.close()


def test_trust_json_on_a_fixed_split_against_an_independent_computation(coded: Project, suggester: Suggester) -> None:
    """Leave one case out (8 folds for 8 cases): the test fits its own scikit-learn models on
    the other cases' units and scores them with sklearn.metrics; the JSON must agree."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    report = trust_service.trust(coded, "anna", suggester=suggester, folds=8, n_boot=100)
    assert report.folds == 8
    rows = {(r["code_id"], r["channel"]): r for r in trust_service.trust_json(report)}
    codes = ["schoolzorgen", "verificatie_interpretatie"]
    training = learning.training_set(coded, suggester, ["anna"], codes)
    units = training.units
    cases = sorted({u.case for u in units})
    for code in codes:
        gold = np.array([code in p for p in training.positives])
        guess = np.array([code in u.rule_codes for u in units])
        for case in cases:
            train = [i for i, u in enumerate(units) if u.case != case]
            test = [i for i, u in enumerate(units) if u.case == case]
            vectoriser = DictVectorizer(sparse=False)
            x = vectoriser.fit_transform([{f: 1 for f in units[i].features} for i in train])
            model = LogisticRegression(solver="liblinear", class_weight="balanced").fit(x, gold[train])
            held = vectoriser.transform([{f: 1 for f in units[i].features if f in vectoriser.vocabulary_} for i in test])
            guess[test] |= model.predict_proba(held)[:, 1] >= 0.5
        p, r, f, _ = precision_recall_fscore_support(gold, guess, average="binary", zero_division=0)
        row = rows[(code, "all")]
        assert (row["precision"], row["recall"], row["f1"]) == pytest.approx((p, r, f), abs=1e-4)
        assert row["kappa"] == pytest.approx(cohen_kappa_score(gold, guess), abs=1e-4)


def test_an_e_mail_is_learned_per_sentence(tmp_path: Path, suggester: Suggester) -> None:
    from qcode.services import codings as coding_service
    from qcode.services.project import init_project
    from qcode.transcripts.model import Channel
    from tests.factories import make_document, store

    project = init_project(tmp_path / "mail")
    text = "Dank voor je mail. Je schrijft dat je vader boos is. Ik wens je sterkte."
    store(project, make_document("m/mail", "m", [("counsellor", "2014-11-03 10:00", text)], channel=Channel.EMAIL))
    start = text.index("Je schrijft")
    end = text.index(" Ik wens")
    with project.session() as session:
        from qcode.storage import corpus

        offset = corpus.load_document(session, "m/mail").utterances[0].start  # type: ignore[union-attr]
    coding_service.add_coding(project, "m/mail", "Verificatie interpretatie", "anna", start=offset + start, end=offset + end)
    training = learning.training_set(project, suggester, ["anna"], ["verificatie_interpretatie"])
    assert [u.text for u in training.units] == [
        "Dank voor je mail.", "Je schrijft dat je vader boos is.", "Ik wens je sterkte."
    ]
    assert [sorted(p) for p in training.positives] == [[], ["verificatie_interpretatie"], []]
    assert all(u.channel == "email" and "channel:email" in u.features for u in training.units)
    project.close()


def test_cli_learn_only_some_codes_and_refuses_unknown_names(coded: Project) -> None:
    runner = CliRunner()
    folder = str(coded.folder)
    result = runner.invoke(main, ["learn", "-p", folder, "--codes", "Schoolzorgen", "--coder", "anna"])
    assert result.exit_code == 0, result.output
    with coded.session() as session:
        stored = learned_store.latest_model(session)
    assert stored is not None and stored.codes == ["schoolzorgen"] and stored.coders == ["anna"]
    unknown = runner.invoke(main, ["learn", "-p", folder, "--codes", "Schoolzorg"])
    assert unknown.exit_code == 2 and "Schoolzorgen" in unknown.output and "Traceback" not in unknown.output
    bad_bar = runner.invoke(main, ["learn", "-p", folder, "--precision-bar", "2"])
    assert bad_bar.exit_code == 1 and "between 0 and 1" in bad_bar.output


def test_learning_on_postgresql(tmp_path: Path, pg_url: str, suggester: Suggester) -> None:
    project = coded_project(tmp_path, database=pg_url)
    try:
        first = learning.learn(project, suggester=suggester)
        second = learning.learn(project, suggester=suggester)  # features from the cache table
        assert (first.version, second.version) == (1, 2) and first.digest == second.digest
        active = learning.active_model(project)
        assert active is not None and active.version == 2
        suggestion_service.suggest_documents(project, ["casus-1/chat"], suggester=suggester, learned=active)
        rows = suggestion_service.list_suggestions(project, "anna", "casus-1/chat")
        assert any(r["rule"] == "learned" and r["model_version"] == 2 for r in rows)
    finally:
        project.close()
