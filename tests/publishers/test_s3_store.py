"""The S3-compatible media store, over real HTTP to a local S3 server: content-addressed like the
local folder, idempotent puts, a missing object read as missing, nothing else nameable, and the
settings that choose it (with the secret key never shown)."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.infra.config import Settings
from content.infra.errors import DomainError
from content.infra.media_settings import MediaStoreSettings
from content.infra.store import FileBlobStore, sha256_hex
from publishers.storage import open_store
from publishers.storage.s3 import S3BlobStore
from tests.objectstore import SECRET_KEY, S3Endpoint, s3_endpoint

__all__ = ["s3_endpoint"]


def _store(endpoint: S3Endpoint, tmp_path: Path, prefix: str = "") -> S3BlobStore:
    bucket = endpoint.new_bucket()
    settings = Settings(data_dir=tmp_path, extra={"media": {"prefix": prefix}})
    chosen = MediaStoreSettings.from_settings(settings, endpoint.env(bucket))
    store = S3BlobStore.connect(chosen)
    return store


def test_same_bytes_are_kept_once_under_their_hash(s3_endpoint: S3Endpoint, tmp_path: Path) -> None:
    store = _store(s3_endpoint, tmp_path, prefix="kota-bekasi")
    photo = b"\xff\xd8\xff" + b"foto kegiatan posyandu" * 100
    first = store.put(photo, "jpg")
    again = store.put(photo, "jpg")
    assert first == again == sha256_hex(photo)
    assert store.exists(first, "jpg")
    assert store.get(first, "jpg") == photo
    listed = store.client.list_objects_v2(Bucket=store.bucket)["Contents"]
    assert [o["Key"] for o in listed] == [f"kota-bekasi/{first[:2]}/{first}.jpg"]


def test_a_missing_photo_reads_as_missing(s3_endpoint: S3Endpoint, tmp_path: Path) -> None:
    store = _store(s3_endpoint, tmp_path)
    absent = sha256_hex(b"never stored")
    assert not store.exists(absent, "png")
    with pytest.raises(FileNotFoundError):
        store.get(absent, "png")


@pytest.mark.parametrize("address", ["../secret", "a" * 63, "A" * 64, "ab" * 32 + "\n"])
def test_only_a_content_address_names_an_object(
    s3_endpoint: S3Endpoint, tmp_path: Path, address: str
) -> None:
    store = _store(s3_endpoint, tmp_path)
    with pytest.raises(ValueError, match="content address"):
        store.get(address, "jpg")


def test_the_settings_choose_the_store_and_hide_the_key(
    s3_endpoint: S3Endpoint, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path)
    assert isinstance(open_store(settings), FileBlobStore)
    env = s3_endpoint.env("photos")
    chosen = MediaStoreSettings.from_settings(settings, env)
    assert chosen.kind == "s3"
    assert SECRET_KEY not in repr(chosen)
    with pytest.raises(DomainError, match="bucket"):
        MediaStoreSettings.from_settings(
            Settings(data_dir=tmp_path, extra={"media": {"store": "s3"}}), {}
        )
    with pytest.raises(DomainError, match="tidak dikenal"):
        MediaStoreSettings.from_settings(
            Settings(data_dir=tmp_path, extra={"media": {"store": "nfs"}}), {}
        )
