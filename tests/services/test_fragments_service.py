"""Fragments by code on both backends: blind mode, e-mail spans inside a message, attributes."""

from __future__ import annotations

import pytest

from qcode.errors import QcodeError
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services import workbench
from qcode.services.corpus import import_paths
from qcode.services.demo import SAMPLE_CORPUS
from qcode.services.fragments import FragmentFilter, code_fragments, parse_filter
from qcode.services.project import Project

CHAT = "casus-03/chat-2014-05-21"


def test_parse_filter() -> None:
    flt = parse_filter("coder=anna coder=bram case=casus-03 channel=Chat regio=Parkstad los woord")
    assert flt == FragmentFilter(("anna", "bram"), ("casus-03",), "chat", (("regio", "Parkstad"),))
    assert flt.describe() == "coder=anna coder=bram case=casus-03 channel=chat regio=Parkstad"


def test_blind_email_span_and_attributes(project: Project) -> None:
    import_paths(project, [SAMPLE_CORPUS])
    team_service.add_coder(project, "sam", supervisor=True)
    for name in ("anna", "bram"):
        team_service.add_coder(project, name)
    email_key = next(d.document for d in workbench.corpus_overview(project, "sam") if d.channel == "email")
    email = workbench.open_document(project, email_key)
    message = max(email.utterances, key=lambda u: len(u.text))
    sentence = (message.start + 10, message.start + 40)
    coding_service.add_coding(project, email_key, "feedback", "anna", start=sentence[0], end=sentence[1])
    coding_service.add_coding(project, CHAT, "feedback", "bram", utterance=4)

    everyone = code_fragments(project, "Feedback", viewer="sam")
    assert [(f.document, f.coder) for f in everyone.fragments] == sorted(
        [(email_key, "anna"), (CHAT, "bram")]
    )
    in_email = next(f for f in everyone.fragments if f.document == email_key)
    assert (in_email.turn, in_email.index, in_email.start, in_email.end) == (
        message.index + 1, message.index, *sentence
    )
    assert in_email.text == email.text[sentence[0] : sentence[1]]
    assert in_email.speaker == message.speaker

    team_service.set_blind(project, True, by="sam")
    assert [f.coder for f in code_fragments(project, "Feedback", viewer="anna").fragments] == ["anna"]
    assert len(code_fragments(project, "Feedback", viewer="sam").fragments) == 2

    assert [f.channel for f in code_fragments(project, "Feedback", parse_filter("channel=email"), "sam").fragments] == ["email"]
    with pytest.raises(QcodeError, match="No channel 'fax'"):
        code_fragments(project, "Feedback", parse_filter("channel=fax"), "sam")
    case = email_key.split("/")[0]
    assert [f.case for f in code_fragments(project, "Feedback", parse_filter(f"case={case}"), "sam").fragments] == [case]
