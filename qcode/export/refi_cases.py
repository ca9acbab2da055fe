"""Cases and sets of a REFI project, mapped onto qcode's cases, groups and attributes.

Which case holds a source, in order of trust:

1. ``Case/SourceRef`` (the standard's own link);
2. a source variable named ``case`` or ``casus`` whose value is a case's name;
3. the source's name starting with ``<case name>/``: qcode names documents ``case/document``
   and other tools keep that name (QualCoder links files to cases in a table its exporter
   does not write, so only this is left of the link);
4. otherwise a case of its own, named after the document.

So no one-document case is ever made for a document that a named case holds (QualCoder's
export of the 13 sample cases gave 31 cases before).

Sets (``<Sets>``) become what qcode has: a set of sources is written into each member
document's ``sets`` attribute (names joined with ``; ``); a set of codes becomes the group of
member codes that have no group of their own (top-level codes, else in ``imported``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from lxml import etree

from qcode.codebook.model import Codebook
from qcode.export.guids import normalise_guid
from qcode.export.import_tally import ImportTally
from qcode.export.refi_codebook import IMPORTED_GROUP
from qcode.transcripts.model import Case, Document

CASE_VARIABLES = ("case", "casus")
"""Source variable names (case-folded) whose value names the source's case."""
SETS_ATTRIBUTE = "sets"
"""Document attribute holding the names of the REFI sets a document belongs to."""


def variable_values(element: etree._Element, ns: str, variables: Mapping[str, str]) -> dict[str, str]:
    """Variable name -> value of the ``<VariableValue>`` children of a case or source."""
    found: dict[str, str] = {}
    for holder in element.iterfind(f"{ns}VariableValue"):
        ref = holder.find(f"{ns}VariableRef")
        name = variables.get(normalise_guid(ref.get("targetGUID", ""))) if ref is not None else ""
        values = [child for child in holder if child is not ref]
        if name and values:
            found[name] = values[0].text or ""
    return found


@dataclass
class CaseIndex:
    """The file's cases and which source each holds; answers ``case_of`` per source."""

    attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    """Case key → attributes, for every ``<Case>`` in the file, in file order."""
    holders: dict[str, str] = field(default_factory=dict)
    """Normalised source GUID → key of the first case whose ``SourceRef`` names it."""
    tally: ImportTally = field(default_factory=ImportTally)

    def case_of(self, guid: str, name: str, variables: Mapping[str, str]) -> str:
        """The case key of a source, or "" when no case of the file holds it."""
        if guid in self.holders:
            return self.holders[guid]
        for variable, value in variables.items():
            if variable.casefold() in CASE_VARIABLES and value in self.attributes:
                return value
        head, slash, _ = name.partition("/")
        if slash and head in self.attributes:
            return head
        return ""


def read_cases(root: etree._Element, ns: str, variables: Mapping[str, str],
               tally: ImportTally) -> CaseIndex:
    """Every ``<Case>`` with its attributes and the sources it names."""
    index = CaseIndex(tally=tally)
    extra_links = 0
    for case in root.iterfind(f"{ns}Cases/{ns}Case"):
        key = case.get("name") or normalise_guid(case.get("guid", ""))
        index.attributes.setdefault(key, {}).update(variable_values(case, ns, variables))
        if (case.findtext(f"{ns}Description") or "").strip():
            tally.kept("case descriptions", 1, "memos")
        for ref in case.iterfind(f"{ns}SourceRef"):
            guid = normalise_guid(ref.get("targetGUID", ""))
            if index.holders.setdefault(guid, key) != key:
                extra_links += 1
    tally.left_out("case links beyond a document's first case", extra_links,
                   "a qcode document belongs to one case")
    return index


def collect_cases(index: CaseIndex, documents: tuple[Document, ...]) -> tuple[Case, ...]:
    """The file's cases, then a case of its own for each document no case holds."""
    found = {key: dict(values) for key, values in index.attributes.items()}
    for document in documents:
        found.setdefault(document.case_key, {})
    return tuple(Case(key, attributes) for key, attributes in found.items())


def apply_sets(root: etree._Element, ns: str, codebook: Codebook, code_ids: Mapping[str, str],
               documents: tuple[Document, ...], source_keys: Mapping[str, str],
               tally: ImportTally) -> tuple[Codebook, tuple[Document, ...]]:
    """Sets as document ``sets`` attributes and as groups of codes that have none."""
    document_sets: dict[str, list[str]] = {}
    code_group: dict[str, str] = {}
    kept_out = notes = 0
    loose = {c.id for c in codebook.codes if c.group == IMPORTED_GROUP[0]}
    for element in root.iterfind(f"{ns}Sets/{ns}Set"):
        name = element.get("name") or normalise_guid(element.get("guid", ""))
        for member in element.iterfind(f"{ns}MemberSource"):
            key = source_keys.get(normalise_guid(member.get("targetGUID", "")))
            if key is None:
                kept_out += 1  # a picture, PDF, ... source: not imported itself
            elif name not in document_sets.setdefault(key, []):
                document_sets[key].append(name)
        for member in element.iterfind(f"{ns}MemberCode"):
            code = code_ids.get(normalise_guid(member.get("targetGUID", "")))
            if code in loose and code not in code_group:
                code_group[code] = name
            else:
                kept_out += 1
        notes += len(element.findall(f"{ns}MemberNote"))
    tally.left_out("set members", kept_out,
                   "codes already in a group, and sources qcode does not import")
    tally.left_out("set members that are Notes", notes)
    if code_group:
        groups = list(codebook.groups)
        for name in dict.fromkeys(code_group.values()):
            if name not in {key for key, _ in groups}:
                groups.append((name, name))
        codes = tuple(replace(c, group=code_group.get(c.id, c.group)) for c in codebook.codes)
        used = {c.group for c in codes}
        codebook = replace(codebook, codes=codes,
                           groups=tuple(g for g in groups if g[0] in used))
    if document_sets:
        documents = tuple(
            replace(d, attributes={**d.attributes, SETS_ATTRIBUTE: "; ".join(document_sets[d.key])})
            if d.key in document_sets else d
            for d in documents
        )
    return codebook, documents
