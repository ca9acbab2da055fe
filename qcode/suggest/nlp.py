"""Finding and loading the Dutch spaCy pipeline, once per process.

Loading a pipeline takes seconds, so :func:`load_pipeline` caches it per name; spaCy itself is
imported inside the functions so that importing qcode stays fast for commands that never
suggest anything.
"""

from __future__ import annotations

import functools
import importlib.util
import os
from pathlib import Path
from typing import TYPE_CHECKING

from qcode.errors import SuggestionError

if TYPE_CHECKING:
    from spacy.language import Language

DEFAULT_PIPELINE = "nl_core_news_sm"
ENV_VARIABLE = "QCODE_SPACY_MODEL"
INSTALL_HINT = (
    "No Dutch spaCy pipeline found. Install one with: python -m spacy download nl_core_news_sm "
    "(or set QCODE_SPACY_MODEL to the folder of a compatible pipeline)."
)


def find_pipeline(setting: str | None = None) -> str:
    """Return what to pass to ``spacy.load``.

    Order: the ``QCODE_SPACY_MODEL`` environment variable (a path or package name), then the
    project setting ``spacy_model``, then an installed ``nl_core_news_sm``.

    Raises:
        SuggestionError: when none of them names a pipeline; the message says how to install one.
    """
    from_env = os.environ.get(ENV_VARIABLE, "").strip()
    if from_env:
        return from_env
    if setting and setting.strip():
        return setting.strip()
    if importlib.util.find_spec(DEFAULT_PIPELINE) is not None:
        return DEFAULT_PIPELINE
    raise SuggestionError(INSTALL_HINT, title="No spaCy pipeline")


def load_pipeline(setting: str | None = None) -> Language:
    """Load the pipeline :func:`find_pipeline` names, with qcode's matcher components added.

    The same name always returns the same (cached) object. NER is disabled when present: the
    stand-in pipeline has none and suggestions must never depend on it.

    Raises:
        SuggestionError: when no pipeline is found or it cannot be loaded.
    """
    return _load_named(find_pipeline(setting))


@functools.cache
def _load_named(name: str) -> Language:
    import spacy

    from qcode.suggest.components import add_components
    from qcode.suggest.ruleset import default_rules_dir

    try:
        nlp = spacy.load(name, exclude=["ner"])
    except (OSError, ValueError, ImportError) as error:
        where = f"folder {name}" if Path(name).exists() else f"'{name}'"
        raise SuggestionError(
            f"Could not load the spaCy pipeline {where}: {error}\n{INSTALL_HINT}",
            title="No spaCy pipeline",
        ) from error
    add_components(nlp, default_rules_dir())
    return nlp
