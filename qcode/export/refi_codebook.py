"""The codebook part of REFI-QDA files, shared by ``.qdpx`` projects and ``.qdc`` codebooks.

qcode's codebook is flat with ordered groups; REFI's is a tree. On export each group becomes
a non-codable parent code holding its codes (how MAXQDA and QualCoder show categories). On
import the top-level ancestor of a code becomes its group, and top-level codes without
children go to the group ``imported``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from lxml import etree

from qcode.codebook.model import Code, Codebook, Unit
from qcode.export.guids import make_guid, normalise_guid

IMPORTED_GROUP = ("imported", "Imported")
"""Group of top-level codes without children in a foreign file."""

_COLOUR_RE = re.compile(r"^#([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


def code_guid(code_id: str) -> str:
    """GUID of a qcode code (stable: derived from the code's stable id)."""
    return make_guid("code", code_id)


def group_guid(group_key: str) -> str:
    """GUID of the non-codable parent code standing for a group."""
    return make_guid("group", group_key)


def describe_code(code: Code) -> str:
    """The human-readable REFI description: English definition, then the Dutch one."""
    return "\n\n".join(text for text in (code.definition_en, code.definition_nl) if text)


def ordered_groups(codebook: Codebook) -> list[tuple[str, str]]:
    """Groups in codebook order, plus any group a code uses that the list forgot."""
    groups = list(codebook.groups)
    known = {key for key, _ in groups}
    for code in codebook.codes:
        if code.group not in known:
            groups.append((code.group, code.group))
            known.add(code.group)
    return groups


def _element(parent: etree._Element, ns: str, tag: str, **attributes: str) -> etree._Element:
    return etree.SubElement(parent, f"{{{ns}}}{tag}", attributes)


def append_code(
    parent: etree._Element, ns: str, guid: str, name: str, codable: bool, colour: str = "",
    description: str = "",
) -> etree._Element:
    """Append one ``<Code>`` (attributes in a fixed order, so output diffs cleanly)."""
    attributes = {"guid": guid, "name": name, "isCodable": "true" if codable else "false"}
    if _COLOUR_RE.match(colour):
        attributes["color"] = colour
    element = _element(parent, ns, "Code", **attributes)
    if description:
        _element(element, ns, "Description").text = description
    return element


def append_codebook(codes_element: etree._Element, ns: str, codebook: Codebook) -> None:
    """Fill a ``<Codes>`` element with one parent code per group and the codes below it."""
    parents = dict(codebook.parents)
    for key, label in ordered_groups(codebook):
        members = [code for code in codebook.codes if code.group == key]
        if not members:
            continue
        ids = {code.id for code in members}
        container = append_code(codes_element, ns, group_guid(key), label, codable=False)
        elements: dict[str, etree._Element] = {}
        pending = list(members)
        while pending:  # parents before their sub-codes, whatever the codebook order
            waiting = []
            for code in pending:
                parent = parents.get(code.id, "")
                if parent in ids and parent not in elements and parent != code.id:
                    waiting.append(code)
                    continue
                holder = elements.get(parent, container)
                elements[code.id] = append_code(
                    holder, ns, code_guid(code.id), code.name, True, code.colour,
                    describe_code(code))
            if len(waiting) == len(pending):  # a cycle of parents: put the rest in the group
                parents = {k: v for k, v in parents.items() if k not in {c.id for c in waiting}}
            pending = waiting


@dataclass(frozen=True, slots=True)
class ForeignCode:
    """A ``<Code>`` as read from a file, before it becomes a qcode Code."""

    guid: str
    name: str
    colour: str
    description: str
    codable: bool
    top: str
    """Name of the top-level ancestor (the code's own name when it is top level)."""
    has_children: bool
    parent: str = ""
    """Normalised GUID of the code this one sits below; "" at the top level."""


def read_codes(codes_element: etree._Element, ns: str) -> list[ForeignCode]:
    """Every ``<Code>`` below ``codes_element``, depth first, in file order.

    Iterative, with a stack of pending siblings: a tree of any depth (a hostile file nests
    codes 1,200 deep; lxml's ``huge_tree`` parses that) cannot exhaust Python's stack.
    """
    tag = f"{{{ns}}}Code"
    found: list[ForeignCode] = []
    pending: list[Iterator[etree._Element]] = [iter(codes_element.findall(tag))]
    tops: list[str] = [""]
    parents: list[str] = [""]
    while pending:
        child = next(pending[-1], None)
        if child is None:
            pending.pop()
            tops.pop()
            parents.pop()
            continue
        name = child.get("name", "")
        own_top = tops[-1] or name
        children = child.findall(tag)
        colour = child.get("color", "")
        guid = normalise_guid(child.get("guid", ""))
        found.append(ForeignCode(
            guid=guid,
            name=name,
            colour=_full_colour(colour),
            description=child.findtext(f"{{{ns}}}Description") or "",
            codable=child.get("isCodable", "true").strip().lower() in ("true", "1"),
            top=own_top,
            has_children=bool(children),
            parent=parents[-1],
        ))
        if children:
            pending.append(iter(children))
            tops.append(own_top)
            parents.append(guid)
    return found


def _full_colour(colour: str) -> str:
    if not _COLOUR_RE.match(colour):
        return "#888888"
    if len(colour) == 4:
        return "#" + "".join(c * 2 for c in colour[1:]).upper()
    return colour.upper()


def build_codebook(
    foreign: Sequence[ForeignCode], name: str, source: str, exclude_top: str = ""
) -> Codebook:
    """A qcode Codebook from foreign codes; ids are the (normalised) GUIDs, stable per file.

    Args:
        foreign: Codes as read by :func:`read_codes`.
        name: Codebook name (the project or file name).
        source: Where the codebook came from (a path), kept in ``Codebook.source``.
        exclude_top: Top-level group to leave out (qcode's speaker group).
    """
    codes: list[Code] = []
    groups: dict[str, str] = {}
    codable = {item.guid for item in foreign if item.codable or not item.has_children}
    parents: list[tuple[str, str]] = []
    for item in foreign:
        if exclude_top and item.top == exclude_top:
            continue
        if not item.parent and not item.has_children:
            key, label = IMPORTED_GROUP
        else:
            key = label = item.top
        groups.setdefault(key, label)
        if not item.codable and item.has_children:
            continue  # a pure container: it is the group, not a code
        if item.parent in codable:
            parents.append((item.guid, item.parent))
        codes.append(
            Code(
                id=item.guid,
                name=item.name,
                group=key,
                unit=Unit.SEGMENT,
                definition_en=item.description,
                colour=item.colour,
            )
        )
    return Codebook(
        id=name, name=name, version="", codes=tuple(codes), groups=tuple(groups.items()),
        source=source, parents=tuple(parents),
    )
