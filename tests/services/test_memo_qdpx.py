"""Memos through REFI-QDA: qcode → .qdpx → qcode, and vendors' notes and descriptions in."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from qcode.coding.memo import MemoKind, MemoTarget
from qcode.services import codings as coding_service
from qcode.services import exchange as exchange_service
from qcode.services.memos import list_memos, write_memo
from qcode.services.project import Project, init_project
from tests.factories import make_document, store

SCHEMA = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd"
VENDOR = Path("/work/shared/refi-qda/examples")
EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
NS = {"q": "urn:QDA-XML:project:1.0"}
TURNS = [
    ("counsellor", "19:02", "Hoi NAAM, waar wil je het over hebben? 😀"),
    ("client", "19:03", "over mn vader, één ding"),
    ("counsellor", "19:05", "Als ik het goed begrijp is het thuis lastig, klopt dat?"),
]
MEMOS = {
    "coding": "open, maar sturend",
    "utterance": "vader: de kern <en> & meer",
    "document": "doorverwezen 🙂",
    "case": "zelfde hulpvrager als c2?",
    "code": "werkdefinitie: laat ruimte",
    "project": "Onderzoeksdagboek: week 1",
}


@pytest.fixture
def memod(sqlite_project: Project) -> Project:
    store(sqlite_project, make_document("c1/chat", "c1", TURNS), make_document("c2/chat", "c2", TURNS[:2]))
    cid = coding_service.add_coding(sqlite_project, "c1/chat", "Open vraag", "anna", utterance=0)
    write_memo(sqlite_project, MemoTarget.on_coding(cid), "anna", MEMOS["coding"])
    write_memo(sqlite_project, MemoTarget.on_document("c1/chat", 1), "bram", MEMOS["utterance"])
    write_memo(sqlite_project, MemoTarget.on_document("c1/chat"), "anna", MEMOS["document"])
    write_memo(sqlite_project, MemoTarget.on_case("c1"), "bram", MEMOS["case"])
    write_memo(sqlite_project, MemoTarget.on_code("Open vraag"), "anna", MEMOS["code"])
    write_memo(sqlite_project, MemoTarget.on_project(), "anna", MEMOS["project"])
    return sqlite_project


def _places(project: Project) -> set[tuple[str, str | None, int | None, str | None, str | None, str, str]]:
    return {(m.kind.value, m.document, m.utterance, m.case, m.code, m.coder, m.text) for m in list_memos(project, None)}


def test_every_memo_survives_qdpx_and_its_text_is_in_the_valid_xml(memod: Project, tmp_path: Path) -> None:
    target = tmp_path / "memos.qdpx"
    exchange_service.export_qdpx(memod, target)
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("project.qde")
    root = etree.fromstring(xml)
    xmlschema.XMLSchema(str(SCHEMA)).validate(root)
    notes = {n.findtext("q:PlainTextContent", namespaces=NS): n for n in root.iterfind(".//q:Notes/q:Note", NS)}
    assert set(MEMOS.values()) <= set(notes)
    # each note is referred to from its place, as the schema allows
    refs = {r.get("targetGUID"): etree.QName(r.getparent()).localname for r in root.iter("{urn:QDA-XML:project:1.0}NoteRef")}
    where = {kind: refs.get(notes[text].get("guid")) for kind, text in MEMOS.items()}
    assert where == {"coding": "Coding", "utterance": "PlainTextSelection", "document": "TextSource",
                     "case": None, "code": "Code", "project": "Project"}
    case = root.find(".//q:Cases/q:Case[@name='c1']", NS)
    assert case is not None and case.findtext("q:Description", namespaces=NS) == MEMOS["case"]
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:Users/q:User", NS)}
    assert users[notes[MEMOS["utterance"]].get("creatingUser")] == "bram"

    before = _places(memod)
    fresh = init_project(tmp_path / "fresh")
    report = exchange_service.import_qdpx(fresh, target)
    assert report.memos == 5  # the coding memo comes back on the coding itself
    assert _places(fresh) == before
    assert list(coding_service.list_codings(fresh)["memo"]) == [MEMOS["coding"]]
    again = exchange_service.import_qdpx(fresh, target)  # the same file twice changes nothing
    assert _places(fresh) == before and again.documents == 0
    fresh.close()


def _strip_places_note(source: Path, target: Path) -> None:
    """What another program does with qcode's file: keeps notes and refs, drops qcode's own."""
    with zipfile.ZipFile(source) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(entries["project.qde"])
    for note in root.iterfind(".//q:Notes/q:Note", NS):
        if note.get("name") in ("qcode memo places", "qcode metadata"):
            note.getparent().remove(note)
    entries["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)


def test_without_qcodes_notes_memos_are_read_from_noterefs_and_descriptions(memod: Project, tmp_path: Path) -> None:
    exported = tmp_path / "memos.qdpx"
    exchange_service.export_qdpx(memod, exported)
    stripped = tmp_path / "other-program.qdpx"
    _strip_places_note(exported, stripped)
    fresh = init_project(tmp_path / "fresh")
    exchange_service.import_qdpx(fresh, stripped)
    got = {(m.kind.value, m.text) for m in list_memos(fresh, None)}
    assert got >= {("document", MEMOS["document"]), ("case", MEMOS["case"]), ("project", MEMOS["project"]),
                   ("code", MEMOS["code"])}
    # Without the metadata note the file has no turns (unless they are rebuilt from the speaker
    # codings); then the turn memo lands on its document, quoting the turn it was on.
    on_document = ("document", f"“{TURNS[1][2]}”: {MEMOS['utterance']}")
    assert on_document in got or ("utterance", MEMOS["utterance"]) in got
    assert MEMOS["coding"] in set(coding_service.list_codings(fresh)["memo"])
    fresh.close()


def test_qualcoder_annotation_journal_and_descriptions_become_memos(tmp_path: Path) -> None:
    source = VENDOR / "qualcoder-3.7-export-lf.qdpx"
    if not source.exists():
        pytest.skip(f"{source} is not in this checkout's shared folder")
    with zipfile.ZipFile(source) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    cases = {c.get("name"): c.findtext("q:Description", namespaces=NS) for c in root.iterfind(".//q:Cases/q:Case", NS)}
    described = {k: v for k, v in cases.items() if v and v.strip()}
    project = init_project(tmp_path / "qc")
    report = exchange_service.import_qdpx(project, shutil.copy(source, tmp_path / "qc.qdpx"))
    memos = list_memos(project, None)
    by_kind: dict[MemoKind, list[str]] = {}
    for m in memos:
        by_kind.setdefault(m.kind, []).append(m.text)
    assert any("annotation by carla" in t for t in by_kind.get(MemoKind.UTTERANCE, []) + by_kind.get(MemoKind.DOCUMENT, []))
    assert any(t.startswith("Journaal 1") for t in by_kind[MemoKind.PROJECT])
    assert sorted(by_kind.get(MemoKind.CASE, [])) == sorted(described.values())
    project_description = root.findtext("q:Description", namespaces=NS) or ""
    if project_description.strip():
        assert project_description in by_kind[MemoKind.PROJECT]
    assert report.memos == len([m for m in memos if m.kind is not MemoKind.CODING])  # coding memos: on codings
    assert len(by_kind[MemoKind.CODING]) == 4  # QualCoder's coding memos, as before
    project.close()


def test_atlasti_free_memos_become_project_memos_with_author_and_title(tmp_path: Path) -> None:
    source = EXAMPLES / "atlasti-8.4-standard-project.qde"
    root = etree.parse(str(source)).getroot()
    users = {u.get("guid"): u.get("name") for u in root.iterfind(".//q:Users/q:User", NS)}
    expected = {
        (users[n.get("creatingUser")], "\n\n".join(
            t for t in (n.get("name"), n.findtext("q:Description", namespaces=NS),
                        n.findtext("q:PlainTextContent", namespaces=NS)) if t))
        for n in root.iterfind(".//q:Notes/q:Note", NS)
    }
    assert any("day to day log" in text for _, text in expected)  # the note's Description too
    assert len(expected) == 2
    project = init_project(tmp_path / "atlas")
    exchange_service.import_qdpx(project, source)
    got = {(m.coder, m.text) for m in list_memos(project, None) if m.kind is MemoKind.PROJECT}
    assert got == expected
    project.close()


def test_a_foreign_note_on_a_coding_becomes_the_codings_memo(memod: Project, tmp_path: Path) -> None:
    exported = tmp_path / "memos.qdpx"
    exchange_service.export_qdpx(memod, exported)
    with zipfile.ZipFile(exported) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    root = etree.fromstring(entries["project.qde"])
    for selection in root.iter("{urn:QDA-XML:project:1.0}PlainTextSelection"):
        description = selection.find("q:Description", NS)
        if description is not None:  # another program keeps only the note, not the comment
            selection.remove(description)
    places = next(n for n in root.iterfind(".//q:Notes/q:Note", NS) if n.get("name") == "qcode memo places")
    places.getparent().remove(places)
    entries["project.qde"] = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    changed = tmp_path / "note-only.qdpx"
    with zipfile.ZipFile(changed, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    fresh = init_project(tmp_path / "fresh")
    exchange_service.import_qdpx(fresh, changed)
    assert list(coding_service.list_codings(fresh)["memo"]) == [MEMOS["coding"]]
    assert json.dumps(MEMOS["coding"])  # the text itself, not a reference, came back
    fresh.close()
