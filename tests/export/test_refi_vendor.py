"""Real vendor files (ATLAS.ti 8.4, NVivo 12.6, sky-loom Project.qde) import correctly.

Expected counts come from plain lxml XPath over the files themselves, not from qcode.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from qcode.export.refi_read import read_qdpx

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "refi-qda"
NS = {"p": "urn:QDA-XML:project:1.0"}
FILES = ["atlasti-8.4-standard-project.qde", "nvivo-12.6-oltas_teszt.qdpx",
         "sky-loom-TestProject.qdpx"]


def _root(path: Path) -> etree._Element:
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if n.lower().endswith(".qde"))
            return etree.fromstring(archive.read(name))
    return etree.parse(str(path)).getroot()


@pytest.mark.parametrize("name", FILES)
def test_codes_and_codings_are_counted(name: str) -> None:
    path = EXAMPLES / name
    assert path.exists(), f"vendor example missing: {path}"
    root = _root(path)
    codable = int(root.xpath("count(//p:CodeBook//p:Code[@isCodable='true'])", namespaces=NS))
    text_codings = int(root.xpath(
        "count(/p:Project/p:Sources/p:TextSource/p:PlainTextSelection/p:Coding)",
        namespaces=NS))
    sources = int(root.xpath("count(/p:Project/p:Sources/p:TextSource)", namespaces=NS))
    imported = read_qdpx(path)
    assert len(imported.project.codebook.codes) == codable
    assert len(imported.project.codings) == text_codings
    assert len(imported.project.documents) == sources
    assert text_codings > 0


@pytest.mark.parametrize("name", [FILES[0], FILES[2]])
def test_atlas_external_sources_are_reported_missing(name: str) -> None:
    imported = read_qdpx(EXAMPLES / name)
    assert len(imported.missing_sources) == 6
    assert any("Coca Cola" in m and "internal://" in m for m in imported.missing_sources)
    # every user of the file is a coder, even with no text coding (3 users, read with lxml)
    users = sorted(u.get("name") for u in _root(EXAMPLES / name).iterfind("p:Users/p:User", NS))
    assert len(users) == 3 and imported.project.coders == tuple(users)
    assert any("PDFSource" in w for w in imported.warnings)  # non-text codings not silent


def test_nvivo_offsets_land_on_the_same_characters() -> None:
    """NVivo counts UTF-16 units of CRLF text: recompute each span that way, independently."""
    path = EXAMPLES / "nvivo-12.6-oltas_teszt.qdpx"
    root = _root(path)
    imported = read_qdpx(path)
    texts = {d.key: d.text for d in imported.project.documents}
    users = {u.get("guid"): u.get("name") for u in root.iterfind("p:Users/p:User", NS)}
    expected = []
    with zipfile.ZipFile(path) as archive:
        for source in root.iterfind("p:Sources/p:TextSource", NS):
            inner = source.get("plainTextPath").removeprefix("internal://")
            raw = archive.read(f"Sources/{inner}").decode("utf-8-sig").encode("utf-16-le")
            for selection in source.iterfind("p:PlainTextSelection", NS):
                s, e = int(selection.get("startPosition")), int(selection.get("endPosition"))
                span = raw[2 * s : 2 * e].decode("utf-16-le").replace("\r\n", "\n")
                for coding in selection.iterfind("p:Coding", NS):
                    expected.append((source.get("name"), span, users[coding.get("creatingUser")]))
    got = [(c.document, texts[c.document][c.start : c.end], c.coder)
           for c in imported.project.codings]
    assert sorted(got) == sorted(expected)
    assert any(span.startswith("Senkit nem lehet") for _, span, _ in got)
    assert "\r" not in "".join(texts.values())
