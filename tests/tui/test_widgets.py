"""The pure layout helpers of the supervisor screens: bars and table cells."""

from __future__ import annotations

import math

import pandas as pd

from qcode.tui.screens.agreement import agreement_rows
from qcode.tui.screens.statistics import phase_values
from qcode.tui.widgets.bar_chart import BLOCK, bar, grouped_bars
from qcode.tui.widgets.frame_table import MISSING, format_cell


def test_bar_resolves_eighths_and_clamps() -> None:
    assert bar(0.0, 40) == ""
    assert bar(1.0, 10) == BLOCK * 10
    assert bar(0.5, 10) == BLOCK * 5
    # 1/9 of 40 cells = 4.44 cells = 35.6 eighths -> 36 eighths = 4 full + a half block.
    assert bar(1 / 9, 40) == BLOCK * 4 + "▌"
    assert bar(1.7, 4) == BLOCK * 4 and bar(-0.2, 4) == ""


def test_grouped_bars_keep_label_order_and_show_zero_rows() -> None:
    text = grouped_bars({"Intake": {"chat": 0.25}}, ["Intake", "Afsluiting"], ["chat", "email"], width=8).plain
    lines = text.splitlines()
    assert [line.split()[0] for line in lines] == ["Intake", "chat", "email", "Afsluiting", "chat", "email"]
    assert lines[1].endswith(" 25.0 %") and BLOCK * 2 in lines[1]
    assert lines[2].endswith("  0.0 %") and BLOCK not in lines[2]


def test_format_cell_marks_undefined_values() -> None:
    assert format_cell(math.nan) == MISSING
    assert format_cell(None) == MISSING
    assert format_cell(0.97727) == "0.977"
    assert format_cell(44) == "44"


def test_agreement_rows_join_the_interval_without_changing_numbers() -> None:
    frame = pd.DataFrame({"alpha_low": [0.1, math.nan], "alpha_high": [0.9, 0.5]})
    assert list(agreement_rows(frame)["alpha_ci"]) == ["0.100–0.900", MISSING]


def test_phase_values_pick_phase_codes_per_channel() -> None:
    shares = pd.DataFrame(
        {"code": ["intake", "intake", "open_vraag"], "channel": ["chat", "email", "chat"], "share": [0.5, 0.0, 1.0]}
    )
    assert phase_values(shares, ["intake"]) == {"intake": {"chat": 0.5, "email": 0.0}}


def test_silence_rows_use_time_order_for_out_of_order_lines() -> None:
    """19:50, 19:58 (printed first), 19:51: in time order the gaps are 1 and 7 minutes."""
    from datetime import datetime

    from qcode.transcripts.model import Channel, Document, Role, Utterance
    from qcode.tui.layout import RowKind, layout_rows

    times = ["19:50", "19:58", "19:51"]
    text = "".join(f"x{i}\n" for i in range(3))
    utterances = tuple(
        Utterance(i, Role.CLIENT, "Hulpvrager", datetime.fromisoformat(f"2014-11-03 {t}"), f"x{i}", 3 * i, 3 * i + 2,
                  out_of_order=i == 2)
        for i, t in enumerate(times)
    )
    rows, _ = layout_rows(Document("d", "c", Channel.CHAT, text, utterances), 40)
    silences = [(r.turn, r.label) for r in rows if r.kind is RowKind.SILENCE]
    # 19:58 comes 7 minutes after 19:51 in time order; the printed-order difference would
    # wrongly put 8 minutes before it, and a negative one before 19:51.
    assert silences == [(1, "— 7 min —")]
