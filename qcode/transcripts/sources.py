"""Decide which files an import reads and which case each belongs to.

Case grouping, strongest first: a row of the ``cases.csv`` manifest; the case folder (a
file's parent folder, when that lies below a folder given to the import); then what the
reader finds in the file itself (a ``# casus:`` header or a ``case_id`` column).
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qcode.errors import TranscriptParseError
from qcode.transcripts.delimited import delimited_rows
from qcode.transcripts.encoding import decode_bytes
from qcode.transcripts.headers import parse_channel
from qcode.transcripts.model import Channel, FrozenMap

MANIFEST_NAME = "cases.csv"
_MANIFEST_FIELDS = ("path", "case_id", "channel", "date")


@dataclass(frozen=True)
class SourceFile:
    """One file to import, with what the folder layout or the manifest says about it."""

    path: Path
    case_key: str | None
    """From the case folder or the manifest; None lets the reader decide."""
    fmt: str | None
    """A forced format name (see ``registry.FORMATS``), or None to sniff."""
    channel: Channel | None = None
    date: datetime.date | None = None
    attributes: Mapping[str, str] = field(default_factory=dict)
    """Case attributes from the manifest."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "attributes", FrozenMap(self.attributes))


@dataclass(frozen=True)
class _ManifestRow:
    line: int
    case_id: str
    channel: Channel | None
    date: datetime.date | None
    attributes: dict[str, str]


def _is_skipped_name(name: str) -> bool:
    return name == MANIFEST_NAME or name.upper().startswith("README") or name.startswith("~$")


def _walk(folder: Path, problems: list[str] | None = None) -> list[tuple[Path, Path]]:
    """(path, resolved path) of every file below ``folder`` that an import reads, sorted.

    A folder that cannot be opened (no permission, removed meanwhile) is passed over, as
    ``rglob`` does, but named in ``problems``: its files are not imported, and the user must
    hear so.

    The same files, in the same order, as ``sorted(p for p in folder.rglob("*") if
    p.is_file())`` minus skipped names and anything inside or named like a hidden (dot) entry;
    symlinked folders are not entered (as ``rglob`` does not). Built on ``os.scandir`` so
    that a folder of 10,000 chats costs no ``stat`` per file (the directory entry knows its
    type), and resolved from the folder's own resolved path: ``Path.resolve`` walks every
    component of every path again (tests/transcripts/test_sources_plan.py compares both).
    """
    found: list[tuple[tuple[str, ...], bool]] = []
    pending: list[tuple[str, tuple[str, ...]]] = [(str(folder), ())]
    while pending:
        directory, parts = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError as error:
            if problems is not None:
                problems.append(
                    f"{directory}: cannot open folder ({error.strerror or error}); "
                    "the files in it were not imported"
                )
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir() and not entry.is_symlink():
                pending.append((entry.path, (*parts, entry.name)))
            elif entry.is_file() and not _is_skipped_name(entry.name):
                found.append(((*parts, entry.name), entry.is_symlink()))
    found.sort()  # by path components: the order Path comparison gives
    root = folder.resolve()
    walked = []
    for parts, link in found:
        path = folder.joinpath(*parts)
        walked.append((path, path.resolve() if link else root.joinpath(*parts)))
    return walked


def read_manifest(manifest: Path) -> dict[Path, _ManifestRow]:
    """Read ``cases.csv``: resolved document path -> its row.

    Raises:
        TranscriptParseError: The file is missing a required column, or a row names no file,
            a file that does not exist, an unknown channel, a bad date, or gives one case
            two different values of an attribute.
    """
    try:
        text = decode_bytes(manifest.read_bytes(), manifest)
    except OSError as exc:
        raise TranscriptParseError(manifest, None, f"cannot read manifest: {exc}") from None
    header, rows_read = delimited_rows(text, manifest)
    for required in ("path", "case_id"):
        if required not in header:
            raise TranscriptParseError(manifest, 1, f"manifest has no '{required}' column")
    rows: dict[Path, _ManifestRow] = {}
    case_attributes: dict[str, dict[str, str]] = {}
    for read in rows_read:
        line = read.line
        row = {k: v.strip() for k, v in read.values.items()}
        if not row["path"] or not row["case_id"]:
            raise TranscriptParseError(manifest, line, "row needs both a path and a case_id")
        target = (manifest.parent / row["path"]).resolve()
        if not target.is_file():
            raise TranscriptParseError(manifest, line, f"file not found: {row['path']}")
        date = None
        if row.get("date"):
            try:
                date = datetime.date.fromisoformat(row["date"])
            except ValueError:
                raise TranscriptParseError(
                    manifest, line, f"invalid date '{row['date']}'; use YYYY-MM-DD"
                ) from None
        channel = parse_channel(row["channel"], manifest, line) if row.get("channel") else None
        attributes = {k: v for k, v in row.items() if k not in _MANIFEST_FIELDS}
        known = case_attributes.setdefault(row["case_id"], {})
        for key, value in attributes.items():
            if value and known.setdefault(key, value) != value:
                raise TranscriptParseError(
                    manifest, line,
                    f"case '{row['case_id']}' has {key} = '{known[key]}' in an earlier row "
                    f"and '{value}' here",
                )
        if target in rows and rows[target].case_id != row["case_id"]:
            raise TranscriptParseError(
                manifest, line, f"{row['path']} is listed twice with different cases"
            )
        rows[target] = _ManifestRow(line, row["case_id"], channel, date, attributes)
    for row_ in rows.values():  # complete each row with attributes given on other rows
        for key, value in case_attributes[row_.case_id].items():
            if not row_.attributes.get(key):
                row_.attributes[key] = value
    return rows


def plan_sources(
    paths: Sequence[Path],
    manifest: Path | None = None,
    fmt: str | None = None,
    problems: list[str] | None = None,
) -> list[SourceFile]:
    """List the files to import, each with its case key where the layout or manifest says.

    Folders are walked recursively in sorted order, skipping hidden files and folders,
    ``cases.csv``, ``README*`` and Office lock files (``~$...``). A ``cases.csv`` at the top of
    a given folder is used as manifest unless one is passed. With no paths, the manifest's own
    files are planned. Folders that cannot be opened are named in ``problems``.

    Raises:
        TranscriptParseError: A path does not exist, or the manifest is invalid.
    """
    planned: list[tuple[Path, Path, str | None]] = []
    manifests: list[Path] = [manifest] if manifest is not None else []
    for given in paths:
        if given.is_dir():
            if manifest is None and (given / MANIFEST_NAME).is_file():
                manifests.append(given / MANIFEST_NAME)
            for file, resolved_file in _walk(given, problems):
                folder_case = file.parent.name if file.parent != given else None
                planned.append((file, resolved_file, folder_case))
        elif given.is_file():
            planned.append((given, given.resolve(), None))
        else:
            raise TranscriptParseError(given, None, "no such file or folder")
    rows: dict[Path, _ManifestRow] = {}
    for found in manifests:
        rows.update(read_manifest(found))
    if not paths:
        planned = [(p, p, None) for p in sorted(rows)]
    sources: list[SourceFile] = []
    seen: set[Path] = set()
    for file, resolved, folder_case in planned:
        if resolved in seen:
            continue
        seen.add(resolved)
        row = rows.get(resolved)
        if row is None:
            sources.append(SourceFile(file, folder_case, fmt))
        else:
            sources.append(
                SourceFile(file, row.case_id, fmt, row.channel, row.date, row.attributes)
            )
    return sources
