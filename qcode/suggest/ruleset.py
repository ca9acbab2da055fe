"""Suggestion rules as data: reading and checking the YAML files next to the codebook.

Each file under ``codebooks/klikvoorhulp-rules/`` holds the patterns of one code (or one
group), so a researcher can read and extend them without touching Python. The loader keeps
the line of every rule so that a bad file is reported as ``file:line (field 'x'): reason``,
like the codebook loader does.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from qcode import __version__ as _QCODE_VERSION
from qcode.codebook.model import Codebook
from qcode.errors import CodebookError
from qcode.suggest.frames import FRAME_KEYS, SCOPES, SLOT_KEYS

SPEAKERS = ("counsellor", "client", "any")
UNITS = ("utterance", "segment")
SPANS = ("sentence", "match", "utterance")
MATCH_KINDS = ("phrases", "words", "pattern", "dependency", "frame")
LICENSES = ("following", "previous")
RULE_KEYS = {
    *MATCH_KINDS,
    "id",
    "fuzzy",
    "confidence",
    "explanation",
    "speaker",
    "question",
    "also",
    "exclude",
    "term",
    "channel",
    "licenses",
    "after",
}
CODE_KEYS = {
    "code", "speaker", "unit", "confidence", "span", "rules", "description", "experimental",
}
QUESTION_KEYS = {
    "open_code",
    "closed_code",
    "speaker",
    "wh_words",
    "open_prompts",
    "finite_verbs",
    "subjects",
    "lead_words",
    "tags",
    "not_questions",
    "tell_verbs",
    "tell_objects",
    "proposal_verbs",
}


@dataclass(frozen=True)
class Rule:
    """One pattern for one code, with the conditions under which it suggests."""

    id: str
    code: str
    """The code's stable id in the codebook (``verificatie_interpretatie``), never its name."""
    kind: str
    """Which matcher runs it: phrases, words, pattern (spaCy Matcher), dependency or frame."""
    value: Any
    """The phrases, words or spaCy pattern, as written in the file."""
    confidence: float
    explanation: str
    speaker: str
    channel: str | None = None
    fuzzy: int = 0
    """rapidfuzz threshold (0-100) for chat spelling; 0 switches fuzzy matching off."""
    question: bool | None = None
    """True: only in a question sentence; False: only outside one; None: anywhere."""
    also: tuple[str, ...] = ()
    """Ids of rules that must also match in the same sentence."""
    exclude: bool = False
    """A match of this rule vetoes its code in that sentence."""
    term: bool = False
    """Only a building block for ``also``; never suggests by itself."""
    licenses: str | None = None
    """``following``: a match opens a summary, so the counsellor's next statements about the
    client in the same paragraph (or document) get the code too; ``previous``: a match closes
    one ("Klopt dit?"), so the sentence or turn before it gets the code."""
    after: tuple[str, ...] = ()
    """Code ids of which one must have been suggested in the previous two turns."""
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class CodeRules:
    """All rules of one code and how its suggestions are shaped."""

    code: str
    """The code's stable id."""
    unit: str
    span: str
    rules: tuple[Rule, ...]
    experimental: str = ""
    """Why the code is experimental (dev precision below 0.6, or unmeasured); "" = offered."""
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class QuestionRules:
    """Word lists the question classifier uses; the grammar itself lives in Python."""

    open_code: str = "open_vraag"
    closed_code: str = "gesloten_vraag"
    speaker: str = "counsellor"
    wh_words: frozenset[str] = frozenset()
    open_prompts: tuple[str, ...] = ()
    finite_verbs: frozenset[str] = frozenset()
    subjects: frozenset[str] = frozenset()
    lead_words: frozenset[str] = frozenset()
    tags: tuple[str, ...] = ()
    not_questions: tuple[str, ...] = ()
    tell_verbs: frozenset[str] = frozenset()
    """Forms and lemmas of verbs of telling; with a ``tell_objects`` word: an open prompt."""
    tell_objects: frozenset[str] = frozenset()
    proposal_verbs: frozenset[str] = frozenset()
    """``vragen``: after "je zou kunnen vragen …", third-person questions are the client's to ask."""
    path: str = ""
    line: int = 0


@dataclass(frozen=True)
class RuleSet:
    """Every rule of a rules folder, plus a version hash to store with suggestions."""

    codes: tuple[CodeRules, ...]
    questions: QuestionRules
    version: str
    files: tuple[str, ...] = field(default=())

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for code in self.codes for rule in code.rules)


def default_rules_dir() -> Path:
    """The Klikvoorhulp rules folder that ships next to the codebook (see :mod:`qcode.bundled`)."""
    from qcode.bundled import bundled_path

    return bundled_path("codebooks/klikvoorhulp-rules")


def load_rules(rules_dir: Path, codebook: Codebook | None = None) -> RuleSet:
    """Read every ``*.yaml`` in ``rules_dir`` into a :class:`RuleSet`.

    With ``codebook``, every code a rule names must be one of its code ids (see
    :func:`check_codes`).

    Raises:
        CodebookError: naming file, line and field of the first problem found.
    """
    rules_dir = Path(rules_dir)
    files = sorted(rules_dir.glob("*.yaml"))
    if not files:
        raise CodebookError(rules_dir, None, "no rule files (*.yaml) in this folder")
    digest = hashlib.sha256(_QCODE_VERSION.encode())
    codes: list[CodeRules] = []
    questions = QuestionRules()
    seen: dict[str, Rule] = {}
    for path in files:
        text = path.read_text(encoding="utf-8")
        digest.update(path.name.encode() + b"\0" + text.encode())
        node = _compose(path, text)
        if node is None:
            raise CodebookError(path, 1, "file is empty")
        data = _to_python(path, node)
        if not isinstance(data, _Lined) or not isinstance(data.value, dict):
            raise CodebookError(path, _line(node), "expected a mapping at the top")
        if "questions" in data.value:
            questions = _read_questions(path, data)
            continue
        code = _read_code(path, data)
        for rule in code.rules:
            if rule.id in seen:
                raise CodebookError(
                    path, rule.line, f"rule id '{rule.id}' already used in {seen[rule.id].path}"
                )
            seen[rule.id] = rule
        codes.append(code)
    for rule in seen.values():
        for needed in rule.also:
            if needed not in seen:
                raise CodebookError(rule.path, rule.line, f"unknown rule id '{needed}'", "also")
    version = f"{_QCODE_VERSION}+{digest.hexdigest()[:12]}"
    ruleset = RuleSet(tuple(codes), questions, version, tuple(str(p) for p in files))
    if codebook is not None:
        check_codes(ruleset, codebook)
    return ruleset


def check_codes(ruleset: RuleSet, codebook: Codebook) -> None:
    """Every code the rules name must be a code id of ``codebook``.

    Rules name codes by their stable id, so renaming a code in the codebook keeps its
    suggestions; a name that is no id (a typo, a removed code, or the Dutch label written
    instead of the id) is an error naming the rule file and line, never silently dropped.

    Raises:
        CodebookError: for the first unknown code, with file, line and field ``code``.
    """
    ids = {code.id for code in codebook.codes}
    by_name = {code.name.casefold(): code.id for code in codebook.codes}
    named = [(c.code, c.path, c.line) for c in ruleset.codes]
    questions = ruleset.questions
    for code_id in (questions.open_code, questions.closed_code):
        named.append((code_id, questions.path, questions.line))
    for code_id, path, line in named:
        if code_id in ids:
            continue
        hint = by_name.get(code_id.casefold())
        advice = f"; write its id '{hint}'" if hint else f" (codebook '{codebook.id}')"
        raise CodebookError(path or "rules", line or None, f"unknown code id '{code_id}'{advice}", "code")
    for rule in ruleset.rules:
        for code_id in rule.after:
            if code_id not in ids:
                raise CodebookError(rule.path, rule.line, f"unknown code id '{code_id}'", "after")


@dataclass(frozen=True)
class _Lined:
    """A YAML value with the (1-based) line it starts on."""

    value: Any
    line: int
    key_lines: dict[str, int] = field(default_factory=dict)
    """For a mapping: the line of each key."""


def _compose(path: Path, text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(error, "problem", None) or str(error)
        raise CodebookError(path, line, f"not valid YAML: {reason}") from error


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _to_python(path: Path, node: yaml.Node) -> Any:
    """Build plain values, wrapping mappings and sequences in :class:`_Lined`."""
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            out[str(key_node.value)] = _to_python(path, value_node)
            lines[str(key_node.value)] = _line(key_node)
        return _Lined(out, _line(node), lines)
    if isinstance(node, yaml.SequenceNode):
        return _Lined([_to_python(path, item) for item in node.value], _line(node))
    constructor = yaml.SafeLoader("")
    try:
        return constructor.construct_object(node)
    except yaml.YAMLError as error:
        raise CodebookError(path, _line(node), f"bad value: {error}") from error


def _plain(value: Any) -> Any:
    """Strip the line wrappers (for spaCy patterns, which want plain lists and dicts)."""
    if isinstance(value, _Lined):
        return _plain(value.value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _strings(path: Path, value: Any, line: int, name: str) -> tuple[str, ...]:
    items = _plain(value)
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise CodebookError(path, line, "expected a list of non-empty strings", name)
    return tuple(i.strip() for i in items)


def _check_keys(path: Path, data: _Lined, allowed: set[str], what: str) -> dict[str, Any]:
    mapping: dict[str, Any] = data.value
    for key in mapping:
        if key not in allowed:
            raise CodebookError(path, data.line, f"unknown key in {what}", key)
    return mapping


def _read_code(path: Path, data: _Lined) -> CodeRules:
    mapping = _check_keys(path, data, CODE_KEYS, "code entry")
    code = mapping.get("code")
    line = data.key_lines.get("code", data.line)
    if not isinstance(code, str) or not code.strip():
        raise CodebookError(path, data.line, "missing code id", "code")
    speaker = _choice(path, mapping.get("speaker", "any"), SPEAKERS, data.line, "speaker")
    unit = _choice(path, mapping.get("unit", "utterance"), UNITS, data.line, "unit")
    span = _choice(path, mapping.get("span", "sentence"), SPANS, data.line, "span")
    confidence = _confidence(path, mapping.get("confidence", 0.7), data.line)
    experimental = mapping.get("experimental", "")
    if not isinstance(experimental, str):
        raise CodebookError(path, data.line, "expected the reason as text", "experimental")
    raw_rules = mapping.get("rules")
    if not isinstance(raw_rules, _Lined) or not isinstance(raw_rules.value, list):
        raise CodebookError(path, data.line, "expected a list of rules", "rules")
    defaults = Rule("", code.strip(), "", None, confidence, "", speaker, path=str(path))
    rules = tuple(_read_rule(path, item, defaults) for item in raw_rules.value)
    return CodeRules(code.strip(), unit, span, rules, experimental.strip(), str(path), line)


def _read_rule(path: Path, item: Any, defaults: Rule) -> Rule:
    if not isinstance(item, _Lined) or not isinstance(item.value, dict):
        line = item.line if isinstance(item, _Lined) else None
        raise CodebookError(path, line, "each rule must be a mapping")
    mapping = _check_keys(path, item, RULE_KEYS, "rule")
    rule_id = mapping.get("id")
    if not isinstance(rule_id, str) or not rule_id.strip():
        raise CodebookError(path, item.line, "missing rule id", "id")
    kind, value = _match_value(path, item, mapping)
    explanation = mapping.get("explanation", f"{defaults.code}: '{{match}}'")
    if not isinstance(explanation, str):
        raise CodebookError(path, item.line, "expected text", "explanation")
    return Rule(
        id=rule_id.strip(),
        code=defaults.code,
        kind=kind,
        value=value,
        confidence=_confidence(path, mapping.get("confidence", defaults.confidence), item.line),
        explanation=explanation,
        speaker=_choice(path, mapping.get("speaker", defaults.speaker), SPEAKERS, item.line, "speaker"),
        channel=_optional_choice(path, mapping, "channel", ("chat", "email"), item.line),
        fuzzy=_fuzzy(path, mapping, kind, item.line),
        question=_flag(path, mapping, "question", item.line),
        also=_strings(path, mapping["also"], item.line, "also") if mapping.get("also") else (),
        exclude=bool(mapping.get("exclude", False)),
        term=bool(mapping.get("term", False)),
        licenses=_optional_choice(path, mapping, "licenses", LICENSES, item.line),
        after=_strings(path, mapping["after"], item.line, "after") if mapping.get("after") else (),
        path=str(path),
        line=item.line,
    )


def _match_value(path: Path, item: _Lined, mapping: dict[str, Any]) -> tuple[str, Any]:
    """The rule's one match kind and its checked value."""
    kinds = [k for k in MATCH_KINDS if k in mapping]
    if len(kinds) != 1:
        raise CodebookError(
            path, item.line, f"give exactly one of {', '.join(MATCH_KINDS)}", "pattern"
        )
    kind = kinds[0]
    raw = mapping[kind]
    raw_line = raw.line if isinstance(raw, _Lined) else item.line
    if kind in ("phrases", "words"):
        return kind, _strings(path, raw, raw_line, kind)
    if kind == "frame":
        return kind, _frame(path, raw, raw_line)
    value = _plain(raw)
    if not isinstance(value, list) or not value:
        raise CodebookError(path, raw_line, "expected a non-empty list", kind)
    return kind, value


def _frame(path: Path, raw: Any, line: int) -> dict[str, Any]:
    """Check a frame's shape (see :mod:`qcode.suggest.frames`) and return it as plain data."""
    value = _plain(raw)
    if not isinstance(value, dict):
        raise CodebookError(path, line, "expected a mapping with all/then/none", "frame")
    unknown = set(value) - FRAME_KEYS
    if unknown:
        raise CodebookError(path, line, f"unknown key(s) {', '.join(sorted(unknown))}", "frame")
    if value.get("scope", "clause") not in SCOPES:
        raise CodebookError(path, line, f"scope must be one of {', '.join(SCOPES)}", "frame")
    if not value.get("all"):
        raise CodebookError(path, line, "a frame needs at least one slot under 'all'", "frame")
    for key in ("all", "then", "none"):
        slots = value.get(key) or []
        if not isinstance(slots, list):
            raise CodebookError(path, line, f"'{key}' must be a list of slots", "frame")
        for slot in slots:
            _check_slot(path, slot, line)
    return value


def _check_slot(path: Path, slot: Any, line: int) -> None:
    if not isinstance(slot, dict) or not slot or set(slot) - SLOT_KEYS:
        raise CodebookError(
            path, line, f"a slot is a mapping of {', '.join(sorted(SLOT_KEYS))}", "frame"
        )
    if not ({"lower", "lemma", "pos"} & set(slot)):
        raise CodebookError(path, line, "a slot needs lower, lemma or pos", "frame")
    near = slot.get("near", 0)
    if isinstance(near, bool) or not isinstance(near, int) or not 0 <= near <= 5:
        raise CodebookError(path, line, "'near' must be a whole number 0-5", "frame")
    for key in ("lower", "lemma", "pos"):
        words = slot.get(key, [])
        words = [words] if isinstance(words, str) else words
        if not isinstance(words, list) or not all(isinstance(w, str) and w for w in words):
            raise CodebookError(path, line, f"'{key}' must be a list of words", "frame")


def _fuzzy(path: Path, mapping: dict[str, Any], kind: str, line: int) -> int:
    fuzzy = mapping.get("fuzzy", 0)
    if not isinstance(fuzzy, int) or not 0 <= fuzzy <= 100 or isinstance(fuzzy, bool):
        raise CodebookError(path, line, "expected a whole number 0-100", "fuzzy")
    if fuzzy and kind not in ("phrases", "words"):
        raise CodebookError(path, line, "fuzzy works only with phrases or words", "fuzzy")
    return fuzzy


def _flag(path: Path, mapping: dict[str, Any], name: str, line: int) -> bool | None:
    value = mapping.get(name)
    if value is not None and not isinstance(value, bool):
        raise CodebookError(path, line, "expected true or false", name)
    return value


def _optional_choice(
    path: Path, mapping: dict[str, Any], name: str, allowed: tuple[str, ...], line: int
) -> str | None:
    value = mapping.get(name)
    if value is None:
        return None
    return _choice(path, value, allowed, line, name)


def _read_questions(path: Path, data: _Lined) -> QuestionRules:
    inner = data.value["questions"]
    if not isinstance(inner, _Lined) or not isinstance(inner.value, dict):
        raise CodebookError(path, data.line, "expected a mapping", "questions")
    mapping = _check_keys(path, inner, QUESTION_KEYS, "questions")

    def words(name: str) -> frozenset[str]:
        raw = mapping.get(name, [])
        line = raw.line if isinstance(raw, _Lined) else inner.line
        return frozenset(w.lower() for w in _strings(path, raw, line, name)) if raw else frozenset()

    def phrases(name: str) -> tuple[str, ...]:
        raw = mapping.get(name, [])
        line = raw.line if isinstance(raw, _Lined) else inner.line
        return tuple(w.lower() for w in _strings(path, raw, line, name)) if raw else ()

    return QuestionRules(
        open_code=str(mapping.get("open_code", "open_vraag")),
        closed_code=str(mapping.get("closed_code", "gesloten_vraag")),
        speaker=_choice(path, mapping.get("speaker", "counsellor"), SPEAKERS, inner.line, "speaker"),
        wh_words=words("wh_words"),
        open_prompts=phrases("open_prompts"),
        finite_verbs=words("finite_verbs"),
        subjects=words("subjects"),
        lead_words=words("lead_words"),
        tags=phrases("tags"),
        not_questions=phrases("not_questions"),
        tell_verbs=words("tell_verbs"),
        tell_objects=words("tell_objects"),
        proposal_verbs=words("proposal_verbs"),
        path=str(path),
        line=inner.line,
    )


def _choice(path: Path, value: Any, allowed: tuple[str, ...], line: int, name: str) -> str:
    if value not in allowed:
        raise CodebookError(path, line, f"expected one of {', '.join(allowed)}", name)
    return str(value)


def _confidence(path: Path, value: Any, line: int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise CodebookError(path, line, "expected a number in (0, 1]", "confidence")
    return float(value)
