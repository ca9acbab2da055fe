"""The privacy gate on a generated test set (issue 20): at least 98 % of planted items of every
form refused, no clean chat flagged; plus the forms and traps the issue names one by one."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from click.testing import CliRunner

from qcode.transcripts.privacy import Finding, scan_document, scan_personal_data
from tests.transcripts import privacy_testset as testset


def _refused_share(chats: list[testset.Chat]) -> dict[str, tuple[int, int]]:
    per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    for chat in chats:
        per[chat.form][1] += 1
        per[chat.form][0] += bool(scan_document(chat.document()))
    return {form: (hit, total) for form, (hit, total) in per.items()}


def test_the_generated_set_has_every_form_and_one_item_per_chat() -> None:
    planted, clean = testset.generate()
    assert len(planted) == testset.PLANTED_CHATS and len(clean) == testset.CLEAN_CHATS
    assert {c.form for c in planted} == set(testset.PLANTED)
    for chat in planted:
        assert sum(chat.item in text for _, _, text in chat.turns) == 1, chat.key
    assert testset.generate() == (planted, clean)  # fixed seed: the same set every run


@pytest.mark.parametrize("seed", [testset.SEED, 7, 8])
def test_the_gate_refuses_planted_items_of_every_form(seed: int) -> None:
    planted, _ = testset.generate(seed)
    shares = _refused_share(planted)
    low = {form: f"{hit}/{total}" for form, (hit, total) in shares.items() if hit < 0.98 * total}
    assert low == {}


@pytest.mark.parametrize("seed", [testset.SEED, 7, 8])
def test_the_gate_flags_no_clean_chat(seed: int) -> None:
    _, clean = testset.generate(seed)
    flagged = {c.key: scan_document(c.document()) for c in clean}
    assert {key: found for key, found in flagged.items() if found} == {}


@pytest.mark.parametrize(
    ("text", "kind", "excerpt"),
    [
        ("mail J.JANSEN@ziggo.nl maar", "email", "J.JANSEN@ziggo.nl"),
        ("mail NAAM@ziggo.nl", "email", "NAAM@ziggo.nl"),
        ("mail PETRA@HOTMAIL.COM", "email", "PETRA@HOTMAIL.COM"),
        ("bel (06) 12345678 ok", "phone", "(06) 12345678"),
        ("bel (020) 1234567 ok", "phone", "(020) 1234567"),
        ("bel 020 - 123 45 67 ok", "phone", "020 - 123 45 67"),
        ("bel +32 470 12 34 56", "phone", "+32 470 12 34 56"),
        ("postcode 1234 ab", "postcode", "1234 ab"),
        ("ik woon in 1234ab", "postcode", "1234ab"),
        ("het is 2014ok", "postcode", "2014ok"),
        ("mijn postcode is 1234 en dat", "postcode", "1234 en"),
        ("bsn 111.222.333", "bsn", "111.222.333"),
        ("bsn 111 222 333", "bsn", "111 222 333"),
        ("bsn 1112.22.333 graag", "bsn", "1112.22.333"),
        ("ik woon aan het Molenpad 3", "address", "Molenpad 3"),
        ("ik woon in de Kerksteeg 12a", "address", "Kerksteeg 12a"),
        ("op de Vismarkt 4", "address", "Vismarkt 4"),
        ("Zeedijk 101", "address", "Zeedijk 101"),
        ("bij de Prinsengracht 263", "address", "Prinsengracht 263"),
        ("ik woon Kerkhof 3 in PLAATS", "address", "Kerkhof 3"),
        ("kerkhof 3a", "address", "kerkhof 3a"),
    ],
)
def test_what_the_gate_missed_before(text: str, kind: str, excerpt: str) -> None:
    assert scan_personal_data(text) == [Finding(1, kind, excerpt)]


@pytest.mark.parametrize("postcode", ["1234 ab", "1234 OK", "1234 en"])
def test_a_postcode_after_an_address_is_found_too(postcode: str) -> None:
    found = scan_personal_data(f"Dorpsweg 3, {postcode} PLAATS")
    assert [(f.kind, f.excerpt) for f in found] == [("address", "Dorpsweg 3"), ("postcode", postcode)]


@pytest.mark.parametrize(
    "text",
    [
        "op de snelweg 2", "op de snelweg 2 uur", "Snelweg 2 keer", "het was 2014 OK", "in 2014 ok",
        "ik zit in groep 8", "bus 12", "sinds 1990 en daarna", "in 2014 en 2015", "ik fiets 1500 km",
        "1500km per jaar", "IK BEN SINDS 2014 IN DE WAR", "om 19:30 en 21.15 uur", "ik ben 16",
        "€ 1.250 huur", "0800-0432", "0900-1234567", "088-1234567", "mail NAAM@INSTELLING.nl",
        "NAAM2@EMAIL.nl", "de Kalverstraat is druk", "ik loop 3 keer de Kerkstraat 5 keer op",
        "naar de supermarkt 2 keer", "op 03-11-2014 om 21:17", "123456789 euro",
    ],
)
def test_traps_stay_quiet(text: str) -> None:
    assert scan_personal_data(text) == []


def test_import_refuses_planted_files_and_takes_clean_ones(tmp_path: Path) -> None:
    """The gate as a user meets it: ``qcode import`` of a folder of planted and clean chats."""
    from qcode.cli import main

    planted, clean = testset.generate()
    folder = tmp_path / "chats"
    folder.mkdir()
    chosen = {f: next(c for c in planted if c.form == f) for f in testset.PLANTED}
    for chat in [*chosen.values(), *clean[:10]]:
        (folder / f"{chat.key}.txt").write_text("# chat 2014-11-03\n" + chat.text, encoding="utf-8")
    project = tmp_path / "p"
    runner = CliRunner()
    assert runner.invoke(main, ["init", str(project)]).exit_code == 0
    result = runner.invoke(main, ["import", "--project", str(project), str(folder), "--format", "chat"])
    assert result.exit_code == 1, result.output
    refused = {line.split("/")[-1].split(".txt")[0] for line in result.output.splitlines() if "personal data" in line}
    assert refused == {c.key for c in chosen.values()}
    assert f"imported: {len(clean[:10])}" in result.output
