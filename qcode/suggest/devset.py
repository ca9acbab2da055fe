"""The report development set (``../shared/data/report-dev/``) and its scoring rules.

The set is real counselling text quoted in the *Klik voor hulp* report, licensed for research:
qcode reads it where it lies and never copies it. Its README fixes how it is scored, and this
module follows it to the letter, so that our figures mean what the hidden half's will:

- the six *target* codes (:data:`TARGET_CODES`) are scored only on rows whose
  ``target_status`` is not ``unassessed``, and a code in a row's ``ignore_codes`` is skipped
  (neither a hit nor a false alarm);
- Open/Gesloten vraag are scored over counsellor rows only; any such suggestion on a client
  row counts as a false positive (so client rows are in the denominator of precision).

Each row is fed to the suggester as it would be through ``qcode suggest --input``: one line,
its fragment as ``document``, so rows of one fragment are each other's context.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from qcode.errors import SuggestionError, TranscriptParseError
from qcode.suggest.evaluation import CodeScore, SuggestsUtterances
from qcode.suggest.values import UtteranceInput

TARGET_CODES = (
    "Verificatie interpretatie",
    "Compliment woorden",
    "Feedback",
    "Hulpbronnen",
    "Technische storing",
    "Uitnodiging inhoudsbepaling",
)
QUESTION_CODES = ("Open vraag", "Gesloten vraag")
SCORED_CODES = TARGET_CODES + QUESTION_CODES
LABELS_FILE = "utterance_labels.jsonl"


@dataclass(frozen=True)
class DevRow:
    """One labelled row: a chat utterance or an e-mail sentence."""

    item: UtteranceInput
    codes: frozenset[str]
    target_status: str
    """``positive``, ``negative`` or ``unassessed`` (see the README)."""
    ignore: frozenset[str]
    case: str = ""
    """The report's case number: learning is cross-validated by case (never learns from it)."""


DEVSET_VARIABLE = "QCODE_REPORT_DEV"


def default_devset_dir() -> Path:
    """``$QCODE_REPORT_DEV``, else ``../shared/data/report-dev`` beside a source checkout."""
    from_env = os.environ.get(DEVSET_VARIABLE, "").strip()
    if from_env:
        return Path(from_env)
    return Path(__file__).resolve().parents[3] / "shared" / "data" / "report-dev"


def read_devset(folder: Path) -> list[DevRow]:
    """Read ``utterance_labels.jsonl`` from ``folder``.

    Raises:
        SuggestionError: the folder or file is missing; TranscriptParseError: a bad line.
    """
    path = Path(folder) / LABELS_FILE
    if not path.is_file():
        raise SuggestionError(f"{path}: no such file (the report development set)")
    rows: list[DevRow] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if line.strip():
                rows.append(_row(json.loads(line), path, number))
    return rows


def _row(data: dict[str, object], path: Path, number: int) -> DevRow:
    try:
        fragment = str(data["fragment"])
        speaker = str(data["speaker"])
        text = str(data["text"])
        channel = str(data["channel"])
        codes = frozenset(str(c) for c in data["codes"])  # type: ignore[attr-defined]
        ignore = frozenset(str(c) for c in data.get("ignore_codes") or [])  # type: ignore[attr-defined]
        status = str(data["target_status"])
    except (KeyError, TypeError) as error:
        raise TranscriptParseError(path, number, f"missing or bad field: {error}") from error
    item = UtteranceInput(f"{fragment}:{number}", speaker, text, channel, document=fragment)
    return DevRow(item, codes, status, ignore, str(data.get("case", "")))


def predict(rows: Sequence[DevRow], suggester: SuggestsUtterances) -> list[set[str]]:
    """The codes the suggester proposes for each row (input order)."""
    return [{s.code for s in found} for found in suggester.suggest(r.item for r in rows)]


def score_devset(
    rows: Sequence[DevRow], predicted: Sequence[set[str]], codes: Iterable[str] = SCORED_CODES
) -> list[CodeScore]:
    """Per-code counts by the README's rules (see the module docstring)."""
    scores = []
    for code in codes:
        tp = fp = fn = 0
        for row, found in zip(rows, predicted, strict=True):
            if not _scored(code, row):
                continue
            gold, guess = code in row.codes, code in found
            tp += gold and guess
            fp += guess and not gold
            fn += gold and not guess
        scores.append(CodeScore(code, tp, fp, fn))
    return scores


def _scored(code: str, row: DevRow) -> bool:
    if code in QUESTION_CODES:
        return True  # client rows count: any question code there is a false positive
    return row.target_status != "unassessed" and code not in row.ignore


def score_by_channel(
    rows: Sequence[DevRow], predicted: Sequence[set[str]]
) -> dict[str, list[CodeScore]]:
    """``all``, ``chat`` and ``email`` scores."""
    result = {"all": score_devset(rows, predicted)}
    for channel in ("chat", "email"):
        pairs = [(r, p) for r, p in zip(rows, predicted, strict=True) if r.item.channel == channel]
        result[channel] = score_devset([r for r, _ in pairs], [p for _, p in pairs])
    return result
