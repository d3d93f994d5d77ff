"""The photos that come with a content plan: beside the file (the command line) or uploaded
with it, as files or ZIPs. A ZIP is bounded from its directory before anything is unpacked
(entry count, unpacked size, each entry no larger than one photo may be), read again no further
than that limit (a directory may lie), never extracted to disk, and refused whole when a name is
unsafe (`../`, an absolute path, a drive letter). Each photo then goes through the media intake
(`content.editorial.media`) like any upload."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Protocol

from content.editorial.media import Limits
from content.infra.errors import ValidationFailed


class PhotoSource(Protocol):
    def read(self, name: str) -> bytes:
        """The bytes of the photo a row names; ValidationFailed (one sentence) when missing."""
        ...


@dataclass(frozen=True)
class FolderPhotos:
    """Photos beside the plan file (the command line): names relative to that folder only."""

    base: Path

    def read(self, name: str) -> bytes:
        path = (self.base / name).resolve()
        if not path.is_relative_to(self.base.resolve()):
            raise ValidationFailed(f"Foto '{name}' harus berada di folder berkas impor.")
        if not path.is_file():
            raise ValidationFailed(f"Foto '{name}' tidak ditemukan.")
        return path.read_bytes()


@dataclass(frozen=True)
class BundleLimits:
    """What the uploaded photos may cost: counted and summed from a ZIP's directory before
    anything is unpacked, and each entry read no further than one photo may be."""

    max_entries: int = 200
    max_unpacked_bytes: int = 512 * 1024 * 1024
    max_photo_bytes: int = Limits().max_bytes


def _key(name: str) -> str:
    return str(PurePosixPath(name.replace("\\", "/"))).strip("/").casefold()


@dataclass
class UploadedPhotos:
    """Photos uploaded with the plan (files, or entries of a ZIP read only when a row asks)."""

    loaders: dict[str, Callable[[], bytes]] = field(default_factory=dict)

    def add(self, name: str, loader: Callable[[], bytes]) -> None:
        self.loaders[_key(name)] = loader

    def read(self, name: str) -> bytes:
        wanted = _key(name)
        loader = self.loaders.get(wanted)
        if loader is None:
            same_name = [k for k in self.loaders if PurePosixPath(k).name == wanted]
            if len(same_name) > 1:
                raise ValidationFailed(f"Ada beberapa foto bernama '{name}'; tulis foldernya juga.")
            loader = self.loaders[same_name[0]] if same_name else None
        if loader is None:
            raise ValidationFailed(f"Foto '{name}' tidak ditemukan di antara foto yang diunggah.")
        return loader()

    def __len__(self) -> int:
        return len(self.loaders)


def _safe_entry(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not (
        path.is_absolute()
        or ".." in path.parts
        or re.match(r"^[A-Za-z]:", name) is not None
        or "\x00" in name
    )


def _zip_loader(data: bytes, info: zipfile.ZipInfo, limit: int) -> Callable[[], bytes]:
    def load() -> bytes:
        with zipfile.ZipFile(io.BytesIO(data)) as archive, archive.open(info) as entry:
            # The directory's size may lie: never read more than one photo may be.
            content = entry.read(limit + 1)
        if len(content) > limit:
            raise ValidationFailed(
                f"Foto '{info.filename}' di dalam ZIP lebih besar dari batas unggah."
            )
        return content

    return load


def photos_from_uploads(
    files: Iterable[tuple[str, bytes]], limits: BundleLimits | None = None
) -> UploadedPhotos:
    """The photos of an upload: plain files by name, ZIPs by the paths inside them. A ZIP
    with an unsafe name (../, an absolute path), too many entries or too many bytes unpacked is
    refused whole, from its directory, before any entry is read."""
    limits = limits or BundleLimits()
    photos = UploadedPhotos()
    unpacked = 0
    for name, data in files:
        if not name.lower().endswith(".zip"):
            if len(data) > limits.max_photo_bytes:
                raise ValidationFailed(f"Foto '{name}' lebih besar dari batas unggah.")
            unpacked += len(data)
            photos.add(name, lambda data=data: data)  # type: ignore[misc]
        else:
            unpacked += _add_zip(photos, name, data, limits)
        if len(photos) > limits.max_entries:
            raise ValidationFailed(f"Paling banyak {limits.max_entries} foto sekali impor.")
        if unpacked > limits.max_unpacked_bytes:
            raise ValidationFailed(
                f"Foto yang diunggah lebih dari {limits.max_unpacked_bytes // (1024 * 1024)} MB "
                "setelah dibuka; bagi menjadi beberapa impor."
            )
    return photos


def _add_zip(photos: UploadedPhotos, name: str, data: bytes, limits: BundleLimits) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValidationFailed(f"Berkas '{name}' bukan ZIP yang dapat dibuka.") from exc
    if len(entries) > limits.max_entries:
        raise ValidationFailed(f"ZIP '{name}' berisi lebih dari {limits.max_entries} berkas.")
    total = 0
    for info in entries:
        if not _safe_entry(info.filename):
            raise ValidationFailed(
                f"ZIP '{name}' berisi nama berkas yang tidak aman ('{info.filename}'); "
                "buat ulang ZIP dari folder fotonya."
            )
        if info.filename.startswith("__MACOSX/"):
            continue  # the Finder's resource forks, not photos
        if info.file_size > limits.max_photo_bytes:
            raise ValidationFailed(
                f"Foto '{info.filename}' di dalam ZIP lebih besar dari batas unggah."
            )
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            break  # the caller reports it in one sentence
        photos.add(info.filename, _zip_loader(data, info, limits.max_photo_bytes))
    return total
