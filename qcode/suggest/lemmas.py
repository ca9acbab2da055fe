"""Word tokens and their lemmas from the Dutch spaCy pipeline, for lemma search.

Lemma search (``qcode search --lemma``) needs every word's lemma. Computing them costs what
tagging costs (about 10,000 words a second), so the service stores them once per document;
this module only runs the pipeline. Only the components the lemmatizer needs run (the parser,
sentence splitter and qcode's matchers are skipped), through ``nlp.pipe(disable=...)``, which
leaves the shared cached pipeline untouched for suggestions running in another thread.
"""

from __future__ import annotations

import importlib.util
import json
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.suggest.engine import tagging_text
from qcode.suggest.nlp import find_pipeline, load_pipeline

if TYPE_CHECKING:
    from spacy.language import Language

Token = tuple[int, int, str, str]
"""(start, end, form, lemma) of one word token; offsets into the text, strings lower-cased."""

_NEEDED = {"tok2vec", "morphologizer", "tagger", "attribute_ruler", "lemmatizer"}
_LOCK = threading.Lock()
"""One lemmatisation at a time: the workbench may start a second search while the first still
computes lemmas (a thread cannot be stopped), and spaCy does not promise that one pipeline
runs safely in two threads at once."""


def pipeline_id(setting: str | None = None) -> str:
    """Name and version of the pipeline lemmas come from; stored lemmas of another are redone.

    Read from the pipeline's ``meta.json`` without loading it (loading takes seconds, and a
    lemma search whose lemmas are all stored needs no pipeline at all).

    Raises:
        SuggestionError: when no pipeline can be found (the message says how to install one).
    """
    name = find_pipeline(setting)
    meta = _meta_file(name)
    if meta is None:
        return name[:200]
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return name[:200]
    return f"{data.get('lang', '')}_{data.get('name', '')}-{data.get('version', '')} ({name})"[:200]


def _meta_file(name: str) -> Path | None:
    folder = Path(name)
    if not folder.is_dir():
        spec = importlib.util.find_spec(name) if name.isidentifier() else None
        if spec is None or not spec.submodule_search_locations:
            return None
        folder = Path(next(iter(spec.submodule_search_locations)))
    meta = folder / "meta.json"
    return meta if meta.is_file() else None


def _skipped(nlp: Language) -> list[str]:
    return [name for name in nlp.pipe_names if name not in _NEEDED]


def lemmatize(
    texts: Sequence[str],
    setting: str | None = None,
    on_batch: Callable[[int], None] | None = None,
    batch_size: int = 256,
    cache: dict[str, list[Token]] | None = None,
) -> list[list[Token]]:
    """The word tokens of each text with their lemmas.

    A word token is one with a letter or digit in it (punctuation, emoticons and white space
    are left out). The text goes through :func:`qcode.suggest.engine.tagging_text` first (a
    capital at a sentence start is lowered for the tagger, offsets kept), as for suggestions.
    Identical texts are processed once: chat turns repeat ("ja", "oké", "dank je wel").
    ``on_batch`` is called with the number of distinct texts done so far. ``cache`` (text ->
    tokens) carries results from one call to the next; it is bounded to about 200,000 texts.
    """
    nlp = load_pipeline(setting)
    with _LOCK:
        return _lemmatize(nlp, texts, on_batch, batch_size, {} if cache is None else cache)


def _lemmatize(
    nlp: Language,
    texts: Sequence[str],
    on_batch: Callable[[int], None] | None,
    batch_size: int,
    results: dict[str, list[Token]],
) -> list[list[Token]]:
    if len(results) > 200_000:
        results.clear()
    distinct = [t for t in dict.fromkeys(texts) if t not in results]
    skipped = _skipped(nlp)
    for i, doc in enumerate(nlp.pipe((tagging_text(t) for t in distinct), disable=skipped, batch_size=batch_size)):
        text = distinct[i]
        results[text] = [
            (t.idx, t.idx + len(t.text), text[t.idx : t.idx + len(t.text)].lower(), (t.lemma_ or t.text).lower())
            for t in doc
            if any(c.isalnum() for c in t.text)
        ]
        if on_batch is not None and (i + 1) % batch_size == 0:
            on_batch(i + 1)
    return [results[t] for t in texts]
