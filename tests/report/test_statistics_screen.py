"""The workbench's statistics screen draws the share of cases per code in codebook colours.

The shares on screen are checked against pandas on ``qcode codings --format json`` (all
coders the viewer may see count, as the screen's default filter says).
"""

from __future__ import annotations

import asyncio
import re

import pandas as pd
import yaml
from textual.widgets import Static, TabbedContent

from qcode.tui.app import QcodeApp
from qcode.tui.screens.statistics import StatisticsScreen
from tests.report.conftest import Study
from tests.report.study import CORPUS
from tests.tui.waiting import wait_until

BOOK = yaml.safe_load((CORPUS.parents[1] / "codebooks" / "klikvoorhulp.yaml").read_text(encoding="utf-8"))


def test_codes_tab_shows_every_code_with_its_share_and_colour(study: Study, codings: pd.DataFrame) -> None:
    async def run() -> tuple[str, list[object]]:
        app = QcodeApp(study.folder, coder="sup", auto_suggest=False)
        async with app.run_test(size=(100, 50)) as pilot:
            await pilot.press("s")
            await wait_until(pilot, lambda: isinstance(app.screen, StatisticsScreen) and app.screen.shown_for == (None,))
            app.screen.query_one(TabbedContent).active = "codes"
            await pilot.pause()
            chart = app.screen.query_one("#codes-chart", Static)
            content = chart.content
            return str(content), list(getattr(content, "spans", []))

    text, spans = asyncio.run(run())
    cases = 13  # every case of the sample corpus (cases.csv), coded or not
    for code in BOOK["codes"]:
        hits = codings.loc[codings["code_id"] == code["id"], "case"].nunique()
        label = code["name"] if len(code["name"]) <= 34 else code["name"][:33] + "…"
        line = next(line for line in text.splitlines() if line.strip().startswith(label))
        share = float(re.search(r"([\d.]+) %$", line.strip()).group(1))  # type: ignore[union-attr]
        assert share == round(100 * hits / cases, 1), code["name"]
    styles = {str(getattr(span, "style", "")) for span in spans}
    assert any("#F2CF7E".lower() in s.lower() for s in styles)  # Compliment woorden's colour
