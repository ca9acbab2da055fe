"""Cases by SourceRef, case variable or name; sub-codes out and back (issue 18)."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import xmlschema
from lxml import etree

from qcode.codebook.model import Code, Codebook, Unit
from qcode.export.refi_model import ExchangeProject
from qcode.export.refi_read import read_qdpx
from qcode.export.refi_write import write_qdpx

SCHEMA = Path(__file__).resolve().parents[2] / "qcode" / "export" / "schemas" / "Project-mrt2019.xsd"
NS = "urn:QDA-XML:project:1.0"
G = "0b7d1f9e-2a33-4c55-8d77-0000000000{:02d}"


def _project(tmp_path: Path) -> Path:
    """Four sources: one held by SourceRef, one by a 'case' variable, one by its name's
    prefix, one by none of these; a SourceRef outranks a disagreeing name."""
    sources = "".join(
        f'<TextSource guid="{G.format(10 + i)}" name="{name}"><PlainTextContent>tekst {i}'
        f"</PlainTextContent>{extra}</TextSource>"
        for i, (name, extra) in enumerate([
            ("beta/gesprek", ""),
            ("los-1", f'<VariableValue><VariableRef targetGUID="{G.format(1)}"/>'
                      "<TextValue>alfa</TextValue></VariableValue>"),
            ("alfa/tweede", ""),
            ("los-2", ""),
        ])
    )
    xml = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="t">'
        f'<Variables><Variable guid="{G.format(1)}" name="case" typeOfVariable="Text"/></Variables>'
        f'<Cases><Case guid="{G.format(2)}" name="alfa"><SourceRef targetGUID="{G.format(10)}"/>'
        f'</Case><Case guid="{G.format(3)}" name="beta"/></Cases>'
        f"<Sources>{sources}</Sources></Project>"
    )
    xmlschema.XMLSchema(str(SCHEMA)).validate(xml)
    path = tmp_path / "cases.qde"
    path.write_text(xml, encoding="utf-8")
    return path


def test_cases_prefer_sourceref_then_variable_then_name(tmp_path: Path) -> None:
    project = read_qdpx(_project(tmp_path)).project
    cases = {d.key: d.case_key for d in project.documents}
    assert cases == {"beta/gesprek": "alfa", "los-1": "alfa", "alfa/tweede": "alfa", "los-2": "los-2"}
    assert sorted(c.key for c in project.cases) == ["alfa", "beta", "los-2"]  # no case per document


def test_sub_codes_travel_out_and_back(exchange: ExchangeProject, tmp_path: Path) -> None:
    sub = Code("compliment_klein", "Compliment - klein", "technique", Unit.SEGMENT, "Small praise")
    book = exchange.codebook
    book = Codebook(book.id, book.name, book.version, (*book.codes, sub), book.groups,
                    book.source, parents=(("compliment_klein", "compliment"),))
    path = tmp_path / "sub.qdpx"
    write_qdpx(replace(exchange, codebook=book), path)
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
    xmlschema.XMLSchema(str(SCHEMA)).validate(root)
    nested = root.xpath("//q:Code[@name='Compliment']/q:Code/@name", namespaces={"q": NS})
    assert nested == ["Compliment - klein"]
    back = read_qdpx(path).project.codebook
    assert back.parent_of("compliment_klein") == "compliment"
    assert back.by_id("compliment_klein").group == "technique"
