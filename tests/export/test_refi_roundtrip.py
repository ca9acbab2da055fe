"""qcode → .qdpx/.qdc → qcode: schema-valid, deterministic and lossless."""

from __future__ import annotations

import re
import stat
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from qcode.errors import ExportError
from qcode.export.refi_model import ExchangeProject
from qcode.export.refi_read import read_qdc, read_qdpx
from qcode.export.refi_write import write_qdc, write_qdpx

SCHEMAS = Path(__file__).parents[2] / "qcode" / "export" / "schemas"
NS = {"p": "urn:QDA-XML:project:1.0"}


def _qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def test_qdpx_validates_against_the_project_schema(exchange: ExchangeProject,
                                                    tmp_path: Path) -> None:
    path = tmp_path / "kvh.qdpx"
    write_qdpx(exchange, path)
    schema = xmlschema.XMLSchema(SCHEMAS / "Project-mrt2019.xsd")
    schema.validate(_qde(path).decode("utf-8"))


def test_qdpx_layout_and_code_point_offsets(exchange: ExchangeProject, tmp_path: Path) -> None:
    path = tmp_path / "kvh.qdpx"
    summary = write_qdpx(exchange, path)
    root = etree.fromstring(_qde(path))
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        chat = root.find("p:Sources/p:TextSource[@name='casus-1/chat-1']", NS)
        assert chat is not None
        inner = chat.get("plainTextPath", "").removeprefix("internal://")
        assert f"Sources/{inner}" in names
        text = archive.read(f"Sources/{inner}").decode("utf-8")
    assert text == exchange.documents[0].text  # LF, no BOM
    spans = {text[int(s.get("startPosition")):int(s.get("endPosition"))]
             for s in chat.findall("p:PlainTextSelection", NS)}
    assert {"😀", "één vraag 😀", "Wat fijn dat je er bent!"} <= spans
    # 6 codings + 3 utterances (speaker codings) in the file; the summary agrees
    assert len(root.findall(".//p:PlainTextSelection/p:Coding", NS)) == 9
    assert summary.counts["codings"] == 6 and summary.counts["speaker_codings"] == 3
    users = {u.get("name") for u in root.findall("p:Users/p:User", NS)}
    assert users == {"anna", "bram", "qcode"}
    speaker_group = root.find("p:CodeBook/p:Codes/p:Code[@name='Sprekers']", NS)
    assert speaker_group is not None
    assert [c.get("name") for c in speaker_group] == ["Hulpverlener", "Hulpvrager", "Systeem"]
    case = root.find("p:Cases/p:Case[@name='casus-2']", NS)
    assert case is not None and len(case.findall("p:SourceRef", NS)) == 1
    assert case.findtext("p:VariableValue/p:TextValue", namespaces=NS) == "17"


def test_reexport_is_byte_identical(exchange: ExchangeProject, tmp_path: Path) -> None:
    write_qdpx(exchange, tmp_path / "a.qdpx")
    write_qdpx(exchange, tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()


def test_refuses_to_overwrite_without_force(exchange: ExchangeProject, tmp_path: Path) -> None:
    path = tmp_path / "kvh.qdpx"
    write_qdpx(exchange, path)
    with pytest.raises(ExportError, match="already exists"):
        write_qdpx(exchange, path)
    write_qdpx(exchange, path, force=True)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["kvh.qdpx"]  # no temporary left behind


def _strip_ids(project: ExchangeProject) -> set[object]:
    return {replace(c, id=None) for c in project.codings}


def test_round_trip_is_lossless(exchange: ExchangeProject, tmp_path: Path) -> None:
    path = tmp_path / "kvh.qdpx"
    write_qdpx(exchange, path)
    imported = read_qdpx(path)
    back = imported.project
    assert imported.missing_sources == ()
    assert back.codebook.codes == exchange.codebook.codes
    assert back.codebook.groups == exchange.codebook.groups
    assert (back.codebook.id, back.codebook.version) == ("kvh", "1.0")
    assert _strip_ids(back) == _strip_ids(exchange)
    assert {c.coder for c in back.codings} == {"anna", "bram"}  # speaker codings left out
    assert back.coders == ("anna", "bram")
    for original in exchange.documents:
        copy = next(d for d in back.documents if d.key == original.key)
        assert (copy.text, copy.case_key, copy.channel, copy.start, copy.source) == (
            original.text, original.case_key, original.channel, original.start, original.source)
        assert dict(copy.attributes) == dict(original.attributes)
        assert copy.utterances == original.utterances  # turns travel in the metadata note
    assert {c.key: dict(c.attributes) for c in back.cases} == {
        "casus-1": {"leeftijd": "15"}, "casus-2": {"leeftijd": "17"}}


def _rewrite(path: Path, target: Path, change: re.Pattern[str], inner: str = "project.qde",
             ) -> None:
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "project.qde":
                text = change.sub(lambda m: "{" + m.group(0).upper() + "}", data.decode())
                out.writestr(inner, text.encode())
            else:
                out.writestr(name, data)


def test_braced_upper_case_guids_and_renamed_inner_file(exchange: ExchangeProject,
                                                        tmp_path: Path) -> None:
    path = tmp_path / "kvh.qdpx"
    write_qdpx(exchange, path)
    odd = tmp_path / "odd.qdpx"
    guid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    _rewrite(path, odd, guid, inner="Klik voor hulp.qde")  # ATLAS.ti 26 names it this way
    text = zipfile.ZipFile(odd).read("Klik voor hulp.qde").decode()
    assert "{" in text and not guid.search(text.replace("{", "").lower().upper())
    back = read_qdpx(odd).project
    assert _strip_ids(back) == _strip_ids(exchange)


def test_qdc_validates_and_reads_back(exchange: ExchangeProject, tmp_path: Path) -> None:
    path = tmp_path / "kvh.qdc"
    summary = write_qdc(exchange.codebook, path)
    assert summary.counts == {"codes": 3}
    xmlschema.XMLSchema(SCHEMAS / "Codebook.xsd").validate(path.read_text(encoding="utf-8"))
    book = read_qdc(path)
    assert [(c.name, c.colour) for c in book.codes] == [
        ("Verificatie interpretatie", "#1F77B4"), ("Compliment", "#FF7F0E"),
        ("Emoticon", "#2CA02C")]
    assert book.groups == (("Gesprekstechnieken", "Gesprekstechnieken"),
                           ("Paratekst", "Paratekst"))
    assert book.codes[0].definition_en == "Checks an interpretation\n\nCheckt een interpretatie"
