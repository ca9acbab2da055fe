"""Write REFI-QDA ``.qdpx`` projects and ``.qdc`` codebooks (QDA-XML 1.0).

Follows the REFI-QDA 1.0 standard (schemas in ``schemas/``): a ``.qdpx`` is a zip holding
``project.qde`` and ``Sources/<guid>.txt`` (UTF-8, LF, no BOM), referenced as
``internal://<guid>.txt``. Offsets are Python ``str`` indices, i.e. Unicode code points of that
exact text. Speaker roles travel as codings of the code group ``Sprekers``. What REFI cannot
say (stable code ids, units, coding origins) goes into one note named ``qcode metadata`` so a
qcode → qdpx → qcode round trip is lossless; other tools show it as an ordinary memo.
"""

from __future__ import annotations

import json
import zipfile
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from lxml import etree

import qcode
from qcode.codebook.model import Codebook
from qcode.coding.model import Coding
from qcode.errors import ExportError
from qcode.export.atomic import write_atomically
from qcode.export.guids import make_guid
from qcode.export.refi_codebook import append_code, append_codebook, code_guid, group_guid
from qcode.export.refi_model import SPEAKER_CODES, SPEAKER_GROUP, SPEAKER_USER, ExchangeProject
from qcode.export.refi_notes import append_memo_notes
from qcode.export.refi_xml import (
    CODEBOOK_NS,
    METADATA_NOTE,
    PROJECT_NS,
    format_datetime,
    to_bytes,
)
from qcode.export.summary import ExportSummary
from qcode.transcripts.model import Document, Role

P = f"{{{PROJECT_NS}}}"
_SNIPPET = 60


def user_guid(name: str) -> str:
    """GUID of a coder (a REFI ``User``)."""
    return make_guid("user", name)


def document_guid(key: str) -> str:
    """GUID of a document (a REFI ``TextSource``); also names its ``Sources/<guid>.txt``."""
    return make_guid("doc", key)


def speaker_guid(role: Role) -> str:
    """GUID of the speaker code of ``role``."""
    return make_guid("speaker", role.value)


def coding_keys(codings: Iterable[Coding]) -> list[tuple[Coding, str]]:
    """Each coding with its stable key; exact duplicates get ``:2``, ``:3`` so GUIDs stay unique."""
    seen: Counter[str] = Counter()
    keyed = []
    for c in sorted(codings, key=lambda c: (c.document, c.start, c.end, c.code, c.coder)):
        key = f"{c.document}:{c.start}:{c.end}:{c.code}:{c.coder}"
        seen[key] += 1
        keyed.append((c, key if seen[key] == 1 else f"{key}:{seen[key]}"))
    return keyed


def _sub(parent: etree._Element, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, P + tag, attributes)


def _origin() -> str:
    return f"qcode {qcode.__version__}"


def build_project_xml(project: ExchangeProject) -> bytes:
    """The ``project.qde`` document of ``project`` as UTF-8 bytes."""
    created = format_datetime(project.created)
    root = etree.Element(
        P + "Project", {"name": project.name, "origin": _origin(),
                        "creatingUserGUID": user_guid(SPEAKER_USER), "creationDateTime": created},
        nsmap={None: PROJECT_NS},
    )
    users = _sub(root, "Users")
    for name in sorted({*project.coders, *(c.coder for c in project.codings), SPEAKER_USER,
                        *(m.coder for m in project.memos)}):
        _sub(users, "User", guid=user_guid(name), name=name)
    codes = _sub(_sub(root, "CodeBook"), "Codes")
    append_codebook(codes, PROJECT_NS, project.codebook)
    speakers = append_code(codes, PROJECT_NS, group_guid("__speakers__"), SPEAKER_GROUP, False)
    for role, label in SPEAKER_CODES.items():
        append_code(speakers, PROJECT_NS, speaker_guid(role), label, True)
    _append_variables(root, project)
    _append_cases(root, project)
    keyed = coding_keys(project.codings)
    sources = _sub(root, "Sources") if project.documents else None
    for document in sorted(project.documents, key=lambda d: d.key):
        assert sources is not None
        _append_source(sources, document, [(c, k) for c, k in keyed if c.document == document.key],
                       created)
    notes = _sub(root, "Notes")
    note = _sub(notes, "Note", guid=make_guid("note", "metadata"),
                name=METADATA_NOTE, creatingUser=user_guid(SPEAKER_USER), creationDateTime=created)
    _sub(note, "PlainTextContent").text = json.dumps(
        _metadata(project, keyed), ensure_ascii=False, indent=1, sort_keys=True
    )
    for name, text in project.notes:
        extra = _sub(notes, "Note", guid=make_guid("note", name), name=name,
                     creatingUser=user_guid(SPEAKER_USER), creationDateTime=created)
        _sub(extra, "PlainTextContent").text = text
    append_memo_notes(root, project.memos, keyed, project.documents, user_guid,
                      {speaker_guid(role) for role in SPEAKER_CODES})
    return to_bytes(root)


def _variable_names(project: ExchangeProject) -> tuple[list[str], list[str]]:
    case_names = sorted({name for case in project.cases for name in case.attributes})
    doc_names = sorted({"channel", *(n for d in project.documents for n in d.attributes)})
    return case_names, doc_names


def _append_variables(root: etree._Element, project: ExchangeProject) -> None:
    case_names, doc_names = _variable_names(project)
    variables = _sub(root, "Variables")
    for scope, names in (("case", case_names), ("doc", doc_names)):
        for name in names:
            _sub(variables, "Variable", guid=make_guid("variable", scope, name), name=name,
                 typeOfVariable="Text")
    if any(d.start for d in project.documents):
        _sub(variables, "Variable", guid=make_guid("variable", "doc", "start"), name="start",
             typeOfVariable="DateTime")


def _append_value(parent: etree._Element, scope: str, name: str, value: str,
                  kind: str = "TextValue") -> None:
    holder = _sub(parent, "VariableValue")
    _sub(holder, "VariableRef", targetGUID=make_guid("variable", scope, name))
    _sub(holder, kind).text = value


def _append_cases(root: etree._Element, project: ExchangeProject) -> None:
    keys = sorted({c.key for c in project.cases} | {d.case_key for d in project.documents})
    if not keys:
        return
    attributes = {c.key: c.attributes for c in project.cases}
    cases = _sub(root, "Cases")
    for key in keys:
        case = _sub(cases, "Case", guid=make_guid("case", key), name=key)
        for name, value in sorted(attributes.get(key, {}).items()):
            _append_value(case, "case", name, value)
        for document in sorted(project.documents, key=lambda d: d.key):
            if document.case_key == key:
                _sub(case, "SourceRef", targetGUID=document_guid(document.key))


def _append_source(sources: etree._Element, document: Document,
                   keyed: list[tuple[Coding, str]], created: str) -> None:
    guid = document_guid(document.key)
    source = _sub(sources, "TextSource", guid=guid, name=document.key,
                  plainTextPath=f"internal://{guid}.txt", creatingUser=user_guid(SPEAKER_USER),
                  creationDateTime=created)
    for u in document.utterances:
        key = f"{document.key}:{u.start}:{u.end}:speaker:{u.role.value}:{u.index}"
        selection = _selection(source, key, document.text[u.start:u.end], u.start, u.end,
                               SPEAKER_USER, None)
        _coding(selection, key, speaker_guid(u.role), SPEAKER_USER, None)
    for coding, key in keyed:
        selection = _selection(source, key, document.text[coding.start:coding.end],
                               coding.start, coding.end, coding.coder, coding.created)
        if coding.memo:
            _sub(selection, "Description").text = coding.memo
        _coding(selection, key, code_guid(coding.code), coding.coder, coding.created)
    _append_value(source, "doc", "channel", document.channel.value)
    for name, value in sorted(document.attributes.items()):
        if name != "channel":
            _append_value(source, "doc", name, value)
    if document.start is not None:
        _append_value(source, "doc", "start", format_datetime(document.start), "DateTimeValue")


def _selection(source: etree._Element, key: str, text: str, start: int, end: int, user: str,
               created: datetime | None) -> etree._Element:
    name = text if len(text) <= _SNIPPET else text[: _SNIPPET - 1] + "…"
    attributes = {"guid": make_guid("selection", key), "name": " ".join(name.split()),
                  "startPosition": str(start), "endPosition": str(end),
                  "creatingUser": user_guid(user)}
    if created is not None:
        attributes["creationDateTime"] = format_datetime(created)
    return _sub(source, "PlainTextSelection", **attributes)


def _coding(selection: etree._Element, key: str, target: str, user: str,
            created: datetime | None) -> None:
    attributes = {"guid": make_guid("coding", key), "creatingUser": user_guid(user)}
    if created is not None:
        attributes["creationDateTime"] = format_datetime(created)
    _sub(_sub(selection, "Coding", **attributes), "CodeRef", targetGUID=target)


def _metadata(project: ExchangeProject, keyed: list[tuple[Coding, str]]) -> dict[str, object]:
    book = project.codebook
    return {
        "format": 1,
        "codebook": {"id": book.id, "name": book.name, "version": book.version,
                     "source": book.source, "groups": [list(g) for g in book.groups]},
        "codes": {code_guid(c.id): {
            "id": c.id, "group": c.group, "unit": c.unit.value, "definition_en": c.definition_en,
            "definition_nl": c.definition_nl, "hotkey": c.hotkey, "automatic": c.automatic,
            "exclusive": c.exclusive, "suggestible": c.suggestible} for c in book.codes},
        "codings": {make_guid("coding", k): {"origin": c.origin.value, "detail": c.detail}
                    for c, k in keyed},
        "documents": {document_guid(d.key): {"key": d.key, "case": d.case_key,
                                             "source": d.source,
                                             "utterances": _turns(d)} for d in project.documents},
        "coders": sorted(project.coders),
        "decisions": sorted(
            ([d.coding.document, d.coding.start, d.coding.end, d.coding.code, d.settled_by,
              d.withdrawn, d.coding.created.isoformat() if d.coding.created else None,
              d.coding.detail, d.coding.memo] for d in project.decisions),
            key=lambda row: json.dumps(row, ensure_ascii=False),
        ),
    }


def _turns(document: Document) -> list[list[object]]:
    """Utterances as rows, so a qcode -> qcode round trip keeps turns, labels and times."""
    return [
        [u.index, u.role.value, u.speaker, u.time.isoformat() if u.time else None, u.start,
         u.end, u.line, u.out_of_order, u.continued, u.quoted, u.subject]
        for u in document.utterances
    ]


def _zip_time(created: datetime) -> tuple[int, int, int, int, int, int]:
    stamp = max(created.replace(tzinfo=None), datetime(1980, 1, 1))
    return (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)


def write_qdpx(project: ExchangeProject, path: Path, force: bool = False) -> ExportSummary:
    """Write ``project`` as a REFI-QDA ``.qdpx`` zip, atomically.

    Raises:
        ExportError: ``path`` exists and ``force`` is not set, or it cannot be written.
    """
    xml = build_project_xml(project)
    stamp = _zip_time(project.created)

    def write(temporary: Path) -> None:
        with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as archive:
            entries = [("project.qde", xml)] + [
                (f"Sources/{document_guid(d.key)}.txt", d.text.encode("utf-8"))
                for d in sorted(project.documents, key=lambda d: d.key)
            ]
            for name, data in entries:
                info = zipfile.ZipInfo(name, date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, data)

    write_atomically(path, write, force)
    speaker_codings = sum(len(d.utterances) for d in project.documents)
    return ExportSummary((path,), {
        "codes": len(project.codebook.codes), "documents": len(project.documents),
        "cases": len({d.case_key for d in project.documents} | {c.key for c in project.cases}),
        "codings": len(project.codings), "speaker_codings": speaker_codings,
        "users": len({*project.coders, *(c.coder for c in project.codings)}),
    })


def build_codebook_xml(codebook: Codebook) -> bytes:
    """The ``.qdc`` document of ``codebook`` as UTF-8 bytes (no speaker group: not a code)."""
    root = etree.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": _origin()},
                         nsmap={None: CODEBOOK_NS})
    codes = etree.SubElement(root, f"{{{CODEBOOK_NS}}}Codes")
    append_codebook(codes, CODEBOOK_NS, codebook)
    return to_bytes(root)


def write_qdc(codebook: Codebook, path: Path, force: bool = False) -> ExportSummary:
    """Write ``codebook`` as a REFI-QDA ``.qdc`` file, atomically.

    Raises:
        ExportError: ``path`` exists and ``force`` is not set, or it cannot be written.
    """
    if not codebook.codes:
        raise ExportError(f"{path}: the codebook has no codes; a .qdc needs at least one")
    data = build_codebook_xml(codebook)

    def write(temporary: Path) -> None:
        temporary.write_bytes(data)

    write_atomically(path, write, force)
    return ExportSummary((path,), {"codes": len(codebook.codes)})
