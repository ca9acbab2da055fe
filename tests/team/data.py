"""Project contents for team tests, stored through the storage layer (not the readers)."""

from __future__ import annotations

from datetime import datetime

from qcode.services.project import Project, now
from qcode.storage import corpus
from qcode.storage.corpus import NewSource
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance, check_offsets

TURNS = [
    ("counsellor", "19:02", "Hoi NAAM, welkom bij de chat. Waar wil je het over hebben? 🙂"),
    ("client", "19:03", "hoi"),
    ("client", "19:04", "ik heb ruzie met mn vader"),
    ("counsellor", "19:10", "Als ik het goed lees voel je je niet gehoord, klopt dat?"),
]
LABELS = {"counsellor": "Hulpverlener", "client": "Hulpvrager", "system": "Systeem"}


def make_document(key: str, case: str, turns: list[tuple[str, str, str]] = TURNS) -> Document:
    """A chat document rendered as 'Label (HH:MM): text' lines, offsets checked."""
    parts: list[str] = []
    utterances: list[Utterance] = []
    position = 0
    for index, (role, when, text) in enumerate(turns):
        stamp = datetime.fromisoformat(f"2014-11-03 {when}")
        prefix = f"{LABELS[role]} ({when}): "
        start = position + len(prefix)
        utterances.append(
            Utterance(index, Role(role), LABELS[role], stamp, text, start, start + len(text), index + 1)
        )
        parts.append(prefix + text + "\n")
        position += len(parts[-1])
    doc = Document(
        key=key,
        case_key=case,
        channel=Channel.CHAT,
        text="".join(parts),
        utterances=tuple(utterances),
        start=utterances[0].time,
        source=f"{key}.txt",
        attributes={"zeta": "1", "alpha": "ä"},
    )
    check_offsets(doc)
    return doc


def store_documents(project: Project, *documents: Document) -> None:
    """Store documents, one source file each, with a case per distinct case key."""
    cases = {d.case_key: Case(d.case_key, {"leeftijd": "15", "geslacht": "v"}) for d in documents}
    sources = [
        NewSource(
            path=doc.source,
            sha256=f"{n:064d}",
            fmt="chat",
            cases=[cases[doc.case_key]],
            documents=[doc],
        )
        for n, doc in enumerate(documents)
    ]
    with project.session() as session:
        corpus.store_sources(session, sources, now())
