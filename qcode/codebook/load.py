"""Codebook YAML files: read with line-precise validation, write back, find the packaged one.

Validation works on PyYAML's node tree (``yaml.compose``) rather than on loaded Python
values, because only nodes remember where they stood in the file: a researcher editing a
codebook by hand must be told ``codebooks/mine.yaml:42 (field 'colour')``, not just "bad
colour". String fields take the scalar's text as written, so ``hotkey: 1`` and
``version: 1.10`` mean ``"1"`` and ``"1.10"`` instead of an int and the float ``1.1``.

The file shape is documented in ``codebooks/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import yaml

from qcode.bundled import bundled_path
from qcode.codebook.diff import check_no_orphans, removed_code_ids, renamed_codes
from qcode.codebook.model import Code, Codebook, Unit
from qcode.errors import CodebookError

__all__ = [
    "RESERVED_HOTKEYS",
    "check_no_orphans",
    "default_codebook_path",
    "dump_codebook",
    "load_codebook",
    "parse_codebook",
    "removed_code_ids",
    "renamed_codes",
]

RESERVED_HOTKEYS = frozenset({"q", "u", "r", "a", "x", "j", "k", "?", ":", "/", " "})
"""Keys the coding workbench needs for itself (quit, undo, redo, accept, reject, move, help,
command line, search); a codebook may not bind a code to them."""

ID_RE = re.compile(r"[a-z][a-z0-9_]*\Z")
COLOUR_RE = re.compile(r"#[0-9A-Fa-f]{6}\Z")
DEFAULT_COLOUR = "#888888"
"""Colour of a code whose file gives none (the same grey as ``Code``'s default)."""

TOP_REQUIRED = ("id", "name", "version", "groups", "codes")
GROUP_FIELDS = ("key", "label")
CODE_REQUIRED = ("id", "name", "group", "unit")
CODE_OPTIONAL = (
    "exclusive",
    "automatic",
    "suggestible",
    "colour",
    "hotkey",
    "definition_en",
    "definition_nl",
)
CODE_BOOLEANS = ("automatic", "suggestible")
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"


class _Reader:
    """Turns nodes into checked values, raising :class:`CodebookError` with file and line."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, node: yaml.Node | None, reason: str, field: str | None = None) -> CodebookError:
        line = node.start_mark.line + 1 if node is not None else None
        return CodebookError(self.source, line, reason, field)

    def mapping(
        self, node: yaml.Node, what: str, required: tuple[str, ...], optional: tuple[str, ...]
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key → (key node, value node), refusing duplicates, unknown and missing fields."""
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of field: value")
        fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node)
            if key in fields:
                raise self.fail(key_node, f"field given twice in {what}", key)
            if key not in required and key not in optional:
                allowed = ", ".join((*required, *optional))
                raise self.fail(key_node, f"unknown field in {what} (allowed: {allowed})", key)
            fields[key] = (key_node, value_node)
        for key in required:
            if key not in fields:
                raise self.fail(node, f"{what} lacks the required field", key)
        return fields

    def text(self, node: yaml.Node, field: str, *, required: bool = True) -> str:
        """A scalar's text as written (a null counts as empty)."""
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, "must be a single value, not a list or mapping", field)
        value = "" if node.tag == NULL_TAG else str(node.value).strip()
        if required and not value:
            raise self.fail(node, "must not be empty", field)
        return value

    def boolean(self, node: yaml.Node, field: str) -> bool:
        if not isinstance(node, yaml.ScalarNode) or node.tag != BOOL_TAG:
            raise self.fail(node, "must be true or false", field)
        return str(node.value).lower() in {"true", "yes", "on", "y"}

    def sequence(self, node: yaml.Node, field: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(node, "must be a list (lines starting with '- ')", field)
        return list(node.value)


MAX_DEPTH = 20
"""Deepest nesting of lists and mappings a codebook file that may nest deeply is allowed; the
codebook's own shape needs four (codes, a code, a field). PyYAML builds its node tree
recursively, so a file nested 5,000 deep would end in a RecursionError instead of a
message."""


def _may_nest_deeply(text: str) -> bool:
    """Whether ``text`` could nest past :data:`_NESTING_BOUND` (cheap, never wrong that way).

    A flow collection opens with ``[`` or ``{``; a block collection inside another is indented
    further, or starts after ``- ``, ``? `` or ``: `` on the same line, except a sequence
    directly under a mapping key, which may keep its key's indentation. So the depth is at
    most the flow openers plus twice (one more than) the widest line prefix of blanks and
    those indicators.
    """
    openers = text.count("[") + text.count("{")
    if openers > _NESTING_BOUND:
        return True
    prefix = max((len(line) - len(line.lstrip(" \t-?:")) for line in text.split("\n")), default=0)
    return openers + 2 * (prefix + 1) > _NESTING_BOUND


_NESTING_BOUND = 100
"""Below this nesting PyYAML composes without trouble (Python's stack ends near 300 levels)."""


def _check_depth(text: str, source: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH`, naming its line.

    Run only for files that :func:`_may_nest_deeply` (parsing twice costs as much again).
    PyYAML's event parser keeps an explicit state stack (no recursion), so walking its events
    is safe at any depth, and it stops at the first level too deep: composing a file nested
    5,000 deep instead takes 6 s before it fails.
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                line = event.start_mark.line + 1 if event.start_mark is not None else None
                raise CodebookError(
                    source, line, f"lists and mappings nested more than {MAX_DEPTH} deep"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def parse_codebook(text: str, source: str) -> Codebook:
    """Parse and validate codebook YAML; ``source`` names the file in error messages.

    Raises:
        CodebookError: on a YAML syntax error or any rule of ``codebooks/README.md`` broken,
            naming the line and, where there is one, the field.
    """
    try:
        if _may_nest_deeply(text):
            _check_depth(text, source)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:  # a backstop: _check_depth should have refused it first
        raise CodebookError(source, None, "not valid YAML: nested too deeply") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        raise CodebookError(source, line, f"not valid YAML: {error.problem}") from error
    except yaml.YAMLError as error:
        raise CodebookError(source, None, f"not valid YAML: {error}") from error
    reader = _Reader(source)
    if root is None:
        raise CodebookError(source, None, "the file is empty")
    top = reader.mapping(root, "the codebook", TOP_REQUIRED, ())
    groups = tuple(_read_groups(reader, top["groups"][1]))
    codes = tuple(_read_codes(reader, top["codes"][1], {key for key, _ in groups}))
    codebook_id = reader.text(top["id"][1], "id")
    if not ID_RE.match(codebook_id):
        raise reader.fail(top["id"][1], "use lowercase letters, digits and _ only", "id")
    return Codebook(
        id=codebook_id,
        name=reader.text(top["name"][1], "name"),
        version=reader.text(top["version"][1], "version"),
        codes=codes,
        groups=groups,
        source=source,
    )


def _read_groups(reader: _Reader, node: yaml.Node) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    for item in reader.sequence(node, "groups"):
        fields = reader.mapping(item, "a group", GROUP_FIELDS, ())
        key_node = fields["key"][1]
        key = reader.text(key_node, "key")
        if not ID_RE.match(key):
            raise reader.fail(key_node, "use lowercase letters, digits and _ only", "key")
        if key in seen:
            raise reader.fail(key_node, f"group '{key}' is declared twice", "key")
        seen.add(key)
        yield key, reader.text(fields["label"][1], "label")


def _read_codes(reader: _Reader, node: yaml.Node, groups: set[str]) -> Iterator[Code]:
    first_line: dict[tuple[str, str], int] = {}

    def unique(field: str, value: str, value_node: yaml.Node) -> None:
        where = first_line.setdefault((field, value), value_node.start_mark.line + 1)
        if where != value_node.start_mark.line + 1:
            raise reader.fail(value_node, f"'{value}' is already used on line {where}", field)

    for item in reader.sequence(node, "codes"):
        fields = reader.mapping(item, "a code", CODE_REQUIRED, CODE_OPTIONAL)
        values: dict[str, str] = {}
        flags: dict[str, bool] = {}
        for field, (_, value_node) in fields.items():
            if field in CODE_BOOLEANS:
                flags[field] = reader.boolean(value_node, field)
            else:
                values[field] = reader.text(value_node, field, required=field in CODE_REQUIRED)
        _check_code_values(reader, fields, values, groups)
        unique("id", values["id"], fields["id"][1])
        unique("name", values["name"].casefold(), fields["name"][1])
        if values.get("hotkey"):
            unique("hotkey", values["hotkey"], fields["hotkey"][1])
        yield Code(
            id=values["id"],
            name=values["name"],
            group=values["group"],
            unit=Unit(values["unit"]),
            definition_en=values.get("definition_en", ""),
            definition_nl=values.get("definition_nl", ""),
            colour=values.get("colour") or DEFAULT_COLOUR,
            hotkey=values.get("hotkey", ""),
            automatic=flags.get("automatic", False),
            exclusive=values.get("exclusive", ""),
            suggestible=flags.get("suggestible", False),
        )


def _check_code_values(
    reader: _Reader,
    fields: dict[str, tuple[yaml.Node, yaml.Node]],
    values: dict[str, str],
    groups: set[str],
) -> None:
    def node(field: str) -> yaml.Node:
        return fields[field][1]

    if not ID_RE.match(values["id"]):
        raise reader.fail(node("id"), "use lowercase letters, digits and _ only", "id")
    if values["group"] not in groups:
        known = ", ".join(sorted(groups)) or "none"
        raise reader.fail(
            node("group"), f"group '{values['group']}' is not declared (declared: {known})", "group"
        )
    if values["unit"] not in {unit.value for unit in Unit}:
        allowed = ", ".join(unit.value for unit in Unit)
        raise reader.fail(node("unit"), f"unknown unit '{values['unit']}' ({allowed})", "unit")
    colour = values.get("colour", "")
    if colour and not COLOUR_RE.match(colour):
        raise reader.fail(node("colour"), f"'{colour}' is not a colour like \"#4E79A7\"", "colour")
    hotkey = values.get("hotkey", "")
    if hotkey and len(hotkey) != 1:
        raise reader.fail(node("hotkey"), "a hotkey is one key (one character)", "hotkey")
    if hotkey and hotkey.lower() in RESERVED_HOTKEYS:
        raise reader.fail(node("hotkey"), f"'{hotkey}' is reserved by the workbench", "hotkey")
    exclusive = values.get("exclusive", "")
    if exclusive and not ID_RE.match(exclusive):
        raise reader.fail(node("exclusive"), "use lowercase letters, digits and _", "exclusive")


def load_codebook(path: Path) -> Codebook:
    """Read and validate the codebook file at ``path``.

    Raises:
        CodebookError: when the file cannot be read or is invalid (file, line and field named).
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CodebookError(path, None, f"cannot read the file: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise CodebookError(path, None, "the file is not UTF-8 text") from error
    return parse_codebook(text, str(path))


def dump_codebook(codebook: Codebook) -> str:
    """Write ``codebook`` as YAML that :func:`parse_codebook` reads back to an equal value.

    Every field is written, also defaults, so a saved file documents itself.
    """
    document = {
        "id": codebook.id,
        "name": codebook.name,
        "version": codebook.version,
        "groups": [{"key": key, "label": label} for key, label in codebook.groups],
        "codes": [
            {
                "id": code.id,
                "name": code.name,
                "group": code.group,
                "unit": code.unit.value,
                "exclusive": code.exclusive,
                "automatic": code.automatic,
                "suggestible": code.suggestible,
                "colour": code.colour,
                "hotkey": code.hotkey,
                "definition_en": code.definition_en,
                "definition_nl": code.definition_nl,
            }
            for code in codebook.codes
        ],
    }
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=96)


def default_codebook_path() -> Path:
    """The Klikvoorhulp codebook that ships with qcode (see :mod:`qcode.bundled`)."""
    return bundled_path("codebooks/klikvoorhulp.yaml")
