"""What people see of platform money: the estimate of a draft or a post before anything is spent
(with its reasons and the cheaper form), a month's spending per platform and OPD against its
budgets, the budget warnings, the ledger, the targets waiting for money, the warning banner for
PPID Utama, and the spending sheet that joins the Monev workbook.

Every reader checks the right (`Action.VIEW_REPORTS`) and scopes its queries to the OPDs the actor
may see (`visible_opd_ids`): a PPID Pembantu sees their own OPD's spending and nothing of the city
totals. Sums are taken in SQL; lists are paged without counting the whole table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Integer, cast, exists, func, select
from sqlalchemy.orm import Session

from content import monev
from content.actors import Actor, refresh
from content.config import Settings
from content.costs import (
    BUDGET_WAIT,
    WARN_AT,
    Estimate,
    Prices,
    estimate_post,
    estimate_target,
    format_usd,
    month_of,
    set_budget,
)
from content.errors import NotFound, ValidationFailed
from content.models import (
    AuditEvent,
    Budget,
    Channel,
    Opd,
    Post,
    PostMedia,
    PostTarget,
    SpendEntry,
    TargetStatus,
)
from content.monev.periods import parse_period
from content.monev.report import Table, workbook_bytes
from content.monev.sql import seconds_between
from content.permissions import Action, can, require, visible_opd_ids
from content.posts import DraftInput, get_post, usable_accounts, usable_screens
from content.queries import MAX_PAGE_SIZE, Page
from content.timeutil import WIB, utcnow

CHANNEL_NAMES = {
    Channel.X: "X",
    Channel.FACEBOOK: "Facebook",
    Channel.INSTAGRAM: "Instagram",
    Channel.VIDEOTRON: "Videotron",
}
# Meta's Graph API costs nothing per call, but every page, app and account is rate-limited.
RATE_LIMITED = frozenset({Channel.FACEBOOK, Channel.INSTAGRAM})
FREE_RATE_LIMITED = "gratis, dibatasi laju"
FREE = "gratis"
CITY = "Seluruh kota"
NO_OPD = "Tanpa OPD (akun kota)"
SHEET_TITLE = "Biaya platform"
ACTION_LABELS = {
    "post": "Posting",
    "post_with_url": "Posting bertautan",
    "read_post": "Baca posting (metrik)",
    "read_user": "Cek koneksi akun",
    "media_metadata": "Teks alternatif foto",
    "media_upload": "Unggah media",
    "delete_post": "Hapus posting (tarik publikasi)",
}
MAX_BUDGET = Decimal("99999999.9999")  # Numeric(12, 4)
_CENTS = Decimal("0.0001")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


# --- before spending: estimates --------------------------------------------------------------


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
        when = date.fromisoformat(checked).strftime("%d-%m-%Y")
    text = f"Harga platform diperiksa {when or '(tanggal tidak diketahui)'}"
    return f"{text}; sumber: {source}." if source else f"{text}."


def checked_text(prices: Prices) -> str:
    """When the price table was last checked against the platforms' own pages, and where."""
    return _checked(prices.checked, prices.source)


def _name(estimate: Estimate) -> str:
    where = estimate.label.split(":", 1)[-1]
    return f"{CHANNEL_NAMES[estimate.channel]} · {where}"


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


# --- months ----------------------------------------------------------------------------------


def check_month(month: str) -> str:
    value = month.strip()
    if not _MONTH.fullmatch(value):
        raise ValidationFailed(f"Bulan '{month}' tidak dikenali; tulis seperti 2026-11.")
    return value


def month_label(month: str) -> str:
    return parse_period(check_month(month)).label


def recent_months(now: datetime | None = None, *, back: int = 12, ahead: int = 1) -> list[str]:
    """Months to choose from, newest first: `ahead` months to come (a budget set in advance),
    the current month (WIB), and `back` months before it."""
    current = month_of(now or utcnow())
    year, month = int(current[:4]), int(current[5:])
    index = year * 12 + month - 1 + ahead
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index, index - ahead - back - 1, -1)]


# --- spending against the budgets --------------------------------------------------------------


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(_CENTS)


def level_of(percent: float | None) -> str:
    """'error' at or above 100 % of a budget, 'warning' from 80 %, else 'ok'."""
    if percent is None or percent < WARN_AT[0]:
        return "ok"
    return "error" if percent >= WARN_AT[-1] else "warning"


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
            f"Anggaran {CHANNEL_NAMES[self.platform]} {self.scope} {month_label(self.month)}: "
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


def _bounds(month: str) -> tuple[datetime, datetime]:
    period = parse_period(check_month(month))
    return period.start, period.end


def _opd_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Opd.id, Opd.short_name).where(Opd.id.in_(sorted(ids))))
    return {i: name for i, name in rows}


def spending(session: Session, actor: Actor, month: str, prices: Prices) -> MonthSpending:
    """Per platform: the city's total against the city budget, then each OPD's share against
    its own budget (an OPD with a budget and nothing spent is listed too)."""
    actor, visible = _reader(session, actor)
    start, end = _bounds(month)
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
        (platform, opd_id): (_money(total), int(calls))
        for platform, opd_id, total, calls in session.execute(
            sums.group_by(SpendEntry.platform, SpendEntry.opd_id)
        )
    }
    budgets = {(p, o): _money(a) for p, o, a in session.execute(budgets_query)}
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
                CHANNEL_NAMES[row.platform],
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
    start, end = _bounds(month)
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
        DaySpend(first + timedelta(days=int(index)), platform, _money(total))
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
        return ACTION_LABELS.get(self.action, self.action)


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
    start, end = _bounds(month)
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
            _money(e.amount_usd),
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
        .where(AuditEvent.action == "budget.warning", Budget.month == month)
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
                _money(after.get("spent_usd")),
                _money(after.get("budget_usd", budget.amount_usd)),
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


def _waiting_query(platform: Channel | None = None) -> Any:
    query = (
        select(PostTarget)
        .join(Post, Post.id == PostTarget.post_id)
        .where(
            PostTarget.status == TargetStatus.WAITING,
            PostTarget.wait_reason.contains(BUDGET_WAIT),
        )
    )
    return query if platform is None else query.where(PostTarget.channel == platform)


def waiting_for_budget(
    session: Session, actor: Actor, *, page: int = 1, page_size: int = 25
) -> Page[WaitingTarget]:
    """Targets the worker holds because a budget would be exceeded; raising it releases them."""
    _, visible = _reader(session, actor)
    _check_page(page, page_size)
    query = _waiting_query()
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


def _waiting_count(session: Session, platform: Channel) -> int:
    query = select(func.count()).select_from(_waiting_query(platform).subquery())
    return int(session.scalar(query) or 0)


def parse_amount(value: object) -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise ValidationFailed("Tulis anggaran sebagai angka dalam dolar AS.") from None
    if not amount.is_finite() or amount < 0:
        raise ValidationFailed("Anggaran tidak boleh negatif.")
    amount = amount.quantize(_CENTS)
    if amount > MAX_BUDGET:
        raise ValidationFailed("Anggaran terlalu besar.")
    return amount


def set_month_budget(
    session: Session,
    actor: Actor,
    platform: Channel,
    month: str,
    amount: object,
    *,
    opd_id: int | None = None,
) -> BudgetChange:
    """PPID Utama sets a monthly budget (`costs.set_budget`, audited); reports how many targets
    that were waiting for money it released."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_BUDGETS)
    month = check_month(month)
    value = parse_amount(amount)
    scope = CITY.lower()
    if opd_id is not None:
        opd = session.get(Opd, opd_id)
        if opd is None:
            raise NotFound("OPD tidak ditemukan.")
        scope = opd.short_name
    before = _waiting_count(session, platform)
    set_budget(session, actor, platform, month, value, opd_id=opd_id)
    released = before - _waiting_count(session, platform)
    return BudgetChange(platform, month, scope, value, max(0, released))


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
