"""What people read of platform money after it is spent: a month's spending per platform and
OPD against its budgets, day by day, the ledger, the budget warnings, the targets held for money,
the warning banner for PPID Utama, the spending sheet that joins the Monev workbook, and setting a
budget from a form.

Every reader checks the right (`Action.VIEW_REPORTS`) and scopes its queries to the OPDs the actor
may see (`visible_opd_ids`): a PPID Pembantu sees their own OPD's spending and nothing of the city
totals. Sums are taken in SQL; lists are paged without counting the whole table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Integer, cast, exists, func, select
from sqlalchemy.orm import Session

from content import monev
from content.audit import AuditAction
from content.costs import operations
from content.costs.budgets import held_for_budget, level_of, set_budget
from content.costs.money import format_usd, money
from content.costs.months import check_month, month_bounds, month_label, month_of
from content.costs.prices import Prices
from content.editorial.queries import MAX_PAGE_SIZE, Page
from content.infra.config import Settings
from content.infra.errors import ValidationFailed
from content.infra.timeutil import WIB, utcnow
from content.labels import CHANNEL_LABELS
from content.models import AuditEvent, Budget, Channel, Opd, Post, PostTarget, SpendEntry
from content.monev.periods import parse_period
from content.monev.report import Table, workbook_bytes
from content.monev.sql import seconds_between
from content.org.actors import Actor, refresh
from content.org.permissions import Action, can, require, visible_opd_ids

CITY = "Seluruh kota"
NO_OPD = "Tanpa OPD (akun kota)"
SHEET_TITLE = "Biaya platform"

# --- spending against the budgets --------------------------------------------------------------


@dataclass(frozen=True)
class SpendRow:
    """A month's spending on one platform: the city's total (`city`), or one OPD's share."""

    month: str
    platform: Channel
    opd_id: int | None
    opd_name: str
    city: bool
    spent: Decimal
    budget: Decimal | None
    calls: int

    @property
    def percent(self) -> float | None:
        if self.budget is None:
            return None
        if self.budget <= 0:
            return 100.0 if self.spent > 0 else None
        return float(self.spent / self.budget * 100)

    @property
    def level(self) -> str:
        return level_of(self.percent)

    @property
    def scope(self) -> str:
        return CITY.lower() if self.city else self.opd_name

    def summary(self, prices: Prices | None = None) -> str:
        percent = self.percent
        used = "-" if percent is None else f"{percent:.1f}".replace(".", ",") + "%"
        budget = format_usd(self.budget, prices) if self.budget is not None else "tanpa anggaran"
        return (
            f"Anggaran {CHANNEL_LABELS[self.platform]} {self.scope} {month_label(self.month)}: "
            f"{used} terpakai ({format_usd(self.spent, prices)} dari {budget})."
        )


@dataclass(frozen=True)
class MonthSpending:
    month: str
    label: str
    rows: list[SpendRow]
    usd_idr: float
    scoped: bool  # True: only the actor's OPD (no city totals)

    @property
    def total(self) -> Decimal:
        return sum((r.spent for r in self.rows if not r.city), Decimal(0))


def _reader(session: Session, actor: Actor) -> tuple[Actor, frozenset[int] | None]:
    actor = refresh(session, actor)
    require(actor, Action.VIEW_REPORTS)
    return actor, visible_opd_ids(actor)


def _opd_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Opd.id, Opd.short_name).where(Opd.id.in_(sorted(ids))))
    return {i: name for i, name in rows}


def spending(session: Session, actor: Actor, month: str, prices: Prices) -> MonthSpending:
    """Per platform: the city's total against the city budget, then each OPD's share against
    its own budget (an OPD with a budget and nothing spent is listed too)."""
    actor, visible = _reader(session, actor)
    start, end = month_bounds(month)
    sums = select(
        SpendEntry.platform,
        SpendEntry.opd_id,
        func.sum(SpendEntry.amount_usd),
        func.count(SpendEntry.id),
    ).where(SpendEntry.at >= start, SpendEntry.at < end)
    budgets_query = select(Budget.platform, Budget.opd_id, Budget.amount_usd).where(
        Budget.month == month
    )
    if visible is not None:
        sums = sums.where(SpendEntry.opd_id.in_(sorted(visible)))
        budgets_query = budgets_query.where(Budget.opd_id.in_(sorted(visible)))
    spent = {
        (platform, opd_id): (money(total), int(calls))
        for platform, opd_id, total, calls in session.execute(
            sums.group_by(SpendEntry.platform, SpendEntry.opd_id)
        )
    }
    budgets = {(p, o): money(a) for p, o, a in session.execute(budgets_query)}
    names = _opd_names(session, {o for _, o in [*spent, *budgets] if o is not None})
    rows: list[SpendRow] = []
    for platform in Channel:
        shares = {o for p, o in spent if p is platform} | {
            o for p, o in budgets if p is platform and o is not None
        }
        city_budget = budgets.get((platform, None))
        if not shares and city_budget is None:
            continue
        if visible is None:
            rows.append(
                SpendRow(
                    month,
                    platform,
                    None,
                    CITY,
                    True,
                    sum((s for (p, _), (s, _) in spent.items() if p is platform), Decimal(0)),
                    city_budget,
                    sum(c for (p, _), (_, c) in spent.items() if p is platform),
                )
            )
        ordered = sorted(shares, key=lambda o: (o is None, names.get(o or 0, "").lower()))
        for opd_id in ordered:
            amount, calls = spent.get((platform, opd_id), (Decimal(0), 0))
            rows.append(
                SpendRow(
                    month,
                    platform,
                    opd_id,
                    NO_OPD if opd_id is None else names.get(opd_id, str(opd_id)),
                    False,
                    amount,
                    budgets.get((platform, opd_id)) if opd_id is not None else None,
                    calls,
                )
            )
    return MonthSpending(month, month_label(month), rows, prices.usd_idr, visible is not None)


SPENDING_HEADER = [
    "Bulan",
    "Platform",
    "OPD",
    "Belanja (USD)",
    "Anggaran (USD)",
    "Terpakai (%)",
    "Belanja (≈ Rp)",
    "Panggilan berbayar",
]


def spending_table(data: MonthSpending) -> Table:
    """The page's table and the workbook's "Biaya platform" sheet: the same numbers."""
    rows: list[list[Any]] = []
    for row in data.rows:
        percent = row.percent
        rows.append(
            [
                data.month,
                CHANNEL_LABELS[row.platform],
                row.opd_name,
                float(row.spent),
                None if row.budget is None else float(row.budget),
                None if percent is None else round(percent, 1),
                round(float(row.spent) * data.usd_idr),
                row.calls,
            ]
        )
    return list(SPENDING_HEADER), rows


# --- the month day by day ----------------------------------------------------------------------


@dataclass(frozen=True)
class DaySpend:
    day: date  # WIB
    platform: Channel
    amount: Decimal


def daily_spend(session: Session, actor: Actor, month: str) -> list[DaySpend]:
    _, visible = _reader(session, actor)
    start, end = month_bounds(month)
    day = cast(
        func.floor(seconds_between(session, SpendEntry.at.expression, start) / 86_400.0), Integer
    )
    inner = select(
        day.label("day"),
        SpendEntry.platform.label("platform"),
        SpendEntry.amount_usd.label("amount"),
    ).where(SpendEntry.at >= start, SpendEntry.at < end)
    if visible is not None:
        inner = inner.where(SpendEntry.opd_id.in_(sorted(visible)))
    sub = inner.subquery()
    query = (
        select(sub.c.day, sub.c.platform, func.sum(sub.c.amount))
        .group_by(sub.c.day, sub.c.platform)
        .order_by(sub.c.day, sub.c.platform)
    )
    first = start.astimezone(WIB).date()
    return [
        DaySpend(first + timedelta(days=int(index)), platform, money(total))
        for index, platform, total in session.execute(query)
    ]


# --- the ledger, the warnings, what waits for money ----------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    id: int
    at: datetime
    platform: Channel
    action: str
    units: int
    amount: Decimal
    opd_name: str
    post_id: int | None
    detail: str

    @property
    def action_label(self) -> str:
        return operations.label(self.action)


def _check_page(page: int, page_size: int) -> None:
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(f"Halaman mulai dari 1, isi halaman 1–{MAX_PAGE_SIZE}.")


def ledger(
    session: Session,
    actor: Actor,
    month: str,
    *,
    platform: Channel | None = None,
    opd_id: int | None = None,
    page: int = 1,
    page_size: int = 25,
) -> Page[LedgerRow]:
    """The month's charged calls, newest first."""
    _, visible = _reader(session, actor)
    _check_page(page, page_size)
    start, end = month_bounds(month)
    query = (
        select(SpendEntry, Opd.short_name)
        .outerjoin(Opd, Opd.id == SpendEntry.opd_id)
        .where(SpendEntry.at >= start, SpendEntry.at < end)
    )
    if visible is not None:
        query = query.where(SpendEntry.opd_id.in_(sorted(visible)))
    if platform is not None:
        query = query.where(SpendEntry.platform == platform)
    if opd_id is not None:
        query = query.where(SpendEntry.opd_id == opd_id)
    query = query.order_by(SpendEntry.at.desc(), SpendEntry.id.desc())
    found = session.execute(query.offset((page - 1) * page_size).limit(page_size + 1)).all()
    rows = [
        LedgerRow(
            e.id,
            e.at,
            e.platform,
            e.action,
            e.units,
            money(e.amount_usd),
            name or NO_OPD,
            e.post_id,
            e.detail,
        )
        for e, name in found[:page_size]
    ]
    return Page(rows, page, page_size, len(found) > page_size)


@dataclass(frozen=True)
class BudgetWarning:
    at: datetime
    platform: Channel
    month: str
    scope: str  # "seluruh kota" or the OPD's name
    threshold: int
    spent: Decimal
    budget: Decimal
    reason: str


def budget_warnings(
    session: Session, actor: Actor, month: str, *, limit: int = 100
) -> list[BudgetWarning]:
    """The warnings written at 80 % and 100 % of the month's budgets (`budget.warning`)."""
    _, visible = _reader(session, actor)
    check_month(month)
    query = (
        select(AuditEvent, Budget, Opd.short_name)
        .join(Budget, (AuditEvent.entity_type == "budget") & (AuditEvent.entity_id == Budget.id))
        .outerjoin(Opd, Opd.id == Budget.opd_id)
        .where(AuditEvent.action == AuditAction.BUDGET_WARNING, Budget.month == month)
    )
    if visible is not None:
        query = query.where(Budget.opd_id.in_(sorted(visible)))
    query = query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    warnings = []
    for event, budget, name in session.execute(query):
        after = event.after or {}
        warnings.append(
            BudgetWarning(
                event.at,
                budget.platform,
                budget.month,
                name or CITY.lower(),
                int(after.get("threshold", 0)),
                money(after.get("spent_usd")),
                money(after.get("budget_usd", budget.amount_usd)),
                event.reason,
            )
        )
    return warnings


@dataclass(frozen=True)
class WaitingTarget:
    target_id: int
    post_id: int
    opd_name: str
    channel: Channel
    label: str
    caption: str
    reason: str
    due_at: datetime | None


def waiting_for_budget(
    session: Session, actor: Actor, *, page: int = 1, page_size: int = 25
) -> Page[WaitingTarget]:
    """Targets the worker holds because a budget would be exceeded; raising it releases them."""
    _, visible = _reader(session, actor)
    _check_page(page, page_size)
    query = select(PostTarget).join(Post, Post.id == PostTarget.post_id).where(held_for_budget())
    if visible is not None:
        query = query.where(Post.opd_id.in_(sorted(visible)))
    query = query.order_by(PostTarget.due_at, PostTarget.id)
    found: list[PostTarget] = list(
        session.scalars(query.offset((page - 1) * page_size).limit(page_size + 1)).unique()
    )
    items = [
        WaitingTarget(
            t.id,
            t.post_id,
            t.post.opd.short_name,
            t.channel,
            t.label,
            " ".join(t.post.caption.split())[:120],
            t.wait_reason,
            t.due_at,
        )
        for t in found[:page_size]
    ]
    return Page(items, page, page_size, len(found) > page_size)


def visible_opds(session: Session, actor: Actor) -> dict[int, str]:
    """The OPDs whose spending the actor may see, by short name."""
    _, visible = _reader(session, actor)
    query = select(Opd.id, Opd.short_name).where(Opd.active).order_by(Opd.short_name)
    if visible is not None:
        query = query.where(Opd.id.in_(sorted(visible)))
    return {i: name for i, name in session.execute(query)}


# --- setting a budget --------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetChange:
    platform: Channel
    month: str
    scope: str
    amount: Decimal
    released: int  # targets that were waiting for money and went back to the queue


def set_month_budget(
    session: Session,
    actor: Actor,
    platform: Channel,
    month: str,
    amount: object,
    *,
    opd_id: int | None = None,
) -> BudgetChange:
    """PPID Utama sets a monthly budget from a form (`costs.set_budget`: its checks, its audit);
    reports it in words with how many targets that were waiting for money it released."""
    before = _held_count(session, platform)
    budget = set_budget(session, actor, platform, month, amount, opd_id=opd_id)
    released = before - _held_count(session, platform)
    opd = None if opd_id is None else session.get(Opd, opd_id)
    scope = CITY.lower() if opd is None else opd.short_name
    return BudgetChange(platform, budget.month, scope, budget.amount_usd, max(0, released))


def _held_count(session: Session, platform: Channel) -> int:
    query = select(func.count(PostTarget.id)).where(PostTarget.channel == platform)
    return int(session.scalar(query.where(held_for_budget())) or 0)


# --- the banner for PPID Utama -----------------------------------------------------------------


def budget_alerts(
    session: Session, actor: Actor, prices: Prices, *, now: datetime | None = None
) -> list[SpendRow]:
    """The current month's budgets at 80 % or more, for the person who sets budgets; nobody
    else is shown the banner (an empty list)."""
    actor = refresh(session, actor)
    if not can(actor, Action.MANAGE_BUDGETS) or not can(actor, Action.VIEW_REPORTS):
        return []
    month = month_of(now or utcnow())
    if not session.scalar(select(exists().where(Budget.month == month))):
        return []
    rows = spending(session, actor, month, prices).rows
    return [r for r in rows if r.budget is not None and r.level != "ok"]


# --- export ------------------------------------------------------------------------------------


def spending_workbook(
    session: Session, actor: Actor, month: str, prices: Prices, settings: Settings | None = None
) -> bytes:
    """The Monev workbook of the month (the actor's scope) with the spending sheet added."""
    data = spending(session, actor, month, prices)
    report = monev.compute(session, actor, parse_period(month), monev.load(settings))
    return workbook_bytes(report, extra=[(SHEET_TITLE, spending_table(data))])
