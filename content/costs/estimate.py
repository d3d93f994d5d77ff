"""What a target will cost before anything is spent: the operations its publication will make,
priced from the price table (the same names the publishers report once they made them)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from content.costs.operations import Operation, has_url
from content.costs.prices import Prices
from content.models import Channel, Post, PostTarget


@dataclass(frozen=True)
class Estimate:
    label: str
    channel: Channel
    amount: Decimal
    reason: str
    cheaper: str = ""
    cheaper_amount: Decimal | None = None


CHEAPER_WITHOUT_URL = (
    "Tanpa tautan di teks X biayanya lebih murah: letakkan tautan di baris pertama keterangan "
    "Facebook/Instagram atau sebagai kode QR di slide videotron."
)


def estimate_reads(prices: Prices, operation: Operation, count: int) -> Decimal:
    """What `count` per-resource X reads of this kind cost: the price table is the one place for
    the price (a metric read through the own timeline at the owned-read price, a lookup by id at
    the post-read price, a follower count at the user-read price)."""
    return prices.price(Channel.X, operation) * count


def estimate_target(post: Post, target: PostTarget, prices: Prices) -> Estimate:
    from content.editorial.posts import channel_text

    label = target.label
    if target.channel is not Channel.X:
        return Estimate(label, target.channel, Decimal(0), prices.note(target.channel) or "Gratis.")
    text = channel_text(post, target)
    # X has no link field: the post's link travels inside the text.
    with_url = bool(post.link) or has_url(text)
    photos = sum(1 for p in post.photos if p.alt_text.strip())
    alt = prices.price(Channel.X, Operation.MEDIA_METADATA) * photos
    uploads = prices.price(Channel.X, Operation.MEDIA_UPLOAD) * len(post.photos)
    create = Operation.POST_WITH_URL if with_url else Operation.POST
    amount = prices.price(Channel.X, create) + alt + uploads
    reason = "berisi tautan" if with_url else "tanpa tautan"
    if photos:
        reason += f", {photos} teks alternatif foto"
    if not with_url:
        return Estimate(label, Channel.X, amount, reason)
    plain = prices.price(Channel.X, Operation.POST) + alt + uploads
    return Estimate(label, Channel.X, amount, reason, CHEAPER_WITHOUT_URL, plain)


def estimate_post(post: Post, prices: Prices) -> list[Estimate]:
    return [estimate_target(post, t, prices) for t in post.targets]
