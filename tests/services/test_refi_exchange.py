"""Issue 18: nothing lost between qcode and other programs, through the import service.

Vendor files are the copies in ``tests/data/refi-qda`` (see its README); files derived from
them are built in the tests below, each saying how, and validated against the REFI schema.
Expected values are read from the files with plain lxml, or come from the project the file
was exported from.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from qcode.services import codings as coding_service
from qcode.services import exchange as exchange_service
from qcode.services.corpus import document_keys, get_document, import_paths, list_cases
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.project import Project, init_project
from qcode.storage import codebooks as codebook_store
from qcode.storage import codings as coding_store

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
SCHEMA = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd"
NS = {"p": "urn:QDA-XML:project:1.0"}
P = "{urn:QDA-XML:project:1.0}"
CRLF = EXAMPLES / "qualcoder-3.7-export-crlf.qdpx"
LF = EXAMPLES / "qualcoder-3.7-export-lf.qdpx"
NVIVO = EXAMPLES / "nvivo-12.6-oltas_teszt.qdpx"


def _root(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
        return etree.fromstring(archive.read(name))


def _rewrite(path: Path, target: Path, change: Callable[[etree._Element], None]) -> Path:
    """A copy of a .qdpx with its project.qde changed by ``change``, checked by the XSD."""
    root = _root(path)
    change(root)
    data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
    xmlschema.XMLSchema(str(SCHEMA)).validate(etree.fromstring(data))
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            out.writestr(info, data if info.filename.lower().endswith(".qde") else source.read(info))
    return target


def _code_names(project: Project) -> list[str]:
    with project.session() as session:
        return [c.name for c in codebook_store.stored_codebook(session).codes]


@pytest.fixture
def sample(tmp_path: Path) -> Project:
    project = init_project(tmp_path / "sample")
    assert import_paths(project, [SAMPLE_CORPUS]).errors == []
    return project


def test_turns_are_rebuilt_when_the_metadata_note_is_stripped(sample: Project, tmp_path: Path) -> None:
    exported = tmp_path / "sample.qdpx"
    exchange_service.export_qdpx(sample, exported)

    def strip(root: etree._Element) -> None:
        for note in root.iterfind("p:Notes/p:Note", NS):
            if note.get("name") == "qcode metadata":
                note.getparent().remove(note)
        notes = root.find("p:Notes", NS)
        if notes is not None and not len(notes):  # the schema wants a Note in Notes
            root.remove(notes)

    stripped = _rewrite(exported, tmp_path / "stripped.qdpx", strip)
    assert b"qcode metadata" not in zipfile.ZipFile(stripped).read("project.qde")
    copy = init_project(tmp_path / "copy")
    report = exchange_service.import_qdpx(copy, stripped)
    assert report.documents == 18 and report.rebuilt_turns == 18
    for key in document_keys(sample):
        before, after = get_document(sample, key), get_document(copy, key)
        assert after.text == before.text
        assert [(u.index, u.role, u.start, u.end, u.text) for u in after.utterances] == [
            (u.index, u.role, u.start, u.end, u.text) for u in before.utterances]
        if before.channel.value == "chat" and before.source.endswith(".txt"):
            assert after.utterances == before.utterances  # the transcript read again: all of it
        elif before.channel.value == "chat":  # a message table shown as chat lines: the
            # rendering has label and time to the minute, so that much comes back
            assert [(u.speaker, u.time) for u in after.utterances] == [
                (u.speaker, u.time.replace(second=0) if u.time else None)
                for u in before.utterances]
    assert sum(len(get_document(copy, k).utterances) for k in document_keys(copy)) == sum(
        len(get_document(sample, k).utterances) for k in document_keys(sample))
    # e-mail turns rebuilt from codings alone lack label and time: said in one line
    assert any(line.startswith("left out on import:") and "speaker labels and times" in line
               for line in report.summary)
    assert not {"Hulpverlener", "Hulpvrager", "Systeem"} & set(_code_names(copy))


def test_qualcoder_round_trip_adds_no_codes_and_no_cases(sample: Project) -> None:
    codes_before = _code_names(sample)
    # the sample project has the QualCoder file's documents already; a fresh copy has not
    report = exchange_service.import_qdpx(sample, CRLF, dry_run=True)
    assert report.documents == 0 and report.codes_added == 2 and report.codes_matched == 28
    assert _code_names(sample) == codes_before  # dry run: nothing stored


def test_qualcoder_export_into_a_fresh_project(tmp_path: Path) -> None:
    project = init_project(tmp_path / "fresh")
    root = _root(CRLF)
    report = exchange_service.import_qdpx(project, CRLF)
    speaker_selections = len(root.xpath(
        "//p:PlainTextSelection[p:Coding/p:CodeRef/@targetGUID = "
        "//p:Code[@name='Sprekers']/p:Code/@guid]", namespaces=NS))
    assert speaker_selections == 450
    assert sum(len(get_document(project, k).utterances) for k in document_keys(project)) == 450
    assert report.codings == 317 and report.codes_added == 2  # Losse code, Open vraag - waarom
    assert len(list_cases(project)) == len(root.findall("p:Cases/p:Case", NS)) == 13
    names = _code_names(project)
    assert len(names) == len(set(names))  # no code twice
    assert not {"Hulpverlener", "Hulpvrager", "Systeem", "Sprekers"} & set(names)
    intake = coding_service.list_codings(project)
    assert (intake["code_name"] == "Intake").sum() == len(root.xpath(
        "//p:Coding[p:CodeRef/@targetGUID = //p:Code[@name='Intake']/@guid]", namespaces=NS))
    with project.session() as session:
        book = codebook_store.stored_codebook(session)
    sub = book.by_name("Open vraag - waarom")
    assert book.parent_of(sub.id) == book.by_name("Open vraag").id
    assert book.by_name("Zelfredzaamheid").group == book.by_name("Hulpbronnen").group


def test_dates_users_and_origins_come_from_the_selection_and_the_coder(tmp_path: Path) -> None:
    project = init_project(tmp_path / "p")
    exchange_service.import_qdpx(project, LF)
    root = _root(LF)
    dates = {sel.get("creationDateTime") for sel in root.iter(f"{P}PlainTextSelection")}
    frame = coding_service.list_codings(project)
    # QualCoder puts the date on the selection only: every coding has one of those dates
    stamps = {t.strftime("%Y-%m-%dT%H:%M:%SZ") for t in frame["created"]}
    assert stamps <= dates
    origins = dict(zip(frame["coder"], frame["origin"], strict=False))
    assert origins["auto"] == "automatic"
    assert set(frame.loc[frame["coder"] == "anna", "origin"]) == {"imported"}


def test_nvivo_codings_are_attributed_to_the_selection_creator(tmp_path: Path) -> None:
    def drop_coding_users(root: etree._Element) -> None:
        for element in root.iter(f"{P}Coding"):
            del element.attrib["creatingUser"]

    path = _rewrite(NVIVO, tmp_path / "nvivo-no-coding-users.qdpx", drop_coding_users)
    root = _root(path)
    users = {u.get("guid"): u.get("name") for u in root.iterfind("p:Users/p:User", NS)}
    expected = sorted(users[s.get("creatingUser")] for s in root.iter(f"{P}PlainTextSelection")
                      for _ in s.iterfind("p:Coding", NS))
    project = init_project(tmp_path / "p")
    report = exchange_service.import_qdpx(project, path)
    assert report.codings == 330
    assert sorted(coding_service.list_codings(project)["coder"]) == expected
    original = init_project(tmp_path / "o")
    assert exchange_service.import_qdpx(original, NVIVO).codings == 330


def test_atlas_users_become_coders(tmp_path: Path) -> None:
    project = init_project(tmp_path / "p")
    exchange_service.import_qdpx(project, EXAMPLES / "atlasti-8.4-standard-project.qde")
    users = {u.get("name") for u in etree.parse(
        str(EXAMPLES / "atlasti-8.4-standard-project.qde")).getroot().iterfind("p:Users/p:User", NS)}
    with project.session() as session:
        registered = {name for name, _, _ in coding_store.coder_names(session)}
    assert len(users) == 3 and users <= registered


def test_sets_become_document_attributes_and_code_groups(tmp_path: Path) -> None:
    root = _root(LF)
    source = root.find("p:Sources/p:TextSource", NS)
    loose = root.xpath("//p:CodeBook/p:Codes/p:Code[@name='Losse code']", namespaces=NS)[0]

    def add_sets(project: etree._Element) -> None:
        sets = etree.Element(f"{P}Sets")
        first = etree.SubElement(sets, f"{P}Set", guid="0b7d1f9e-2a33-4c55-8d77-000000000001",
                                 name="Eerste gesprekken")
        etree.SubElement(first, f"{P}MemberCode", targetGUID=loose.get("guid"))
        etree.SubElement(first, f"{P}MemberSource", targetGUID=source.get("guid"))
        note = project.find("p:Notes/p:Note", NS)
        etree.SubElement(first, f"{P}MemberNote", targetGUID=note.get("guid"))
        project.find("p:Description", NS).addprevious(sets)

    path = _rewrite(LF, tmp_path / "sets.qdpx", add_sets)
    project = init_project(tmp_path / "p")
    report = exchange_service.import_qdpx(project, path)
    assert "left out on import: 1 set members that are Notes" in report.summary
    assert not any(line.startswith("left out on import: ") and "set members (" in line
                   for line in report.summary)  # the code and the source were placed
    assert get_document(project, source.get("name")).attributes["sets"] == "Eerste gesprekken"
    with project.session() as session:
        assert codebook_store.stored_codebook(session).by_name("Losse code").group == "Eerste gesprekken"


@pytest.mark.parametrize(("path", "line"), [
    (LF, "kept as memos: 1 project description"),
    (LF, "kept as memos: 1 case descriptions"),
    (LF, "kept as memos: 1 source descriptions"),
    (LF, "kept as memos: 1 Notes (memos and journals)"),
    (LF, "kept as memos: 1 annotations (Notes on a text selection)"),
    (LF, "left out on import: 17 coding origins (the file does not say how they were made; "
         "stored as 'imported')"),
    (EXAMPLES / "atlasti-8.4-standard-project.qde",
     "left out on import: 1 Links (relations between items) (qcode has no links between items)"),
    (EXAMPLES / "atlasti-8.4-standard-project.qde", "left out on import: 1 Graphs (networks)"),
    (EXAMPLES / "atlasti-8.4-standard-project.qde", "kept as memos: 2 Notes (memos and journals)"),
])
def test_one_summary_line_per_kind_left_out(tmp_path: Path, path: Path, line: str) -> None:
    """Each kind the import drops, or keeps in another form (descriptions and Notes as memos),
    has exactly one summary line with its count."""
    report = exchange_service.import_qdpx(init_project(tmp_path / "p"), path)
    assert line in report.summary
    kind = line.split(": ", 1)[1].split(" ", 1)[1]
    assert sum(kind in s for s in report.summary) == 1  # one line per kind


@pytest.mark.parametrize(("path", "memos"), [
    (LF, 5),  # by hand: 1 project, 1 case and 1 source description, 1 journal, 1 annotation
    (EXAMPLES / "atlasti-8.4-standard-project.qde", 2),  # its two free memos
])
def test_kept_as_memos_lines_match_the_memos_stored(tmp_path: Path, path: Path, memos: int) -> None:
    """The "kept as memos" counts add up to the memos the import stored."""
    report = exchange_service.import_qdpx(init_project(tmp_path / "p"), path)
    kept = sum(int(s.split(": ", 1)[1].split(" ", 1)[0]) for s in report.summary
               if s.startswith("kept as memos: "))
    assert kept == report.memos == memos


def test_summary_counts_match_the_file(tmp_path: Path) -> None:
    """The counts of the summary lines, recounted with lxml."""
    root = _root(LF)
    origins = root.xpath("count(//p:Coding[not(p:CodeRef/@targetGUID = //p:Code[@name="
                         "'Sprekers']//p:Code/@guid)])", namespaces=NS)
    users = {u.get("guid"): u.get("name") for u in root.iterfind("p:Users/p:User", NS)}
    machine = sum(1 for c in root.iter(f"{P}Coding")
                  if users[c.get("creatingUser")] in ("auto", "consensus")
                  and c.find("p:CodeRef", NS).get("targetGUID") not in set(root.xpath(
                      "//p:Code[@name='Sprekers']//p:Code/@guid", namespaces=NS)))
    report = exchange_service.import_qdpx(init_project(tmp_path / "p"), LF)
    assert f"left out on import: {int(origins) - machine} coding origins" in "\n".join(report.summary)


def test_summary_lines_for_what_the_file_does_not_say(tmp_path: Path) -> None:
    """Dates, creators, an out-of-range selection and a second case link, each counted once.

    Built from the LF export: every selection and coding loses its date and user; one
    nameless selection is moved past the end of its text; the source casus-01 holds is also
    linked to a second case.
    """
    root = _root(LF)
    speakers = set(root.xpath("//p:Code[@name='Sprekers']//p:Code/@guid", namespaces=NS))
    ordinary = sum(1 for c in root.iter(f"{P}Coding")
                   if c.find("p:CodeRef", NS).get("targetGUID") not in speakers)

    def strip(project: etree._Element) -> None:
        for element in [*project.iter(f"{P}PlainTextSelection"), *project.iter(f"{P}Coding")]:
            element.attrib.pop("creationDateTime", None)
            element.attrib.pop("creatingUser", None)
        source = project.find("p:Sources/p:TextSource", NS)
        last = source.findall("p:PlainTextSelection", NS)[-1]
        last.set("startPosition", "100000")
        last.set("endPosition", "100001")
        last.set("name", "")
        held = project.find("p:Cases/p:Case/p:SourceRef", NS)  # casus-01 holds one source
        other = next(c for c in project.iterfind("p:Cases/p:Case", NS) if c is not held.getparent())
        etree.SubElement(other, f"{P}SourceRef", targetGUID=held.get("targetGUID"))

    path = _rewrite(LF, tmp_path / "undated.qdpx", strip)
    moved = _root(path).find("p:Sources/p:TextSource", NS).findall("p:PlainTextSelection", NS)[-1]
    lost = sum(1 for c in moved.iterfind("p:Coding", NS)
               if c.find("p:CodeRef", NS).get("targetGUID") not in speakers)
    report = exchange_service.import_qdpx(init_project(tmp_path / "p"), path)
    summary = "\n".join(report.summary)
    assert f"left out on import: {ordinary - lost} coding dates (none in the file" in summary
    assert f"left out on import: {ordinary - lost} coding creators (no user named" in summary
    assert "left out on import: 1 selections outside their source's text" in summary
    assert "left out on import: 1 case links beyond a document's first case" in summary
    assert any(moved.get("guid") in w and "outside" in w for w in report.warnings)


def test_summary_line_for_set_members_qcode_cannot_place(tmp_path: Path) -> None:
    path = EXAMPLES / "atlasti-8.4-standard-project.qde"
    root = etree.parse(str(path)).getroot()
    text_sources = {s.get("guid") for s in root.iterfind("p:Sources/p:TextSource", NS)}
    top_level = {c.get("guid") for c in root.iterfind("p:CodeBook/p:Codes/p:Code", NS)
                 if not c.findall("p:Code", NS)}
    placed_codes: set[str] = set()
    unplaced = 0
    for member in root.iterfind("p:Sets/p:Set/*", NS):
        guid = member.get("targetGUID")
        if member.tag == f"{P}MemberSource":
            unplaced += guid not in text_sources
        elif member.tag == f"{P}MemberCode":
            if guid in top_level and guid not in placed_codes:
                placed_codes.add(guid)  # the first set of a code of no group becomes its group
            else:
                unplaced += 1
    report = exchange_service.import_qdpx(init_project(tmp_path / "p"), path)
    assert unplaced > 0
    assert f"left out on import: {unplaced} set members (codes already in a group" in "\n".join(report.summary)
