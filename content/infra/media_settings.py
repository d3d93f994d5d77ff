"""Where photos and rendered slides live: the local folder under `SIARAN_DATA_DIR` (the embedded
default) or an S3-compatible object store (MinIO, Ceph, SeaweedFS in the city's data centre), so
dashboards, workers and feeds on several machines share them without a shared disk.

Settings file section `[media]` (`store = "local" | "s3"`, `endpoint`, `bucket`, `prefix`,
`region`), environment `SIARAN_S3_ENDPOINT`, `SIARAN_S3_BUCKET`, `SIARAN_S3_ACCESS_KEY`,
`SIARAN_S3_SECRET_KEY`; the keys are kept out of the file on purpose (environment or a secret
manager) and masked in every repr. Plain data: the client lives in `publishers.storage`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from content.infra.config import MASK, Settings
from content.infra.errors import DomainError

LOCAL = "local"
S3 = "s3"


@dataclass(frozen=True)
class MediaStoreSettings:
    kind: str = LOCAL
    endpoint: str = ""
    bucket: str = ""
    prefix: str = ""
    region: str = "us-east-1"
    access_key: str = ""
    secret_key: str = ""

    def __repr__(self) -> str:
        secret = MASK if self.secret_key else ""
        return (
            f"MediaStoreSettings(kind={self.kind!r}, endpoint={self.endpoint!r}, "
            f"bucket={self.bucket!r}, prefix={self.prefix!r}, region={self.region!r}, "
            f"access_key={self.access_key!r}, secret_key={secret!r})"
        )

    @classmethod
    def from_settings(
        cls, settings: Settings, env: Mapping[str, str] | None = None
    ) -> MediaStoreSettings:
        env = os.environ if env is None else env
        section = settings.section("media")
        endpoint = env.get("SIARAN_S3_ENDPOINT") or str(section.get("endpoint", ""))
        bucket = env.get("SIARAN_S3_BUCKET") or str(section.get("bucket", ""))
        kind = str(section.get("store", S3 if endpoint and bucket else LOCAL)).strip().lower()
        chosen = cls(
            kind=kind,
            endpoint=endpoint,
            bucket=bucket,
            prefix=str(section.get("prefix", "")).strip("/"),
            region=str(section.get("region", "us-east-1")),
            access_key=env.get("SIARAN_S3_ACCESS_KEY", ""),
            secret_key=env.get("SIARAN_S3_SECRET_KEY", ""),
        )
        chosen.check()
        return chosen

    def check(self) -> None:
        if self.kind not in (LOCAL, S3):
            raise DomainError(
                f"Penyimpanan media '{self.kind}' tidak dikenal: pilih 'local' atau 's3'."
            )
        if self.kind == S3 and not (self.endpoint and self.bucket):
            raise DomainError("Penyimpanan media S3 memerlukan alamat (endpoint) dan nama bucket.")
