"""Memos in REFI-QDA files: written as ``Note``s with ``NoteRef``s, read back from notes and
descriptions.

**Out.** Every memo becomes one ``<Note>`` (author as ``creatingUser``/``modifyingUser``, its
times, the text as ``PlainTextContent``, named "Memo: <place>"), referred to where QDA-XML 1.0
allows it: a coding memo from its ``<Coding>`` (and, as before, the selection's
``<Description>``, which QualCoder and ATLAS.ti show as the quotation's comment), a turn memo
from the turn's speaker ``<PlainTextSelection>``, a document memo from its ``<TextSource>``,
a code memo from its ``<Code>``, a project memo from ``<Project>``. A ``<Case>`` cannot refer
to a note in the schema, so case memos also go into the case's ``<Description>`` (QualCoder
reads that as the case memo). One more note, ``qcode memo places``, lists every memo note's
exact place (JSON), so qcode → .qdpx → qcode puts each memo back where it was, by its author.

**In.** With that note (a qcode file), memos come back exactly. Without it (another
program's file, or qcode's after another program), they are read as vendors write them:
notes referred to from a ``<TextSource>`` (QualCoder's annotations) become memos on that
document, or on the turn their selection starts in; from a ``<Code>``, code memos; from a
``<Coding>`` or ``<PlainTextSelection>``, the coding's memo (see :func:`fold_coding_notes`);
notes nothing refers to (ATLAS.ti's free memos, QualCoder's journals), project memos, named by
their title (the note's name, unless it is qcode's own "Memo: <place>"). The ``<Description>`` of the project, of each source and of each case becomes a
project, document or case memo (code descriptions are definitions, read with the codebook).
qcode's own notes (metadata, consensus decisions) are never memos.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from lxml import etree

from qcode.coding.memo import Memo, MemoKind
from qcode.coding.model import Coding
from qcode.export import refi_zip
from qcode.export.guids import make_guid, normalise_guid
from qcode.export.refi_codebook import code_guid
from qcode.export.refi_xml import METADATA_NOTE, PROJECT_NS, format_datetime, parse_datetime
from qcode.export.refi_zip import read_member
from qcode.transcripts.model import Document

PLACES_NOTE = "qcode memo places"
"""Name of the note that records where each memo note belongs (qcode's own files)."""
QCODE_NOTES = {METADATA_NOTE, PLACES_NOTE, "qcode consensus decisions"}
"""Notes qcode writes for itself; never imported as memos."""
MEMO_PREFIX = "Memo: "
"""How qcode names a memo's note ("Memo: turn 3 of casus-01/chat"); not a title to keep."""
IMPORTED_USER = "imported"
"""Author of a memo whose file names no user."""

P = f"{{{PROJECT_NS}}}"


def memo_guid(memo: Memo) -> str:
    """GUID of a memo's note (stable for the same project: from the memo's id)."""
    return make_guid("memo", memo.id)


def _note_ref(parent: etree._Element, guid: str, before: Iterable[str] = ()) -> None:
    """Add ``<NoteRef>`` to ``parent`` in the place the schema's sequence gives it: before the
    first child named in ``before``, else last."""
    ref = etree.Element(P + "NoteRef", {"targetGUID": guid})
    for index, child in enumerate(parent):
        if etree.QName(child).localname in before:
            parent.insert(index, ref)
            return
    parent.append(ref)


def append_memo_notes(root: etree._Element, memos: Iterable[Memo], keyed: list[tuple[Coding, str]],
                      documents: Iterable[Document], user_guid: Callable[[str], str],
                      speaker_codes: set[str]) -> None:
    """Write ``memos`` into the ``<Project>`` that :func:`refi_write.build_project_xml` built.

    ``keyed`` are the exported codings with their keys (a ``<Coding>``'s GUID is
    ``make_guid("coding", key)``, as ``refi_write`` makes it); ``speaker_codes`` the GUIDs of
    the speaker codes (a turn's selection is the one coded with one of them).
    """
    memos = list(memos)
    if not memos:
        return
    notes = root.find(P + "Notes")
    if notes is None:
        notes = etree.SubElement(root, P + "Notes")
    places = _Places(root, keyed, documents, speaker_codes)
    found: dict[str, dict[str, object]] = {}
    case_texts: dict[str, list[str]] = {}
    for memo in memos:
        guid = memo_guid(memo)
        note = etree.SubElement(notes, P + "Note", {
            "guid": guid, "name": f"{MEMO_PREFIX}{memo.place()}", "creatingUser": user_guid(memo.coder),
            "creationDateTime": format_datetime(memo.created), "modifyingUser": user_guid(memo.coder),
            "modifiedDateTime": format_datetime(memo.updated),
        })
        etree.SubElement(note, P + "PlainTextContent").text = memo.text
        found[guid] = {"kind": memo.kind.value, "coder": memo.coder, "document": memo.document,
                       "utterance": memo.utterance, "case": memo.case, "code": memo.code,
                       "coding": places.coding_guids.get(memo.coding) if memo.coding is not None else None}
        if memo.kind is MemoKind.CASE and memo.case is not None:
            case_texts.setdefault(memo.case, []).append(memo.text)
            continue
        referrer, before = places.referrer(memo)
        if referrer is not None:
            _note_ref(referrer, guid, before)
    for key, texts in case_texts.items():
        if key in places.cases:
            description = etree.Element(P + "Description")
            description.text = "\n\n".join(texts)
            places.cases[key].insert(0, description)
    places_note = etree.SubElement(notes, P + "Note", {
        "guid": make_guid("note", PLACES_NOTE), "name": PLACES_NOTE,
        "creatingUser": user_guid("qcode"),
    })
    etree.SubElement(places_note, P + "PlainTextContent").text = json.dumps(
        found, ensure_ascii=False, indent=1, sort_keys=True
    )


class _Places:
    """The elements of a written project that memos can be referred to from."""

    def __init__(self, root: etree._Element, keyed: list[tuple[Coding, str]],
                 documents: Iterable[Document], speaker_codes: set[str]) -> None:
        self.root = root
        self.coding_guids = {c.id: make_guid("coding", key) for c, key in keyed if c.id is not None}
        self.documents = {d.key: d for d in documents}
        self.speaker_codes = speaker_codes
        self.sources = {s.get("name"): s for s in root.iter(P + "TextSource")}
        self.cases = {c.get("name"): c for c in root.iter(P + "Case")}
        self.codes = {normalise_guid(c.get("guid", "")): c for c in root.iter(P + "Code")}
        self.codings = {c.get("guid"): c for c in root.iter(P + "Coding")}

    def referrer(self, memo: Memo) -> tuple[etree._Element | None, tuple[str, ...]]:
        """The element to hold the memo's ``NoteRef``, and the children it goes before."""
        if memo.kind is MemoKind.CODING and memo.coding is not None:
            return self.codings.get(self.coding_guids.get(memo.coding)), ()
        if memo.kind is MemoKind.UTTERANCE:
            return _turn_selection(self.sources.get(memo.document), memo, self.documents, self.speaker_codes), ()
        if memo.kind is MemoKind.DOCUMENT:
            return self.sources.get(memo.document), ("VariableValue",)
        if memo.kind is MemoKind.CODE and memo.code is not None:
            return self.codes.get(normalise_guid(code_guid(memo.code))), ("Code",)
        if memo.kind is MemoKind.PROJECT:
            return self.root, ()
        return None, ()


def _turn_selection(source: etree._Element | None, memo: Memo, documents: dict[str, Document],
                    speaker_codes: set[str]) -> etree._Element | None:
    """The speaker selection of the memo's turn: the turn's span, coded with a speaker code."""
    document = documents.get(memo.document or "")
    if source is None or document is None or memo.utterance is None:
        return None
    turn = next((u for u in document.utterances if u.index == memo.utterance), None)
    if turn is None:
        return None
    for selection in source.iterfind(P + "PlainTextSelection"):
        refs = {normalise_guid(r.get("targetGUID", "")) for r in selection.iter(P + "CodeRef")}
        span = (selection.get("startPosition"), selection.get("endPosition"))
        if refs & speaker_codes and span == (str(turn.start), str(turn.end)):
            return selection
    return None


def fold_coding_notes(root: etree._Element, ns: str, speakers: set[str]) -> None:
    """Put the text of notes referred to from a ``<Coding>`` or a coded ``<PlainTextSelection>``
    into that selection's ``<Description>``, which is where the coding's memo is read from.

    Called before the sources are read. A note whose text the description already holds (qcode
    writes both) is not added twice.
    """
    texts = _note_texts(root, ns, None, None)
    for selection in root.iter(f"{ns}PlainTextSelection"):
        codes = {normalise_guid(r.get("targetGUID", "")) for r in selection.iter(f"{ns}CodeRef")}
        if not codes - speakers:
            continue  # a turn (or an uncoded selection): its notes are turn or document memos
        refs = [r for r in selection.iter(f"{ns}NoteRef")]
        found = [texts.get(normalise_guid(r.get("targetGUID", "")), ("", ""))[1] for r in refs]
        found = [t for t in found if t.strip()]
        if not found:
            continue
        description = selection.find(f"{ns}Description")
        if description is None:
            description = etree.Element(f"{ns}Description")
            selection.insert(0, description)
        current = description.text or ""
        for text in found:
            if text not in current:
                current = f"{current}\n\n{text}" if current else text
        description.text = current


def _note_texts(root: etree._Element, ns: str, archive: zipfile.ZipFile | None,
                path: Path | None) -> dict[str, tuple[str, str]]:
    """Normalised note GUID -> (name, text) for every note (inline, or a file in the zip)."""
    found: dict[str, tuple[str, str]] = {}
    for note in root.iterfind(f"{ns}Notes/{ns}Note"):
        text = note.findtext(f"{ns}PlainTextContent")
        if text is None and archive is not None and path is not None:
            text = _internal_text(archive, path, note.get("plainTextPath") or "")
        found[normalise_guid(note.get("guid", ""))] = (note.get("name") or "", text or "")
    return found


def _internal_text(archive: zipfile.ZipFile, path: Path, where: str) -> str | None:
    if not where.lower().startswith("internal://"):
        return None
    wanted = "sources/" + where[len("internal://"):].lower()
    for member in archive.namelist():
        if member.lower() == wanted:
            data = read_member(archive, member, path, refi_zip.MAX_SOURCE_BYTES)
            return data.decode("utf-8-sig", errors="replace").replace("\r\n", "\n")
    return None


def read_memos(root: etree._Element, ns: str, archive: zipfile.ZipFile | None, path: Path,
               users: dict[str, str], documents: tuple[Document, ...], code_ids: dict[str, str],
               speakers: set[str], created: datetime) -> tuple[Memo, ...]:
    """The memos a project file holds (see the module docstring), as values to store.

    ``documents`` are the file's documents in ``<TextSource>`` order; ``code_ids`` maps code
    GUIDs to qcode code ids; ``created`` is the time given to memos that have none.
    """
    notes = {normalise_guid(n.get("guid", "")): n for n in root.iterfind(f"{ns}Notes/{ns}Note")}
    texts = _note_texts(root, ns, archive, path)
    places_text = next((t for n, t in texts.values() if n == PLACES_NOTE), None)
    by_source = dict(zip([normalise_guid(s.get("guid", "")) for s in root.iterfind(f"{ns}Sources/{ns}TextSource")],
                         documents, strict=False))
    reader = _MemoReader(users, created)
    if places_text is not None:
        return reader.from_places(places_text, notes, texts)
    return reader.from_vendor(root, ns, notes, texts, by_source, code_ids, speakers)


class _MemoReader:
    def __init__(self, users: dict[str, str], created: datetime) -> None:
        self.users = users
        self.created = created
        self.found: list[Memo] = []

    def author(self, element: etree._Element | None, *attributes: str) -> str:
        for name in attributes:
            guid = element.get(name) if element is not None else None
            if guid:
                return self.users.get(normalise_guid(guid), IMPORTED_USER)
        return IMPORTED_USER

    def add(self, kind: MemoKind, text: str, element: etree._Element | None, coder: str | None = None,
            **place: object) -> None:
        if not text.strip():
            return
        made = parse_datetime(element.get("creationDateTime")) if element is not None else None
        changed = parse_datetime(element.get("modifiedDateTime")) if element is not None else None
        made = made or self.created
        self.found.append(Memo(
            id=0, kind=kind, coder=coder or self.author(element, "modifyingUser", "creatingUser"),
            text=text, created=made, updated=changed or made, **place,  # type: ignore[arg-type]
        ))

    def from_places(self, places_text: str, notes: dict[str, etree._Element],
                    texts: dict[str, tuple[str, str]]) -> tuple[Memo, ...]:
        try:
            places = json.loads(places_text)
        except ValueError:
            places = {}
        for guid, place in (places.items() if isinstance(places, dict) else ()):
            key = normalise_guid(guid)
            if key not in notes or not isinstance(place, dict):
                continue
            try:
                kind = MemoKind(str(place.get("kind")))
            except ValueError:
                continue
            if kind is MemoKind.CODING:
                continue  # comes back on the coding itself, from the selection's Description
            utterance = place.get("utterance")
            self.add(kind, texts[key][1], notes[key], document=place.get("document"),
                     utterance=int(utterance) if isinstance(utterance, int) else None,
                     case=place.get("case"), code=place.get("code"))
        return tuple(self.found)

    def from_vendor(self, root: etree._Element, ns: str, notes: dict[str, etree._Element],
                    texts: dict[str, tuple[str, str]], by_source: dict[str, Document],
                    code_ids: dict[str, str], speakers: set[str]) -> tuple[Memo, ...]:
        referred: set[str] = set()
        for ref in root.iter(f"{ns}NoteRef"):
            parent = ref.getparent()
            guid = normalise_guid(ref.get("targetGUID", ""))
            if parent is None or guid not in notes or etree.QName(parent).localname == "Project":
                continue  # a project's note is read below, with the free notes
            referred.add(guid)
            self._referred(parent, notes[guid], texts[guid][1], ns, by_source, code_ids, speakers)
        for guid, note in notes.items():
            name, text = texts[guid]
            if guid in referred or name in QCODE_NOTES:
                continue
            title = "" if name.startswith(MEMO_PREFIX) else name  # qcode's own names are no titles
            about = note.findtext(f"{ns}Description") or ""  # ATLAS.ti: what the memo is for
            if text.strip() or about.strip():
                self.add(MemoKind.PROJECT, "\n\n".join(p for p in (title, about, text) if p.strip()), note)
        self._descriptions(root, ns, by_source)
        return tuple(self.found)

    def _referred(self, parent: etree._Element, note: etree._Element, text: str, ns: str,
                  by_source: dict[str, Document], code_ids: dict[str, str], speakers: set[str]) -> None:
        """A note referred to from ``parent``: on a document (or turn), or on a code. Notes on
        codings were folded into the coding's memo (:func:`fold_coding_notes`)."""
        where = etree.QName(parent).localname
        if where == "TextSource":
            document = by_source.get(normalise_guid(parent.get("guid", "")))
            if document is not None:
                self._on_document(document, note, text, ns)
        elif where == "Code":
            code = code_ids.get(normalise_guid(parent.get("guid", "")))
            if code is not None:
                self.add(MemoKind.CODE, text, note, code=code)
        elif where == "PlainTextSelection":
            codes = {normalise_guid(r.get("targetGUID", "")) for r in parent.iter(f"{ns}CodeRef")}
            source = parent.getparent()
            document = by_source.get(normalise_guid(source.get("guid", ""))) if source is not None else None
            if not codes - speakers and document is not None:
                self._on_document(document, note, text, ns, parent)

    def _on_document(self, document: Document, note: etree._Element, text: str, ns: str,
                     selection: etree._Element | None = None) -> None:
        """A note on a document, or on the turn its selection starts in."""
        selection = selection if selection is not None else note.find(f"{ns}PlainTextSelection")
        start = None
        if selection is not None:
            try:
                start = int(selection.get("startPosition", ""))
            except ValueError:
                start = None
        turn = next((u.index for u in document.utterances if start is not None and u.start <= start < max(u.end, u.start + 1)), None)
        if turn is not None:
            self.add(MemoKind.UTTERANCE, text, note, document=document.key, utterance=turn)
            return
        quoted = (selection.get("name") or "").strip() if selection is not None else ""
        self.add(MemoKind.DOCUMENT, f"“{quoted}”: {text}" if quoted else text, note,
                 document=document.key)

    def _descriptions(self, root: etree._Element, ns: str, by_source: dict[str, Document]) -> None:
        self.add(MemoKind.PROJECT, root.findtext(f"{ns}Description") or "", root,
                 coder=self.author(root, "modifyingUserGUID", "creatingUserGUID"))
        for source in root.iterfind(f"{ns}Sources/{ns}TextSource"):
            document = by_source.get(normalise_guid(source.get("guid", "")))
            if document is not None:
                self.add(MemoKind.DOCUMENT, source.findtext(f"{ns}Description") or "", source,
                         document=document.key)
        for case in root.iterfind(f"{ns}Cases/{ns}Case"):
            key = case.get("name") or normalise_guid(case.get("guid", ""))
            self.add(MemoKind.CASE, case.findtext(f"{ns}Description") or "", None, case=key)

