"""Engine behaviour on the real pipeline: spans, speakers, hard negatives, explanations."""

from __future__ import annotations

import pytest

from qcode.suggest.engine import tagging_text
from qcode.suggest.values import Suggestion, UtteranceInput

pytestmark = pytest.mark.model


def run(suggester, speaker: str, text: str, channel: str = "chat") -> list[Suggestion]:  # type: ignore[no-untyped-def]
    (found,) = suggester.suggest([UtteranceInput("1", speaker, text, channel)])
    return list(found)


def codes(found: list[Suggestion]) -> set[str]:
    return {s.code for s in found}


def test_tag_question_is_verification_and_closed(suggester) -> None:  # type: ignore[no-untyped-def]
    text = "Dus je wilt weg bij je vriend, klopt dat?"
    found = run(suggester, "counsellor", text)
    assert codes(found) == {"Verificatie interpretatie", "Gesloten vraag"}
    verification = next(s for s in found if s.code == "Verificatie interpretatie")
    assert text[verification.start : verification.end] == text.rstrip()
    assert "klopt" in verification.explanation or "Dus je" in verification.explanation


def test_chat_spelling_found_fuzzily(suggester) -> None:  # type: ignore[no-untyped-def]
    found = run(suggester, "counsellor", "begrijp ik t goed dat je al weken niet slaapt")
    rules = {s.rule for s in found}
    assert "Verificatie interpretatie" in codes(found)
    assert rules & {"verificatie.begrijp_ik_goed", "verificatie.als_ik_goed"}


def test_question_without_mark_is_found(suggester) -> None:  # type: ignore[no-untyped-def]
    assert codes(run(suggester, "counsellor", "hoe gaat het nu met je")) == {"Open vraag"}
    assert codes(run(suggester, "counsellor", "heb je al gegeten vandaag")) == {"Gesloten vraag"}


def test_client_question_is_no_question_code(suggester) -> None:  # type: ignore[no-untyped-def]
    assert codes(run(suggester, "client", "Wat moet ik nu doen?")) == set()


def test_two_questions_two_spans(suggester) -> None:  # type: ignore[no-untyped-def]
    text = "Heb je al een afspraak? En wat verwacht je daarvan?"
    found = sorted(run(suggester, "counsellor", text), key=lambda s: s.start)
    assert [s.code for s in found] == ["Gesloten vraag", "Open vraag"]
    assert text[found[0].start : found[0].end] == "Heb je al een afspraak?"
    assert text[found[1].start : found[1].end] == "En wat verwacht je daarvan?"


@pytest.mark.parametrize(
    ("speaker", "text"),
    [
        ("client", "het klopt niet met mijn rooster"),
        ("counsellor", "Dat klinkt knap lastig allemaal."),
        ("counsellor", "Goedemiddag, je spreekt met een hulpverlener."),
        ("client", "ik zat op www.jouwggd.nl maar daar vond ik niks"),
        ("client", "de verbinding met mijn vader is al jaren verbroken"),
        ("counsellor", "Je buurman maakt dus elke nacht lawaai."),
    ],
)
def test_hard_negatives(suggester, speaker: str, text: str) -> None:  # type: ignore[no-untyped-def]
    unexpected = {
        "Verificatie interpretatie", "Compliment woorden", "Doorverwijzing online interventie",
        "Technische storing", "Hulpbronnen",
    }
    assert codes(run(suggester, speaker, text)) & unexpected == set()


def test_referral_kinds(suggester) -> None:  # type: ignore[no-untyped-def]
    assert "Doorverwijzing face-to-face maatschappelijk werk" in codes(
        run(suggester, "counsellor", "Je kunt contact opnemen met het maatschappelijk werk.")
    )
    assert "Doorverwijzing face-to-face interventie" in codes(
        run(suggester, "counsellor", "Ik raad je aan om naar de huisarts te gaan.")
    )
    assert "Doorverwijzing online interventie" in codes(
        run(suggester, "counsellor", "Kijk eens op www.pestweb.nl voor tips.")
    )


def test_zelfredzaamheid_is_client_only(suggester) -> None:  # type: ignore[no-untyped-def]
    text = "ik heb zelf de woningcorporatie gebeld"
    assert "Zelfredzaamheid" in codes(run(suggester, "client", text))
    assert "Zelfredzaamheid" not in codes(run(suggester, "counsellor", text))


def test_every_suggestion_is_well_formed(suggester) -> None:  # type: ignore[no-untyped-def]
    text = "Wat knap dat je al gebeld hebt! Heb je hier iets aan?"
    for s in run(suggester, "counsellor", text):
        assert 0 <= s.start < s.end <= len(text)
        assert 0 < s.confidence <= 1 and s.rule and s.explanation


def test_rules_version_is_stable(suggester) -> None:  # type: ignore[no-untyped-def]
    assert suggester.rules_version == suggester.ruleset.version
    assert suggester.rules_version.startswith("0.1.0+")


def test_tagging_text_keeps_offsets() -> None:
    text = "Heb je dat? Ja. NAAM komt.\nKun je"
    lowered = tagging_text(text)
    assert len(lowered) == len(text)
    assert lowered == "heb je dat? ja. NAAM komt.\nkun je"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a wh-question in a second conjunct is open; the first clause is a yes/no question
        ("Heb je al een afspraak gemaakt, en wat verwacht je daarvan?", {"Open vraag"}),
        # an indirect wh-clause (subject after the question word) decides nothing
        ("Heb je er al eens over nagedacht hoe je het je broer kunt zeggen?", {"Gesloten vraag"}),
        # a tell-prompt is open whatever modal sits in between
        ("zou u daar misschien iets meer over willen vertellen?", {"Open vraag"}),
        # questions proposed for someone else are not the counsellor's
        ("Je zou hem kunnen vragen wat hij in het weekend doet. Wat vindt hij leuk? Kun je hier iets mee?",
         {"Gesloten vraag"}),
    ],
)
def test_questions_typed_per_clause(suggester, text: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    found = codes(run(suggester, "counsellor", text)) & {"Open vraag", "Gesloten vraag"}
    assert found == expected
