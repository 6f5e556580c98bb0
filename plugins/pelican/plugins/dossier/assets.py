"""Fetched or rendered binaries written under a folder by their content.

An asset's name is the start of its SHA-256 plus a suffix
(``documents/3f2a…c9.pdf``): the same bytes always get the same name, so a
rebuild with nothing changed rewrites nothing, a browser may cache an asset
forever, and a changed document can never be served under an old name. The
pipeline keeps assets in a store inside the cache (they survive
``DELETE_OUTPUT_DIRECTORY``); publishing copies the ones in use into the site
and removes the others from the folders it manages. Used for the plaquette's
PDF and its page images; article images can use it the same way.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

logger = logging.getLogger(__name__)

NAME_LENGTH = 24  # hex digits of the SHA-256: 96 bits, no collision among our few files
_FOLDER = re.compile(r"^[a-z0-9][a-z0-9-]*(?:/[a-z0-9][a-z0-9-]*)*$")
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")


class AssetError(ValueError):
    """An asset name or folder that could escape the store or is malformed."""


def asset_name(data: bytes, folder: str, suffix: str) -> str:
    """``folder/<sha256 prefix><suffix>``: the relative path the bytes are stored under."""
    _check(folder, suffix)
    return f"{folder}/{hashlib.sha256(data).hexdigest()[:NAME_LENGTH]}{suffix}"


def _check(folder: str, suffix: str) -> None:
    if not _FOLDER.match(folder):
        raise AssetError(f"asset folder {folder!r} must be lower-case words separated by /")
    if not _SUFFIX.match(suffix):
        raise AssetError(f"asset suffix {suffix!r} must look like .pdf or .webp")


def _relative(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or len(path.parts) < 2:
        raise AssetError(f"asset name {name!r} is not a path inside the store")
    _check(str(path.parent), path.suffix)
    return path


class AssetStore:
    """A folder of content-addressed files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, name: str) -> Path:
        """Where the asset ``name`` lives on disk."""
        return self.root.joinpath(*_relative(name).parts)

    def has(self, name: str) -> bool:
        """True when the asset is present."""
        return self.path(name).is_file()

    def put(self, data: bytes, folder: str, suffix: str) -> str:
        """Store bytes (atomically, once) and return their name."""
        name = asset_name(data, folder, suffix)
        target = self.path(name)
        if not (target.is_file() and target.stat().st_size == len(data)):
            _write_atomically(target, data)
        return name

    def read(self, name: str) -> bytes:
        """The bytes of a stored asset."""
        return self.path(name).read_bytes()

    def copy_into(self, other: AssetStore, names: Iterable[str]) -> int:
        """Copy assets into another store, skipping those already there; returns how many."""
        copied = 0
        for name in names:
            source, target = self.path(name), other.path(name)
            if target.is_file() and target.stat().st_size == source.stat().st_size:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
            copied += 1
        return copied

    def prune(self, folder: str, keep: Iterable[str]) -> list[str]:
        """Remove the files of ``folder`` (and below) not named in ``keep``; returns them."""
        _check(folder, ".x")
        base = self.root.joinpath(*folder.split("/"))
        kept = {self.path(name) for name in keep}
        removed = []
        for path in sorted(base.rglob("*")) if base.is_dir() else ():
            if path.is_file() and path not in kept:
                path.unlink()
                removed.append(path.relative_to(self.root).as_posix())
        return removed


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".asset-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.chmod(tmp, 0o644)  # mkstemp makes it private; a web server must be able to read it
    os.replace(tmp, target)
