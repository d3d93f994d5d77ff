"""What a publisher hands back: one `Receipt` shape for success and failure, metrics, problems.

A failure is raised as `PublishError(receipt)`; the receipt says whether to retry (and when),
give up, or reconcile first (`UNKNOWN`: the request was sent and the post may exist).
Messages in receipts never carry credentials: they pass through `transport.redact` first.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from content.editorial import channels
from content.infra.timeutil import format_wib, utcnow
from content.labels import CHANNEL_LABELS
from content.models import AccountHealth, AttemptOutcome, Channel

if TYPE_CHECKING:
    from content.delivery.publishing import Failure

# Re-exported so callers need one import: SUCCESS, RETRYABLE, PERMANENT, UNKNOWN, RECONCILED.
Outcome = AttemptOutcome
# The app's own checks before approval and the publishers' `validate` speak one shape.
Problem = channels.Problem


class Reason(enum.StrEnum):
    """Why, in one word the worker and dashboard can branch on (platform codes are kept too)."""

    OK = "ok"
    RATE_LIMIT = "rate_limit"
    QUOTA = "quota"
    TEMPORARY_BLOCK = "temporary_block"
    SERVER = "server_error"
    NETWORK = "network"
    TIMEOUT = "timeout"
    BAD_RESPONSE = "bad_response"
    AUTH = "auth"
    PERMISSION = "permission"
    DUPLICATE = "duplicate"
    INVALID_MEDIA = "invalid_media"
    TOO_LARGE = "too_large"  # the site refused the upload's size (WordPress 413)
    INVALID_REQUEST = "invalid_request"
    NOT_FOUND = "not_found"
    UNSUPPORTED = "unsupported"  # the platform has no API for this (Instagram: deleting media)
    UNKNOWN = "unknown"


_REASON_TEXT = {
    Reason.OK: "berhasil",
    Reason.RATE_LIMIT: "batas laju platform tercapai",
    Reason.QUOTA: "kuota unggahan platform habis",
    Reason.TEMPORARY_BLOCK: "akun diblokir sementara oleh platform",
    Reason.SERVER: "server platform sedang bermasalah",
    Reason.NETWORK: "platform tidak dapat dihubungi",
    Reason.TIMEOUT: "platform tidak menjawab tepat waktu",
    Reason.BAD_RESPONSE: "jawaban platform tidak dapat dibaca",
    Reason.AUTH: "token akses tidak berlaku atau kedaluwarsa",
    Reason.PERMISSION: "izin akun tidak cukup",
    Reason.DUPLICATE: "platform menolak konten yang sama persis",
    Reason.INVALID_MEDIA: "foto ditolak platform",
    Reason.TOO_LARGE: "berkas terlalu besar untuk diterima situs",
    Reason.INVALID_REQUEST: "permintaan ditolak platform",
    Reason.NOT_FOUND: "tidak ditemukan di platform",
    Reason.UNSUPPORTED: "platform tidak menyediakan API untuk ini",
    Reason.UNKNOWN: "hasil tidak diketahui",
}


@dataclass(frozen=True)
class Receipt:
    """The platform's answer to one publish (or one failed call), in one shape."""

    channel: Channel
    outcome: AttemptOutcome
    reason: Reason = Reason.OK
    remote_id: str | None = None
    url: str | None = None
    http_status: int | None = None
    platform_code: str = ""
    platform_subcode: str = ""
    platform_message: str = ""
    retry_after: datetime | None = None

    @property
    def ok(self) -> bool:
        return self.outcome in {AttemptOutcome.SUCCESS, AttemptOutcome.RECONCILED}

    @property
    def retryable(self) -> bool:
        return self.outcome is AttemptOutcome.RETRYABLE

    @property
    def error_code(self) -> str:
        """For `PublishAttempt.error_code` / `PostTarget.last_error_code` (64 chars)."""
        code = self.platform_code or self.reason.value
        return (f"{code}/{self.platform_subcode}" if self.platform_subcode else code)[:64]

    def summary(self) -> str:
        """One sentence for people (Bahasa Indonesia), with the platform's words kept."""
        label = CHANNEL_LABELS[self.channel]
        if self.ok:
            return f"{label}: terbit{f' ({self.url})' if self.url else ''}."
        parts = [f"{label}: {_REASON_TEXT[self.reason]}"]
        if self.platform_message:
            code = f" [{self.error_code}]" if self.platform_code else ""
            parts.append(f" — {self.platform_message}{code}")
        if self.outcome is AttemptOutcome.UNKNOWN:
            parts.append("; mungkin sudah terbit, periksa dulu sebelum mengulang")
        elif self.retry_after is not None:
            parts.append(f"; coba lagi setelah {format_wib(self.retry_after)}")
        elif self.outcome is AttemptOutcome.RETRYABLE:
            parts.append("; akan dicoba lagi")
        return "".join(parts) + "."

    def to_failure(self) -> Failure:
        """For `content.delivery.publishing.record_failure`."""
        from content.delivery.publishing import Failure

        return Failure(
            outcome=self.outcome,
            message=self.summary(),
            code=self.error_code,
            http_status=self.http_status,
            retry_at=self.retry_after,
            reason=self.reason.value,
            platform_message=self.platform_message,
        )


class PublishError(Exception):
    """A failed platform call; `receipt` says what kind of failure and what the platform said."""

    def __init__(self, receipt: Receipt) -> None:
        super().__init__(receipt.summary())
        self.receipt = receipt


@dataclass(frozen=True)
class Metrics:
    """One reading of one post; None where the platform does not report that number."""

    remote_id: str
    captured_at: datetime = field(default_factory=utcnow)
    impressions: int | None = None
    reach: int | None = None
    views: int | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    clicks: int | None = None
    extra: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ConnectionStatus:
    """The result of `check_connection`, ready for `Account.health` and friends."""

    health: AccountHealth
    message: str
    account_name: str | None = None
    token_expires_at: datetime | None = None
    failure: Receipt | None = None
    details: Mapping[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.health in {AccountHealth.OK, AccountHealth.EXPIRING}
