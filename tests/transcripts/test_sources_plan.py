"""plan_sources: folder walking, case folders, the cases.csv manifest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from qcode.errors import TranscriptParseError
from qcode.transcripts import sources
from qcode.transcripts.model import Channel
from qcode.transcripts.sources import plan_sources


def touch(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_case_folders_and_skipped_files(tmp_path: Path) -> None:
    touch(tmp_path / "casus-2" / "chat-b.txt")
    touch(tmp_path / "casus-1" / "mail.txt")
    touch(tmp_path / "casus-1" / "chat-a.txt")
    touch(tmp_path / "los.txt")
    touch(tmp_path / ".verborgen" / "x.txt")
    touch(tmp_path / "casus-1" / ".DS_Store")
    touch(tmp_path / "README.md")
    touch(tmp_path / "casus-1" / "~$lock.docx")
    plan = plan_sources([tmp_path])
    assert [(s.path.relative_to(tmp_path).as_posix(), s.case_key) for s in plan] == [
        ("casus-1/chat-a.txt", "casus-1"),
        ("casus-1/mail.txt", "casus-1"),
        ("casus-2/chat-b.txt", "casus-2"),
        ("los.txt", None),
    ]


def test_single_file_and_duplicates(tmp_path: Path) -> None:
    file = touch(tmp_path / "c" / "chat.txt")
    plan = plan_sources([file, tmp_path], fmt="chat")
    assert len(plan) == 1 and plan[0].case_key is None and plan[0].fmt == "chat"


def test_manifest_found_in_folder_wins_over_case_folder(tmp_path: Path) -> None:
    touch(tmp_path / "map" / "a.txt")
    touch(tmp_path / "map" / "b.txt")
    touch(
        tmp_path / "cases.csv",
        "path,case_id,channel,date,leeftijd,regio\n"
        "map/a.txt,17,chat,2014-11-03,16,Noord\n"
        "map/b.txt,17,e-mail,,,\n",
    )
    plan = plan_sources([tmp_path])
    assert [s.path.name for s in plan] == ["a.txt", "b.txt"]
    a, b = plan
    assert (a.case_key, a.channel, a.date) == ("17", Channel.CHAT, dt.date(2014, 11, 3))
    assert dict(a.attributes) == {"leeftijd": "16", "regio": "Noord"}
    assert (b.case_key, b.channel, b.date) == ("17", Channel.EMAIL, None)
    assert dict(b.attributes) == {"leeftijd": "16", "regio": "Noord"}  # same case


def test_explicit_manifest_and_no_paths(tmp_path: Path) -> None:
    touch(tmp_path / "data" / "x.txt")
    manifest = touch(tmp_path / "lijst.csv", "path;case_id\ndata/x.txt;9\n")
    plan = plan_sources([], manifest=manifest)
    assert [(s.path.name, s.case_key) for s in plan] == [("x.txt", "9")]


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        ("path,case_id\na.txt,1\nontbreekt.txt,2\n", 3, "not found"),
        ("path,case_id\na.txt,\n", 2, "case_id"),
        ("path,case_id,channel\na.txt,1,fax\n", 2, "channel"),
        ("path,case_id,channel,date\na.txt,1,chat,3-11-2014\n", 2, "date"),
        ("path,case_id\n\na.txt,1,extra\n", 3, "fields"),
        # a cell past the csv module's field limit (131,072 characters): that line's error
        ("path,case_id,notitie\na.txt,1,ok\na.txt,1,\"" + "x" * 140_000 + "\"\n", 3, "cannot read this row"),
    ],
)
def test_bad_manifest_rows_name_line(
    tmp_path: Path, content: str, line: int, fragment: str
) -> None:
    touch(tmp_path / "a.txt")
    manifest = touch(tmp_path / "cases.csv", content)
    with pytest.raises(TranscriptParseError) as info:
        plan_sources([tmp_path / "a.txt"], manifest=manifest)
    assert info.value.path == str(manifest) and info.value.line == line
    assert fragment in info.value.reason


def test_conflicting_case_attributes_are_error(tmp_path: Path) -> None:
    touch(tmp_path / "a.txt")
    touch(tmp_path / "b.txt")
    touch(tmp_path / "cases.csv", "path,case_id,leeftijd\na.txt,1,16\nb.txt,1,17\n")
    with pytest.raises(TranscriptParseError) as info:
        plan_sources([tmp_path])
    assert info.value.line == 3 and "leeftijd" in info.value.reason


def test_manifest_without_case_id_column(tmp_path: Path) -> None:
    manifest = touch(tmp_path / "cases.csv", "path,casus\n")
    with pytest.raises(TranscriptParseError) as info:
        plan_sources([], manifest=manifest)
    assert info.value.line == 1


def test_missing_path_is_error(tmp_path: Path) -> None:
    with pytest.raises(TranscriptParseError):
        plan_sources([tmp_path / "bestaat-niet"])


def _walk_by_rglob(folder: Path) -> list[tuple[Path, Path]]:
    """The plain reading of _walk's contract, with pathlib (the reference it must match)."""
    def skipped(path: Path) -> bool:
        name = path.name
        if name == "cases.csv" or name.upper().startswith("README") or name.startswith("~$"):
            return True
        return any(part.startswith(".") for part in path.relative_to(folder).parts)

    return [(p, p.resolve()) for p in sorted(folder.rglob("*")) if p.is_file() and not skipped(p)]


def test_walk_lists_what_rglob_lists(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for name in [
        "a/b/chat.txt", "a-b/x.txt", "a/b-c.txt", "a/b.txt", "A/z.txt", "top.txt",
        ".verborgen/chat.txt", "a/.chat.txt", "a/README.md", "a/readme-eerst.txt",
        "a/~$lock.docx", "a/cases.csv", "é/ü.txt", "a/b/c/d/e.txt", "z z/y y.txt",
    ]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "elders"
    (outside / "sub").mkdir(parents=True)
    (outside / "sub" / "in-link.txt").write_text("x", encoding="utf-8")
    (outside / "file.txt").write_text("x", encoding="utf-8")
    (root / "link-naar-map").symlink_to(outside / "sub", target_is_directory=True)
    (root / "a" / "link.txt").symlink_to(outside / "file.txt")
    (root / "a" / "kapotte-link.txt").symlink_to(outside / "bestaat-niet.txt")
    via_link = tmp_path / "via"
    via_link.symlink_to(root, target_is_directory=True)
    for folder in (root, via_link, Path(str(root) + "/a/..")):
        got = sources._walk(folder)
        assert got == _walk_by_rglob(folder)
        assert len(got) == 10  # the link to a file is read, the linked folder is not entered
