"""What people see of platform money: estimates of drafts, a month's spending per platform and
OPD against the budgets (scoped), the ledger, warnings, targets waiting for money, the banner,
setting a budget, and the workbook's spending sheet."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from content import costs
from content.costs import summary
from content.costs import views as cost_views
from content.delivery.holds import HoldCode
from content.editorial.posts import DraftInput, PhotoInput
from content.infra.errors import NotFound, PermissionDenied, ValidationFailed
from content.infra.timeutil import utcnow
from content.models import Channel, PostStatus, PostTarget, SpendEntry, TargetStatus
from tests.world import World

PRICES = costs.load_prices()
MONTH = "2026-11"


def spend(
    session: Session,
    at: datetime,
    amount: str,
    opd_id: int | None,
    platform: Channel = Channel.X,
    action: str = "post",
) -> None:
    session.add(
        SpendEntry(
            at=at,
            platform=platform,
            action=action,
            units=1,
            amount_usd=Decimal(amount),
            opd_id=opd_id,
            detail=f"uji {amount}",
        )
    )
    session.flush()


def seed_month(world: World) -> None:
    """November 2026 (WIB): Dinkes $0.45 in three calls, Disdukcapil $0.20, a city account $0.01;
    one Dinkes call early on 1 November WIB (still 31 October in UTC); one in December."""
    s = world.session
    spend(
        s,
        datetime(2026, 10, 31, 17, 30, tzinfo=UTC),
        "0.2",
        world.dinkes_id,
        action="post_with_url",
    )
    spend(
        s, datetime(2026, 11, 2, 3, 0, tzinfo=UTC), "0.2", world.dinkes_id, action="post_with_url"
    )
    spend(s, datetime(2026, 11, 2, 4, 0, tzinfo=UTC), "0.05", world.dinkes_id, action="read_post")
    spend(s, datetime(2026, 11, 5, 4, 0, tzinfo=UTC), "0.2", world.disdukcapil_id)
    spend(s, datetime(2026, 11, 6, 4, 0, tzinfo=UTC), "0.01", None, action="read_user")
    spend(s, datetime(2026, 11, 30, 17, 0, tzinfo=UTC), "0.2", world.dinkes_id)  # 1 Dec WIB
    for amount, opd in ((Decimal("0.80"), None), (Decimal("0.50"), world.dinkes_id)):
        costs.set_budget(s, world.utama, Channel.X, MONTH, amount, opd_id=opd)


def draft(world: World, caption: str, *, link: str = "", alt: bool = False) -> DraftInput:
    photos = []
    if alt:
        media = world.draft().photos[0].media_id
        photos = [PhotoInput(media, "Kader menimbang balita")]
    return DraftInput(
        caption=caption,
        link=link,
        headline="Posyandu serentak",
        account_ids=[world.x_account, world.fb_account, world.ig_account],
        screen_ids=[world.screen_id],
        photos=photos,
    )


# --- estimates ---------------------------------------------------------------------------------


def test_a_draft_without_and_with_a_url(world: World) -> None:
    plain = summary.draft_cost(
        world.session, world.pembantu, world.dinkes_id, draft(world, "Posyandu Sabtu."), PRICES
    )
    x = plain.lines[0]
    assert (x.name, x.amount, x.reason, x.cheaper) == (
        "X · @dinkes",
        Decimal("0.015"),
        "tanpa tautan",
        "",
    )
    assert x.amount_text == "$0,015 (≈ Rp248)"
    by_channel = {line.channel: line for line in plain.lines}
    assert by_channel[Channel.FACEBOOK].amount_text == "gratis, dibatasi laju"
    assert "dibatasi laju" in by_channel[Channel.INSTAGRAM].reason
    assert by_channel[Channel.VIDEOTRON].amount_text == "gratis"
    assert plain.total == Decimal("0.015") and plain.cheaper_total is None
    assert plain.checked_text.startswith("Harga platform diperiksa 30 Nov 2026")

    linked = summary.draft_cost(
        world.session,
        world.pembantu,
        world.dinkes_id,
        draft(world, "Daftar di https://dinkes.bekasikota.go.id/posyandu"),
        PRICES,
    )
    x = linked.lines[0]
    assert x.amount == Decimal("0.2") and x.reason == "berisi tautan"
    assert x.amount_text.startswith("$0,200") and "kode QR" in x.cheaper
    assert x.cheaper_amount == Decimal("0.015") and x.cheaper_text.startswith("$0,015")
    assert linked.cheaper_total == Decimal("0.015")
    # The post's link field travels in the X text too.
    via_link = summary.draft_cost(
        world.session,
        world.pembantu,
        world.dinkes_id,
        draft(world, "Tanpa tautan", link="https://bekasikota.go.id"),
        PRICES,
    )
    assert via_link.lines[0].reason == "berisi tautan"


def test_a_draft_estimate_writes_nothing_and_matches_the_saved_post(world: World) -> None:
    data = draft(world, "Daftar di https://dinkes.bekasikota.go.id", alt=True)
    world.session.flush()
    estimate = summary.draft_cost(world.session, world.pembantu, world.dinkes_id, data, PRICES)
    assert not world.session.new and not world.session.dirty
    assert estimate.lines[0].reason == "berisi tautan, 1 teks alternatif foto"
    from content.editorial.posts import create_draft

    post = create_draft(world.session, world.pembantu, world.dinkes_id, data)
    saved = summary.saved_post_cost(world.session, world.pembantu, post.id, PRICES)
    assert [(line.name, line.amount, line.reason) for line in saved.lines] == [
        (line.name, line.amount, line.reason) for line in estimate.lines
    ]
    assert saved.total == Decimal("0.205")


def test_a_draft_estimate_is_for_the_writers_own_opd(world: World) -> None:
    with pytest.raises(PermissionDenied):
        summary.draft_cost(
            world.session, world.pembantu, world.disdukcapil_id, draft(world, "x"), PRICES
        )
    # Accounts of another OPD are not priced for this one.
    data = DraftInput(caption="x", account_ids=[world.other_x_account, world.x_account])
    lines = summary.draft_cost(world.session, world.pembantu, world.dinkes_id, data, PRICES).lines
    assert [line.name for line in lines] == ["X · @dinkes"]


# --- spending ----------------------------------------------------------------------------------


def test_spending_per_platform_and_opd_against_the_budgets(world: World) -> None:
    seed_month(world)
    data = cost_views.spending(world.session, world.analyst, MONTH, PRICES)
    assert data.label == "November 2026" and not data.scoped
    table = [(r.opd_name, r.city, r.spent, r.budget, r.calls, r.level) for r in data.rows]
    assert table == [
        ("Seluruh kota", True, Decimal("0.66"), Decimal("0.8"), 5, "warning"),
        ("Dinas Kependudukan dan Pencatatan Sipil", False, Decimal("0.2"), None, 1, "ok"),
        ("Dinas Kesehatan", False, Decimal("0.45"), Decimal("0.5"), 3, "warning"),
        (cost_views.NO_OPD, False, Decimal("0.01"), None, 1, "ok"),
    ]
    assert data.rows[0].percent == pytest.approx(82.5)
    assert data.total == Decimal("0.66")
    assert "82,5% terpakai ($0,660 dari $0,800)" in data.rows[0].summary()
    header, rows = cost_views.spending_table(data)
    assert header[3:6] == ["Belanja (USD)", "Anggaran (USD)", "Terpakai (%)"]
    assert rows[0] == ["2026-11", "X", "Seluruh kota", 0.66, 0.8, 82.5, 10890, 5]
    assert rows[1][4:6] == [None, None]


def test_a_ppid_pembantu_sees_only_their_own_opd(world: World) -> None:
    seed_month(world)
    data = cost_views.spending(world.session, world.pembantu, MONTH, PRICES)
    assert data.scoped
    assert [(r.opd_name, r.spent, r.percent) for r in data.rows] == [
        ("Dinas Kesehatan", Decimal("0.45"), pytest.approx(90.0))
    ]
    page = cost_views.ledger(world.session, world.pembantu, MONTH)
    assert {r.opd_name for r in page.items} == {"Dinas Kesehatan"} and len(page.items) == 3
    assert cost_views.visible_opds(world.session, world.pembantu) == {
        world.dinkes_id: "Dinas Kesehatan"
    }
    days = cost_views.daily_spend(world.session, world.pembantu, MONTH)
    assert sum(d.amount for d in days) == Decimal("0.45")


def test_reports_need_the_right_to_view_them(world: World) -> None:
    with pytest.raises(PermissionDenied):
        cost_views.spending(world.session, world.sysadmin, MONTH, PRICES)
    with pytest.raises(PermissionDenied):
        cost_views.ledger(world.session, world.sysadmin, MONTH)
    with pytest.raises(ValidationFailed):
        cost_views.spending(world.session, world.analyst, "2026-Q4", PRICES)


def test_daily_spend_counts_days_in_wib(world: World) -> None:
    seed_month(world)
    days = cost_views.daily_spend(world.session, world.utama, MONTH)
    assert [(d.day, d.amount) for d in days] == [
        (date(2026, 11, 1), Decimal("0.2")),  # 00:30 WIB on the 1st
        (date(2026, 11, 2), Decimal("0.25")),
        (date(2026, 11, 5), Decimal("0.2")),
        (date(2026, 11, 6), Decimal("0.01")),
    ]


def test_the_ledger_is_paged_newest_first_and_filtered(world: World) -> None:
    seed_month(world)
    first = cost_views.ledger(world.session, world.utama, MONTH, page_size=2)
    second = cost_views.ledger(world.session, world.utama, MONTH, page=2, page_size=2)
    third = cost_views.ledger(world.session, world.utama, MONTH, page=3, page_size=2)
    assert first.has_next and second.has_next and not third.has_next
    amounts = [r.amount for p in (first, second, third) for r in p.items]
    assert amounts == [Decimal(a) for a in ("0.01", "0.2", "0.05", "0.2", "0.2")]
    assert first.items[0].action_label == "Cek koneksi akun"
    only = cost_views.ledger(world.session, world.utama, MONTH, opd_id=world.disdukcapil_id)
    assert [r.amount for r in only.items] == [Decimal("0.2")]
    meta = cost_views.ledger(world.session, world.utama, MONTH, platform=Channel.FACEBOOK)
    assert meta.items == []
    with pytest.raises(ValidationFailed):
        cost_views.ledger(world.session, world.utama, MONTH, page=0)


def test_budget_warnings_are_listed_and_scoped(world: World) -> None:
    month = costs.month_of(utcnow())
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("1.00"))
    costs.set_budget(
        world.session, world.utama, Channel.X, month, Decimal("0.20"), opd_id=world.disdukcapil_id
    )
    for _ in range(4):
        costs.record_charges(
            world.session,
            [costs.Charge(Channel.X, "post_with_url", 1, Decimal("0.2"))],
            opd_id=world.disdukcapil_id,
        )
    warnings = cost_views.budget_warnings(world.session, world.utama, month)
    assert sorted((w.scope, w.threshold) for w in warnings) == [
        ("Dinas Kependudukan dan Pencatatan Sipil", 80),
        ("Dinas Kependudukan dan Pencatatan Sipil", 100),
        ("seluruh kota", 80),
    ]
    city = next(w for w in warnings if w.scope == "seluruh kota")
    assert city.spent == Decimal("0.8") and city.budget == Decimal("1")
    assert cost_views.budget_warnings(world.session, world.pembantu, month) == []
    own = cost_views.budget_warnings(world.session, world.other_pembantu, month)
    assert {w.threshold for w in own} == {80, 100}
    assert cost_views.budget_warnings(world.session, world.utama, "2020-01") == []


def _hold(world: World) -> PostTarget:
    post = world.post_in(PostStatus.SCHEDULED)
    target = next(t for t in post.targets if t.channel is Channel.X)
    target.status, target.wait_code = TargetStatus.WAITING, HoldCode.BUDGET
    target.wait_reason = "Anggaran X kota bulan ini tidak cukup; menunggu anggaran dinaikkan."
    world.session.flush()
    return target


def test_targets_waiting_for_money_and_a_raise_that_releases_them(world: World) -> None:
    target = _hold(world)
    other = _hold(world)
    limit = next(t for t in other.post.targets if t.channel is Channel.INSTAGRAM)
    limit.status, limit.wait_code = TargetStatus.WAITING, HoldCode.DAILY_CAP
    limit.wait_reason = "Batas harian akun tercapai"
    world.session.flush()
    waiting = cost_views.waiting_for_budget(world.session, world.utama)
    assert [w.target_id for w in waiting.items] == [target.id, other.id]
    assert waiting.items[0].opd_name == "Dinas Kesehatan" and waiting.items[0].label == "x:@dinkes"
    assert cost_views.waiting_for_budget(world.session, world.other_pembantu).items == []

    with pytest.raises(PermissionDenied):
        cost_views.set_month_budget(world.session, world.pembantu, Channel.X, MONTH, "5")
    with pytest.raises(ValidationFailed):
        cost_views.set_month_budget(world.session, world.utama, Channel.X, "2026-Q4", "5")
    with pytest.raises(ValidationFailed):
        cost_views.set_month_budget(world.session, world.utama, Channel.X, MONTH, "-1")
    with pytest.raises(NotFound):
        cost_views.set_month_budget(world.session, world.utama, Channel.X, MONTH, "5", opd_id=999)
    change = cost_views.set_month_budget(
        world.session, world.utama, Channel.X, MONTH, "5,5", opd_id=world.dinkes_id
    )
    assert (change.amount, change.released, change.scope) == (Decimal("5.5"), 2, "Dinas Kesehatan")
    world.session.expire_all()
    assert world.session.get(PostTarget, target.id).status is TargetStatus.SCHEDULED  # type: ignore[union-attr]
    assert world.session.get(PostTarget, limit.id).status is TargetStatus.WAITING  # type: ignore[union-attr]
    assert cost_views.waiting_for_budget(world.session, world.utama).items == []
    again = cost_views.set_month_budget(world.session, world.utama, Channel.X, MONTH, 6)
    assert again.released == 0


def test_the_banner_warns_ppid_utama_of_this_months_budgets(world: World) -> None:
    month = costs.month_of(utcnow())
    assert cost_views.budget_alerts(world.session, world.utama, PRICES) == []
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("1.00"))
    costs.record_charges(
        world.session,
        [costs.Charge(Channel.X, "post_with_url", 1, Decimal("0.2"))] * 3,
        opd_id=world.dinkes_id,
    )
    assert cost_views.budget_alerts(world.session, world.utama, PRICES) == []  # 60 %
    costs.record_charges(
        world.session, [costs.Charge(Channel.X, "post_with_url", 1, Decimal("0.2"))]
    )
    alerts = cost_views.budget_alerts(world.session, world.utama, PRICES)
    assert [(a.city, a.level) for a in alerts] == [(True, "warning")]
    assert "80,0% terpakai" in alerts[0].summary(PRICES)
    for nobody in (world.pembantu, world.analyst, world.sysadmin):
        assert cost_views.budget_alerts(world.session, nobody, PRICES) == []
    costs.record_charges(
        world.session, [costs.Charge(Channel.X, "post_with_url", 1, Decimal("0.2"))]
    )
    assert cost_views.budget_alerts(world.session, world.utama, PRICES)[0].level == "error"


def test_the_workbook_has_the_monev_sheets_and_the_spending_sheet(world: World) -> None:
    seed_month(world)
    data = cost_views.spending_workbook(world.session, world.utama, MONTH, PRICES)
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Ringkasan",
        "Tiga bagian",
        "Pengelolaan PPID",
        "Bagian per OPD",
        "Publikasi",
        "Per kategori KIP",
        "Register permohonan",
        "Bukti DIP DIK SOP",
        "Kinerja PPID Utama",
        "Konfigurasi",
        cost_views.SHEET_TITLE,
    ]
    values = [list(r) for r in book[cost_views.SHEET_TITLE].iter_rows(values_only=True)]
    header, rows = cost_views.spending_table(
        cost_views.spending(world.session, world.utama, MONTH, PRICES)
    )
    assert values == [header, *rows]


def test_recent_months_newest_first() -> None:
    months = costs.recent_months(datetime(2026, 12, 31, 18, 0, tzinfo=UTC), back=2)
    assert months == ["2027-02", "2027-01", "2026-12", "2026-11"]  # 1 Jan 2027 01:00 WIB
    assert costs.month_label("2026-11") == "November 2026"
