"""qcode.toml as users break it, through the command line: a message naming the setting, exit 1,
never a traceback; and the half-made things (init, mistyped paths, typed coder names) refused."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from qcode.cli import main
from qcode.config import load_settings, save_settings

GOOD = 'name = "studie"\n'


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("settings") / "template"
    result = CliRunner().invoke(main, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "project"
    shutil.copytree(template, folder)
    return folder


@pytest.fixture(autouse=True)
def _no_database_override(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("QCODE_DATABASE_URL", raising=False)
    yield


def _cases(project: Path) -> Result:
    return CliRunner().invoke(main, ["cases", "--project", str(project)])


def _refused(result: Result, *needles: str, code: int = 1) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    for needle in needles:
        assert needle in result.output, (needle, result.output)


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (b'name = "st\xe9die"\n', ["qcode.toml:1", "not UTF-8", "0xe9"]),
        (b"# ok\n\nname = 'x'\n\xff\xfe\n", ["qcode.toml:4", "not UTF-8"]),
        (b"database = 5\n", ["'database'", "text in quotes", "a number 5"]),
        (b'roles = "x"\n', ["'roles'", "a table", "text 'x'"]),
        (b'[roles]\n"Sanne" = 5\n', ["'roles.Sanne'", "text in quotes", "a number 5"]),
        (b'[roles]\n"Sanne" = "baas"\n', ["Sanne", "counsellor, client or system"]),
        (b'typing_chars_per_minute = "fast"\n', ["'typing_chars_per_minute'", "a number", "'fast'"]),
        (b"typing_chars_per_minute = -3\n", ["'typing_chars_per_minute'", "-3"]),
        (b"typing_chars_per_minute = true\n", ["'typing_chars_per_minute'", "true/false"]),
        (b"acronyms = " + b"[" * 3000 + b"]" * 3000 + b"\n", ["nested too deeply"]),
        (b'acronyms = "ABC"\n', ["'acronyms'", "a list of words", "text 'ABC'", 'acronyms = ["GGD", "UWV"]']),
        (b"acronyms = [1, 2]\n", ["'acronyms'", "a number 1"]),
        (b'database = "oracle://scott@db/orcl"\n', ["setting 'database'", "'oracle'", "postgresql"]),
        (b'database = "nonsense"\n', ["setting 'database'", "not a database URL"]),
        (b"name = \n", ["not valid TOML", "line 1"]),
        (b'nmae = "x"\n', ["unknown setting(s) nmae"]),
        (b"[keys]\nnext = 3\n", ["'keys.next'"]),
    ],
    ids=[
        "latin1", "late-bad-byte", "database-number", "roles-text", "role-number", "role-unknown",
        "speed-text", "speed-negative", "speed-bool", "deep-arrays", "acronyms-text",
        "acronyms-numbers", "oracle", "not-a-url", "bad-toml", "typo", "key-number",
    ],
)
def test_a_broken_setting_is_named_in_a_message(project: Path, content: bytes, needles: list[str]) -> None:
    (project / "qcode.toml").write_bytes(content)
    _refused(_cases(project), "qcode.toml", *needles)


def test_a_byte_order_mark_is_accepted(project: Path) -> None:
    # Notepad on Windows saves UTF-8 with a BOM; it is not part of the settings.
    (project / "qcode.toml").write_bytes("\ufeffname = \"Klik voor hulp\"\nacronyms = [\"GGD\"]\n".encode())
    result = _cases(project)
    assert result.exit_code == 0, result.output
    assert load_settings(project).acronyms == ["GGD"]
    assert load_settings(project).name == "Klik voor hulp"


def test_acronyms_are_a_list_of_words(project: Path) -> None:
    (project / "qcode.toml").write_text('acronyms = ["ABC", "GGD"]\n', encoding="utf-8")
    assert load_settings(project).acronyms == ["ABC", "GGD"]


def test_a_user_comment_survives_a_write(project: Path) -> None:
    text = (
        "# Studie Klik voor hulp, instellingen van Marieke\n"
        'name = "klik"  # zoals in de exports\n'
        "\n[roles]\n# de hulpverleners van 2014\n\"Sanne\" = \"counsellor\"\n"
    )
    (project / "qcode.toml").write_text(text, encoding="utf-8")
    settings = load_settings(project)
    settings.acronyms = ["GGD"]
    settings.roles["Bram"] = "counsellor"
    save_settings(project, settings)
    written = (project / "qcode.toml").read_text(encoding="utf-8")
    assert "# Studie Klik voor hulp, instellingen van Marieke" in written
    assert 'name = "klik"  # zoals in de exports' in written
    assert "# de hulpverleners van 2014" in written
    again = load_settings(project)
    assert again.acronyms == ["GGD"] and again.roles == {"Sanne": "counsellor", "Bram": "counsellor"}
    assert (project / "qcode.toml").stat().st_mode & 0o777 == 0o600


# --- init is all or nothing -------------------------------------------------------------------


def test_a_refused_codebook_leaves_nothing_and_a_second_init_works(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("codes:\n  - name: [niet, goed\n", encoding="utf-8")
    folder = tmp_path / "study"
    first = CliRunner().invoke(main, ["init", str(folder), "--codebook", str(bad)])
    _refused(first, "bad.yaml")
    assert not (folder / "qcode.toml").exists()
    assert not (folder / "qcode.sqlite3").exists()
    assert not folder.exists()
    second = CliRunner().invoke(main, ["init", str(folder)])
    assert second.exit_code == 0, second.output
    assert (folder / "qcode.toml").exists() and (folder / "qcode.sqlite3").exists()
    codes = CliRunner().invoke(main, ["codes", "list", "--project", str(folder), "--format", "json"])
    assert codes.exit_code == 0 and "open_vraag" in codes.output


def test_a_refused_init_in_an_existing_folder_keeps_that_folder(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just a list\n", encoding="utf-8")
    _refused(CliRunner().invoke(main, ["init", str(folder), "--codebook", str(bad)]))
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_opening_never_creates_a_database(project: Path, tmp_path: Path) -> None:
    typo = tmp_path / "mistyped" / "folder" / "klik.sqlite3"
    (project / "qcode.toml").write_text(f'database = "sqlite:///{typo}"\n', encoding="utf-8")
    _refused(_cases(project), "There is no database file", str(typo), "qcode init")
    assert not (tmp_path / "mistyped").exists()


def test_opening_without_the_default_database_file_refuses(project: Path) -> None:
    (project / "qcode.sqlite3").unlink()
    _refused(_cases(project), "There is no database file")
    assert not (project / "qcode.sqlite3").exists()


def test_overlap_must_be_a_share(project: Path) -> None:
    result = CliRunner().invoke(main, ["agreement", "--project", str(project), "--coders", "a,b", "--overlap", "7"])
    _refused(result, "--overlap", "0<=x<=1", code=2)


# --- passwords ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://anna:geheim42@db.example.org/klik",
        "postgresql://anna@db.example.org/klik?password=geheim42",
        "postgresql+psycopg://anna@db.example.org/klik?sslmode=require&Password=geheim42",
        "postgresql://anna:ge%40heim42@db.example.org/klik",
    ],
    ids=["userinfo", "query", "query-case", "encoded"],
)
def test_init_refuses_a_password_before_writing(tmp_path: Path, url: str) -> None:
    folder = tmp_path / "team"
    result = CliRunner().invoke(main, ["init", str(folder), "--database", url])
    _refused(result, "contains a password", "PGPASSWORD")
    assert "geheim42" not in result.output and "heim42" not in result.output
    assert not folder.exists()


def test_init_refuses_a_password_in_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_DATABASE_URL", "postgresql://anna:geheim42@db.example.org/klik")
    folder = tmp_path / "team"
    result = CliRunner().invoke(main, ["init", str(folder)])
    _refused(result, "QCODE_DATABASE_URL", "contains a password")
    assert "geheim42" not in result.output
    assert not (folder / "qcode.toml").exists()


@pytest.mark.parametrize(
    "url",
    ["postgresql://anna:geheim42@db.example.org/klik", "postgresql://anna@db.example.org/klik?password=geheim42"],
)
def test_a_password_in_the_settings_or_environment_is_refused_and_hidden(
    project: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    (project / "qcode.toml").write_text(f'database = "{url}"\n', encoding="utf-8")
    result = _cases(project)
    _refused(result, "setting 'database'", "contains a password")
    assert "geheim42" not in result.output
    (project / "qcode.toml").write_text(GOOD, encoding="utf-8")
    monkeypatch.setenv("QCODE_DATABASE_URL", url)
    result = _cases(project)
    _refused(result, "QCODE_DATABASE_URL", "contains a password")
    assert "geheim42" not in result.output


def test_a_connection_error_shows_no_password(tmp_path: Path) -> None:
    # copy-project may use a password for the one copy; its connection error must hide it.
    folder = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(folder)]).exit_code == 0
    url = "postgresql://anna:geheim42@127.0.0.1:9/klik?password=geheim42&connect_timeout=2"
    result = CliRunner().invoke(main, ["copy-project", "--project", str(folder), "--to", url])
    _refused(result, "127.0.0.1")
    assert "geheim42" not in result.output
    assert "geheim42" not in (folder / "qcode.toml").read_text(encoding="utf-8")


def test_an_unknown_driver_in_the_environment_is_a_message(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCODE_DATABASE_URL", "oracle://scott@db/orcl")
    _refused(_cases(project), "QCODE_DATABASE_URL", "'oracle'")


# --- coders --------------------------------------------------------------------------------------


def test_an_unknown_coder_is_refused_with_a_suggestion(project: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["coders", "--project", str(project), "--add", "anna"]).exit_code == 0
    assert runner.invoke(main, ["coders", "--project", str(project), "--add", "bram"]).exit_code == 0
    typo = runner.invoke(main, ["code", "--project", str(project), "x/y", "Open vraag", "--utterance", "1", "--coder", "ana"])
    _refused(typo, "No coder 'ana'", "did you mean 'anna'?", "qcode coders --add ana", code=2)
    listed = runner.invoke(main, ["coders", "--project", str(project)])
    assert "ana " not in listed.output.replace("anna", "")
    stranger = runner.invoke(main, ["code", "--project", str(project), "x/y", "Open vraag", "--utterance", "1", "--coder", "zoë"])
    _refused(stranger, "No coder 'zoë'", "qcode coders --add", code=2)
    assert "did you mean" not in stranger.output


def test_copy_project_to_an_unknown_driver_is_a_message(project: Path) -> None:
    result = CliRunner().invoke(main, ["copy-project", "--project", str(project), "--to", "oracle://scott@db/orcl"])
    _refused(result, "oracle")


def test_a_copy_target_password_is_never_stored() -> None:
    from qcode.services.team import storable_url

    stored = storable_url("postgresql://anna:geheim42@db/klik?sslmode=require&password=geheim42", Path("."))
    assert stored == "postgresql://anna@db/klik?sslmode=require"
