"""Monthly budgets per platform (city-wide, and per OPD besides) and what they allow.

Budgets are enforced here for every caller: the worker asks `may_spend` before a paid call and
holds the target with a `budget` hold when the answer is no; setting a budget releases those
holds (by their code) so the worker asks again. The ledger calls `warn` after each charge: PPID
Utama is warned once per budget at 80 % and at 100 % (raising the budget re-arms the warnings).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from content import audit, formats
from content.audit import AuditAction
from content.costs.estimate import estimate_target
from content.costs.money import format_usd, money
from content.costs.months import check_month, month_bounds, month_of
from content.costs.prices import Prices
from content.delivery.holds import LIFTED, Hold, HoldCode
from content.delivery.target_moves import LIFT, moving
from content.infra.errors import NotFound, ValidationFailed
from content.infra.timeutil import utcnow
from content.labels import CHANNEL_LABELS
from content.models import (
    AuditEvent,
    Budget,
    Channel,
    Opd,
    Post,
    PostTarget,
    SpendEntry,
    TargetStatus,
)
from content.org import notifications
from content.org.actors import SYSTEM, Actor, refresh
from content.org.permissions import Action, require

WARN_AT = (80, 100)
MAX_BUDGET = Decimal("99999999.9999")  # Numeric(12, 4)


def level_of(percent: float | None) -> str:
    """'error' at or above 100 % of a budget, 'warning' from 80 %, else 'ok'."""
    if percent is None or percent < WARN_AT[0]:
        return "ok"
    return "error" if percent >= WARN_AT[-1] else "warning"


def spent(session: Session, platform: Channel, month: str, opd_id: int | None = None) -> Decimal:
    start, end = month_bounds(month)
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
    hold: Hold | None = None  # why not, when not allowed

    @property
    def reason(self) -> str:
        return "" if self.hold is None else self.hold.sentence


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
            facts = {
                "platform": platform.value.upper(),
                "scope": "kota" if scope is None else "OPD ini",
                "month": month,
                "used": format_usd(used),
                "budget": format_usd(budget.amount_usd),
            }
            return SpendCheck(False, Hold(HoldCode.BUDGET, facts))
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


def parse_amount(value: object) -> Decimal:
    """A budget as typed ("12,50" or a Decimal) as a stored amount, or one Indonesian sentence."""
    amount = formats.parse_number(value)
    if amount is None:
        raise ValidationFailed("Tulis anggaran sebagai angka dalam dolar AS, mis. 25,00.")
    if amount < 0:
        raise ValidationFailed("Anggaran tidak boleh negatif.")
    amount = money(amount)
    if amount > MAX_BUDGET:
        raise ValidationFailed("Anggaran terlalu besar.")
    return amount


def set_budget(
    session: Session,
    actor: Actor,
    platform: Channel,
    month: str,
    amount: object,
    *,
    opd_id: int | None = None,
) -> Budget:
    """PPID Utama sets (or changes) a monthly budget, audited; the targets held for money on
    that platform go back to the queue to be checked again."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_BUDGETS)
    month = check_month(month)
    value = parse_amount(amount)
    if opd_id is not None and session.get(Opd, opd_id) is None:
        raise NotFound("OPD tidak ditemukan.")
    budget = budget_row(session, platform, month, opd_id, lock=True)
    before = None if budget is None else {"amount_usd": str(money(budget.amount_usd))}
    if budget is None:
        budget = Budget(platform=platform, month=month, opd_id=opd_id, amount_usd=value)
        session.add(budget)
    budget.amount_usd, budget.set_by_id = value, actor.user_id
    session.flush()
    released = release_budget_holds(session, platform)
    audit.record(
        session,
        actor,
        AuditAction.BUDGET_SET,
        "budget",
        budget.id,
        opd_id=opd_id,
        before=before,
        after={
            "platform": platform,
            "month": month,
            "amount_usd": str(value),
            "released": released,
        },
    )
    return budget


def held_for_budget() -> ColumnElement[bool]:
    """The condition of a target held for money (its hold's code, not its sentence)."""
    return (PostTarget.status == TargetStatus.WAITING) & (PostTarget.wait_code == HoldCode.BUDGET)


def release_budget_holds(session: Session, platform: Channel) -> int:
    """Held-for-budget targets go back to the queue; the worker checks the budget again."""
    result = session.execute(
        moving(LIFT, PostTarget.channel == platform, held_for_budget()).values(
            due_at=utcnow(), **LIFTED
        )
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


# --- warnings --------------------------------------------------------------------------------


def warn(session: Session, platform: Channel, month: str, opd_id: int | None) -> None:
    """Audit a `budget.warning` for each threshold the budget's spending has reached, once."""
    budget = budget_row(session, platform, month, opd_id)
    if budget is None or budget.amount_usd <= 0:
        return
    used = spent(session, platform, month, opd_id)
    percent = float(used / budget.amount_usd * 100)
    if percent >= WARN_AT[0]:
        notifications.budget_crossed(
            session, budget.id, _budget_subject(session, platform, month, opd_id), month, opd_id
        )
    for threshold in WARN_AT:
        if percent < threshold or _warned(session, budget.id, threshold):
            continue
        audit.record(
            session,
            SYSTEM,
            AuditAction.BUDGET_WARNING,
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


def _budget_subject(session: Session, platform: Channel, month: str, opd_id: int | None) -> str:
    """How a budget is named in a notification: its platform and month, and its OPD's short
    name for an OPD's budget (only that OPD's people and PPID Utama hear of it)."""
    where = ""
    if opd_id is not None:
        short = session.scalar(select(Opd.short_name).where(Opd.id == opd_id))
        where = f" ({short})" if short else ""
    return f"{CHANNEL_LABELS[platform]} {month}{where}"


def _warned(session: Session, budget_id: int, threshold: int) -> bool:
    """Warned already at this threshold since the budget was last set (raising it re-arms)."""
    about = (AuditEvent.entity_type == "budget") & (AuditEvent.entity_id == budget_id)
    last_set = session.scalar(
        select(func.max(AuditEvent.id)).where(about, AuditEvent.action == AuditAction.BUDGET_SET)
    )
    query = select(AuditEvent.after).where(about, AuditEvent.action == AuditAction.BUDGET_WARNING)
    if last_set is not None:
        query = query.where(AuditEvent.id > last_set)
    return any((e or {}).get("threshold") == threshold for e in session.scalars(query))
