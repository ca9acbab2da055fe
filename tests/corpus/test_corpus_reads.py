"""The sample corpus goes through qcode's own readers as the import would read it.

Expected counts come from the raw files (labelled lines, ``-----`` separators, rows), counted
here with plain regular expressions, not from the readers themselves.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.model import Document, Role
from qcode.transcripts.privacy import scan_personal_data
from qcode.transcripts.registry import read_source
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile, plan_sources

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "klikvoorhulp-sample"
LABEL_RE = re.compile(r"^(?:online hulpverlener|hulpverlener|hulpvrager) ?\(", re.IGNORECASE)


def _sources() -> list[SourceFile]:
    return plan_sources([CORPUS])


def _read(source: SourceFile) -> tuple[str, list[Document]]:
    text = decode_bytes(source.path.read_bytes(), source.path)
    return text, list(read_source(source, text, RoleMap.default()).documents)


def _expected_turns(path: Path, text: str) -> int:
    lines = text.replace("\r\n", "\n").split("\n")
    if path.suffix == ".csv":
        return len([line for line in lines if line]) - 1  # no field in this file spans lines
    if path.name.startswith("chat-"):
        return sum(1 for line in lines if LABEL_RE.match(line) or line.startswith("*** "))
    return lines.count("-----") + 1


def test_manifest_plans_every_file_with_its_case() -> None:
    sources = _sources()
    assert len(sources) == len((CORPUS / "cases.csv").read_text(encoding="utf-8").splitlines()) - 1
    assert all(s.case_key == s.path.parent.name for s in sources)


@pytest.mark.parametrize("source", _sources(), ids=lambda s: s.path.relative_to(CORPUS).as_posix())
def test_each_file_reads_into_one_document_with_every_turn(source: SourceFile) -> None:
    text, documents = _read(source)
    assert len(documents) == 1
    assert len(documents[0].utterances) == _expected_turns(source.path, text)


def test_quirks_survive_reading() -> None:
    docs = {s.path.relative_to(CORPUS).as_posix(): _read(s)[1][0] for s in _sources()}
    out_of_order = [
        u.text for u in docs["casus-03/chat-2014-05-21.txt"].utterances if u.out_of_order
    ]
    assert out_of_order == ["ja klopt"]
    system = [
        u.text for u in docs["casus-08/chat-2014-01-16.txt"].utterances if u.role == Role.SYSTEM
    ]
    assert len(system) == 1 and "verbroken" in system[0]
    midnight = docs["casus-07/chat-2015-04-27.txt"].utterances
    assert midnight[-1].time is not None and midnight[-1].time.day == 28
    for thread in (
        "casus-05/mailwisseling.txt",
        "casus-06/mail-2014-10-08.txt",
        "casus-09/mailwisseling.txt",
    ):
        quoted = [u for u in docs[thread].utterances if u.quoted]
        assert quoted, thread
        assert all(u.quoted not in u.text for u in quoted)
    cp1252 = docs["casus-02/chat-2014-02-03.txt"].text
    assert "€ 540" in cp1252 and "café" in cp1252


def test_documents_land_in_the_case_of_their_folder() -> None:
    for source in _sources():
        for document in _read(source)[1]:
            assert document.case_key == source.path.parent.name, source.path


def test_privacy_check_finds_nothing_in_the_corpus() -> None:
    findings = {
        s.path.name: scan_personal_data(decode_bytes(s.path.read_bytes(), s.path))
        for s in _sources()
    }
    assert {name: found for name, found in findings.items() if found} == {}
