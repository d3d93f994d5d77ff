"""What people read of a cost before anything is spent: a draft's or a post's estimate per
target, with its reasons, the cheaper form where there is one, and the date the prices were
checked. The pricing itself is `estimate`; this module only words it."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from content import formats
from content.costs.estimate import Estimate, estimate_post, estimate_target
from content.costs.money import format_usd
from content.costs.prices import Prices
from content.editorial.posts import DraftInput, get_post, usable_accounts, usable_screens
from content.labels import CHANNEL_LABELS
from content.models import Channel, Post, PostMedia, PostTarget
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require

# Meta's Graph API costs nothing per call, but every page, app and account is rate-limited.
RATE_LIMITED = frozenset({Channel.FACEBOOK, Channel.INSTAGRAM})
FREE_RATE_LIMITED = "gratis, dibatasi laju"
FREE = "gratis"


@dataclass(frozen=True)
class CostLine:
    """One target's estimate, ready to read."""

    name: str  # "X · @dinkes"
    channel: Channel
    amount: Decimal
    amount_text: str  # "$0,200 (≈ Rp3.300)", "gratis, dibatasi laju" or "gratis"
    reason: str  # "berisi tautan, 1 teks alternatif foto"
    cheaper: str = ""  # how to post it for less, when there is a way
    cheaper_amount: Decimal | None = None
    cheaper_text: str = ""


@dataclass(frozen=True)
class CostSummary:
    lines: list[CostLine]
    total: Decimal
    total_text: str
    cheaper_total: Decimal | None  # the total when every cheaper form is taken
    cheaper_total_text: str
    checked: str  # the date the prices were checked against the platforms' pages
    source: str

    @property
    def checked_text(self) -> str:
        return _checked(self.checked, self.source)


def _checked(checked: str, source: str) -> str:
    when = checked
    with suppress(ValueError):
        when = formats.day(date.fromisoformat(checked))
    text = f"Harga platform diperiksa {when or '(tanggal tidak diketahui)'}"
    return f"{text}; sumber: {source}." if source else f"{text}."


def checked_text(prices: Prices) -> str:
    """When the price table was last checked against the platforms' own pages, and where."""
    return _checked(prices.checked, prices.source)


def _name(estimate: Estimate) -> str:
    where = estimate.label.split(":", 1)[-1]
    return f"{CHANNEL_LABELS[estimate.channel]} · {where}"


def cost_line(estimate: Estimate, prices: Prices) -> CostLine:
    if estimate.amount > 0:
        amount_text, reason = format_usd(estimate.amount, prices), estimate.reason
    elif estimate.channel in RATE_LIMITED:
        amount_text, reason = FREE_RATE_LIMITED, prices.note(estimate.channel)
    else:
        amount_text = FREE
        reason = "" if estimate.reason == "Gratis." else estimate.reason
    cheaper_text = (
        format_usd(estimate.cheaper_amount, prices) if estimate.cheaper_amount is not None else ""
    )
    return CostLine(
        _name(estimate),
        estimate.channel,
        estimate.amount,
        amount_text,
        reason,
        estimate.cheaper,
        estimate.cheaper_amount,
        cheaper_text,
    )


def summarize(estimates: Sequence[Estimate], prices: Prices) -> CostSummary:
    lines = [cost_line(e, prices) for e in estimates]
    total = sum((e.amount for e in estimates), Decimal(0))
    cheaper_total = None
    if any(e.cheaper_amount is not None for e in estimates):
        cheaper_total = sum(
            (e.amount if e.cheaper_amount is None else e.cheaper_amount for e in estimates),
            Decimal(0),
        )
    return CostSummary(
        lines,
        total,
        format_usd(total, prices) if total else FREE,
        cheaper_total,
        format_usd(cheaper_total, prices) if cheaper_total is not None else "",
        prices.checked,
        prices.source,
    )


def post_cost(post: Post, prices: Prices) -> CostSummary:
    """The estimate of a post already loaded for this actor (the approval queue's items)."""
    return summarize(estimate_post(post, prices), prices)


def saved_post_cost(session: Session, actor: Actor, post_id: int, prices: Prices) -> CostSummary:
    """The estimate of a stored post, visible to the actor as the post itself is."""
    return post_cost(get_post(session, actor, post_id), prices)


def draft_cost(
    session: Session, actor: Actor, opd_id: int, data: DraftInput, prices: Prices
) -> CostSummary:
    """The estimate of what the compose form holds, saved or not: the same pricing as for a stored
    post (`estimate_target`), applied to a post built in memory from the form's values. Nothing of
    it is added to the session, so nothing is written."""
    actor = refresh(session, actor)
    require(actor, Action.WRITE_POST, opd_id)
    accounts = {a.id: a for a in usable_accounts(session, opd_id)}
    screens = {s.id: s for s in usable_screens(session)}
    post = Post(
        opd_id=opd_id,
        caption=data.caption,
        link=data.link.strip(),
        headline=" ".join(data.headline.split()),
    )
    for position, photo in enumerate(data.photos):
        post.photos.append(
            PostMedia(media_id=photo.media_id, position=position, alt_text=photo.alt_text.strip())
        )
    for account_id in dict.fromkeys(data.account_ids):
        account = accounts.get(account_id)
        if account is not None:  # a choice no longer offered is not priced
            target = PostTarget(channel=account.kind, text_override=data.texts.get(account.kind))
            target.account = account
            post.targets.append(target)
    for screen_id in dict.fromkeys(data.screen_ids):
        screen = screens.get(screen_id)
        if screen is not None:
            target = PostTarget(channel=Channel.VIDEOTRON, text_override=None)
            target.screen = screen
            post.targets.append(target)
    estimates = [estimate_target(post, t, prices) for t in post.targets]
    return summarize(estimates, prices)
