"""Atomic, non-clobbering file writes shared by every exporter.

An export is written to a temporary file in the target folder (created with mode 0600 by
:func:`tempfile.mkstemp`) and then moved over the target with :func:`os.replace`, so a reader
never sees a half-written file and a crash never leaves a truncated export behind.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from qcode.config import make_private_dir
from qcode.errors import ExportError


def refuse_existing(paths: Sequence[Path], force: bool) -> None:
    """Raise ExportError if any target exists and ``force`` is not set.

    Checked for all targets before anything is written, so a refused export writes nothing.
    """
    if force:
        return
    existing = [str(p) for p in paths if p.exists()]
    if existing:
        raise ExportError(
            f"{', '.join(existing)}: already exists; pass --force to overwrite",
            title="Export refused",
        )


@contextlib.contextmanager
def _temporary_beside(target: Path) -> Iterator[Path]:
    make_private_dir(target.parent)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        if temporary.exists():
            temporary.unlink()


def write_atomically(target: Path, write: Callable[[Path], None], force: bool) -> Path:
    """Call ``write(temporary_path)``, then move the result onto ``target``.

    Args:
        target: Final file name.
        write: Fills the temporary file (which already exists, empty, mode 0600).
        force: Overwrite an existing ``target``; otherwise raise ExportError.

    Returns:
        ``target``.
    """
    refuse_existing([target], force)
    try:
        with _temporary_beside(target) as temporary:
            write(temporary)
            os.chmod(temporary, 0o600)
            os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"{target}: could not write ({error.strerror or error})") from error
    return target
