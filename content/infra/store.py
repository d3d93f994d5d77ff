"""Content-addressed blob store for photos and slides: a file is named by the sha256 of its bytes,
so the same bytes are kept once. A small interface so an object store can take its place."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_SHA256 = re.compile(r"^[0-9a-f]{64}\Z")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_sha256(value: str) -> bool:
    return bool(_SHA256.match(value))


class BlobStore(Protocol):
    def put(self, data: bytes, extension: str) -> str: ...
    def get(self, sha256: str, extension: str) -> bytes: ...
    def exists(self, sha256: str, extension: str) -> bool: ...


class FileBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str, extension: str) -> Path:
        # Only a well-formed hash reaches the file system: no path traversal by construction.
        if not is_sha256(sha256) or not extension.isalnum():
            raise ValueError("not a content address")
        return self.root / sha256[:2] / f"{sha256}.{extension}"

    def put(self, data: bytes, extension: str) -> str:
        digest = sha256_hex(data)
        target = self.path(digest, extension)
        if target.exists():
            return digest
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # mkstemp creates the file 0600: a photo or slide is readable by the service only.
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return digest

    def get(self, sha256: str, extension: str) -> bytes:
        return self.path(sha256, extension).read_bytes()

    def exists(self, sha256: str, extension: str) -> bool:
        return self.path(sha256, extension).exists()
