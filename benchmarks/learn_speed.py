"""``qcode learn`` on 5,000 coded utterances (target: under 10 s), against a bare ``nlp.pipe``.

Builds a SQLite project of generated chats (about 5,000 utterances), codes every one of them
for one coder (three codes chosen by keywords, so each has hundreds of positives), then times
``services.learning.learn`` end to end: reading the codings, the pipeline with the rules,
features, fitting, the cross-validated precision estimates, storing the model. Then it codes
a few more units and learns again: the documents' features now come from the cache
(``learn_features``), which is the "learn now" a team does while coding. Last, a second
project runs ``qcode suggest`` first (which fills the cache from its own parse, as a team
that codes with suggestions does) and is then learned from. In the same
process it times a bare ``nlp.pipe`` (no qcode components) over the same texts: the ratio
says how much of the time is the parse every suggester needs anyway. Also times ``trust``.

    QCODE_SPACY_MODEL=../shared/models/nl_ud_sm_selftrained python benchmarks/learn_speed.py
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import spacy

from qcode.coding.model import Coding
from qcode.services import learning, trust
from qcode.services.project import Project, init_project, now
from qcode.services.suggestions import project_suggester, suggest_documents
from qcode.storage import codings as coding_store
from qcode.storage import corpus
from qcode.suggest.nlp import find_pipeline
from qcode.transcripts.model import Channel, Document, Role, Utterance
from qcode.transcripts.synthetic import generate_utterances

KEYWORDS = {"verificatie_interpretatie": ("klopt", "begrijp"), "hulpbronnen": ("vriend", "moeder", "praten"),
            "feedback": ("iets aan", "helpt")}


def make_documents(utterances: int, seed: int) -> list[Document]:
    rng = random.Random(seed)
    docs: list[Document] = []
    total = 0
    while total < utterances:
        turns = generate_utterances(rng, min(rng.randint(10, 30), utterances - total))
        parts, items, position = [], [], 0
        for index, (role, text) in enumerate(turns):
            line = f"{role}: {text}\n"
            start = position + len(role) + 2
            items.append(Utterance(index, Role(role), role, None, text, start, start + len(text), index + 1))
            parts.append(line)
            position += len(line)
        key = f"case-{len(docs) % 50}/chat-{len(docs)}"
        docs.append(Document(key, key.split("/")[0], Channel.CHAT, "".join(parts), tuple(items), None, f"{key}.txt"))
        total += len(turns)
    return docs


def coded_project(folder: Path, docs: list[Document]) -> tuple[Project, int]:
    """A SQLite project holding ``docs``, every utterance coded by anna (keywords)."""
    project = init_project(folder)
    with project.session() as session:
        corpus.store_sources(session, [corpus.NewSource(d.source, d.key, "chat", (), [d]) for d in docs], now())
    codings = [
        Coding(d.key, u.start, u.end, code, "anna")
        for d in docs for u in d.utterances
        for code, words in KEYWORDS.items() if any(w in u.text.lower() for w in words)
    ]
    codings += [Coding(d.key, d.utterances[0].start, d.utterances[0].end, "intake", "anna") for d in docs]
    with project.session() as session:
        coding_store.add_codings(session, codings, now())
    return project, len(codings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utterances", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    docs = make_documents(args.utterances, args.seed)
    project, n_codings = coded_project(Path(tempfile.mkdtemp()) / "cold", docs)
    texts = [u.text for d in docs for u in d.utterances]
    print(f"{len(docs)} chats, {len(texts)} utterances, {n_codings} codings by one coder")

    suggester = project_suggester(project)
    bare = spacy.load(find_pipeline(), exclude=["ner"])
    list(bare.pipe(texts[:200]))
    list(suggester.suggest([]))
    start = time.perf_counter()
    list(bare.pipe(texts))
    pipe_seconds = time.perf_counter() - start
    print(f"bare nlp.pipe over the same texts: {pipe_seconds:.2f} s")

    start = time.perf_counter()
    summary = learning.learn(project, suggester=suggester)
    cold = time.perf_counter() - start
    print(f"qcode learn, nothing parsed before (model {summary.version}, {summary.units} units, "
          f"codes {summary.codes}): {cold:.2f} s; {cold / pipe_seconds:.2f}x the bare parse")

    more = [
        Coding(d.key, d.utterances[-1].start, d.utterances[-1].end, "feedback", "anna")
        for d in docs[:20]
        if len(d.utterances) > 1 and not any(w in d.utterances[-1].text.lower() for w in KEYWORDS["feedback"])
    ]
    with project.session() as session:
        coding_store.add_codings(session, more, now())
    start = time.perf_counter()
    again = learning.learn(project, suggester=suggester)
    relearn = time.perf_counter() - start
    print(f"qcode learn again after {len(more)} more codings (model {again.version}, features cached): "
          f"{relearn:.2f} s (target < 10 s)")

    start = time.perf_counter()
    trust.trust(project, "anna", suggester=suggester, n_boot=1000)
    print(f"qcode suggestions trust (5 folds by case, learning curve, bootstrap): {time.perf_counter() - start:.2f} s")
    project.close()

    second, _ = coded_project(Path(tempfile.mkdtemp()) / "suggested", docs)
    start = time.perf_counter()
    suggest_documents(second, suggester=suggester)
    suggest_seconds = time.perf_counter() - start
    start = time.perf_counter()
    learning.learn(second, suggester=suggester)
    after_suggest = time.perf_counter() - start
    print(f"qcode suggest over the project: {suggest_seconds:.2f} s (fills the feature cache); "
          f"then qcode learn: {after_suggest:.2f} s (target < 10 s)")
    second.close()


if __name__ == "__main__":
    main()
