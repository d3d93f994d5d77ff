"""HTTP plumbing shared by every publisher: base-URL rewriting, timeouts, secret redaction.

The SDKs (tweepy, facebook-sdk) hard-code their hosts. Instead of forking them or patching
their module globals, we mount a `requests` transport adapter on the SDK's own Session: it
rewrites `https://api.x.com/...` (or graph.facebook.com) to the configured base just before
the request leaves, so the same code reaches the real platform, a proxy or the simulator.
The OAuth 1.0a signature is computed on the original URL, which is what a forwarding proxy
needs. Every request gets a timeout here, because neither SDK always passes one.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter

X_ORIGINS = ("https://api.x.com", "https://api.twitter.com")
GRAPH_ORIGINS = ("https://graph.facebook.com",)


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0
    read: float = 30.0

    def as_tuple(self) -> tuple[float, float]:
        return (self.connect, self.read)


@dataclass(frozen=True)
class CallRecord:
    """One call to a paid platform, as the cost ledger needs it (no headers: no secrets).
    `operation` is what the publisher named the call at its call site (a
    `content.costs.Operation`, "" when unnamed: not charged); the ledger prices that name."""

    origin: str
    operation: str
    method: str
    path: str
    status: int
    response_body: bytes


class Recorder(threading.local):
    """What one publisher's HTTP session saw (per thread): the last response, for SDKs that
    raise without exposing it, and the calls to paid platforms since `take_calls` — so each
    publisher reports what it spent, with no log shared between jobs."""

    def __init__(self) -> None:
        self.response: requests.Response | None = None
        self.calls: list[CallRecord] = []
        self.operation = ""

    def take_calls(self) -> list[CallRecord]:
        calls, self.calls = self.calls, []
        return calls

    @contextmanager
    def named(self, operation: str) -> Iterator[None]:
        """Paid calls made inside are recorded as `operation` (what the ledger prices)."""
        outer, self.operation = self.operation, operation
        try:
            yield
        finally:
            self.operation = outer


PAID_ORIGINS = X_ORIGINS


class BaseUrlAdapter(HTTPAdapter):
    """Sends requests for `origin` to `target` instead, with a default timeout."""

    def __init__(
        self, origin: str | None, target: str | None, timeouts: Timeouts, recorder: Recorder
    ) -> None:
        super().__init__()
        self.origin = origin.rstrip("/") if origin else None
        self.target = target.rstrip("/") if target else None
        self.timeouts = timeouts
        self.recorder = recorder

    def send(  # noqa: PLR0917 - the signature requests calls
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: float | tuple[float, float] | tuple[float, None] | None = None,
        verify: bool | str = True,
        cert: bytes | str | tuple[bytes | str, bytes | str] | None = None,
        proxies: Mapping[str, str] | None = None,
    ) -> requests.Response:
        url = request.url or ""
        if self.origin and self.target and url.startswith(self.origin):
            request.url = self.target + url[len(self.origin) :]
            if is_loopback_url(self.target):
                proxies = {}  # the simulator on this machine is never reached through a proxy
        self.recorder.response = None
        response = super().send(
            request,
            stream=stream,
            timeout=timeout if timeout is not None else self.timeouts.as_tuple(),
            verify=verify,
            cert=cert,
            proxies=proxies,
        )
        self.recorder.response = response
        if self.origin in PAID_ORIGINS:
            self.recorder.calls.append(
                CallRecord(
                    self.origin or "",
                    self.recorder.operation,
                    request.method or "",
                    urlsplit(url).path,
                    response.status_code,
                    response.content,
                )
            )
        return response


def mount_base_urls(
    session: requests.Session, routes: Mapping[str, str], timeouts: Timeouts
) -> Recorder:
    """Route each origin in `routes` to its base URL on this session; everything else still
    gets the default timeout. Returns the recorder of the last response."""
    recorder = Recorder()
    for scheme in ("http://", "https://"):
        session.mount(scheme, BaseUrlAdapter(None, None, timeouts, recorder))
    for origin, target in routes.items():
        # The trailing slash keeps "https://api.x.com.evil" from matching.
        session.mount(origin.rstrip("/") + "/", BaseUrlAdapter(origin, target, timeouts, recorder))
    return recorder


def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def origin_of(url: str) -> str:
    """scheme://host:port of a URL, with the scheme's default port spelt out ("" when none)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if scheme not in {"http", "https"} or not host:
        return ""
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        return ""
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}"


def is_public_url(url: str) -> bool:
    """False for loopback, private and link-local hosts: a platform cannot fetch from those."""
    host = urlsplit(url).hostname or ""
    if not host or host == "localhost" or host.endswith((".local", ".internal", ".lan")):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." in host
    return address.is_global


# --- secrets never reach a log line or an error message -------------------------------------

_SECRET_PATTERNS = (
    re.compile(r"((?:access_token|input_token|client_secret)=)[^&\s'\"]+", re.IGNORECASE),
    re.compile(
        r"((?:oauth_token|oauth_signature|oauth_consumer_key)=\"?)[^\"&,\s]+", re.IGNORECASE
    ),
    re.compile(r"((?:Authorization|authorization)['\"]?:\s*['\"]?)[^'\"\n]+"),
    re.compile(r"((?:\"access_token\"|'access_token')\s*:\s*['\"])[^'\"]+"),
)
MASK = "••••"


class KnownSecrets:
    """The credential values this process holds (every `Secret` registers its own). A platform
    may quote a token back in an error ("Malformed access token EAAB…"), under no key name the
    patterns know: `redact` masks these values, and any word starting with a long enough piece
    of one, wherever they appear."""

    PREFIX = 12  # a quoted piece this long is the secret's, not a coincidence

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: str) -> None:
        if len(value) < self.PREFIX:
            return  # too short to tell from ordinary text (test stand-ins, empty values)
        with self._lock:
            if value not in self._values:
                self._values.add(value)
                self._pattern = None

    def scrub(self, text: str) -> str:
        with self._lock:
            if not self._values:
                return text
            if self._pattern is None:
                pieces = sorted({v[: self.PREFIX] for v in self._values}, key=len, reverse=True)
                self._pattern = re.compile("|".join(re.escape(p) + r"[^\s'\",&]*" for p in pieces))
            pattern = self._pattern
        return pattern.sub(MASK, text)


KNOWN_SECRETS = KnownSecrets()


def redact(text: str) -> str:
    for pattern in _SECRET_PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + MASK, text)
    return KNOWN_SECRETS.scrub(text)


class RedactingFilter(logging.Filter):
    """Third-party debug logs (urllib3 logs every URL, oauthlib its headers) lose their tokens."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


_NOISY_LOGGERS = (
    "urllib3.connectionpool",
    "requests_oauthlib.oauth1_auth",
    "oauthlib.oauth1.rfc5849",
    "tweepy.client",
    # A logger's filter does not see its children's records: name each module that logs.
    "publishers.social.x",
    "publishers.social.facebook",
    "publishers.social.instagram",
    "publishers.social.graph",
    "publishers.social.website",
    "siaran.publishers",
)
_installed = threading.Lock()
_done: set[str] = set()


def install_log_redaction() -> None:
    """Idempotent; called whenever a publisher is built."""
    with _installed:
        for name in _NOISY_LOGGERS:
            if name not in _done:
                logging.getLogger(name).addFilter(RedactingFilter())
                _done.add(name)


def new_session(routes: Mapping[str, str], timeouts: Timeouts) -> tuple[requests.Session, Recorder]:
    """A fresh Session with base URLs mounted (for calls we make ourselves)."""
    session = requests.Session()
    return session, mount_base_urls(session, routes, timeouts)
