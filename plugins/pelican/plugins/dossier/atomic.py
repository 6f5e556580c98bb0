"""The one atomic file writer: a temporary file beside the target, then a rename.

Readers (a web server, a second build) never see half a file. The temporary file is
created with ``os.open(..., 0o666)`` so the kernel applies the umask, exactly as for
Pelican's own output; ``tempfile.mkstemp`` would give 0600 and a web server running as
another user could not read the feeds or dossier.json.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

FILE_MODE = 0o666  # before the umask, as open(path, "w") does
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
_ATTEMPTS = 100


def write_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically, the mode given by the umask; return ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return path


def _temporary(path: Path) -> tuple[int, Path]:
    """A new hidden file beside ``path``, opened for writing."""
    for _ in range(_ATTEMPTS):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, _FLAGS, FILE_MODE), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path} after {_ATTEMPTS} tries")
