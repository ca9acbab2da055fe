"""Finding and loading the Dutch spaCy pipeline, once per process.

Loading a pipeline takes seconds, so :func:`load_pipeline` caches it per name; spaCy itself is
imported inside the functions so that importing qcode stays fast for commands that never
suggest anything.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
import json
import os
from dataclasses import dataclass
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


@dataclass(frozen=True)
class PipelineChoice:
    """The pipeline to load (``target``: a package name or a folder) and how it was found."""

    target: str
    origin: str

    def describe(self) -> str:
        """Name, version and where from, for the first line of ``qcode suggest``.

        Reads only the pipeline's ``meta.json``, so it costs nothing next to loading it.
        """
        meta = _meta(self.target)
        if meta is None:
            return f"{self.target} ({self.origin})"
        name = str(meta.get("name", ""))
        lang = str(meta.get("lang", ""))
        full = name if not lang or name.startswith(f"{lang}_") else f"{lang}_{name}"
        kind = "folder" if Path(self.target).is_dir() else "installed package"
        return f"{full} {meta.get('version', '?')} ({kind} {self.target}, {self.origin})"


def choose_pipeline(
    setting: str | None = None, setting_origin: str = "set in the project setting spacy_model"
) -> PipelineChoice:
    """Decide which Dutch pipeline to load, and record why.

    Order: the ``QCODE_SPACY_MODEL`` environment variable (a path or package name), then the
    project setting ``spacy_model`` (``setting_origin`` names it when it came from elsewhere,
    such as ``--model``), then an installed ``nl_core_news_sm``, then any other installed spaCy
    pipeline package whose meta says ``lang: nl`` (the first by name), such as the one
    ``./run`` builds from the stand-in folder.

    Raises:
        SuggestionError: when none of them names a pipeline; the message says how to install one.
    """
    from_env = os.environ.get(ENV_VARIABLE, "").strip()
    if from_env:
        return PipelineChoice(from_env, f"set in {ENV_VARIABLE}")
    if setting and setting.strip():
        return PipelineChoice(setting.strip(), setting_origin)
    if importlib.util.find_spec(DEFAULT_PIPELINE) is not None:
        return PipelineChoice(DEFAULT_PIPELINE, "the default pipeline")
    dutch = sorted(name for name, meta in installed_pipelines().items() if meta.get("lang") == "nl")
    if dutch:
        return PipelineChoice(dutch[0], "the first installed Dutch pipeline package")
    raise SuggestionError(INSTALL_HINT, title="No spaCy pipeline")


def find_pipeline(setting: str | None = None) -> str:
    """What to pass to ``spacy.load``: the target of :func:`choose_pipeline`."""
    return choose_pipeline(setting).target


def installed_pipelines() -> dict[str, dict[str, object]]:
    """Every installed spaCy pipeline package with its ``meta.json``.

    A pipeline package (``python -m spacy package``, or ``spacy download``) declares itself
    in the ``spacy_models`` entry-point group, which is also what ``spacy.util.
    get_installed_models`` reads; the meta is read from the package folder without importing
    spaCy or the package. Packages whose meta cannot be read are left out.
    """
    found: dict[str, dict[str, object]] = {}
    for entry in importlib.metadata.entry_points(group="spacy_models"):
        module = entry.value.split(":")[0].strip()
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.submodule_search_locations:
            continue
        meta = _read_meta(Path(next(iter(spec.submodule_search_locations))))
        if meta is not None:
            found[entry.name] = meta
    return found


def _meta(target: str) -> dict[str, object] | None:
    """The meta of a pipeline folder, or of an installed pipeline package by name."""
    folder = Path(target)
    if folder.is_dir():
        return _read_meta(folder)
    return installed_pipelines().get(target)


def _read_meta(folder: Path) -> dict[str, object] | None:
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


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
