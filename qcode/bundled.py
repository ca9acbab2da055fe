"""Where the files that ship with qcode are: the Klikvoorhulp codebook, its rules, the sample corpus.

The repository holds one copy of each, in ``codebooks/`` and ``corpora/``. A wheel carries them
under ``qcode/_bundled/`` (hatchling's ``force-include``, see ``pyproject.toml``), so an
installed qcode finds them inside its own package with :mod:`importlib.resources`. A source
checkout or an editable install (``pip install -e .``, what ``./run`` does) has no
``_bundled`` folder in its package and reads the repository's folders instead, so editing a
rule file takes effect at once.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

BUNDLE = "_bundled"
"""The folder inside the ``qcode`` package that the wheel puts the shipped files in."""


def bundled_path(relative: str) -> Path:
    """The shipped file or folder ``relative`` (``"codebooks/klikvoorhulp.yaml"``).

    Looks inside the installed package first, then in the source checkout the package sits in.
    Returns the installed location when neither exists, so an error message names the path
    a user can look for.
    """
    installed = Path(str(resources.files("qcode").joinpath(BUNDLE, relative)))
    if installed.exists():
        return installed
    checkout = Path(__file__).resolve().parent.parent / relative
    if checkout.exists():
        return checkout
    return installed
