"""One bad file never stops an import (issue 20): whatever a reader raises on one file
becomes that file's error, with its path; the other files, before and after it in the same
batch, are stored, and the summary is printed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from qcode.cli import main
from qcode.errors import TranscriptParseError
from qcode.services import corpus as corpus_service
from qcode.services.corpus import counts, document_keys, import_paths
from qcode.services.project import Project, open_project
from qcode.transcripts import parsing, registry
from qcode.transcripts.parsing import parse_file
from qcode.transcripts.result import Failed, Imported
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import SourceFile

GOOD = "# datum: 2014-11-03\nHulpvrager (19:02): hoi {n}\nHulpverlener (19:03): Hoi! Waar wil je over praten?\n"

CRASHES: dict[str, Callable[[], BaseException]] = {
    "OverflowError": lambda: OverflowError("date value out of range"),
    "RecursionError": lambda: RecursionError("maximum recursion depth exceeded"),
    "IndexError": lambda: IndexError("string index out of range"),
    "UnicodeEncodeError": lambda: UnicodeEncodeError("utf-8", "\ud800", 0, 1, "surrogates not allowed"),
}


def _folder(root: Path, crashes: list[str]) -> tuple[Path, list[str]]:
    """Good chats around a broken one and one file per crash; the good files' stems."""
    folder = root / "in" / "casus-1"
    folder.mkdir(parents=True)
    good = []
    for n in range(3):
        (folder / f"a-goed-{n}.txt").write_text(GOOD.format(n=n), encoding="utf-8")
        good.append(f"a-goed-{n}")
    (folder / "b-kapot.txt").write_text(GOOD.format(n=9) + "Buurman Bob (19:04): wie\n", encoding="utf-8")
    for name in crashes:
        (folder / f"c-{name}.txt").write_text(GOOD.format(n=name), encoding="utf-8")
    for n in range(3, 5):
        (folder / f"d-goed-{n}.txt").write_text(GOOD.format(n=n), encoding="utf-8")
        good.append(f"d-goed-{n}")
    return root / "in", good


def _crashing_chat_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    """The chat reader raises, for a file named after an exception, that exception."""
    real = registry.read_chat

    def read_chat(source: SourceFile, text: str, roles: RoleMap) -> Any:
        for name, make in CRASHES.items():
            if source.path.stem == f"c-{name}":
                raise make()
        return real(source, text, roles)

    monkeypatch.setattr(registry, "read_chat", read_chat)


@pytest.fixture
def one_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file of these small imports in one batch, so that a crash falls inside it."""
    monkeypatch.setattr(corpus_service, "BATCH_UTTERANCES", 10**9)


def test_qcode_import_goes_on_past_crashing_and_broken_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_batch: None
) -> None:
    folder, good = _folder(tmp_path, list(CRASHES))
    _crashing_chat_reader(monkeypatch)
    runner = CliRunner()
    project = tmp_path / "proj"
    assert runner.invoke(main, ["init", str(project)]).exit_code == 0
    result = runner.invoke(main, ["import", "--project", str(project), str(folder)])
    assert result.exit_code == 1  # there were errors; the command still ends cleanly
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    total = len(good) + 1 + len(CRASHES)
    assert (
        f"Files: {total}, imported: {len(good)}, cases: 1, documents: {len(good)}, "
        f"utterances: {2 * len(good)}, skipped: 0, changed: 0, errors: {1 + len(CRASHES)}"
    ) in result.output
    errors = [line for line in result.output.splitlines() if line.startswith("  error: ")]
    assert len(errors) == 1 + len(CRASHES)
    assert any("b-kapot.txt:4: unknown speaker label 'Buurman Bob'" in e for e in errors)
    for name in CRASHES:
        (line,) = [e for e in errors if f"c-{name}.txt" in e]
        assert f"c-{name}.txt: could not be read: the chat reader failed ({name}: " in line
    opened = open_project(project)
    try:
        assert document_keys(opened) == sorted(f"casus-1/{stem}" for stem in good)
    finally:
        opened.close()


@pytest.mark.parametrize("name", list(CRASHES))
def test_each_kind_of_crash_is_that_files_error(
    sqlite_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_batch: None,
    name: str,
) -> None:
    folder, good = _folder(tmp_path, [name])
    _crashing_chat_reader(monkeypatch)
    summary = import_paths(sqlite_project, [folder])
    assert summary.imported == len(good) and summary.files == len(good) + 2
    assert len(summary.errors) == 2
    assert f"c-{name}.txt: could not be read" in summary.errors[1] and name in summary.errors[1]
    assert counts(sqlite_project)["documents"] == len(good)
    assert counts(sqlite_project)["source_files"] == len(good)
    # Read again: the crashed file was not stored, so it is read (and fails) again, while
    # the stored ones are skipped as known.
    again = import_paths(sqlite_project, [folder])
    assert again.imported == 0 and len(again.skipped) == len(good) and len(again.errors) == 2


def test_a_crash_in_the_privacy_check_is_that_files_error_too(
    sqlite_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, one_batch: None
) -> None:
    folder, good = _folder(tmp_path, [])
    real = parsing.scan_document

    def scan(document: Any) -> Any:
        if document.key.endswith("a-goed-1"):
            raise ValueError("a bug in a pattern")
        return real(document)

    monkeypatch.setattr(parsing, "scan_document", scan)
    summary = import_paths(sqlite_project, [folder])
    assert summary.imported == len(good) - 1
    assert any(
        "a-goed-1.txt: could not be read: the chat reader failed (ValueError: a bug in a pattern)"
        in e for e in summary.errors
    )


def test_parse_file_gives_a_failure_with_path_and_line_where_known(tmp_path: Path) -> None:
    roles = RoleMap.default()
    broken = SourceFile(tmp_path / "chat.txt", None, "chat")
    text = b"Hulpvrager (19:02): hoi\nHulpvrager (25:00): later\n"
    failed = parse_file(broken, text, "digest", roles, False)
    assert isinstance(failed, Failed) and isinstance(failed.error, TranscriptParseError)
    assert (failed.path, failed.error.line) == (str(tmp_path / "chat.txt"), 2)
    personal = parse_file(broken, b"Hulpvrager (19:02): mail jan@voorbeeld.nl\n", "d", roles, False)
    assert isinstance(personal, Failed) and personal.error.line == 1
    assert "possible personal data found" in personal.message
    read = parse_file(broken, b"Hulpvrager (19:02): hoi\n", "d", roles, False)
    assert isinstance(read, Imported) and (read.sha256, read.fmt) == ("d", "chat")
    assert [u.text for u in read.documents[0].utterances] == ["hoi"]
