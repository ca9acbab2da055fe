"""The optional name check (qcode[deid], Deduce): planted names found, placeholders and the
known false alarms left out, warnings only (the import still stores the file).

One test function on purpose: Deduce takes seconds to load its name lists (a minute or two
the first time after installing, while it builds them), so only one test process loads it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.transcripts.names import COMMON_FALSE_ALARMS, find_names
from tests.transcripts.privacy_testset import generate_names


@pytest.mark.skipif(
    importlib.util.find_spec("deduce") is None, reason="the optional name check needs qcode[deid] (deduce)"
)
def test_name_check(tmp_path: Path) -> None:
    # Planted names (generated from name lists, see privacy_testset) are found; clean chats
    # full of placeholders, times and amounts give no warning.
    planted, clean = generate_names(count=120)
    missed = []
    for chat in planted:
        found = find_names(enumerate((t for _, _, t in chat.turns), start=1))
        if not any(f.excerpt in chat.item for f in found):
            missed.append(chat.item)
    assert len(missed) <= 0.05 * len(planted), missed
    noisy = {c.key: f for c in clean if (f := find_names(enumerate((t for _, _, t in c.turns), start=1)))}
    assert noisy == {}

    # Placeholders and the measured false alarms are left out; lines are the text's own.
    quiet = find_names([(3, "Hoi NAAM, ik ben NAAM HULPVERLENER"), (4, "Mooi dat je belt, meneer NAAM"), (5, "Super!")])
    assert quiet == []
    assert {"mooi", "super"} <= COMMON_FALSE_ALARMS
    found = find_names([(7, "ok\ndan zeg ik het: ik ben Petra de Vries")])
    assert [(f.line, f.kind, f.excerpt) for f in found] == [(8, "name", "Petra de Vries")]
    assert find_names([(1, "mijn mentor Zonneveld")], ignore=["Zonneveld"]) == []

    # Through the command line: a warning, and the file is imported all the same.
    from qcode.cli import main

    folder = tmp_path / "chats"
    folder.mkdir()
    (folder / "chat-1.txt").write_text(
        "Online hulpverlener (19:02): Hoi NAAM, waar wil je het over hebben?\n"
        "Hulpvrager (19:03): ik ben Sanne Jansen en mijn stiefvader slaat me\n",
        encoding="utf-8",
    )
    project = tmp_path / "p"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(project)]).exit_code == 0
    result = runner.invoke(main, ["import", "--project", str(project), str(folder), "--check-names"])
    assert result.exit_code == 0, result.output
    assert "imported: 1" in result.output
    assert "possible name: Sanne Jansen" in result.output
    assert "1 possible name(s)" in result.output
    again = runner.invoke(main, ["check-names", "--project", str(project), "--ignore", "Sanne", "--ignore", "Jansen"])
    assert again.exit_code == 0 and "0 possible name(s)" in again.output


def test_without_deduce_the_check_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from qcode.cli import main
    from qcode.transcripts import names

    monkeypatch.setitem(sys.modules, "deduce", None)  # import deduce now raises ImportError
    names.name_checker.cache_clear()
    try:
        project = tmp_path / "p"
        runner = CliRunner()
        assert runner.invoke(main, ["init", str(project)]).exit_code == 0
        result = runner.invoke(main, ["check-names", "--project", str(project)])
        assert result.exit_code == 1 and "pip install 'qcode[deid]'" in result.output
        assert "Traceback" not in result.output
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "c.txt").write_text("Hulpvrager (19:03): hoi\n", encoding="utf-8")
        refused = runner.invoke(main, ["import", "--project", str(project), str(folder), "--check-names"])
        assert refused.exit_code == 1 and "qcode[deid]" in refused.output
        assert "imported" not in refused.output  # refused before anything was imported
    finally:
        names.name_checker.cache_clear()
