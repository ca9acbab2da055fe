"""A coded sample corpus for the report tests: two coders and a consensus, built through services.

The codings follow simple, stated rules on the transcripts (not qcode's suggester), so the
expected figures can be recomputed from ``qcode codings --format json`` alone:

- phases: Intake on each conversation's first three spoken utterances, Probleemanalyse on the
  next third, Afsluiting on the last two (anna); bram leaves out Probleemanalyse in e-mails;
- questions: a counsellor utterance ending in '?' is "Open vraag" when it starts with a
  wh-word, else "Gesloten vraag" (both coders; bram skips every fourth question);
- "Compliment woorden" on utterances with 'goed', 'knap', 'fijn' or 'super' (anna as an
  accepted suggestion, bram by hand); "Zelfredzaamheid" on client utterances with 'ik heb'
  (anna only);
- the consensus: what both agree on (seeded by the supervisor), plus every "Open vraag" anna
  had that bram skipped.
"""

from __future__ import annotations

from pathlib import Path

from qcode.coding.model import Origin
from qcode.services import analysis
from qcode.services import codings as coding_service
from qcode.services import team as team_service
from qcode.services.autocoding import autocode
from qcode.services.corpus import get_document, import_paths
from qcode.services.project import Project, init_project
from qcode.storage import corpus as corpus_store

CORPUS = Path(__file__).resolve().parents[2] / "corpora" / "klikvoorhulp-sample"
WH = ("wat", "hoe", "waarom", "wanneer", "waar", "wie", "welke", "welk", "vertel", "kun je vertellen")
PRAISE = ("goed", "knap", "fijn", "super")


def _documents(project: Project) -> list[str]:
    with project.session() as session:
        return corpus_store.document_keys(session)


def code_study(project: Project) -> None:
    """Apply the rules of the module docstring through the coding services."""
    autocode(project)
    team_service.add_coder(project, "sup", supervisor=True)
    question = 0
    for key in _documents(project):
        doc = get_document(project, key)
        spoken = [u for u in doc.utterances if u.role.value != "system"]
        if len(spoken) >= 6:
            third = max(1, len(spoken) // 3)
            spans = [
                ("Intake", spoken[0], spoken[2]),
                ("Probleemanalyse", spoken[3], spoken[3 + third - 1]),
                ("Afsluiting", spoken[-2], spoken[-1]),
            ]
            for code, first, last in spans:
                coding_service.add_coding(project, key, code, "anna", utterance=first.index, last_utterance=last.index)
                if not (code == "Probleemanalyse" and doc.channel.value == "email"):
                    coding_service.add_coding(project, key, code, "bram", utterance=first.index, last_utterance=last.index)
        for u in spoken:
            text = u.text.strip().lower()
            if u.role.value == "counsellor" and text.endswith("?"):
                code = "Open vraag" if text.startswith(WH) else "Gesloten vraag"
                coding_service.add_coding(project, key, code, "anna", utterance=u.index)
                if question % 4 != 3:
                    coding_service.add_coding(project, key, code, "bram", utterance=u.index)
                question += 1
            if any(word in text.split() for word in PRAISE):
                coding_service.add_coding(project, key, "Compliment woorden", "anna", utterance=u.index, origin=Origin.SUGGESTION)
                coding_service.add_coding(project, key, "Compliment woorden", "bram", utterance=u.index)
            if u.role.value == "client" and "ik heb" in text:
                coding_service.add_coding(project, key, "Zelfredzaamheid", "anna", utterance=u.index)
    analysis.seed_consensus(project, ["anna", "bram"], by="sup")
    frame = coding_service.list_codings(project, coders=["anna", "bram"], codes=["Open vraag"])
    mine = frame[frame["coder"] == "anna"]
    theirs = set(zip(frame.loc[frame["coder"] == "bram", "document"], frame.loc[frame["coder"] == "bram", "start"], strict=True))
    for document, start, end in zip(mine["document"], mine["start"], mine["end"], strict=True):
        if (document, start) not in theirs:
            analysis.adjudicate(project, str(document), int(start), int(end), "Open vraag", True, "sup")


def build_study(folder: Path) -> Project:
    project = init_project(folder)
    result = import_paths(project, [CORPUS])
    assert result.errors == []
    code_study(project)
    return project
