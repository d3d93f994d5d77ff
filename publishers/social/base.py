"""The one interface every channel implements, the capability declaration, masked secrets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, runtime_checkable

from content.editorial.channels import RULES, ChannelRules, check, compose
from content.infra.timeutil import utcnow
from content.models import AccountHealth, Channel
from publishers.social.result import ConnectionStatus, Metrics, Outcome, Problem, Reason, Receipt
from publishers.social.target import TargetContent
from publishers.social.transport import KNOWN_SECRETS, MASK, CallRecord

T = TypeVar("T")


class Secret:
    """A credential that shows itself only when asked: repr, str and f-strings print a mask."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        KNOWN_SECRETS.add(value)  # so a platform quoting it back is masked too

    def reveal(self) -> str:
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __repr__(self) -> str:
        return f"Secret({MASK})" if self._value else "Secret()"

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError("secrets are not pickled")


def secrets_from(credentials: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Secret]:
    missing = [k for k in keys if not credentials.get(k)]
    if missing:
        raise ValueError(f"missing credentials: {', '.join(missing)}")  # names only, never values
    return {k: Secret(str(credentials[k])) for k in keys}


@dataclass(frozen=True)
class Capabilities:
    """What a channel module declares beyond the channel's rules; the rules themselves (photo
    types, sizes, alt text, aspect ratio, text) live in `content.editorial.channels` and are
    read here."""

    channel: Channel
    metrics_per_call: int
    needs_public_media_url: bool = False

    @property
    def rules(self) -> ChannelRules:
        return RULES[self.channel]

    @property
    def photo_mimes(self) -> frozenset[str]:
        return self.rules.photo_mimes

    @property
    def max_photo_bytes(self) -> int:
        return self.rules.max_photo_bytes

    @property
    def max_alt_text(self) -> int:
        return self.rules.max_alt_text

    @property
    def aspect_ratio(self) -> tuple[float, float] | None:
        return self.rules.aspect_ratio

    @property
    def link_param(self) -> bool:
        return self.rules.link_param

    def compose(self, text: str, link: str, has_photos: bool) -> tuple[str, str | None]:
        """(text to post, link to send as its own field): `content.editorial.channels.compose`."""
        return compose(self.channel, text, link, has_photos)


@runtime_checkable
class Publisher(Protocol):
    kind: Channel
    capabilities: Capabilities

    def validate(self, target: TargetContent) -> list[Problem]:
        """Why this target cannot go out as it is (empty when it can)."""
        ...

    def publish(self, target: TargetContent) -> Receipt:
        """The remote id and URL, or raises PublishError with a classified receipt."""
        ...

    def find_existing(self, target: TargetContent, since: datetime | None = None) -> Receipt | None:
        """The post already on the platform (outcome RECONCILED), looked up by its text."""
        ...

    def fetch_metrics(self, remote_ids: Sequence[str]) -> list[Metrics]:
        """Batched readings; posts the platform no longer knows are left out."""
        ...

    def delete(self, remote_id: str) -> Receipt:
        """Remove a published post (a takedown). SUCCESS also when it was already gone (reason
        NOT_FOUND); reason UNSUPPORTED where the platform has no delete API, with the manual
        step in `platform_message`. Never raises for a platform answer."""
        ...

    def check_connection(self) -> ConnectionStatus:
        """Can we publish with these credentials, and until when?"""
        ...

    def paid_calls(self) -> list[CallRecord]:
        """The calls to paid platforms this publisher made since last asked, for the ledger."""
        ...

    def close(self) -> None: ...


def common_problems(caps: Capabilities, target: TargetContent) -> list[Problem]:
    """The checks every channel shares, exactly as the app runs them before approval
    (`content.editorial.channels.check`): text with its link, photo count, type, size, alt
    text, ratio."""
    return check(caps.channel, target.text, target.link, target.photos, title=target.title)


def token_health(expires_at: datetime | None, expiring_days: int) -> AccountHealth:
    """OK, or EXPIRING when the token runs out within `expiring_days`."""
    if expires_at is not None and expires_at - utcnow() < timedelta(days=expiring_days):
        return AccountHealth.EXPIRING
    return AccountHealth.OK


def failed_connection(receipt: Receipt) -> ConnectionStatus:
    return ConnectionStatus(AccountHealth.ERROR, receipt.summary(), failure=receipt)


def invalid_target(channel: Channel, found: Sequence[Problem]) -> Receipt:
    """Refused before any call: the target breaks the channel's rules."""
    return Receipt(
        channel,
        Outcome.PERMANENT,
        Reason.INVALID_REQUEST,
        platform_code="validation",
        platform_message=" ".join(p.message for p in found),
    )


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
