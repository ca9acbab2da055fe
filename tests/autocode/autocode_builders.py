"""Purpose-written transcripts for the autocode tests, built with exact offsets."""

from __future__ import annotations

from datetime import datetime

from qcode.transcripts.model import Channel, Document, Role, Utterance, check_offsets

LABELS = {Role.COUNSELLOR: "Hulpverlener", Role.CLIENT: "Hulpvrager", Role.SYSTEM: "Systeem"}

Line = tuple[Role, datetime | None, str] | tuple[Role, datetime | None, str, bool]


def chat(lines: list[Line], header: str = "", key: str = "casus-1/chat-1") -> Document:
    """A chat in the study's line format; a 4th tuple item marks the line out of order."""
    text = header
    utterances = []
    for index, line in enumerate(lines):
        role, time, message = line[0], line[1], line[2]
        out_of_order = bool(line[3]) if len(line) > 3 else False
        clock = f" ({time:%H:%M})" if time else ""
        prefix = f"{LABELS[role]}{clock}: "
        start = len(text) + len(prefix)
        text += prefix + message + "\n"
        utterances.append(
            Utterance(
                index=index,
                role=role,
                speaker=LABELS[role],
                time=time,
                text=message,
                start=start,
                end=start + len(message),
                out_of_order=out_of_order,
            )
        )
    document = Document(key, "casus-1", Channel.CHAT, text, tuple(utterances))
    check_offsets(document)
    return document


def email(messages: list[tuple[Role, datetime, str, str]], key: str = "casus-1/mail") -> Document:
    """An e-mail thread rendering: headers, blank line, new text, then quoted text."""
    text = ""
    utterances = []
    for index, (role, time, new, quoted) in enumerate(messages):
        text += f"Van: {LABELS[role]}\nDatum: {time:%d-%m-%Y %H:%M}\nOnderwerp: VRAAG?!\n\n"
        start = len(text)
        text += new + "\n"
        if quoted:
            text += quoted + "\n"
        text += "-----\n"
        utterances.append(
            Utterance(index, role, LABELS[role], time, new, start, start + len(new), quoted=quoted)
        )
    document = Document(key, "casus-1", Channel.EMAIL, text, tuple(utterances))
    check_offsets(document)
    return document
