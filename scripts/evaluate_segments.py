"""Phase segments against the segment gold: Pk, WindowDiff, per-phase precision and recall.

    QCODE_SPACY_MODEL=../shared/models/nl_ud_sm_selftrained .venv/bin/python scripts/evaluate_segments.py
"""

from __future__ import annotations

from pathlib import Path

from qcode.services.suggestions import make_suggester
from qcode.suggest.devset import default_devset_dir
from qcode.suggest.segment_eval import (
    boundaries,
    phase_scores,
    pk,
    predicted_phases,
    read_fragment_phases,
    read_phase_gold,
    windowdiff,
)
from qcode.suggest.values import UtteranceInput

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    suggester = make_suggester(experimental=True)  # phases hidden by default are measured too
    chats = read_phase_gold(ROOT / "tests" / "suggest" / "phases_gold.jsonl", ROOT)
    fragments = read_fragment_phases(default_devset_dir())
    print(f"rules {suggester.rules_version}")
    for gold in chats:
        hyp = predicted_phases(suggester, gold)
        ref_b, hyp_b = boundaries(gold.labels), boundaries(hyp)
        print(f"{gold.name:60} Pk={pk(ref_b, hyp_b):.2f} WindowDiff={windowdiff(ref_b, hyp_b):.2f}")
        print("   ref", " ".join(label[:3] for label in gold.labels))
        print("   hyp", " ".join(label[:3] for label in hyp))
    everything = chats + fragments
    predicted = [predicted_phases(suggester, g) for g in everything]
    for score in phase_scores([g.labels for g in everything], predicted):
        n = score.tp + score.fn
        print(f"{score.code:18} n={n:3} P={score.precision:.2f} R={score.recall:.2f} F1={score.f1:.2f}")
    dominance_check(suggester)


def dominance_check(suggester: object) -> None:
    """The report's dominance links (f61: counsellor, f12: client) against the suggestions."""
    import json

    from qcode.suggest.dominance import CLIENT_LEADS, COUNSELLOR_LEADS

    path = default_devset_dir() / "fragments.jsonl"
    for line in path.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        wanted = [c for c in data["codes"] if c in (COUNSELLOR_LEADS, CLIENT_LEADS)]
        if not wanted or not data["utterances"]:
            continue
        items = [
            UtteranceInput(str(i), u["speaker"], u["text"], "chat", document=data["id"])
            for i, u in enumerate(data["utterances"])
        ]
        found = [
            (seg.code, seg.first_index, seg.last_index)
            for seg in suggester.suggest_segments(items)  # type: ignore[attr-defined]
            if seg.code in (COUNSELLOR_LEADS, CLIENT_LEADS)
        ]
        print(f"dominance {data['id']}: report {wanted[0]}; suggested {found or 'none'}")


if __name__ == "__main__":
    main()
