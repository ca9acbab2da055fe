"""Reading the members of a ``.qdpx`` zip with a cap on how far each may inflate.

A ``.qdpx`` is a zip of foreign origin. A member that inflates without end (a "zip bomb": a
1 MB file holding a 1 GB ``Sources/`` entry) would otherwise be read whole into memory and
then offered to the database. Each member is therefore checked twice: its declared size in
the zip directory, and the bytes actually read while inflating, in chunks, stopping at the
cap (the declared size may lie).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from qcode.errors import ExportError

MAX_SOURCE_BYTES = 64 * 1024 * 1024
"""Largest ``Sources/`` member (a source's plain text) qcode reads: 64 MiB, some 30 million
words, far above any transcript or e-mail thread."""

MAX_PROJECT_BYTES = 512 * 1024 * 1024
"""Largest ``project.qde`` qcode reads: 512 MiB (sources may be inline in the XML)."""

_CHUNK = 1024 * 1024


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MiB" if size >= 1024 * 1024 else f"{size:,} bytes"


def open_archive(path: Path) -> zipfile.ZipFile:
    """Open a zip, turning a damaged one into an ExportError naming the file."""
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise ExportError(f"{path}: not a readable zip file ({error})") from None


def read_member(archive: zipfile.ZipFile, name: str, path: Path, limit: int) -> bytes:
    """The bytes of member ``name``, refused if declared or inflated larger than ``limit``.

    ``zipfile`` itself stops at the declared size (and then fails its CRC check when the data
    runs on); counting the bytes read keeps the cap whatever the zip module does.

    Raises:
        ExportError: Naming ``file!member``: too large (declared or actually), damaged
            (bad CRC, bad compressed data), encrypted, or compressed in a way zipfile lacks.
    """
    where = f"{path}!{name}"
    info = archive.getinfo(name)
    too_large = (
        f"{where}: inflates to more than {_megabytes(limit)}, the most qcode reads from one "
        "file inside a .qdpx (is this a damaged or hostile file?); nothing imported"
    )
    if info.file_size > limit:
        raise ExportError(too_large)
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                total += len(chunk)
                if total > limit:
                    raise ExportError(too_large)
                chunks.append(chunk)
    except ExportError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise ExportError(f"{where}: damaged zip member ({error}); nothing imported") from None
    except (NotImplementedError, RuntimeError) as error:  # unknown method, or encrypted
        raise ExportError(f"{where}: cannot unpack this member ({error})") from None
    return b"".join(chunks)
