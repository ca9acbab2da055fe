"""Turn the ``<Sources>`` of a REFI project into qcode documents and codings.

Only text sources become documents (qcode analyses text); codings on pictures, PDFs, audio
and video are counted in a warning rather than dropped silently.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from qcode.coding.model import Coding, Origin
from qcode.export import refi_zip
from qcode.export.guids import normalise_guid
from qcode.export.refi_text import SourceText, load_source_text
from qcode.export.refi_xml import parse_datetime
from qcode.export.refi_zip import read_member
from qcode.transcripts.model import Channel, Document, Role, Utterance
from qcode.transcripts.storable import UNSTORABLE_NOTE, replace_unstorable

_OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")


@dataclass(frozen=True, slots=True)
class SourcesResult:
    """Documents and codings read from the sources, with what went missing or wrong."""

    documents: tuple[Document, ...]
    codings: tuple[Coding, ...]
    missing: tuple[str, ...]
    warnings: tuple[str, ...]


@dataclass
class SourceReader:
    """Reads every ``<TextSource>`` of one project; one instance per file."""

    root: etree._Element
    ns: str
    archive: zipfile.ZipFile | None
    path: Path
    users: dict[str, str]
    """Normalised user GUID → name (the coder of a coding)."""
    variables: dict[str, str]
    """Normalised variable GUID → variable name."""
    meta: dict[str, Any]
    speakers: set[str]
    """GUIDs of qcode's speaker codes: their codings are structure, not codings."""
    code_ids: dict[str, str]
    """Normalised code GUID → qcode code id."""
    utf16_positions: bool = False
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def read(self) -> SourcesResult:
        """Read all sources; never raises for a missing or odd source, it warns instead."""
        documents: list[Document] = []
        codings: list[Coding] = []
        keys: set[str] = set()
        for source in self.root.iterfind(f"{self.ns}Sources/{self.ns}TextSource"):
            document, found = self._document(source, keys)
            keys.add(document.key)
            documents.append(document)
            codings.extend(found)
        self._count_other_sources()
        if self.utf16_positions and documents:
            self.warnings.append(f"{self.path}: NVivo file; positions read as UTF-16 units of "
                                 "CRLF text and converted to qcode's LF text")
        return SourcesResult(tuple(documents), tuple(codings), tuple(self.missing),
                             tuple(self.warnings))

    def _document(self, source: etree._Element, keys: set[str]) -> tuple[Document, list[Coding]]:
        guid = normalise_guid(source.get("guid", ""))
        saved = self._saved("documents", guid)
        name = source.get("name") or guid
        key = str(saved.get("key", name))
        if key in keys:
            self.warnings.append(f"{self.path}: two sources named {key!r}; the second is "
                                 f"imported as {key} ({guid})")
            key = f"{key} ({guid})"
        text = self._text(source, name)
        attributes = self._attributes(source)
        channel = Channel.EMAIL if attributes.pop("channel", "").lower() in (
            "email", "e-mail") else Channel.CHAT
        start = parse_datetime(attributes.pop("start", ""))
        document = Document(
            key=key, case_key=str(saved.get("case", "")) or self._case_of(guid) or key,
            channel=channel, text=text.text if text else "",
            utterances=self._turns(saved, text.text if text else "", key), start=start,
            source=str(saved.get("source", "")) or str(self.path), attributes=attributes,
        )
        return document, self._codings(source, key, text)

    def _turns(self, saved: dict[str, Any], text: str, key: str) -> tuple[Utterance, ...]:
        """Turns saved by a qcode export; dropped with a warning if they no longer fit the text."""
        try:
            turns = tuple(
                Utterance(int(i), Role(role), str(speaker),
                          datetime.fromisoformat(time) if time else None, str(text[b:e]), int(b),
                          int(e), int(line), bool(ooo), bool(cont), str(quoted), str(subject))
                for i, role, speaker, time, b, e, line, ooo, cont, quoted, subject
                in saved.get("utterances", [])
            )
        except (TypeError, ValueError):
            turns = ()
        if any(not 0 <= u.start <= u.end <= len(text) for u in turns):
            self.warnings.append(f"{self.path}: turns of {key!r} do not fit its text; dropped")
            return ()
        return turns

    def _saved(self, kind: str, guid: str) -> dict[str, Any]:
        table = self.meta.get(kind, {})
        found = {normalise_guid(g): v for g, v in table.items()}.get(guid) if table else None
        return found if isinstance(found, dict) else {}

    def _case_of(self, source_guid: str) -> str:
        for case in self.root.iterfind(f"{self.ns}Cases/{self.ns}Case"):
            for ref in case.iterfind(f"{self.ns}SourceRef"):
                if normalise_guid(ref.get("targetGUID", "")) == source_guid:
                    return case.get("name") or normalise_guid(case.get("guid", ""))
        return ""

    def _text(self, source: etree._Element, name: str) -> SourceText | None:
        inline = source.find(f"{self.ns}PlainTextContent")
        if inline is not None and inline.text is not None:
            return load_source_text(inline.text, self.utf16_positions)
        where = source.get("plainTextPath") or ""
        data = self._internal(where)
        if data is None:
            self.missing.append(f"{name} ({where or 'no plainTextPath'})")
            return None
        loaded = load_source_text(data, self.utf16_positions)
        clean = replace_unstorable(loaded.text)  # a NUL byte in Sources/*.txt; XML holds none
        if clean is loaded.text:
            return loaded
        self.warnings.append(f"{self.path}: source {name!r}: {UNSTORABLE_NOTE}")
        return replace(loaded, text=clean)

    def _internal(self, where: str) -> bytes | None:
        if self.archive is None or not where.lower().startswith("internal://"):
            return None
        wanted = "sources/" + where[len("internal://"):].lower()
        for member in self.archive.namelist():
            if member.lower() == wanted:
                return read_member(self.archive, member, self.path, refi_zip.MAX_SOURCE_BYTES)
        return None

    def _attributes(self, source: etree._Element) -> dict[str, str]:
        attributes: dict[str, str] = {}
        for holder in source.iterfind(f"{self.ns}VariableValue"):
            ref = holder.find(f"{self.ns}VariableRef")
            name = self.variables.get(normalise_guid(ref.get("targetGUID", ""))) \
                if ref is not None else None
            values = [child for child in holder if child is not ref]
            if name and values:
                attributes[name] = values[0].text or ""
        return attributes

    def _codings(self, source: etree._Element, key: str, text: SourceText | None,
                 ) -> list[Coding]:
        codings: list[Coding] = []
        for selection in source.iterfind(f"{self.ns}PlainTextSelection"):
            try:
                start = int(selection.get("startPosition", ""))
                end = int(selection.get("endPosition", ""))
            except ValueError:
                self.warnings.append(f"{self.path}: selection {selection.get('guid')} in {key} "
                                     "has no valid positions; skipped")
                continue
            if text is not None:
                if not 0 <= start <= end <= text.raw_length:
                    self.warnings.append(f"{self.path}: selection {selection.get('guid')} in "
                                         f"{key} ({start}-{end}) lies outside the text; skipped")
                    continue
                start, end = text.position(start), text.position(end)
            memo = selection.findtext(f"{self.ns}Description") or ""
            for coding in selection.iterfind(f"{self.ns}Coding"):
                found = self._coding(coding, selection, key, start, end, memo)
                if found is not None:
                    codings.append(found)
        return codings

    def _coding(self, coding: etree._Element, selection: etree._Element, key: str, start: int,
                end: int, memo: str) -> Coding | None:
        ref = coding.find(f"{self.ns}CodeRef")
        target = normalise_guid(ref.get("targetGUID", "")) if ref is not None else ""
        if target in self.speakers:
            return None
        code_id = self.code_ids.get(target)
        if code_id is None:
            self.warnings.append(f"{self.path}: coding {coding.get('guid')} in {key} refers to "
                                 f"unknown code {target or '(none)'}; skipped")
            return None
        user = normalise_guid(coding.get("creatingUser") or selection.get("creatingUser") or "")
        saved = self._saved("codings", normalise_guid(coding.get("guid", "")))
        try:
            origin = Origin(saved.get("origin", Origin.IMPORTED.value))
        except ValueError:
            origin = Origin.IMPORTED
        return Coding(
            document=key, start=start, end=end, code=code_id,
            coder=self.users.get(user, "imported"), origin=origin, memo=memo,
            detail=str(saved.get("detail", "")),
            created=parse_datetime(coding.get("creationDateTime")),
        )

    def _count_other_sources(self) -> None:
        for kind in _OTHER_SOURCES:
            sources = list(self.root.iterfind(f"{self.ns}Sources/{self.ns}{kind}"))
            count = sum(len(list(s.iter(f"{self.ns}Coding"))) for s in sources)
            if sources:
                self.warnings.append(f"{self.path}: {len(sources)} {kind} element(s) with "
                                     f"{count} coding(s) not imported (qcode imports text only)")
