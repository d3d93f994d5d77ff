"""Content-addressed blobs in an S3-compatible bucket (boto3): object key
`<prefix>/<first two hex>/<sha256>.<extension>`, the same layout as the local folder.

Content addressing makes every write idempotent: two machines putting the same photo write the
same bytes under the same key, so no lock is needed, and a key that exists is never rewritten.
Objects are private (no ACL is set); the feed serves them, never the bucket directly.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

from content.infra.media_settings import MediaStoreSettings
from content.infra.store import is_sha256, sha256_hex

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

_MIMES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "pdf": "application/pdf"}
_MISSING = {"404", "NoSuchKey", "NotFound"}


class S3BlobStore:
    def __init__(self, client: S3Client, bucket: str, prefix: str = "") -> None:
        self.client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")

    @classmethod
    def connect(cls, settings: MediaStoreSettings) -> S3BlobStore:
        client = boto3.client(
            "s3",
            endpoint_url=settings.endpoint,
            region_name=settings.region,
            aws_access_key_id=settings.access_key or None,
            aws_secret_access_key=settings.secret_key or None,
            # Path-style addressing: MinIO/Ceph/SeaweedFS in a data centre have no wildcard DNS.
            config=Config(
                s3={"addressing_style": "path"},
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 4, "mode": "standard"},
            ),
        )
        return cls(client, settings.bucket, settings.prefix)

    def key(self, sha256: str, extension: str) -> str:
        # Only a well-formed hash becomes a key: nothing else of the bucket can be named.
        if not is_sha256(sha256) or not extension.isalnum():
            raise ValueError("not a content address")
        name = f"{sha256[:2]}/{sha256}.{extension}"
        return f"{self.prefix}/{name}" if self.prefix else name

    def put(self, data: bytes, extension: str) -> str:
        digest = sha256_hex(data)
        if self.exists(digest, extension):
            return digest
        extra: dict[str, Any] = {}
        if extension in _MIMES:
            extra["ContentType"] = _MIMES[extension]
        self.client.put_object(
            Bucket=self.bucket, Key=self.key(digest, extension), Body=data, **extra
        )
        return digest

    def get(self, sha256: str, extension: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.key(sha256, extension))
        except ClientError as error:
            if _code(error) in _MISSING:
                raise FileNotFoundError(f"{sha256}.{extension}") from None
            raise
        body: bytes = answer["Body"].read()
        return body

    def exists(self, sha256: str, extension: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(sha256, extension))
        except ClientError as error:
            if _code(error) in _MISSING:
                return False
            raise
        return True


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
