"""Import through the service: idempotent, per-file errors with file:line, privacy refusal."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path
from typing import Any

import pytest

from qcode.services.corpus import counts, get_document, import_paths
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.project import Project

GOOD = "# casus: 1\n# datum: 2014-11-03\nHulpvrager (19:02): hoi\nHulpverlener (19:03): Hoi! Waar wil je over praten?\n"


def test_reimporting_the_sample_corpus_changes_nothing(project: Project) -> None:
    first = import_paths(project, [SAMPLE_CORPUS])
    assert first.errors == []
    files = sorted(p for p in SAMPLE_CORPUS.rglob("*") if p.is_file() and p.name not in ("cases.csv", ".gitattributes"))
    assert first.imported == len(files)
    before = counts(project)
    second = import_paths(project, [SAMPLE_CORPUS])
    assert second.imported == 0 and len(second.skipped) == len(files)
    assert counts(project) == before


def test_broken_file_is_reported_and_good_ones_land(sqlite_project: Project, tmp_path: Path) -> None:
    folder = tmp_path / "in" / "casus-1"
    folder.mkdir(parents=True)
    (folder / "goed.txt").write_text(GOOD, encoding="utf-8")
    (folder / "ook-goed.txt").write_text(GOOD.replace("hoi", "hallo"), encoding="utf-8")
    (folder / "kapot.txt").write_text(GOOD + "Buurman Bob (19:04): wie ben jij\n", encoding="utf-8")
    summary = import_paths(sqlite_project, [tmp_path / "in"])
    assert summary.imported == 2
    assert len(summary.errors) == 1
    assert "kapot.txt:5" in summary.errors[0] and "Buurman Bob" in summary.errors[0]
    assert counts(sqlite_project)["documents"] == 2


def test_changed_file_is_reported_not_duplicated(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "casus-1" / "chat.txt"
    path.parent.mkdir()
    path.write_text(GOOD, encoding="utf-8")
    import_paths(sqlite_project, [tmp_path])
    path.write_text(GOOD.replace("hoi", "hoi hoi"), encoding="utf-8")
    summary = import_paths(sqlite_project, [tmp_path])
    assert summary.imported == 0 and len(summary.changed) == 1
    assert counts(sqlite_project)["documents"] == 1


def test_personal_data_refused_with_line_unless_allowed(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "casus-2" / "chat.txt"
    path.parent.mkdir()
    path.write_text(GOOD + "Hulpvrager (19:05): bel me op 06-12345678 of mail jan@voorbeeld.nl\n", encoding="utf-8")
    refused = import_paths(sqlite_project, [tmp_path])
    assert refused.imported == 0
    assert "chat.txt:5: phone" in refused.errors[0] and "email" in refused.errors[0]
    allowed = import_paths(sqlite_project, [tmp_path], allow_personal_data=True)
    assert allowed.imported == 1


def test_placeholders_are_not_personal_data(sqlite_project: Project, tmp_path: Path) -> None:
    path = tmp_path / "casus-3" / "chat.txt"
    path.parent.mkdir()
    path.write_text(GOOD + "Hulpverlener (19:05): Bel NAAM HULPVERLENER TELEFOON of ga naar [INSTELLING 1] in PLAATS.\n", encoding="utf-8")
    assert import_paths(sqlite_project, [tmp_path]).imported == 1


def test_stored_text_is_exact_and_offsets_hold(sqlite_project: Project, tmp_path: Path) -> None:
    source = SAMPLE_CORPUS / "casus-07"
    shutil.copytree(source, tmp_path / "casus-07")
    import_paths(sqlite_project, [tmp_path])
    crlf = next((tmp_path / "casus-07").glob("*.txt"))
    assert b"\r\n" in crlf.read_bytes()
    doc = get_document(sqlite_project, f"casus-07/{crlf.stem}")
    assert doc.text == crlf.read_bytes().decode("utf-8").replace("\r\n", "\n")
    assert all(doc.text[u.start : u.end] == u.text for u in doc.utterances)
    db = sqlite_project.folder / "qcode.sqlite3"
    assert stat.S_IMODE(db.stat().st_mode) == 0o600


def test_import_pauses_the_cycle_collector_and_restores_it(
    sqlite_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import qcode.services.corpus as corpus_service

    seen: list[bool] = []
    real_store = corpus_service._store

    def spy(*args: Any) -> Any:
        seen.append(gc.isenabled())
        return real_store(*args)

    monkeypatch.setattr(corpus_service, "_store", spy)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "chat.txt").write_text(GOOD, encoding="utf-8")
    assert gc.isenabled()
    import_paths(sqlite_project, [folder])
    assert seen and not any(seen)  # paused while storing
    assert gc.isenabled()  # and back on afterwards

    def boom(*args: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(corpus_service, "_store", boom)
    (folder / "other.txt").write_text(GOOD.replace("hoi", "hey"), encoding="utf-8")
    with pytest.raises(RuntimeError):
        import_paths(sqlite_project, [folder])
    assert gc.isenabled()  # restored after a failure too
    gc.disable()
    try:
        monkeypatch.setattr(corpus_service, "_store", real_store)
        import_paths(sqlite_project, [folder])
        assert not gc.isenabled()  # a caller's own choice is left alone
    finally:
        gc.enable()


@pytest.mark.parametrize("files", [1, 3])
def test_a_file_that_cannot_be_stored_is_reported_and_the_rest_land(
    sqlite_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: int
) -> None:
    import qcode.services.corpus as corpus_service

    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(files):
        (folder / f"chat-{n}.txt").write_text(GOOD.replace("hoi", f"hoi {n}"), encoding="utf-8")
    real = corpus_service.corpus.store_sources

    def refuse_chat_0(session: Any, sources: Any, at: Any) -> None:
        if any(s.path.endswith("chat-0.txt") for s in sources):
            raise RuntimeError("disk full")
        real(session, sources, at)

    monkeypatch.setattr(corpus_service.corpus, "store_sources", refuse_chat_0)
    summary = import_paths(sqlite_project, [folder])
    assert len(summary.errors) == 1
    assert "chat-0.txt: could not be stored (disk full); nothing of it was kept" in summary.errors[0]
    assert summary.imported == files - 1
    assert counts(sqlite_project)["documents"] == files - 1
    assert counts(sqlite_project)["source_files"] == files - 1


def test_a_folder_that_cannot_be_opened_is_reported(
    sqlite_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its files are not imported, and the summary says so (tests run as root, for whom
    chmod cannot make a folder unreadable: the refusal is simulated where the walk asks)."""
    from qcode.transcripts import sources

    for case in ("casus-1", "geheim"):
        (tmp_path / "in" / case).mkdir(parents=True)
        (tmp_path / "in" / case / "chat.txt").write_text(GOOD.replace("hoi", case), encoding="utf-8")
    real_scandir = sources.os.scandir

    def refusing(path: Any) -> Any:
        if str(path).endswith("geheim"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(sources.os, "scandir", refusing)
    summary = import_paths(sqlite_project, [tmp_path / "in"])
    assert summary.imported == 1
    assert summary.errors == [
        f"{tmp_path / 'in' / 'geheim'}: cannot open folder (Permission denied); "
        "the files in it were not imported"
    ]
