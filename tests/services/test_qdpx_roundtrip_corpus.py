"""REFI-QDA round trip on the whole sample corpus with codings from two coders (issue 6)."""

from __future__ import annotations

import random
import zipfile
from pathlib import Path

import xmlschema
from lxml import etree

from qcode.services import codings as coding_service
from qcode.services import exchange as exchange_service
from qcode.services.autocoding import autocode
from qcode.services.corpus import document_keys, get_document, import_paths, list_cases
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.project import init_project

SCHEMA = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd"


def _codings(project: object) -> set[tuple[object, ...]]:
    frame = coding_service.list_codings(project)  # type: ignore[arg-type]
    return {
        (r["document"], int(r["start"]), int(r["end"]), r["code"], r["coder"], r["origin"], r["memo"], r["detail"])
        for r in frame.to_dict("records")
    }


def test_sample_corpus_round_trip_is_lossless(tmp_path: Path) -> None:
    source = init_project(tmp_path / "source")
    assert import_paths(source, [SAMPLE_CORPUS]).errors == []
    autocode(source)
    rng = random.Random(7)
    codes = ["Open vraag", "Gesloten vraag", "Verificatie interpretatie", "Compliment woorden", "Hulpbronnen"]
    for key in document_keys(source):
        doc = get_document(source, key)
        for coder in ("anna", "bram"):
            for u in rng.sample(doc.utterances, k=min(4, len(doc.utterances))):
                coding_service.add_coding(source, key, rng.choice(codes), coder, utterance=u.index,
                                  memo="twijfel" if rng.random() < 0.2 else "")
        first, last = doc.utterances[0], doc.utterances[min(5, len(doc.utterances) - 1)]
        coding_service.add_coding(source, key, "Intake", "anna", start=first.start, end=last.end)
    target = tmp_path / "sample.qdpx"
    summary = exchange_service.export_qdpx(source, target)
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("project.qde")
    xmlschema.XMLSchema(str(SCHEMA)).validate(etree.fromstring(xml))
    assert summary.counts["codings"] == len(coding_service.list_codings(source))

    copy = init_project(tmp_path / "copy")
    report = exchange_service.import_qdpx(copy, target)
    assert report.missing_sources == [] and report.skipped_documents == []
    assert report.documents == len(document_keys(source)) == 18
    assert _codings(copy) == _codings(source)
    for key in document_keys(source):
        assert get_document(copy, key) == get_document(source, key)  # text, turns, offsets
    assert list_cases(copy) == list_cases(source)  # case attributes from the manifest
