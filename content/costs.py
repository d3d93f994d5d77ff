"""What publishing costs: prices (settings), estimates before spending, monthly budgets, and the
ledger of charged calls. X charges per call since February 2026; Meta is free but rate-limited.

Budgets are enforced here for every caller: the worker asks `may_spend` before a paid call and
holds the target with a readable reason when the answer is no; raising the budget releases it.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from content import audit
from content.actors import SYSTEM, Actor, refresh
from content.config import Settings
from content.errors import ValidationFailed
from content.models import Budget, Channel, Post, PostTarget, SpendEntry, TargetStatus
from content.permissions import Action, require
from content.timeutil import WIB, utcnow

PRICES_FILE = Path(__file__).parent / "data" / "prices.toml"
BUDGET_WAIT = "anggaran"  # marks held targets that a budget change may release
WARN_AT = (80, 100)


@dataclass(frozen=True)
class Prices:
    table: Mapping[str, Mapping[str, Any]]
    checked: str = ""
    source: str = ""
    usd_idr: float = 0.0

    def price(self, platform: Channel, action: str) -> Decimal:
        value = self.table.get(platform.value, {}).get(action, 0)
        return Decimal(str(value))

    def note(self, platform: Channel) -> str:
        return str(self.table.get(platform.value, {}).get("note", ""))

    def paid(self, platform: Channel) -> bool:
        return any(
            isinstance(v, int | float) and v > 0
            for v in self.table.get(platform.value, {}).values()
        )


def load_prices(settings: Settings | None = None) -> Prices:
    data: dict[str, Any] = tomllib.loads(PRICES_FILE.read_text(encoding="utf-8"))
    overrides = dict(settings.section("prices")) if settings else {}
    for key, value in overrides.items():
        if isinstance(value, Mapping):
            data[key] = {**data.get(key, {}), **value}
        else:
            data[key] = value
    table = {k: v for k, v in data.items() if isinstance(v, Mapping)}
    return Prices(
        table,
        str(data.get("checked", "")),
        str(data.get("source", "")),
        float(data.get("usd_idr", 0)),
    )


# --- before spending ---------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    label: str
    channel: Channel
    amount: Decimal
    reason: str
    cheaper: str = ""
    cheaper_amount: Decimal | None = None


def _has_url(text: str) -> bool:
    from twitter_text import extract_urls  # large tables: load on first use

    return bool(extract_urls(text))


def estimate_target(post: Post, target: PostTarget, prices: Prices) -> Estimate:
    from content.posts import channel_text

    label = target.label
    if target.channel is not Channel.X:
        return Estimate(label, target.channel, Decimal(0), prices.note(target.channel) or "Gratis.")
    text = channel_text(post, target)
    # X has no link field: the post's link travels inside the text.
    with_url = bool(post.link) or _has_url(text)
    photos = sum(1 for p in post.photos if p.alt_text.strip())
    alt = prices.price(Channel.X, "media_metadata") * photos
    uploads = prices.price(Channel.X, "media_upload") * len(post.photos)
    base = prices.price(Channel.X, "post_with_url" if with_url else "post")
    amount = base + alt + uploads
    reason = "berisi tautan" if with_url else "tanpa tautan"
    if photos:
        reason += f", {photos} teks alternatif foto"
    if not with_url:
        return Estimate(label, Channel.X, amount, reason)
    plain = prices.price(Channel.X, "post") + alt + uploads
    cheaper = (
        "Tanpa tautan di teks X biayanya lebih murah: letakkan tautan di baris pertama keterangan "
        "Facebook/Instagram atau sebagai kode QR di slide videotron."
    )
    return Estimate(label, Channel.X, amount, reason, cheaper, plain)


def estimate_post(post: Post, prices: Prices) -> list[Estimate]:
    return [estimate_target(post, t, prices) for t in post.targets]


def format_usd(amount: Decimal, prices: Prices | None = None) -> str:
    text = f"${amount:,.3f}".replace(",", "_").replace(".", ",").replace("_", ".")
    if prices and prices.usd_idr and amount:
        rupiah = f"{float(amount) * prices.usd_idr:,.0f}".replace(",", ".")
        text += f" (≈ Rp{rupiah})"
    return text


# --- budgets -------------------------------------------------------------------------------


def month_of(moment: datetime) -> str:
    return moment.astimezone(WIB).strftime("%Y-%m")


def _month_bounds(month: str) -> tuple[datetime, datetime]:
    from content.monev.periods import parse_period

    period = parse_period(month)
    return period.start, period.end


def spent(session: Session, platform: Channel, month: str, opd_id: int | None = None) -> Decimal:
    start, end = _month_bounds(month)
    query = select(func.coalesce(func.sum(SpendEntry.amount_usd), 0)).where(
        SpendEntry.platform == platform, SpendEntry.at >= start, SpendEntry.at < end
    )
    if opd_id is not None:
        query = query.where(SpendEntry.opd_id == opd_id)
    return Decimal(str(session.scalar(query)))


def budget_row(
    session: Session, platform: Channel, month: str, opd_id: int | None, *, lock: bool = False
) -> Budget | None:
    query = select(Budget).where(Budget.platform == platform, Budget.month == month)
    query = query.where(Budget.opd_id.is_(None) if opd_id is None else Budget.opd_id == opd_id)
    if lock:
        query = query.with_for_update()
    return session.scalar(query)


@dataclass(frozen=True)
class SpendCheck:
    allowed: bool
    reason: str = ""
    warnings: tuple[str, ...] = field(default_factory=tuple)


def may_spend(
    session: Session,
    platform: Channel,
    amount: Decimal,
    opd_id: int | None,
    *,
    prices: Prices,
    excluding: Collection[int] = (),
    now: datetime | None = None,
) -> SpendCheck:
    """Whether a paid call of `amount` fits every budget that applies (city-wide and the OPD's),
    counting calls already under way at their estimate. The budget rows are locked, so two
    workers cannot both take the last dollar."""
    month = month_of(now or utcnow())
    for scope in (None, opd_id) if opd_id is not None else (None,):
        budget = budget_row(session, platform, month, scope, lock=True)
        if budget is None:
            continue
        used = spent(session, platform, month, scope)
        used += in_flight(session, platform, scope, prices, excluding)
        if used + amount > budget.amount_usd:
            who = "kota" if scope is None else "OPD ini"
            return SpendCheck(
                False,
                f"Anggaran {platform.value.upper()} {who} bulan {month} tidak cukup "
                f"({format_usd(used)} dari {format_usd(budget.amount_usd)} terpakai); "
                f"menunggu anggaran dinaikkan.",
            )
    return SpendCheck(True)


def in_flight(
    session: Session,
    platform: Channel,
    opd_id: int | None,
    prices: Prices,
    excluding: Collection[int] = (),
) -> Decimal:
    """Paid calls started but not yet in the ledger, at their estimate."""
    query = (
        select(PostTarget)
        .join(Post)
        .where(PostTarget.channel == platform, PostTarget.status == TargetStatus.PUBLISHING)
    )
    if opd_id is not None:
        query = query.where(Post.opd_id == opd_id)
    if excluding:
        query = query.where(PostTarget.id.not_in(list(excluding)))
    targets = session.scalars(query).unique()
    return sum((estimate_target(t.post, t, prices).amount for t in targets), Decimal(0))


def set_budget(
    session: Session,
    actor: Actor,
    platform: Channel,
    month: str,
    amount: Decimal,
    *,
    opd_id: int | None = None,
) -> Budget:
    """PPID Utama sets (or changes) a monthly budget; targets waiting for money are re-checked."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_BUDGETS)
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise ValidationFailed(f"Bulan '{month}' tidak dikenali; tulis seperti 2026-11.")
    if amount < 0:
        raise ValidationFailed("Anggaran tidak boleh negatif.")
    budget = budget_row(session, platform, month, opd_id, lock=True)
    before = None if budget is None else {"amount_usd": _money(budget.amount_usd)}
    if budget is None:
        budget = Budget(platform=platform, month=month, opd_id=opd_id, amount_usd=amount)
        session.add(budget)
    budget.amount_usd, budget.set_by_id = amount, actor.user_id
    session.flush()
    released = release_budget_waits(session, platform)
    audit.record(
        session,
        actor,
        "budget.set",
        "budget",
        budget.id,
        opd_id=opd_id,
        before=before,
        after={
            "platform": platform,
            "month": month,
            "amount_usd": _money(amount),
            "released": released,
        },
    )
    return budget


def _money(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(Decimal("0.0001")))


def release_budget_waits(session: Session, platform: Channel) -> int:
    """Held-for-budget targets go back to the queue; the worker checks the budget again."""
    result = session.execute(
        update(PostTarget)
        .where(
            PostTarget.channel == platform,
            PostTarget.status == TargetStatus.WAITING,
            PostTarget.wait_reason.contains(BUDGET_WAIT),
        )
        .values(status=TargetStatus.SCHEDULED, due_at=utcnow(), wait_reason="")
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# --- the ledger ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Charge:
    platform: Channel
    action: str
    units: int
    amount: Decimal
    detail: str = ""


def record_charges(
    session: Session,
    charges: Iterable[Charge],
    *,
    opd_id: int | None = None,
    account_id: int | None = None,
    post_id: int | None = None,
    target_id: int | None = None,
    at: datetime | None = None,
) -> Decimal:
    """Write charged calls to the ledger, then warn PPID Utama once per month at 80 % and 100 %."""
    at = at or utcnow()
    total = Decimal(0)
    platforms = set()
    for charge in charges:
        if charge.amount <= 0:
            continue
        session.add(
            SpendEntry(
                at=at,
                platform=charge.platform,
                action=charge.action,
                units=charge.units,
                amount_usd=charge.amount,
                opd_id=opd_id,
                account_id=account_id,
                post_id=post_id,
                target_id=target_id,
                detail=charge.detail[:500],
            )
        )
        total += charge.amount
        platforms.add(charge.platform)
    session.flush()
    for platform in platforms:
        _warn(session, platform, month_of(at), None)
        if opd_id is not None:
            _warn(session, platform, month_of(at), opd_id)
    return total


def _warn(session: Session, platform: Channel, month: str, opd_id: int | None) -> None:
    budget = budget_row(session, platform, month, opd_id)
    if budget is None or budget.amount_usd <= 0:
        return
    used = spent(session, platform, month, opd_id)
    percent = float(used / budget.amount_usd * 100)
    for threshold in WARN_AT:
        if percent < threshold or _warned(session, budget.id, threshold):
            continue
        audit.record(
            session,
            SYSTEM,
            "budget.warning",
            "budget",
            budget.id,
            opd_id=opd_id,
            after={
                "platform": platform,
                "month": month,
                "threshold": threshold,
                "spent_usd": str(used),
                "budget_usd": str(budget.amount_usd),
            },
            reason=f"Belanja {platform.value.upper()} {month} mencapai {threshold}% anggaran.",
        )


def _warned(session: Session, budget_id: int, threshold: int) -> bool:
    """Warned already at this threshold since the budget was last set (raising it re-arms)."""
    from content.models import AuditEvent

    about = (AuditEvent.entity_type == "budget") & (AuditEvent.entity_id == budget_id)
    last_set = session.scalar(
        select(func.max(AuditEvent.id)).where(about, AuditEvent.action == "budget.set")
    )
    query = select(AuditEvent.after).where(about, AuditEvent.action == "budget.warning")
    if last_set is not None:
        query = query.where(AuditEvent.id > last_set)
    return any((e or {}).get("threshold") == threshold for e in session.scalars(query))


# --- pricing the calls that were made ----------------------------------------------------


class PaidCall(Protocol):
    """What the publishers' call log keeps of one call (structural: no import of publishers)."""

    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def status(self) -> int: ...
    @property
    def request_body(self) -> bytes: ...
    @property
    def response_body(self) -> bytes: ...


# (method, path, rate-card item) of the X calls priced per request; creating a post is apart.
_ACTIONS = (
    ("DELETE", re.compile(r"^/2/tweets/[^/]+$"), "delete_post"),
    ("POST", re.compile(r"^/2/media/metadata$"), "media_metadata"),
    ("POST", re.compile(r"^/2/media/upload"), "media_upload"),
    ("GET", re.compile(r"^/2/users/me$"), "read_user"),
    ("GET", re.compile(r"^/2/tweets|^/2/users/[^/]+/tweets$"), "read_post"),
)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def _read_ids(call: PaidCall) -> list[str]:
    data = (_json(call.response_body) or {}).get("data")
    items = data if isinstance(data, list) else [data] if isinstance(data, dict) else []
    return [str(item["id"]) for item in items if isinstance(item, dict) and "id" in item]


def _already_read_today(session: Session, ids: Iterable[str], now: datetime) -> set[str]:
    midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    query = select(SpendEntry.detail).where(
        SpendEntry.platform == Channel.X,
        SpendEntry.action == "read_post",
        SpendEntry.at >= midnight,
        SpendEntry.detail.in_(list(ids)),
    )
    return set(session.scalars(query))


def _x_action(call: PaidCall) -> str | None:
    if call.method == "POST" and call.path == "/2/tweets":
        text = str((_json(call.request_body) or {}).get("text", ""))
        return "post_with_url" if _has_url(text) else "post"
    return next(
        (
            action
            for method, path, action in _ACTIONS
            if call.method == method and path.match(call.path)
        ),
        None,
    )


def x_charges(
    session: Session, calls: Iterable[PaidCall], prices: Prices, now: datetime
) -> list[Charge]:
    """What X charges for these calls: successful ones only; each post read once per UTC day."""
    charges: list[Charge] = []
    read: set[str] = set()
    for call in calls:
        action = _x_action(call)
        if action is None or not 200 <= call.status < 300:
            continue
        if action != "read_post":
            charges.append(Charge(Channel.X, action, 1, prices.price(Channel.X, action)))
            continue
        ids = [i for i in _read_ids(call) if i not in read]
        fresh = set(ids) - _already_read_today(session, ids, now)
        read.update(ids)
        price = prices.price(Channel.X, "read_post")
        charges += [Charge(Channel.X, "read_post", 1, price, post_id) for post_id in sorted(fresh)]
    return charges
