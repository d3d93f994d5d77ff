"""Who may report to the feed, and how often.

Plays and heartbeats come only from a screen's own players: each request carries the screen's
player key (`Authorization: Bearer spk_…`, checked in content.playlist.keys), a JSON content type
(a foreign web page cannot send one without a CORS preflight, which the feed never grants) and
no foreign `Origin`. Each key is rate-limited in memory, before the database is asked anything.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request

from content.infra.errors import AuthenticationFailed, DomainError
from content.playlist import KEY_REFUSED


class Refused(DomainError):
    """Answered with `status` and the sentence (403, 415, 429)."""

    def __init__(self, status: int, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


def _own_hosts(request: Request) -> set[str]:
    """The feed's own host as the player's page saw it: the Host header, or what a reverse proxy
    in front says it received (X-Forwarded-Host)."""
    hosts = {request.headers.get("host", "")}
    hosts |= {h.strip() for h in request.headers.get("x-forwarded-host", "").split(",")}
    return {h.lower() for h in hosts if h}


def presented_key(request: Request) -> str:
    """The player key of a report, after the checks that need no database."""
    origin = request.headers.get("origin")
    if origin is not None and urlsplit(origin).netloc.lower() not in _own_hosts(request):
        raise Refused(403, "Laporan dari halaman lain ditolak.")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise Refused(415, "Laporan pemutar harus dikirim sebagai application/json.")
    scheme, _, key = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise AuthenticationFailed(KEY_REFUSED)
    return key.strip()


@dataclass
class _Bucket:
    tokens: float
    updated: float


class RateLimiter:
    """A token bucket per key: `burst` requests at once, then `per_second` on average. Keeps at
    most `max_keys` buckets (the least recently used go first), so a flood of invented keys
    costs memory it cannot grow."""

    def __init__(self, per_second: float, burst: int, max_keys: int = 4096) -> None:
        self.per_second = per_second
        self.burst = burst
        self.max_keys = max_keys
        self._buckets: OrderedDict[str, _Bucket] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        name = hashlib.sha256(key.encode()).hexdigest()
        now = time.monotonic()
        with self._lock:
            bucket = self._buckets.pop(name, None) or _Bucket(float(self.burst), now)
            bucket.tokens = min(
                float(self.burst), bucket.tokens + (now - bucket.updated) * self.per_second
            )
            bucket.updated = now
            self._buckets[name] = bucket
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
            if bucket.tokens < 1:
                wait = (1 - bucket.tokens) / self.per_second
                raise Refused(429, "Terlalu banyak laporan; coba lagi sebentar lagi.", wait)
            bucket.tokens -= 1
