"""Workbench export: tables ask whose codings they hold (issue 18), read back with openpyxl."""

from __future__ import annotations

import asyncio
from pathlib import Path

import openpyxl
from textual.widgets import Button, Label, Select

from qcode.services import codings as coding_service
from qcode.services.corpus import get_document
from qcode.services.project import open_project
from qcode.tui.app import QcodeApp
from qcode.tui.screens.export import ExportModal, coder_options

DOC = "casus-03/chat-2014-05-21"


def test_coder_options_default_to_consensus_else_none() -> None:
    options, default = coder_options(["anna", "auto", "consensus"])
    assert default == "consensus" and [v for _, v in options][:1] == ["consensus"]
    assert coder_options(["anna", "bram"])[1] is None
    assert coder_options(["auto"])[1] == "auto"


def test_tables_without_a_coder_choice_are_refused_then_written(demo_dir: Path) -> None:
    project = open_project(demo_dir)
    try:
        first = get_document(project, DOC).utterances[0]
        coding_service.add_coding(project, DOC, "Open vraag", "anna", utterance=first.index)
        coding_service.add_coding(project, DOC, "Gesloten vraag", "bram", utterance=first.index)
    finally:
        project.close()
    asyncio.run(_walk(demo_dir))
    (book,) = sorted((demo_dir / "exports").glob("*.xlsx"))
    rows = list(openpyxl.load_workbook(book)["quotations"].values)
    header = rows[0]
    assert "Coders" in header and "Role" in header
    assert {r[header.index("Coders")] for r in rows[1:]} == {"anna"}
    assert {r[header.index("Role")] for r in rows[1:]} == {"Hulpverlener"}


async def _walk(folder: Path) -> None:
    app = QcodeApp(folder, coder="anna", auto_suggest=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.show_export("xlsx")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ExportModal)
        assert modal.query_one("#coder", Select).is_blank()  # anna, auto, bram: the user must say
        modal.query_one("#go", Button).press()
        await pilot.pause()
        message = str(modal.query_one("#export-result", Label).render())
        assert "Choose whose codings" in message
        assert not list((folder / "exports").glob("*.xlsx"))
        modal.query_one("#coder", Select).value = "anna"
        modal.query_one("#go", Button).press()
        await pilot.pause()
        assert "Written:" in str(modal.query_one("#export-result", Label).render())
