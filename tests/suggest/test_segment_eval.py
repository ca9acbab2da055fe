"""Phase boundary quality: Pk and WindowDiff checked against nltk and by hand; the phase
figures reached on the segment gold (docs/suggestions.md) as floors."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from qcode.suggest.segment_eval import (
    boundaries,
    phase_scores,
    pk,
    read_fragment_phases,
    read_phase_gold,
    windowdiff,
)

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "suggest" / "phases_gold.jsonl"


def test_pk_and_windowdiff_by_hand() -> None:
    # reference boundary after unit 2, hypothesis after unit 3; k=2 gives 3 windows:
    # i=0 ref "01" (split) hyp "00" (together): error; i=1 "10"/"01": both split; i=2
    # "00"/"10": error -> Pk = 2/3. WindowDiff counts boundaries: 1/0, 1/1, 0/1 -> 2/3.
    reference, hypothesis = "0100", "0010"
    assert pk(reference, hypothesis, 2) == pytest.approx(2 / 3)
    assert windowdiff(reference, hypothesis, 2) == pytest.approx(2 / 3)
    assert pk(reference, reference, 2) == 0.0


def test_against_nltk_on_random_segmentations() -> None:
    segmentation = pytest.importorskip("nltk.metrics.segmentation")
    rng = random.Random(14)
    for _ in range(200):
        n = rng.randint(6, 40)
        ref = "".join(rng.choice("0001") for _ in range(n))
        hyp = "".join(rng.choice("0001") for _ in range(n))
        k = rng.randint(2, max(2, n // 3))
        assert pk(ref, hyp, k) == pytest.approx(segmentation.pk(ref, hyp, k=k))
        assert windowdiff(ref, hyp, k) == pytest.approx(segmentation.windowdiff(ref, hyp, k))


def test_boundaries_and_phase_scores_by_hand() -> None:
    assert boundaries(["Intake", "Intake", "Afsluiting"]) == "010"
    (intake, *_rest, closing) = phase_scores([["Intake", "Intake", "Afsluiting"]],
                                             [["Intake", "Afsluiting", "Afsluiting"]])
    assert (intake.tp, intake.fp, intake.fn) == (1, 0, 1)
    assert (closing.tp, closing.fp, closing.fn) == (1, 1, 0)


def test_segment_gold_covers_every_utterance() -> None:
    gold = read_phase_gold(GOLD, ROOT)
    assert len(gold) >= 4 and all(len(g.labels) == len(g.texts) >= 30 for g in gold)


@pytest.mark.model
def test_phase_figures_reached(suggester) -> None:  # type: ignore[no-untyped-def]
    """Floors: the figures of docs/suggestions.md ("Phases and dominance"), rounded down."""
    from scripts.evaluate_segments import predicted_phases

    chats = read_phase_gold(GOLD, ROOT)
    predicted = [predicted_phases(suggester, g) for g in chats]
    mean_pk = sum(pk(boundaries(g.labels), boundaries(p)) for g, p in zip(chats, predicted, strict=True)) / len(chats)
    assert mean_pk <= 0.36
    everything = list(chats)
    devset = ROOT.parent / "shared" / "data" / "report-dev"
    if (devset / "fragments.jsonl").is_file():
        everything += read_fragment_phases(devset)
    scores = {s.code: s for s in phase_scores(
        [g.labels for g in everything], [predicted_phases(suggester, g) for g in everything]
    )}
    assert scores["Intake"].precision >= 0.7 and scores["Afsluiting"].precision >= 0.95
    assert scores["Afsluiting"].recall >= 0.9
