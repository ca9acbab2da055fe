"""Turn the ``<Sources>`` of a REFI project into qcode documents and codings.

Only text sources become documents (qcode analyses text); codings on pictures, PDFs, audio
and video are counted in a warning rather than dropped silently. Positions are placed by
:mod:`qcode.export.refi_positions` (the convention chosen per source from the selections'
names); turns come from the ``qcode metadata`` note, or are rebuilt from the speaker codings
(:mod:`qcode.export.refi_turns`) when the note is gone.
"""

from __future__ import annotations

import zipfile
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from lxml import etree

from qcode.coding.model import AUTO_CODER, CONSENSUS_CODER, Coding, Origin
from qcode.export import refi_zip
from qcode.export.guids import normalise_guid
from qcode.export.import_tally import ImportTally
from qcode.export.refi_cases import variable_values
from qcode.export.refi_positions import Selection, place_selections
from qcode.export.refi_text import Convention, SourceText, load_source_text
from qcode.export.refi_turns import rebuild_turns
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
    speakers: dict[str, Role]
    """GUID → role of each speaker code: their codings are turns, not codings."""
    code_ids: dict[str, str]
    """Normalised code GUID → qcode code id."""
    code_names: dict[str, str]
    """Normalised code GUID → the code's name in the file (for messages)."""
    case_of: Callable[[str, str, Mapping[str, str]], str]
    """(source GUID, source name, source variables) → case key, or "" for none."""
    tally: ImportTally
    preferred: tuple[Convention, ...] = (Convention.CODE_POINTS,)
    """Position conventions to try first; the first is the default where names cannot tell."""
    warnings: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)
    """Keys of documents whose turns were rebuilt from speaker codings."""
    conventions: Counter[tuple[Convention, bool]] = field(default_factory=Counter)
    """Sources read per (position convention, checked against the selected texts)."""

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
        for (convention, checked), count in sorted(self.conventions.items()):
            if convention is not Convention.CODE_POINTS or not checked:
                how = "checked against the selected texts" if checked else (
                    "the file's default; the selections name no text to check")
                self.warnings.append(f"{self.path}: positions of {count} source(s) read as "
                                     f"{convention} ({how})")
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
        plain = text.text if text else ""
        codings, marks = self._codings(source, key, text)
        turns = self._turns(saved, plain, key) if saved else ()
        if not saved and marks and plain:
            turns, whole = rebuild_turns(plain, key, channel, start, marks)
            self.rebuilt.append(key)
            if not whole:
                self.tally.left_out(
                    "speaker labels and times of rebuilt turns", len(turns),
                    "no 'qcode metadata' note; turns rebuilt from the speaker codings carry "
                    "their role, not the label or time")
        case = str(saved.get("case", "")) or self.case_of(guid, name, attributes) or key
        document = Document(
            key=key, case_key=case, channel=channel, text=plain, utterances=turns, start=start,
            source=str(saved.get("source", "")) or str(self.path), attributes=attributes,
        )
        if (source.findtext(f"{self.ns}Description") or "").strip():
            self.tally.kept("source descriptions", 1, "memos")
        return document, codings

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

    def _text(self, source: etree._Element, name: str) -> SourceText | None:
        inline = source.find(f"{self.ns}PlainTextContent")
        if inline is not None and inline.text is not None:
            return load_source_text(inline.text)
        where = source.get("plainTextPath") or ""
        data = self._internal(where)
        if data is None:
            self.missing.append(f"{name} ({where or 'no plainTextPath'})")
            return None
        loaded = load_source_text(data)
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
        return variable_values(source, self.ns, self.variables)

    def _codings(self, source: etree._Element, key: str, text: SourceText | None,
                 ) -> tuple[list[Coding], list[tuple[int, int, Role]]]:
        """The codings of one source, and its speaker codings as (start, end, role)."""
        elements: list[etree._Element] = []
        selections: list[Selection] = []
        for selection in source.iterfind(f"{self.ns}PlainTextSelection"):
            try:
                found = Selection(int(selection.get("startPosition", "")),
                                  int(selection.get("endPosition", "")),
                                  selection.get("name") or "")
            except ValueError:
                self.warnings.append(f"{self.path}: selection {selection.get('guid')} in {key} "
                                     "has no valid positions; skipped")
                continue
            elements.append(selection)
            selections.append(found)
        if text is None:  # a missing source: codings returned on the foreign positions
            spans: tuple[tuple[int, int] | None, ...] = tuple((s.start, s.end) for s in selections)
        else:
            placement = place_selections(text, selections, self.preferred)
            spans = placement.spans
            self._report_placement(key, placement.convention, placement.checked, elements,
                                   placement.misfits, placement.outside, placement.others)
        codings: list[Coding] = []
        marks: list[tuple[int, int, Role]] = []
        for selection, span in zip(elements, spans, strict=True):
            if span is None:
                continue
            memo = selection.findtext(f"{self.ns}Description") or ""
            for coding in selection.iterfind(f"{self.ns}Coding"):
                target = self._target(coding)
                if target in self.speakers:
                    marks.append((span[0], span[1], self.speakers[target]))
                    continue
                made = self._coding(coding, selection, key, span, memo)
                if made is not None:
                    codings.append(made)
        return codings, marks

    def _target(self, coding: etree._Element) -> str:
        ref = coding.find(f"{self.ns}CodeRef")
        return normalise_guid(ref.get("targetGUID", "")) if ref is not None else ""

    def _report_placement(self, key: str, convention: Convention, checked: bool,
                          elements: list[etree._Element], misfits: tuple[int, ...],
                          outside: tuple[int, ...], others: int) -> None:
        where = f"{self.path}: source {key!r}"
        if elements:
            self.conventions[(convention, checked)] += 1
        if others:
            self.warnings.append(f"{where}: {others} selection(s) fit another position "
                                 "convention than the rest; each placed where its text is")
        for number in misfits:
            self.warnings.append(
                f"{where}: selection {elements[number].get('guid')} "
                f"({self._codes_of(elements[number])}): its text "
                f"{elements[number].get('name', '')[:40]!r} is at its positions under no "
                "convention; not imported")
        for number in outside:
            element = elements[number]
            self.warnings.append(
                f"{where}: selection {element.get('guid')} ({self._codes_of(element)}) "
                f"({element.get('startPosition')}-{element.get('endPosition')}) lies outside "
                "the text; not imported")
        self.tally.left_out("selections whose text is not at their positions", len(misfits),
                            "listed above")
        self.tally.left_out("selections outside their source's text", len(outside),
                            "listed above")

    def _codes_of(self, selection: etree._Element) -> str:
        names = [self.code_names.get(self._target(c), self._target(c) or "(no code)")
                 for c in selection.iterfind(f"{self.ns}Coding")]
        return ", ".join(names) or "no coding"

    def _coding(self, coding: etree._Element, selection: etree._Element, key: str,
                span: tuple[int, int], memo: str) -> Coding | None:
        target = self._target(coding)
        code_id = self.code_ids.get(target)
        if code_id is None:
            self.warnings.append(f"{self.path}: coding {coding.get('guid')} in {key} refers to "
                                 f"unknown code {target or '(none)'}; skipped")
            return None
        user = normalise_guid(coding.get("creatingUser") or selection.get("creatingUser") or "")
        coder = self.users.get(user, "")
        if not coder:
            self.tally.left_out("coding creators", 1, "no user named; stored as coder 'imported'")
            coder = "imported"
        created = parse_datetime(coding.get("creationDateTime")
                                 or selection.get("creationDateTime"))
        if created is None:
            self.tally.left_out("coding dates", 1, "none in the file; stored with the import time")
        saved = self._saved("codings", normalise_guid(coding.get("guid", "")))
        return Coding(
            document=key, start=span[0], end=span[1], code=code_id, coder=coder,
            origin=self._origin(saved, coder), memo=memo, detail=str(saved.get("detail", "")),
            created=created,
        )

    def _origin(self, saved: dict[str, Any], coder: str) -> Origin:
        """The saved origin of a qcode export; else what the coder's name says, else imported."""
        if "origin" in saved:
            try:
                return Origin(saved["origin"])
            except ValueError:
                pass
        if coder == AUTO_CODER:
            return Origin.AUTOMATIC
        if coder == CONSENSUS_CODER:
            return Origin.CONSENSUS
        self.tally.left_out("coding origins", 1,
                            "the file does not say how they were made; stored as 'imported'")
        return Origin.IMPORTED

    def _count_other_sources(self) -> None:
        for kind in _OTHER_SOURCES:
            sources = list(self.root.iterfind(f"{self.ns}Sources/{self.ns}{kind}"))
            count = sum(len(list(s.iter(f"{self.ns}Coding"))) for s in sources)
            if sources:
                self.warnings.append(f"{self.path}: {len(sources)} {kind} element(s) with "
                                     f"{count} coding(s) not imported (qcode imports text only)")
