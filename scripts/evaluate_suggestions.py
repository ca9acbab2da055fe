"""Score the suggester on the report development set: per code P, R, F1, chat and e-mail apart.

    QCODE_SPACY_MODEL=../shared/models/nl_ud_sm_selftrained \\
        .venv/bin/python scripts/evaluate_suggestions.py [--devset DIR] [--mistakes] [--markdown]

The scoring rules are the dev set's README (see ``qcode.suggest.devset``). ``--experimental``
includes the codes that are hidden by default.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from qcode.services.suggestions import make_suggester
from qcode.suggest.devset import default_devset_dir, predict, read_devset, score_by_channel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devset", type=Path, default=default_devset_dir())
    parser.add_argument("--mistakes", action="store_true", help="print the rows scored wrong")
    parser.add_argument("--markdown", action="store_true", help="print a docs table")
    parser.add_argument("--experimental", action="store_true")
    args = parser.parse_args()
    rows = read_devset(args.devset)
    suggester = make_suggester()
    predicted = predict(rows, suggester)
    by_channel = score_by_channel(rows, predicted)
    print(f"rules {suggester.rules_version}, {len(rows)} rows")
    if args.markdown:
        print("| code | n | P | R | F1 | chat n | chat F1 | e-mail n | e-mail F1 |")
        print("|---|---|---|---|---|---|---|---|---|")
    for index, total in enumerate(by_channel["all"]):
        chat, mail = by_channel["chat"][index], by_channel["email"][index]
        n = total.tp + total.fn
        if args.markdown:
            print(
                f"| {total.code} | {n} | {total.precision:.2f} | {total.recall:.2f} | "
                f"{total.f1:.2f} | {chat.tp + chat.fn} | {_f1(chat)} | {mail.tp + mail.fn} | "
                f"{_f1(mail)} |"
            )
        else:
            print(
                f"{total.code:30} n={n:2} P={total.precision:.2f} R={total.recall:.2f} "
                f"F1={total.f1:.2f}  chat F1={_f1(chat)}  e-mail F1={_f1(mail)}"
            )
    if args.mistakes:
        from qcode.suggest.devset import SCORED_CODES, _scored

        for row, found in zip(rows, predicted, strict=True):
            wrong = {
                c for c in SCORED_CODES if _scored(c, row) and (c in row.codes) != (c in found)
            }
            if wrong:
                print(f"{row.item.id} {row.item.speaker[:2]} gold={sorted(row.codes)} got="
                      f"{sorted(found)} | {row.item.text[:150]}")


def _f1(score: object) -> str:
    from qcode.suggest.evaluation import CodeScore

    assert isinstance(score, CodeScore)
    if score.tp + score.fn + score.fp == 0:
        return "–"
    return f"{score.f1:.2f}"


if __name__ == "__main__":
    main()
