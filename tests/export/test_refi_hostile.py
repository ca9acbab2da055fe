"""Hostile files through the commands a user types (issue 20): a message naming the file,
exit status 1, never a traceback; and the zip bomb refused before it inflates."""

from __future__ import annotations

import json
import os
import random
import re
import traceback
import uuid
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qcode.cli import main
from qcode.errors import ExportError
from qcode.export import refi_zip
from qcode.export.refi_model import ExchangeProject
from qcode.export.refi_read import read_qdpx
from qcode.export.refi_write import write_qdpx
from qcode.export.refi_xml import METADATA_NOTE, PROJECT_NS

SOURCE_GUID = str(uuid.UUID(int=1))


def _guid(number: int) -> str:
    return str(uuid.UUID(int=1000 + number))


def _project_xml(codes: str = "", notes: str = "", source: str = "") -> str:
    source = source or (
        f'<TextSource guid="{SOURCE_GUID}" name="chat-1" plainTextPath="internal://{SOURCE_GUID}.txt"/>'
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{PROJECT_NS}" name="hostile">'
        f"<CodeBook><Codes>{codes or _code(1, 'Open vraag')}</Codes></CodeBook>"
        f"<Sources>{source}</Sources><Notes>{notes}</Notes></Project>"
    )


def _code(number: int, name: str, inner: str = "") -> str:
    return f'<Code guid="{_guid(number)}" name="{name}" isCodable="true">{inner}</Code>'


def _write_qdpx(path: Path, xml: str, source_bytes: bytes | None = b"Hulpvrager: hoi\n") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        if source_bytes is not None:
            archive.writestr(f"Sources/{SOURCE_GUID}.txt", source_bytes)
    return path


def _write_zeros(path: Path, size: int, xml: str | None = None) -> Path:
    """A .qdpx whose source is ``size`` zero bytes, written in chunks (about 1 KB per MB)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml or _project_xml())
        with archive.open(f"Sources/{SOURCE_GUID}.txt", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return path


def _note(content: object) -> str:
    text = content if isinstance(content, str) else json.dumps(content)
    return (
        f'<Note guid="{_guid(999)}" name="{METADATA_NOTE}"><PlainTextContent>{text}'
        "</PlainTextContent></Note>"
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile") / "proj"
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


def _refused(result: Result, named: Path) -> str:
    """The checks every refusal shares; returns the output for the specific ones."""
    output = result.output
    assert result.exit_code == 1, output
    assert isinstance(result.exception, SystemExit), repr(result.exception)  # no traceback
    assert "Traceback" not in output
    assert str(named) in output
    return output


def _import(project: Path, path: Path) -> Result:
    return CliRunner().invoke(main, ["import-qdpx", "--project", str(project), str(path)])


# --- the zip bomb ---------------------------------------------------------------------------


def test_a_source_declaring_100_mb_is_refused_before_it_inflates(
    project: Path, tmp_path: Path
) -> None:
    bomb = _write_zeros(tmp_path / "bomb.qdpx", 100 * 1024 * 1024)
    assert bomb.stat().st_size < 1024 * 1024  # a small file...
    output = _refused(_import(project, bomb), bomb)  # ... over the default 64 MiB cap
    assert "64 MiB" in output and "nothing imported" in output


def test_the_cap_applies_to_the_bytes_read_when_the_declared_size_lies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refi_zip, "MAX_SOURCE_BYTES", 1024 * 1024)
    path = _write_zeros(tmp_path / "liar.qdpx", 3 * 1024 * 1024)
    with pytest.raises(ExportError, match="inflates to more than 1 MiB"):
        read_qdpx(path)
    # Now the directory claims 10 bytes: zipfile stops there and its CRC check fails, so
    # the member is refused as damaged rather than read in full.
    data = bytearray(path.read_bytes())
    name = f"Sources/{SOURCE_GUID}.txt".encode()
    entry = data.rindex(name) - 46  # the central directory record holding the name
    assert data[entry : entry + 4] == b"PK\x01\x02"
    data[entry + 24 : entry + 28] = (10).to_bytes(4, "little")  # uncompressed size
    liar = tmp_path / "liar2.qdpx"
    liar.write_bytes(bytes(data))
    with pytest.raises(ExportError, match="damaged zip member"):
        read_qdpx(liar)


def test_a_project_file_over_its_cap_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(refi_zip, "MAX_PROJECT_BYTES", 100)
    path = _write_qdpx(tmp_path / "big.qdpx", _project_xml())
    with pytest.raises(ExportError, match=r"big\.qdpx!project\.qde: inflates"):
        read_qdpx(path)


def test_a_damaged_zip_is_a_message(project: Path, tmp_path: Path) -> None:
    path = _write_qdpx(tmp_path / "broken.qdpx", _project_xml())
    data = bytearray(path.read_bytes())
    start = data.index(b"Hulpvrager") if b"Hulpvrager" in data else 60
    data[start : start + 8] = b"\xff" * 8  # corrupt compressed bytes
    path.write_bytes(bytes(data))
    _refused(_import(project, path), path)


def test_a_nul_byte_in_a_source_is_stored_as_a_replacement(project: Path, tmp_path: Path) -> None:
    path = _write_qdpx(tmp_path / "nul.qdpx", _project_xml(), b"Hulpvrager: h\x00i\n")
    result = _import(project, path)
    assert result.exit_code == 0, result.output
    assert "Imported 1 documents" in result.output and "U+FFFD" in result.output


def test_a_storage_refusal_is_a_message_naming_the_file(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.exc import DataError

    from qcode.services import exchange as exchange_service

    def refuse(*args: object, **kwargs: object) -> None:
        raise DataError("INSERT", {}, ValueError("value too long for type text"))

    monkeypatch.setattr(exchange_service.corpus, "store_sources", refuse)
    path = _write_qdpx(tmp_path / "refused.qdpx", _project_xml(source=(
        f'<TextSource guid="{_guid(77)}" name="other"><PlainTextContent>hoi</PlainTextContent>'
        "</TextSource>"
    )))
    output = _refused(_import(project, path), path)
    assert "value too long" in output and "none were stored" in output


# --- tracebacks elsewhere ------------------------------------------------------------------


def test_a_code_tree_1200_levels_deep_imports(project: Path, tmp_path: Path) -> None:
    codes = ""
    for number in range(1200, 0, -1):
        codes = _code(5000 + number, f"niveau {number}", codes)
    path = _write_qdpx(tmp_path / "deep.qdpx", _project_xml(codes=codes))
    result = _import(project, path)
    assert result.exit_code == 0, result.output
    assert "1200 new codes" in result.output  # every level is a code of group "niveau 1"


@pytest.mark.parametrize(
    ("note", "named"),
    [
        ({"codes": []}, "'codes' must be an object"),
        ({"codes": {_guid(1): "x"}}, f"'codes.{_guid(1)}' must be an object"),
        ({"codes": {_guid(1): {"automatic": "yes"}}}, "automatic' must be true or false"),
        ({"codebook": []}, "'codebook' must be an object"),
        ({"codebook": {"groups": [["a"]]}}, "'codebook.groups' must be a list"),
        ({"codebook": {"name": 5}}, "'codebook.name' must be text"),
        ({"coders": "anna"}, "'coders' must be a list"),
        ({"coders": [{"x": 1}]}, "'coders' must be a list"),
        ({"documents": {SOURCE_GUID: {"utterances": [[0, "client"]]}}}, "must be a list of 11"),
        ({"documents": {SOURCE_GUID: {"utterances": {}}}}, "utterances' must be a list"),
        ({"documents": {SOURCE_GUID: {"key": ["x"]}}}, "key' must be text"),
        ({"codings": {"x": {"origin": 3}}}, "'codings.x.origin' must be text"),
        ([1, 2], "must hold a JSON object"),
        ("{not json", "not valid JSON"),
    ],
)
def test_a_damaged_metadata_note_is_a_message(
    project: Path, tmp_path: Path, note: object, named: str
) -> None:
    path = _write_qdpx(tmp_path / "note.qdpx", _project_xml(notes=_note(note)))
    output = _refused(_import(project, path), path)
    assert named in output and METADATA_NOTE in output


def test_a_metadata_note_with_bool_for_a_number_is_refused(tmp_path: Path) -> None:
    turn = [True, "client", "Hulpvrager", None, 0, 3, 1, False, False, "", ""]
    note = {"documents": {SOURCE_GUID: {"utterances": [turn]}}}
    path = _write_qdpx(tmp_path / "bool.qdpx", _project_xml(notes=_note(note)))
    with pytest.raises(ExportError, match=r"utterances\[0\]\[0\]' must be a whole number"):
        read_qdpx(path)


def test_agreement_data_with_a_cell_over_the_csv_limit_is_a_message(tmp_path: Path) -> None:
    data = tmp_path / "ratings.csv"
    data.write_text("unit,anna,bram\nu1,1,2\nu2," + "x" * 200_000 + ",1\n", encoding="utf-8")
    output = _refused(CliRunner().invoke(main, ["agreement", "--data", str(data)]), data)
    assert f"{data}:3:" in output and "longer than 131,072" in output


def test_agreement_data_with_a_long_quoted_header_is_read_quickly(tmp_path: Path) -> None:
    from tests.transcripts.hostile import time_limit

    data = tmp_path / "ratings.csv"
    data.write_text("unit" + ',"a' * 8000 + "\nu1,1\n", encoding="utf-8")
    with time_limit(2.0):
        result = CliRunner().invoke(main, ["agreement", "--data", str(data)])
    _refused(result, data)  # ragged rows: a clean message, and no 7 s of sniffing first


def test_a_codebook_nested_5000_deep_is_a_message(project: Path, tmp_path: Path) -> None:
    book = tmp_path / "diep.yaml"
    book.write_text("id: diep\nname: Diep\nversion: '1'\ngroups: " + "[" * 5000 + "]" * 5000
                    + "\ncodes: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["codes", "load", "--project", str(project), str(book)])
    output = _refused(result, book)
    assert f"{book}:4" in output and "nested more than" in output


# --- a small fuzz of the .qdpx reader -------------------------------------------------------

QDPX_FUZZ_CASES = int(os.environ.get("QCODE_QDPX_FUZZ_CASES", "300"))
_NASTY_XML = (
    b'"', b"<", b">", b"&", b"&amp;", b"]]>", b"<!--", b"-1", b"99999999999999999999", b"1e3",
    b"{", b"}", b"[", b"]", b'"x"', b"null", b"true", b"0", b"\xff", b"\xc3", b"&#0;",
    b"&#xD800;", b"9999-12-31T23:59:59-05:00", b"internal://../../etc/passwd", b"#zzzzzz",
    b'<Code guid="a" name="x"/>', b"</Codes>", b"<PlainTextSelection startPosition='5'/>",
)


def _mutate_xml(rng: random.Random, data: bytes) -> bytes:
    for _ in range(rng.choice((1, 2, 4))):
        position = rng.randrange(len(data) + 1)
        kind = rng.randrange(4)
        if kind == 0:
            data = data[:position] + rng.choice(_NASTY_XML) + data[position:]
        elif kind == 1:
            data = data[:position] + data[position + rng.randrange(1, 40):]
        elif kind == 2 and data:
            data = data[:position] + bytes([rng.randrange(256)]) + data[position + 1:]
        else:  # a number where the note or an attribute holds one
            data = re.sub(rb"\d+", lambda m: rng.choice((b"-5", b"x", b"1.5", m[0] * 3)),
                          data, count=rng.randrange(1, 4))
    return data


def test_mutated_qdpx_files_read_or_give_a_message(
    exchange: ExchangeProject, tmp_path: Path
) -> None:
    """Every mutant of a qcode export reads or raises ExportError, never another exception."""
    original = tmp_path / "original.qdpx"
    write_qdpx(exchange, original)
    with zipfile.ZipFile(original) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    rng = random.Random(20)
    failures = []
    for case in range(QDPX_FUZZ_CASES):
        mutated = dict(members)
        name = rng.choice([n for n in members if n.endswith(".qde")] * 3 + list(members))
        mutated[name] = _mutate_xml(rng, members[name])
        path = tmp_path / f"case-{case}.qdpx"
        with zipfile.ZipFile(path, "w") as archive:
            for member, data in mutated.items():
                archive.writestr(member, data)
        try:
            read_qdpx(path)
        except ExportError:
            pass
        except Exception:  # exactly what the test is for
            failures.append(f"case {case} ({name}):\n{traceback.format_exc(limit=-4)}")
        path.unlink()
    assert not failures, "\n".join(failures[:10])
