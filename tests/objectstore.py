"""A local S3-compatible server for tests (moto's standalone server over real HTTP), so the
object store is exercised through boto3's real wire protocol, never a mock of the client."""

from __future__ import annotations

import logging
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

ACCESS_KEY = "siaran-test"
SECRET_KEY = "siaran-test-secret-key"


@dataclass(frozen=True)
class S3Endpoint:
    url: str

    def env(self, bucket: str) -> dict[str, str]:
        return {
            "SIARAN_S3_ENDPOINT": self.url,
            "SIARAN_S3_BUCKET": bucket,
            "SIARAN_S3_ACCESS_KEY": ACCESS_KEY,
            "SIARAN_S3_SECRET_KEY": SECRET_KEY,
        }

    def new_bucket(self) -> str:
        import boto3

        name = f"siaran-{uuid.uuid4().hex[:12]}"
        client = boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
        )
        client.create_bucket(Bucket=name)
        return name


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[S3Endpoint]:
    from moto.server import ThreadedMotoServer

    # The test server's request log is noise in a failing test's output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield S3Endpoint(f"http://127.0.0.1:{port}")
    finally:
        server.stop()
