"""Speed of qcode's Krippendorff's alpha and of a full per-code agreement report.

Run: ``.venv/bin/python benchmarks/agreement_speed.py [--units 1000000] [--utterances 100000]``.
Prints alpha's time on units × 3 coders (values 1-5, 10% missing), the ``krippendorff``
package's time on the same data in the same run, their ratio (target ≤ 1.0) and whether the
values are identical; then the time of ``agreement_report`` on a synthetic codings frame.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from qcode.analysis.agreement import krippendorff_alpha
from qcode.analysis.reliability import agreement_report


def reliability_data(units: int, coders: int, seed: int) -> np.ndarray:
    """Correlated ratings: a true value per unit, each coder off by one now and then."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, 6, size=units)
    noise = rng.choice([-1, 0, 0, 0, 0, 1], size=(coders, units))
    data = np.clip(truth + noise, 1, 5).astype(float)
    data[rng.random((coders, units)) < 0.1] = np.nan
    return data


def synthetic_frames(
    utterances: int, n_codes: int, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Utterances in 50-utterance chats; two coders apply each code to ~5% of utterances."""
    rng = np.random.default_rng(seed)
    documents = np.arange(utterances) // 50
    index = np.arange(utterances) % 50
    starts = index * 100
    utter = pd.DataFrame(
        {
            "document": [f"d{d}" for d in documents],
            "case": [f"c{d // 2}" for d in documents],
            "channel": "chat",
            "index": index,
            "start": starts,
            "end": starts + 80,
        }
    )
    codes = pd.DataFrame(
        {
            "code": [f"code{i}" for i in range(n_codes)],
            "name": [f"Code {i}" for i in range(n_codes)],
            "exclusive": ["phase" if i < 5 else "" for i in range(n_codes)],
        }
    )
    rows = []
    for code in codes["code"]:
        base = rng.random(utterances) < 0.05
        for coder in ("ann", "bob"):
            flip = rng.random(utterances) < 0.01
            chosen = np.flatnonzero(base ^ flip)
            rows.append(
                pd.DataFrame(
                    {
                        "document": utter["document"].to_numpy()[chosen],
                        "code": code,
                        "coder": coder,
                        "start": starts[chosen],
                        "end": starts[chosen] + 80,
                        "utterance": index[chosen],
                    }
                )
            )
    codings = pd.concat(rows, ignore_index=True)
    codings["utterance"] = codings["utterance"].astype("Int64")
    return codings, utter, codes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--utterances", type=int, default=100_000)
    parser.add_argument("--codes", type=int, default=30)
    parser.add_argument("--bootstrap", type=int, default=1000)
    args = parser.parse_args()

    data = reliability_data(args.units, 3, seed=1)
    start = time.perf_counter()
    ours = krippendorff_alpha(data, "nominal")
    ours_time = time.perf_counter() - start
    print(f"qcode alpha, {args.units:,} units x 3 coders: {ours_time:.3f} s (alpha = {ours!r})")
    try:
        import krippendorff
    except ImportError:
        print("krippendorff package not installed: no comparison")
    else:
        start = time.perf_counter()
        theirs = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
        theirs_time = time.perf_counter() - start
        print(f"krippendorff package: {theirs_time:.3f} s (alpha = {theirs!r})")
        print(f"ratio qcode / krippendorff: {ours_time / theirs_time:.3f}")
        print(f"identical value: {ours == theirs} (difference {abs(ours - theirs):.2e})")

    codings, utterances, codes = synthetic_frames(args.utterances, args.codes, seed=2)
    start = time.perf_counter()
    report = agreement_report(codings, utterances, codes, ["ann", "bob"], bootstrap=args.bootstrap)
    elapsed = time.perf_counter() - start
    print(
        f"agreement_report: {args.utterances:,} utterances, {args.codes} codes, 2 coders, "
        f"{len(codings):,} codings, bootstrap {args.bootstrap}: {elapsed:.3f} s "
        f"({len(report)} rows)"
    )


if __name__ == "__main__":
    main()
