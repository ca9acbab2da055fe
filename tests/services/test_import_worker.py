"""Importing with the parse worker gives exactly what importing in one process gives.

The reference is always the in-process import (``parallel=False``), which the rest of the
import tests pin down; here every way the worker can be used or fail must store the same
cases, documents, utterances and source files and report the same summary.
"""

from __future__ import annotations

import queue
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import select

from qcode.services import import_worker, importing
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.import_step import KnownFiles, read_step
from qcode.services.importing import ImportSummary, import_paths
from qcode.services.project import Project, init_project
from qcode.storage import corpus
from qcode.storage.schema import SourceFile
from qcode.transcripts.roles import RoleMap
from qcode.transcripts.sources import plan_sources
from qcode.transcripts.synthetic import write_corpus

GOOD = "# casus: 1\n# datum: 2014-11-03\nHulpvrager (19:02): hoi\nHulpverlener (19:03): Hoi! Waar wil je over praten?\n"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample corpus, 40 generated chats, a broken file, a second copy of a file, a file
    with personal data: everything an import reports, next to what it stores."""
    root = tmp_path_factory.mktemp("in")
    shutil.copytree(SAMPLE_CORPUS, root / "sample")
    paths = write_corpus(root / "generated", 40, seed=3)
    broken = paths[0].parent / "kapot.txt"
    broken.write_text(GOOD + "Buurman Bob (19:04): wie ben jij\n", encoding="utf-8")
    (root / "generated" / "casus-9999").mkdir()
    shutil.copy(paths[1], root / "generated" / "casus-9999" / paths[1].name)
    (paths[2].parent / "privé.txt").write_text(
        GOOD + "Hulpvrager (19:05): bel me op 06-12345678\n", encoding="utf-8"
    )
    return root


def _content(project: Project) -> dict[str, Any]:
    """Everything an import stores, without the row ids (which may differ)."""
    with project.session() as session:
        return {
            "cases": corpus.case_rows(session),
            "documents": corpus.document_rows(session),
            "utterances": corpus.utterance_rows(session),
            "files": sorted(
                tuple(row)
                for row in session.execute(
                    select(SourceFile.path, SourceFile.sha256, SourceFile.fmt, SourceFile.n_documents)
                )
            ),
        }


def _report(summary: ImportSummary) -> dict[str, Any]:
    """The summary, with the import's time of day taken out of the notes."""

    def untimed(notes: list[str]) -> list[str]:
        return [re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "<time>", note) for note in notes]

    return {
        "counts": (summary.files, summary.imported, summary.documents, summary.utterances),
        "cases": sorted(summary.cases),
        "skipped": untimed(summary.skipped),
        "changed": untimed(summary.changed),
        "errors": untimed(summary.errors),
        "warnings": summary.warnings,
    }


@pytest.fixture(scope="module")
def reference(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any]]:
    project = init_project(tmp_path_factory.mktemp("reference") / "project")
    summary = import_paths(project, [folder], parallel=False)
    content = _content(project)
    project.close()
    return _report(summary), content


def _in_process_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Spy on the files the importing process reads itself (the worker's are not seen)."""
    seen: list[Path] = []
    original = importing.read_step

    def spy(source: Any, *args: Any) -> Any:
        seen.append(source.path)
        return original(source, *args)

    monkeypatch.setattr(importing, "read_step", spy)
    return seen


def test_the_reference_import_has_something_of_everything(reference: tuple[dict[str, Any], dict[str, Any]]) -> None:
    report, content = reference
    files, imported, documents, utterances = report["counts"]
    assert imported == files - 3 and documents == 18 + 40
    assert utterances == len(content["utterances"]) > 2000
    assert len(report["skipped"]) == 1 and "casus-9999" in report["skipped"][0]
    assert any("kapot.txt:5" in e and "Buurman Bob" in e for e in report["errors"])
    assert any("privé.txt:5: phone" in e for e in report["errors"])


def test_import_with_the_worker_stores_and_reports_the_same(
    project: Project, folder: Path, reference: tuple[dict[str, Any], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(import_worker, "FRAME_UTTERANCES", 300)  # several frames
    reads = _in_process_reads(monkeypatch)
    summary = import_paths(project, [folder], parallel=True)
    assert reads == []  # all of it came from the worker
    assert (_report(summary), _content(project)) == reference


def test_reimporting_with_the_worker_changes_nothing(sqlite_project: Project, folder: Path) -> None:
    first = import_paths(sqlite_project, [folder], parallel=True)
    before = _content(sqlite_project)
    second = import_paths(sqlite_project, [folder], parallel=True)
    assert second.imported == 0
    assert len(second.skipped) == first.imported + 1  # and the copy skipped the first time
    assert _content(sqlite_project) == before


def test_the_worker_steps_are_the_in_process_steps(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_worker, "FRAME_UTTERANCES", 500)
    sources = plan_sources([folder])
    at = datetime(2026, 11, 22, 9, 30)
    roles = RoleMap.default()
    frames = list(import_worker.parsed_steps(sources, KnownFiles({}, {}), roles, False, at))
    assert len(frames) > 3
    known = KnownFiles({}, {})
    expected = [read_step(source, known, roles, False, at) for source in sources]
    steps = [step for frame in frames for step in frame]
    assert [repr(s) for s in steps] == [repr(s) for s in expected]
    assert steps == expected


@pytest.mark.parametrize("python", ["no-such-python", ""])
def test_a_worker_that_cannot_start_leaves_the_import_to_this_process(
    sqlite_project: Project, folder: Path, reference: tuple[dict[str, Any], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch, python: str,
) -> None:
    monkeypatch.setattr(sys, "executable", str(folder / python) if python else python)
    reads = _in_process_reads(monkeypatch)
    summary = import_paths(sqlite_project, [folder], parallel=True)
    assert len(reads) == summary.files
    assert (_report(summary), _content(sqlite_project)) == reference


def test_a_worker_that_dies_at_once_leaves_the_import_to_this_process(
    sqlite_project: Project, folder: Path, reference: tuple[dict[str, Any], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[subprocess.Popen[bytes]] = []
    original = subprocess.Popen

    def killed_at_once(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        process = original(*args, **kwargs)
        process.kill()
        process.wait()
        started.append(process)
        return process

    monkeypatch.setattr(import_worker.subprocess, "Popen", killed_at_once)
    reads = _in_process_reads(monkeypatch)
    summary = import_paths(sqlite_project, [folder], parallel=True)
    assert started and len(reads) == summary.files
    assert (_report(summary), _content(sqlite_project)) == reference


def test_a_worker_that_stops_midway_leaves_the_rest_to_this_process(
    sqlite_project: Project, folder: Path, reference: tuple[dict[str, Any], dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker's stream ends after its first frame (as when it is killed or runs out of
    memory): the importing process reads the files left, and knows the ones already read."""
    monkeypatch.setattr(import_worker, "FRAME_UTTERANCES", 300)
    original: Callable[[IO[bytes], queue.Queue[bytes | None]], None] = import_worker._pump

    def first_frame_only(stream: IO[bytes], payloads: queue.Queue[bytes | None]) -> None:
        relay: queue.Queue[bytes | None] = queue.Queue()
        original(stream, relay)
        payloads.put(relay.get())
        payloads.put(None)

    monkeypatch.setattr(import_worker, "_pump", first_frame_only)
    reads = _in_process_reads(monkeypatch)
    summary = import_paths(sqlite_project, [folder], parallel=True)
    assert 0 < len(reads) < summary.files
    assert (_report(summary), _content(sqlite_project)) == reference


def test_the_worker_is_used_for_large_imports_on_several_cpus(
    sqlite_project: Project, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    used: list[int] = []
    original = importing.parsed_steps

    def spy(sources: Any, *args: Any) -> Any:
        used.append(len(sources))
        return original(sources, *args)

    monkeypatch.setattr(importing, "parsed_steps", spy)
    import_paths(sqlite_project, [folder / "sample"])  # 18 small files: in this process
    assert used == []
    monkeypatch.setattr(importing, "PARALLEL_MIN_BYTES", 1000)
    monkeypatch.setattr(importing, "cpu_count", lambda: 1)
    import_paths(sqlite_project, [folder / "generated"])  # one CPU: in this process
    assert used == []
    monkeypatch.setattr(importing, "cpu_count", lambda: 2)
    summary = import_paths(sqlite_project, [folder])
    assert used == [summary.files]


def test_leaving_early_stops_the_worker_and_its_pump(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An import that fails while storing (or is interrupted) must not hang on a worker that
    still has frames to send, nor leave it running."""
    monkeypatch.setattr(import_worker, "FRAME_UTTERANCES", 50)
    monkeypatch.setattr(import_worker, "QUEUED_FRAMES", 1)
    monkeypatch.setattr(import_worker, "PIPE_BYTES", 4096)  # the OS may round this up
    started: list[subprocess.Popen[bytes]] = []
    original = subprocess.Popen

    def spy(*args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        started.append(original(*args, **kwargs))
        return started[-1]

    monkeypatch.setattr(import_worker.subprocess, "Popen", spy)
    steps = import_worker.parsed_steps(
        plan_sources([folder]), KnownFiles({}, {}), RoleMap.default(), False, datetime(2026, 1, 1)
    )
    first = next(steps)
    assert len(first) > 0 and started[0].poll() is None  # more to come: the worker waits
    steps.close()
    assert started[0].poll() is not None
    assert [t.name for t in threading.enumerate() if t.name.startswith("import-worker")] == []


def _cgroup(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


@pytest.mark.parametrize(
    ("files", "cpus"),
    [
        ({"cpu.max": "100000 100000\n"}, 1),  # docker --cpus=1, cgroup v2
        ({"cpu.max": "150000 100000\n"}, 1),  # --cpus=1.5: no room for a whole second CPU
        ({"cpu.max": "max 100000\n"}, None),  # no limit
        ({"cpu/cpu.cfs_quota_us": "100000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 1),  # v1
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({"cpu.max": "nonsense"}, None),
        ({}, None),
    ],
)
def test_a_containers_cpu_quota_caps_the_cpu_count(
    tmp_path: Path, files: dict[str, str], cpus: int | None
) -> None:
    unlimited = import_worker.cpu_count(tmp_path / "none")
    counted = import_worker.cpu_count(_cgroup(tmp_path / "cgroup", files))
    assert counted == (unlimited if cpus is None else min(cpus, unlimited))
