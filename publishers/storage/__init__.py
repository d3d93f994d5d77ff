"""The blob store a part of Siaran uses, chosen by the settings (`content.infra.media_settings`):
the local folder, or an S3-compatible object store. Every dashboard, worker, feed and CLI opens
its store here, so one setting moves all of them at once."""

from __future__ import annotations

from collections.abc import Mapping

from content.infra.config import Settings
from content.infra.media_settings import S3, MediaStoreSettings
from content.infra.store import BlobStore, FileBlobStore


def open_store(settings: Settings, env: Mapping[str, str] | None = None) -> BlobStore:
    """The store `settings` (and the environment, for the S3 keys) ask for."""
    chosen = MediaStoreSettings.from_settings(settings, env)
    if chosen.kind == S3:
        # Imported here: boto3 takes a while to import, and the embedded install never needs it.
        from publishers.storage.s3 import S3BlobStore

        return S3BlobStore.connect(chosen)
    return FileBlobStore(settings.media_dir)


__all__ = ["open_store"]
