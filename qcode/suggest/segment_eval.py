"""How good are the phase segments? Boundary quality (Pk, WindowDiff) and per-phase P/R.

Pk (Beeferman, Berger & Lafferty 1999) slides a window of ``k`` units over the text and counts
the windows whose two ends the reference and the hypothesis disagree on being in one segment;
WindowDiff (Pevzner & Hearst 2002) counts the windows in which the two differ in the NUMBER of
boundaries. Both are error rates: 0 is perfect, lower is better. Segmentations are strings of
``"0"``/``"1"`` per unit, ``"1"`` where a segment ends after that unit, the convention of
``nltk.metrics.segmentation`` (which the tests cross-check against); ``k`` defaults to half the
mean reference segment length, as in both papers.

Per-phase precision and recall are at utterance level: an utterance counts for a phase when
the reference puts it in that phase's segment.

The segment gold: ``tests/suggest/phases_gold.jsonl`` (sample-corpus chats labelled for qcode)
and the phase links of the report's dev fragments (a fragment the report files under a phase
belongs to it entirely), read from ``../shared`` at run time.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from qcode.errors import SuggestionError
from qcode.suggest.evaluation import CodeScore

if TYPE_CHECKING:
    from qcode.suggest.values import SegmentSuggestion, UtteranceInput


class SuggestsSegments(Protocol):
    """Anything with :meth:`~qcode.suggest.engine.Suggester.suggest_segments`."""

    def suggest_segments(self, items: Sequence[UtteranceInput]) -> list[SegmentSuggestion]: ...


PHASES = ("Intake", "Probleemanalyse", "Strategiebepaling", "Doelformulering", "Evaluatie", "Afsluiting")


def boundaries(labels: Sequence[str]) -> str:
    """``"0"``/``"1"`` per unit: ``"1"`` where the phase changes after it."""
    return "".join("1" if a != b else "0" for a, b in itertools.pairwise(labels)) + "0"


def default_k(reference: str) -> int:
    """Half the mean segment length of the reference (at least 2)."""
    segments = reference.count("1") + 1
    return max(2, round(len(reference) / segments / 2))


def pk(reference: str, hypothesis: str, k: int | None = None) -> float:
    """Beeferman et al.'s Pk: the share of windows ``(i, i + k)`` whose two ends are in one
    segment in one segmentation and in different segments in the other (a boundary among the
    ``k`` positions ``i … i + k - 1``)."""
    k = k or default_k(reference)
    windows = len(reference) - k + 1
    if windows <= 0:
        return 0.0
    errors = sum(
        ("1" in reference[i:i + k]) != ("1" in hypothesis[i:i + k]) for i in range(windows)
    )
    return errors / windows


def windowdiff(reference: str, hypothesis: str, k: int | None = None) -> float:
    """Pevzner & Hearst's WindowDiff: the share of windows of ``k`` units in which the two
    segmentations hold a different number of boundaries."""
    k = k or default_k(reference)
    windows = len(reference) - k + 1
    if windows <= 0:
        return 0.0
    errors = sum(
        reference[i:i + k].count("1") != hypothesis[i:i + k].count("1") for i in range(windows)
    )
    return errors / windows


def phase_scores(reference: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> list[CodeScore]:
    """Utterance-level counts per phase over several conversations."""
    scores = []
    for phase in PHASES:
        pairs = [(r, p) for ref, hyp in zip(reference, predicted, strict=True)
                 for r, p in zip(ref, hyp, strict=True)]
        tp = sum(r == phase and p == phase for r, p in pairs)
        fp = sum(r != phase and p == phase for r, p in pairs)
        fn = sum(r == phase and p != phase for r, p in pairs)
        scores.append(CodeScore(phase, tp, fp, fn))
    return scores


@dataclass(frozen=True)
class PhaseGold:
    """One conversation's reference phases, one label per utterance."""

    name: str
    speakers: tuple[str, ...]
    texts: tuple[str, ...]
    labels: tuple[str, ...]
    channel: str = "chat"


def read_phase_gold(path: Path, root: Path) -> list[PhaseGold]:
    """Read ``phases_gold.jsonl``: the transcript (relative to ``root``) and its segments."""
    from qcode.transcripts.parsing import parse_file
    from qcode.transcripts.result import Failed
    from qcode.transcripts.roles import RoleMap
    from qcode.transcripts.sources import SourceFile

    gold = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        source = root / data["source"]
        raw = source.read_bytes()
        parsed = parse_file(SourceFile(source, "gold", None), raw, hashlib.sha256(raw).hexdigest(), RoleMap.default(), True)
        if isinstance(parsed, Failed):
            raise SuggestionError(str(parsed.error))
        document = parsed.documents[0]
        labels = [""] * len(document.utterances)
        for phase, first, last in data["segments"]:
            labels[first:last + 1] = [phase] * (last - first + 1)
        if "" in labels:
            raise SuggestionError(f"{path}: {data['source']}: utterance {labels.index('')} has no phase")
        gold.append(PhaseGold(
            data["source"], tuple(u.role.value for u in document.utterances),
            tuple(u.text for u in document.utterances), tuple(labels),
        ))
    return gold


def read_fragment_phases(folder: Path) -> list[PhaseGold]:
    """The dev fragments the report files under a phase: every unit in that phase."""
    path = folder / "fragments.jsonl"
    if not path.is_file():
        raise SuggestionError(f"{path}: no such file (the report development set)")
    gold = []
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line) if line.strip() else {}
        phases = [c for c in data.get("codes", []) if c in PHASES and c not in data.get("uncertain_codes", [])]
        if len(phases) != 1:
            continue
        units = data["utterances"] or [{"speaker": data["author"], "text": data["text"]}]
        speakers = tuple(u["speaker"] if u["speaker"] in ("counsellor", "client") else "counsellor" for u in units)
        gold.append(PhaseGold(
            data["id"], speakers, tuple(u["text"] for u in units), (phases[0],) * len(units), data["channel"]
        ))
    return gold


def predicted_phases(suggester: SuggestsSegments, gold: PhaseGold) -> list[str]:
    """The suggester's phase per utterance of ``gold`` ("" where none is shown)."""
    from qcode.suggest.values import UtteranceInput

    items = [
        UtteranceInput(str(i), s, t, gold.channel, document=gold.name)
        for i, (s, t) in enumerate(zip(gold.speakers, gold.texts, strict=True))
    ]
    labels = [""] * len(items)
    for seg in suggester.suggest_segments(items):
        if seg.code in PHASES:
            labels[seg.first_index:seg.last_index + 1] = [seg.code] * (seg.last_index - seg.first_index + 1)
    return labels
