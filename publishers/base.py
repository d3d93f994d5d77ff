"""The one interface every channel implements, the capability declaration, masked secrets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar, runtime_checkable

from content.channels import RULES, ChannelRules, problems
from content.models import AccountHealth, Channel
from content.timeutil import utcnow
from publishers.result import ConnectionStatus, Metrics, Outcome, Problem, Reason, Receipt
from publishers.target import TargetContent
from publishers.transport import MASK

T = TypeVar("T")


class Secret:
    """A credential that shows itself only when asked: repr, str and f-strings print a mask."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

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
    """Everything a channel accepts, declared once per channel module."""

    channel: Channel
    photo_mimes: frozenset[str]
    max_photo_bytes: int
    max_alt_text: int
    metrics_per_call: int
    aspect_ratio: tuple[float, float] | None = None  # allowed width/height, inclusive
    link_param: bool = False  # the link travels apart from the text (Facebook text posts)
    needs_public_media_url: bool = False

    @property
    def rules(self) -> ChannelRules:
        return RULES[self.channel]

    def compose(self, text: str, link: str, has_photos: bool) -> tuple[str, str | None]:
        """(text to post, link to send as its own field). Where the platform has no link field
        the link is appended to the text, unless the text already carries it."""
        link = link.strip()
        if not link:
            return text, None
        if self.link_param and not has_photos:
            return text, link
        if link in text:
            return text, None
        return (f"{text.rstrip()}\n\n{link}" if text.strip() else link), None


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

    def close(self) -> None: ...


def common_problems(caps: Capabilities, target: TargetContent) -> list[Problem]:
    """The checks every channel shares: text rules from content.channels, photo type, size,
    alt text length and aspect ratio."""
    text, _ = caps.compose(target.text, target.link, bool(target.photos))
    found = [
        Problem("rules", message) for message in problems(caps.channel, text, len(target.photos))
    ]
    label = caps.rules.label
    for index, photo in enumerate(target.photos):
        number = index + 1
        if photo.mime not in caps.photo_mimes:
            found.append(
                Problem(
                    "photo_type",
                    f"{label}: foto ke-{number} berformat {photo.mime}; yang diterima "
                    f"{', '.join(sorted(caps.photo_mimes))}.",
                    index,
                    fix="pad" if caps.aspect_ratio else None,
                )
            )
        if photo.size_bytes > caps.max_photo_bytes:
            found.append(
                Problem(
                    "photo_size",
                    f"{label}: foto ke-{number} {photo.size_bytes // 1024} KB, melebihi batas "
                    f"{caps.max_photo_bytes // (1024 * 1024)} MB.",
                    index,
                )
            )
        if len(photo.alt_text) > caps.max_alt_text:
            found.append(
                Problem(
                    "alt_text",
                    f"{label}: teks alternatif foto ke-{number} paling banyak "
                    f"{caps.max_alt_text} karakter.",
                    index,
                )
            )
        if caps.aspect_ratio and photo.width and photo.height:
            low, high = caps.aspect_ratio
            ratio = photo.width / photo.height
            if not low <= ratio <= high:
                found.append(
                    Problem(
                        "aspect_ratio",
                        f"{label}: rasio foto ke-{number} {ratio:.2f}:1 di luar {low:.2f}:1 "
                        f"sampai {high:.2f}:1; gunakan versi berbingkai.",
                        index,
                        fix="pad",
                    )
                )
    return found


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
