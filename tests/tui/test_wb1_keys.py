"""``qcode keys`` and the help screen: real key glyphs, the user's remappings, one screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

from click.testing import CliRunner

from qcode.cli import main
from qcode.tui.app import QcodeApp
from qcode.tui.screens.help import HelpScreen
from tests.tui.screen_text import screen_text


def _keys(*args: str) -> str:
    result = CliRunner().invoke(main, ["keys", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_keys_text_fits_one_screen_with_glyphs(demo_dir: Path) -> None:
    text = _keys("--project", str(demo_dir), "--width", "100")
    lines = text.splitlines()
    # One full-screen terminal (100 x 40) or one printed page: every screen's keys plus the
    # demo codebook's hotkeys.
    assert len(lines) <= 40 and max(len(line) for line in lines) <= 100
    assert "?/f1 Help" in text and ". Next uncoded" in text and "] Next suggestion" in text
    assert "question_mark" not in text and "full_stop" not in text
    assert "w Open vraag" in text and "1 Intake" in text  # the project's codebook hotkeys
    # An entry is never split over two lines (key and description stay together).
    assert not any(line.lstrip().startswith("·") for line in lines)
    assert "Accept all" in text and "\nAccept" not in text


def test_keys_shows_the_users_remappings(demo_dir: Path) -> None:
    toml = demo_dir / "qcode.toml"
    text = toml.read_text(encoding="utf-8")
    assert text.rstrip().endswith("[keys]")  # the demo's empty table, last in the file
    toml.write_text(text.rstrip() + '\n"coding.accept" = "ctrl+a"\n"coding.mark" = "w"\n"coding.acept" = "b"\n', encoding="utf-8")
    text = _keys("--project", str(demo_dir), "--width", "100")
    assert "ctrl+a Accept" in text and "· a Accept" not in text
    assert "w Mark range" in text
    assert "w Open vraag (key taken by Mark range" in text
    markdown = _keys("--project", str(demo_dir), "--format", "markdown")
    assert "| `ctrl+a` | Accept | `coding.accept` |" in markdown
    assert "## Transcript" in markdown and "## Codebook" in markdown
    warned = CliRunner().invoke(main, ["keys", "--project", str(demo_dir)])
    assert "'coding.acept' is not a binding id (did you mean 'coding.accept'?)" in warned.output


def test_keys_outside_a_project_prints_the_defaults(tmp_path: Path) -> None:
    text = _keys("--project", str(tmp_path), "--width", "100")
    assert "a Accept" in text and "w Open vraag" not in text  # no project, no codebook hotkeys


def test_help_screen_shows_glyphs_and_whole_binding_ids_at_80x24(demo_dir: Path) -> None:
    async def run() -> None:
        app = QcodeApp(demo_dir, coder="anna", auto_suggest=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press("question_mark")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            await pilot.pause()
            shown = screen_text(app)
            assert "?/f1" in shown and "app.help" in shown and "question_mark" not in shown
            seen = ""
            for _ in range(6):  # page through the transcript's keys
                await pilot.press("pagedown")
                await pilot.pause()
                seen += screen_text(app)
            shown = seen
            # The longest ids are not cut, and keys are glyphs.
            assert "coding.next_suggestion" in shown and "coding.memo_document" in shown
            assert "]  " in shown and "del/⌫" in shown and "right_square_bracket" not in shown

    asyncio.run(run())
