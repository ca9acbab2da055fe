"""``qcode fragments CODE``: every coded fragment of a code, filtered; names refused with exit 2.

The codings are made through the coding service on spans read from the stored document, and
the expected turn is found here by scanning the utterances (the one whose span holds the
fragment), counted from 1.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services import workbench
from qcode.services.corpus import list_cases
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.project import Project, open_project

DOC = "casus-03/chat-2014-05-21"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, int, int]]]:
    folder = tmp_path_factory.mktemp("fragments") / "proj"
    runner = CliRunner()
    for args in (["init", str(folder)], ["import", "--project", str(folder), str(SAMPLE_CORPUS)]):
        assert runner.invoke(main, args).exit_code == 0
    project = open_project(folder)
    try:
        for name in ("anna", "bram"):
            team_service.add_coder(project, name)
        doc = workbench.open_document(project, DOC)
        fifth, eighth = doc.utterances[5], doc.utterances[8]
        spans = [(fifth.start, fifth.end, 6), (eighth.start + 2, eighth.start + 9, 9)]
        coding_service.add_coding(project, DOC, "open_vraag", "anna", start=spans[0][0], end=spans[0][1])
        coding_service.add_coding(project, DOC, "open_vraag", "bram", start=spans[1][0], end=spans[1][1])
        coding_service.add_coding(project, DOC, "gesloten_vraag", "bram", start=fifth.start, end=fifth.end)
    finally:
        project.close()
    return folder, spans


def project_case_attribute(project: Project, case: str, name: str) -> str:
    for key, attributes, *_ in list_cases(project):
        if key == case:
            return str(attributes.get(name, ""))
    raise AssertionError(case)


def _run(folder: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["fragments", "--project", str(folder), *args])
    return result.exit_code, result.output


def _json(folder: Path, *args: str) -> list[dict[str, object]]:
    code, out = _run(folder, *args, "--format", "json")
    assert code == 0, out
    records: list[dict[str, object]] = json.loads(out)
    return records


def test_every_fragment_with_its_turn_from_one(project: tuple[Path, list[tuple[int, int, int]]]) -> None:
    folder, spans = project
    found = _json(folder, "Open vraag")
    assert [(r["document"], r["start"], r["end"], r["turn"], r["coder"]) for r in found] == [
        (DOC, spans[0][0], spans[0][1], 6, "anna"),
        (DOC, spans[1][0], spans[1][1], 9, "bram"),
    ]
    assert [r["index"] for r in found] == [5, 8]
    assert all(r["code"] == "Open vraag" for r in found)
    code, table = _run(folder, "open_vraag")
    assert code == 0 and "2 fragment(s) in 1 document(s)." in table


def test_filters(project: tuple[Path, list[tuple[int, int, int]]]) -> None:
    folder, _ = project
    assert [r["coder"] for r in _json(folder, "Open vraag", "--coder", "bram")] == ["bram"]
    assert _json(folder, "Open vraag", "--channel", "email") == []
    assert _json(folder, "Open vraag", "--case", "casus-01") == []
    assert len(_json(folder, "Open vraag", "--case", "casus-03", "--channel", "chat")) == 2
    assert _json(folder, "Open vraag", "--where", "regio=nergens") == []


def test_where_keeps_the_case_with_that_attribute(project: tuple[Path, list[tuple[int, int, int]]]) -> None:
    folder, _ = project
    out = open_project(folder)
    try:
        regio = project_case_attribute(out, "casus-03", "regio")
    finally:
        out.close()
    assert regio, "the sample corpus gives casus-03 a regio"
    assert len(_json(folder, "Open vraag", "--where", f"regio={regio}")) == 2


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["Open vrag"], "did you mean 'Open vraag'"),
        (["Open vraag", "--coder", "bramm"], "did you mean 'bram'"),
        (["Open vraag", "--case", "casus-3"], "did you mean 'casus-03'"),
    ],
)
def test_unknown_names_exit_2(project: tuple[Path, list[tuple[int, int, int]]], args: list[str], hint: str) -> None:
    code, out = _run(project[0], *args)
    assert code == 2
    assert hint in out


def test_unknown_attribute_is_named(project: tuple[Path, list[tuple[int, int, int]]]) -> None:
    code, out = _run(project[0], "Open vraag", "--where", "provincie=Limburg")
    assert code == 1
    assert "No document or case has the attribute 'provincie'" in out
    assert "Traceback" not in out
