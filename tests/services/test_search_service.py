"""qcode search on the sample corpus: hits against independent counts, and coding the hits.

The expected hits are computed here from the stored texts with Python's ``re`` (and, for
lemma search, with the spaCy pipeline run directly), never with qcode's search code.
"""

from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from qcode.coding.model import Origin
from qcode.errors import QcodeError
from qcode.services import codings as coding_service
from qcode.services.corpus import document_keys, get_document, import_paths
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.project import Project, init_project, open_project
from qcode.services.search import SearchError, SearchMode, SearchRequest, search
from qcode.services.search_coding import choose, code_hits
from qcode.storage.migrate import upgrade
from qcode.transcripts.model import Channel, Document, Role
from tests.conftest import require_pipeline

Key = tuple[str, int, int, int]
"""(document, utterance index, start, end) with document offsets."""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Project]:
    project = init_project(tmp_path_factory.mktemp("search") / "project")
    import_paths(project, [SAMPLE_CORPUS])
    yield project
    project.close()


@pytest.fixture
def imported(project: Project) -> Project:
    import_paths(project, [SAMPLE_CORPUS])
    return project


def _documents(project: Project) -> list[Document]:
    return [get_document(project, key) for key in document_keys(project)]


def _regions() -> dict[str, str]:
    with (SAMPLE_CORPUS / "cases.csv").open(encoding="utf-8") as handle:
        return {row["case_id"]: row["regio"] for row in csv.DictReader(handle)}


def _expected(
    project: Project, pattern: str, flags: int = 0, speaker: str | None = None, channel: str | None = None,
    region: str | None = None, quoted: bool = False,
) -> list[Key]:
    regions = _regions()
    found = []
    for doc in _documents(project):
        if (channel and doc.channel.value != channel) or (region and regions[doc.case_key] != region):
            continue
        for u in doc.utterances:
            if speaker and u.role.value != speaker:
                continue
            found += [(doc.key, u.index, u.start + m.start(), u.start + m.end()) for m in re.finditer(pattern, u.text, flags)]
            if quoted and u.quoted:
                base = doc.text.index(u.quoted, u.end)
                found += [(doc.key, u.index, base + m.start(), base + m.end()) for m in re.finditer(pattern, u.quoted, flags)]
    return sorted(found)


def _keys(project: Project, request: SearchRequest) -> list[Key]:
    return sorted((h.document, h.utterance, h.start, h.end) for h in search(project, request).hits)


WORD = r"(?<![\w'’-]){}(?![\w'’-])"
"""Whole words for the independent count: no word character, hyphen or apostrophe either side."""


@pytest.mark.parametrize(
    "query,pattern",
    [("school", "school"), ("ik", "ik"), ("schaam*", r"schaam\w*"), ("geen zin", r"geen\s+zin"), ("NAAM", "naam")],
)
def test_plain_hits_match_python_re_over_the_stored_texts(sample: Project, query: str, pattern: str) -> None:
    expected = _expected(sample, WORD.format(pattern), re.IGNORECASE)
    assert expected, "the sample corpus should contain the word"
    assert _keys(sample, SearchRequest(query)) == expected


def test_speaker_channel_and_attribute_filters(sample: Project) -> None:
    pattern = WORD.format("ik")
    for speaker in (Role.CLIENT, Role.COUNSELLOR):
        for channel in (Channel.CHAT, Channel.EMAIL):
            expected = _expected(sample, pattern, re.IGNORECASE, speaker=speaker.value, channel=channel.value)
            assert expected
            assert _keys(sample, SearchRequest("ik", speaker=speaker, channel=channel)) == expected
    expected = _expected(sample, pattern, re.IGNORECASE, region="Parkstad")
    assert 0 < len(expected) < len(_expected(sample, pattern, re.IGNORECASE))
    assert _keys(sample, SearchRequest("ik", where=(("regio", "parkstad"),))) == expected


def test_unknown_attribute_is_named(sample: Project) -> None:
    with pytest.raises(QcodeError, match="regoi"):
        search(sample, SearchRequest("ik", where=(("regoi", "Parkstad"),)))


def test_quoted_text_only_with_quoted(sample: Project) -> None:
    pattern = WORD.format("gemeente")
    plain = _expected(sample, pattern, re.IGNORECASE)
    with_quotes = _expected(sample, pattern, re.IGNORECASE, quoted=True)
    assert len(with_quotes) > len(plain)
    assert _keys(sample, SearchRequest("gemeente")) == plain
    hits = search(sample, SearchRequest("gemeente", quoted=True)).hits
    assert sorted((h.document, h.utterance, h.start, h.end) for h in hits) == with_quotes
    assert sum(h.quoted for h in hits) == len(with_quotes) - len(plain)


@pytest.mark.parametrize("pattern", [r"\b[Ww]e(?:et|ten)\b", r"(?i)hoe (gaat|voel)", r"\?{2,}", r"^ja\b"])
def test_regex_hits_match_python_re(sample: Project, pattern: str) -> None:
    expected = _expected(sample, pattern)
    assert expected
    assert _keys(sample, SearchRequest(pattern, SearchMode.REGEX)) == expected
    client = _expected(sample, pattern, speaker="client", channel="chat")
    assert _keys(sample, SearchRequest(pattern, SearchMode.REGEX, speaker=Role.CLIENT, channel=Channel.CHAT)) == client


def test_regex_turn_by_turn_and_whole_text_agree(sample: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole-text scan (the pattern without its zero-width checks) finds what turn by turn finds."""
    import qcode.analysis.search as matching

    patterns = (r"\bik\b", r"(?i)school|pesten", r"e\w+e", r"^ja\b", r"(?<=\s)ik(?! ben)", r"[?!]$")
    requests = [SearchRequest(p, SearchMode.REGEX, quoted=True) for p in patterns]
    assert all(matching.relaxed_patterns(matching.user_pattern(p)) is not None for p in patterns)  # the fast path runs
    fast = [_keys(sample, r) for r in requests]
    monkeypatch.setattr(matching, "relaxed_patterns", lambda pattern: None)
    assert [_keys(sample, r) for r in requests] == fast
    assert all(fast)


def test_hit_reads_as_keyword_in_context(sample: Project) -> None:
    hit = search(sample, SearchRequest("school", speaker=Role.CLIENT)).hits[0]
    doc = get_document(sample, hit.document)
    turn = doc.utterances[hit.utterance]
    assert hit.number == 1 and hit.turn == turn.index + 1
    assert (hit.time, hit.role, hit.speaker) == (turn.time, turn.role.value, turn.speaker)
    assert doc.text[hit.start : hit.end].lower() == "school" == hit.text.lower()
    flat = " ".join(turn.text.split())
    assert f"{hit.before.strip()} {hit.text}" in flat and hit.after.split()[0] in flat


def test_catastrophic_regex_is_stopped_with_a_message(tmp_path: Path) -> None:
    folder = tmp_path / "corpus" / "casus-01"
    folder.mkdir(parents=True)
    (folder / "chat-2014-01-01.txt").write_text(
        "Hulpvrager (19:00): " + "a" * 40 + "b\nHulpverlener (19:01): hoi\n", encoding="utf-8"
    )
    project = init_project(tmp_path / "project")
    try:
        import_paths(project, [tmp_path / "corpus"])
        started = time.monotonic()
        with pytest.raises(SearchError, match="stopped after 1 s"):
            search(project, SearchRequest("(a|aa)+$", SearchMode.REGEX, time_limit=1.0))
        assert time.monotonic() - started < 3.0
    finally:
        project.close()


def test_lemma_hits_match_the_pipeline_run_directly(sample: Project) -> None:
    """A query word stands for itself and every lemma the pipeline gave its occurrences; a hit
    is a word whose form or lemma is one of those (README, "qcode search")."""
    import spacy

    from qcode.suggest.engine import tagging_text

    nlp = spacy.load(require_pipeline())
    # the documented input: sentence-initial capitals lowered for the tagger
    tokens = []
    for doc in _documents(sample):
        for u in doc.utterances:
            texts = [(u.text, u.start)] + ([(u.quoted, doc.text.index(u.quoted, u.end))] if u.quoted else [])
            for text, base in texts:
                for t in nlp(tagging_text(text)):
                    if any(c.isalnum() for c in t.text):
                        tokens.append((doc.key, u.index, u.role, text is u.quoted, base + t.idx, t.lower_, t.lemma_.lower()))
    for query in ("vragen", "zijn", "hebben", "praten"):
        terms = {query} | {lemma for *_, form, lemma in tokens if form == query}
        expected = sorted(
            (key, index, start, start + len(form))
            for key, index, role, quoted, start, form, lemma in tokens
            if role is Role.CLIENT and not quoted and (form in terms or lemma in terms)
        )
        assert expected, query
        result = search(sample, SearchRequest(query, SearchMode.LEMMA, speaker=Role.CLIENT))
        assert sorted((h.document, h.utterance, h.start, h.end) for h in result.hits) == expected
    # the lemmas were stored by the first lemma search, not computed again
    assert search(sample, SearchRequest("vragen", SearchMode.LEMMA)).lemmatised == 0


def test_lemma_search_finds_more_than_the_word(sample: Project) -> None:
    require_pipeline()
    plain = search(sample, SearchRequest("zijn")).hits
    lemma = search(sample, SearchRequest("zijn", SearchMode.LEMMA)).hits
    assert {h.text.lower() for h in plain} == {"zijn"}
    assert {"is", "ben"} <= {h.text.lower() for h in lemma}


def test_coding_the_hits_is_one_undo_step_and_rerunning_adds_nothing(imported: Project) -> None:
    request = SearchRequest("school", speaker=Role.CLIENT)
    hits = search(imported, request).hits
    coding_service.add_coding(imported, hits[0].document, "onderwerp", "anna", start=hits[0].start, end=hits[0].end)
    done = code_hits(imported, hits, request, "Onderwerp", "anna")
    assert (done.added, done.already) == (len(hits) - 1, 1)
    frame = coding_service.list_codings(imported, coders=["anna"])
    assert len(frame) == len(hits)
    searched = frame[frame["origin"] == Origin.SEARCH.value]
    assert len(searched) == len(hits) - 1
    assert set(searched["detail"]) == {'plain search "school", speaker client'}

    again = code_hits(imported, search(imported, request).hits, request, "Onderwerp", "anna")
    assert (again.added, again.already) == (0, len(hits))

    assert coding_service.undo(imported, "anna") == f"undid add of {len(hits) - 1} codings (one action)"
    assert len(coding_service.list_codings(imported, coders=["anna"])) == 1  # the manual coding stays
    assert coding_service.redo(imported, "anna") == f"redid add of {len(hits) - 1} codings (one action)"
    assert len(coding_service.list_codings(imported, coders=["anna"])) == len(hits)
    assert coding_service.undo(imported, "anna") is not None
    assert coding_service.undo(imported, "anna") == f"undid add of coding {frame['id'].iloc[0]}"
    assert len(coding_service.list_codings(imported, coders=["anna"])) == 0


def test_units_and_chosen_hits(imported: Project) -> None:
    request = SearchRequest("ik", channel=Channel.CHAT, speaker=Role.CLIENT)
    hits = search(imported, request).hits
    turns = {(h.document, h.utterance) for h in hits}
    assert len(turns) < len(hits)  # some turns hold several hits
    done = code_hits(imported, hits, request, "onderwerp", "anna", unit="utterance")
    assert done.added == len(turns)
    frame = coding_service.list_codings(imported, coders=["anna"])
    assert set(zip(frame["document"], frame["utterance"], strict=True)) == turns
    # a match inside a coded turn counts as coded already
    assert code_hits(imported, hits[:3], request, "onderwerp", "anna").added == 0

    chosen = choose(hits, [1, 3])
    assert [h.number for h in chosen] == [1, 3]
    sentence = code_hits(imported, chosen, request, "feedback", "anna", unit="sentence")
    assert sentence.added == 2
    for h in chosen:
        text = get_document(imported, h.document).text
        assert text[h.sentence[0] : h.sentence[1]].strip() == text[h.sentence[0] : h.sentence[1]]
        assert h.sentence[0] <= h.start < h.end <= h.sentence[1]
    with pytest.raises(QcodeError, match="no hit 999"):
        choose(hits, [999])


def test_quoted_hits_are_never_coded(sample: Project) -> None:
    request = SearchRequest("gemeente", quoted=True)
    hits = [h for h in search(sample, request).hits if h.quoted]
    done = code_hits(sample, hits, request, "onderwerp", "quinn")
    assert (done.added, done.quoted) == (0, len(hits))


def test_reserved_and_missing_coders_are_refused(sample: Project) -> None:
    hits = search(sample, SearchRequest("school")).hits
    for name in ("", "auto", "consensus"):
        with pytest.raises(QcodeError):
            code_hits(sample, hits, SearchRequest("school"), "onderwerp", name)


def test_project_from_before_search_upgrades_and_searches(tmp_path: Path) -> None:
    """A project made under migration 0003 (before search) opens, upgrades and searches."""
    project = init_project(tmp_path / "old")
    import_paths(project, [SAMPLE_CORPUS])
    first = search(project, SearchRequest("school")).hits
    coding_id = coding_service.add_coding(project, first[0].document, "onderwerp", "anna", utterance=first[0].utterance)
    from alembic import command

    from qcode.storage.migrate import alembic_config, current_revision, head_revision

    command.downgrade(alembic_config(project.engine), "0003")
    assert current_revision(project.engine) == "0003"
    project.close()
    again = open_project(tmp_path / "old")
    try:
        assert current_revision(again.engine) == head_revision(again.engine)
        assert [(h.document, h.start) for h in search(again, SearchRequest("school")).hits] == [
            (h.document, h.start) for h in first
        ]
        assert coding_service.undo(again, "anna") == f"undid add of coding {coding_id}"
        upgrade(again.engine)  # idempotent
    finally:
        again.close()


def test_searched_project_copies_to_postgresql_and_searches_the_same(tmp_path: Path, pg_url: str) -> None:
    """The search index (packed bytes) and lemmas survive qcode copy-project and verify."""
    from qcode.services.team import copy_project

    project = init_project(tmp_path / "study")
    import_paths(project, [SAMPLE_CORPUS])
    request = SearchRequest("school", speaker=Role.CLIENT)
    before = search(project, request).hits
    code_hits(project, before, request, "onderwerp", "anna")
    project.close()
    report = copy_project(tmp_path / "study", pg_url)
    assert report.switched and all(c.ok for c in report.tables)
    on_pg = open_project(tmp_path / "study")
    try:
        assert search(on_pg, request).hits == before
        assert coding_service.undo(on_pg, "anna") == f"undid add of {len(before)} codings (one action)"
    finally:
        on_pg.close()
