"""Hand-built documents for tests that must not depend on the readers."""

from __future__ import annotations

from datetime import datetime

from qcode.services.project import Project, now
from qcode.storage import corpus
from qcode.transcripts.model import Case, Channel, Document, Role, Utterance, check_offsets


def make_document(
    key: str,
    case: str,
    turns: list[tuple[str, str, str]],
    channel: Channel = Channel.CHAT,
    day: str = "2014-11-03",
) -> Document:
    """Turns are (role, 'HH:MM' or 'YYYY-MM-DD HH:MM', text); text rendered 'Label (t): text'."""
    labels = {"counsellor": "Hulpverlener", "client": "Hulpvrager", "system": "Systeem"}
    parts: list[str] = []
    utterances: list[Utterance] = []
    position = 0
    for index, (role, when, text) in enumerate(turns):
        stamp = datetime.fromisoformat(when if len(when) > 5 else f"{day} {when}")
        prefix = f"{labels[role]} ({stamp:%H:%M}): "
        start = position + len(prefix)
        utterances.append(
            Utterance(index, Role(role), labels[role], stamp, text, start, start + len(text), index + 1)
        )
        line = prefix + text + "\n"
        parts.append(line)
        position += len(line)
    doc = Document(
        key=key,
        case_key=case,
        channel=channel,
        text="".join(parts),
        utterances=tuple(utterances),
        start=utterances[0].time if utterances else None,
        source=f"{key}.txt",
    )
    check_offsets(doc)
    return doc


def store(project: Project, *documents: Document, cases: tuple[Case, ...] = ()) -> None:
    with project.session() as session:
        corpus.store_sources(
            session,
            [
                corpus.NewSource(doc.source, f"{doc.key}-{n}-hash", "chat", cases, [doc])
                for n, doc in enumerate(documents)
            ],
            now(),
        )
