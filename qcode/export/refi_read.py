"""Read REFI-QDA ``.qdpx`` projects (or bare ``.qde``) and ``.qdc`` codebooks into qcode values.

Works with lxml alone (no schema validation at import: vendor files bend the standard).
Handles the traps of real files: the inner XML may be ``project.qde``, ``Project.qde`` or
named after the project; GUIDs may be upper case or braced; sources may be external files
that are not in the zip (reported, never a crash); NVivo counts positions in UTF-16 units of
CRLF text, QualCoder may count a CRLF as one (the convention is chosen per source from the
selected texts, :mod:`qcode.export.refi_positions`). Codings of qcode's speaker group
``Sprekers`` are turns, not codings: they rebuild the turns when the metadata note is gone.
Whatever is left out is counted per kind in the result's :class:`ImportTally`.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from qcode.codebook.model import Codebook
from qcode.errors import ExportError
from qcode.export import refi_zip
from qcode.export.guids import normalise_guid
from qcode.export.import_tally import ImportTally
from qcode.export.refi_cases import apply_sets, collect_cases, read_cases
from qcode.export.refi_codebook import ForeignCode, build_codebook, read_codes
from qcode.export.refi_leftovers import tally_leftovers
from qcode.export.refi_metadata import check_metadata, restore_codebook, restore_decisions
from qcode.export.refi_model import (
    SPEAKER_GROUP,
    SPEAKER_USER,
    ExchangeProject,
    ImportedProject,
)
from qcode.export.refi_notes import fold_coding_notes, read_memos
from qcode.export.refi_sources import SourceReader
from qcode.export.refi_text import Convention
from qcode.export.refi_turns import speaker_role
from qcode.export.refi_xml import METADATA_NOTE, parse_datetime, safe_parser
from qcode.export.refi_zip import open_archive, read_member
from qcode.transcripts.model import Role


def _parse(data: bytes, where: str) -> etree._Element:
    try:
        return etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as error:
        line = error.lineno if error.lineno else "?"
        raise ExportError(f"{where}:{line}: not well-formed XML ({error.msg})") from error


def _open(path: Path) -> tuple[etree._Element, zipfile.ZipFile | None, list[str]]:
    """The project root element and the zip it came from (None for a bare ``.qde``)."""
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    if not zipfile.is_zipfile(path):
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ExportError(f"{path}: cannot read the file ({error.strerror})") from None
        return _parse(data, str(path)), None, []
    archive = open_archive(path)
    try:
        inner = [n for n in archive.namelist() if "/" not in n and n.lower().endswith(".qde")]
        if not inner:
            raise ExportError(f"{path}: no .qde project file inside; is this a REFI-QDA .qdpx?")
        inner.sort(key=lambda n: (n.lower() != "project.qde", n))
        warnings = [f"{path}: several .qde files inside; read {inner[0]}"] if len(inner) > 1 else []
        data = read_member(archive, inner[0], path, refi_zip.MAX_PROJECT_BYTES)
        return _parse(data, f"{path}!{inner[0]}"), archive, warnings
    except BaseException:
        archive.close()
        raise


def _metadata(root: etree._Element, ns: str, where: str) -> dict[str, Any]:
    for note in root.iterfind(f"{ns}Notes/{ns}Note"):
        if note.get("name") == METADATA_NOTE:
            return check_metadata(note.findtext(f"{ns}PlainTextContent") or "{}", where)
    return {}


def _speaker_codes(root: etree._Element, ns: str) -> dict[str, Role]:
    """GUID → role of each code below the ``Sprekers`` group whose name is a speaker role."""
    roles: dict[str, Role] = {}
    for top in root.iterfind(f"{ns}CodeBook/{ns}Codes/{ns}Code"):
        if top.get("name") == SPEAKER_GROUP:
            for code in top.iter(f"{ns}Code"):
                role = speaker_role(code.get("name", ""))
                if role is not None:
                    roles[normalise_guid(code.get("guid", ""))] = role
    return roles


def read_qdpx(path: Path) -> ImportedProject:
    """Read a ``.qdpx`` (or a bare ``.qde``) into an :class:`ImportedProject`.

    Raises:
        ExportError: The file is missing, not a REFI project, or not well-formed XML.
    """
    root, archive, warnings = _open(path)
    tally = ImportTally()
    try:
        ns_uri = etree.QName(root).namespace or ""
        ns = f"{{{ns_uri}}}" if ns_uri else ""
        if etree.QName(root).localname != "Project":
            raise ExportError(f"{path}: root element is not <Project>; not a REFI-QDA project")
        meta = _metadata(root, ns, str(path))
        codes_element = root.find(f"{ns}CodeBook/{ns}Codes")
        foreign = read_codes(codes_element, ns_uri) if codes_element is not None else []
        name = root.get("name") or path.stem
        codebook = build_codebook(foreign, name, str(path), exclude_top=SPEAKER_GROUP)
        if meta:
            codebook = restore_codebook(codebook, meta)
        users = {normalise_guid(u.get("guid", "")): u.get("name") or u.get("id") or "imported"
                 for u in root.iterfind(f"{ns}Users/{ns}User")}
        variables = {normalise_guid(v.get("guid", "")): v.get("name", "")
                     for v in root.iterfind(f"{ns}Variables/{ns}Variable")}
        cases = read_cases(root, ns, variables, tally)
        code_ids = _code_ids(codebook, meta, foreign)
        speaker_roles = _speaker_codes(root, ns)
        fold_coding_notes(root, ns, set(speaker_roles))
        nvivo = "nvivo" in (root.get("origin") or "").lower()
        reader = SourceReader(
            root=root, ns=ns, archive=archive, path=path, users=users, variables=variables,
            meta=meta, speakers=speaker_roles, code_ids=code_ids,
            code_names={item.guid: item.name for item in foreign}, case_of=cases.case_of,
            tally=tally, preferred=(Convention.UTF16,) if nvivo else (Convention.CODE_POINTS,),
        )
        result = reader.read()
        source_keys = {normalise_guid(s.get("guid", "")): d.key for s, d in zip(
            root.iterfind(f"{ns}Sources/{ns}TextSource"), result.documents, strict=True)}
        codebook, documents = apply_sets(root, ns, codebook, code_ids, result.documents,
                                         source_keys, tally)
        tally_leftovers(root, ns, tally)
        created = parse_datetime(root.get("creationDateTime")) or datetime.now(UTC)
        memos = read_memos(root, ns, archive, path, users, result.documents, code_ids,
                           set(speaker_roles), created)
    finally:
        if archive is not None:
            archive.close()
    people = {n for n in users.values() if n != SPEAKER_USER}
    coders = sorted({c.coder for c in result.codings} | set(meta.get("coders", [])) | people)
    project = ExchangeProject(name=name, codebook=codebook, cases=collect_cases(cases, documents),
                              documents=documents, codings=result.codings,
                              coders=tuple(coders), created=created,
                              decisions=restore_decisions(meta), memos=memos)
    return ImportedProject(project, result.missing, (*warnings, *result.warnings), tally,
                           tuple(reader.rebuilt))


def _code_ids(codebook: Codebook, meta: dict[str, Any],
              foreign: list[ForeignCode]) -> dict[str, str]:
    """Normalised GUID → qcode code id, for every code of the file that is in the codebook."""
    ids = {c.id for c in codebook.codes}
    by_meta = {normalise_guid(g): str(v.get("id", "")) for g, v in meta.get("codes", {}).items()}
    pairs = {item.guid: by_meta.get(item.guid, item.guid) for item in foreign}
    return {guid: code_id for guid, code_id in pairs.items() if code_id in ids}


def read_qdc(path: Path) -> Codebook:
    """Read a REFI-QDA ``.qdc`` codebook; code ids are the normalised GUIDs.

    qcode's speaker group ``Sprekers`` is left out: its codes are turns, never codes.

    Raises:
        ExportError: The file is missing, not well-formed, or not a REFI codebook.
    """
    if not path.is_file():
        raise ExportError(f"{path}: no such file")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExportError(f"{path}: cannot read the file ({error.strerror})") from None
    root = _parse(data, str(path))
    ns_uri = etree.QName(root).namespace or ""
    ns = f"{{{ns_uri}}}" if ns_uri else ""
    if etree.QName(root).localname != "CodeBook":
        raise ExportError(f"{path}: root element is not <CodeBook>; not a REFI-QDA codebook")
    codes = root.find(f"{ns}Codes")
    if codes is None:
        raise ExportError(f"{path}: <CodeBook> has no <Codes>")
    return build_codebook(read_codes(codes, ns_uri), path.stem, str(path),
                          exclude_top=SPEAKER_GROUP)

