"""Costs: estimates before spending, budgets that hold targets, warnings, the ledger."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from content import costs
from content.delivery.holds import HoldCode
from content.editorial.posts import DraftInput, PhotoInput, update_draft
from content.infra.errors import PermissionDenied
from content.infra.timeutil import utcnow
from content.models import AuditEvent, Channel, PostStatus, PostTarget, TargetStatus
from tests.world import World

PRICES = costs.load_prices()


def _x(post: object) -> PostTarget:
    return next(t for t in post.targets if t.channel is Channel.X)  # type: ignore[attr-defined]


def test_prices_are_settings_with_the_date_they_were_checked() -> None:
    assert PRICES.price(Channel.X, "post") == Decimal("0.015")
    assert PRICES.price(Channel.X, "post_with_url") == Decimal("0.2")
    assert PRICES.price(Channel.X, "read_post") == Decimal("0.005")
    assert PRICES.checked == "2026-11-30"
    assert not PRICES.paid(Channel.FACEBOOK) and "dibatasi laju" in PRICES.note(Channel.FACEBOOK)


def test_estimate_with_and_without_a_url(world: World) -> None:
    post = world.draft(caption="Posyandu serentak Sabtu pagi.")
    plain = costs.estimate_target(post, _x(post), PRICES)
    # $0.015 for the post + $0.005 for the photo's alt text (media metadata).
    assert (
        plain.amount == Decimal("0.020") and plain.reason == "tanpa tautan, 1 teks alternatif foto"
    )
    assert plain.cheaper == ""
    update_draft(
        world.session,
        world.pembantu,
        post.id,
        DraftInput(
            caption="Daftar di https://dinkes.bekasikota.go.id/posyandu",
            headline=post.headline,
            account_ids=[world.x_account, world.ig_account],
            photos=[PhotoInput(post.photos[0].media_id, "Kader")],
        ),
        None,
    )
    with_url = costs.estimate_target(post, _x(post), PRICES)
    assert with_url.amount == Decimal("0.205") and with_url.reason.startswith("berisi tautan")
    assert with_url.cheaper_amount == Decimal("0.020") and "kode QR" in with_url.cheaper
    instagram = next(e for e in costs.estimate_post(post, PRICES) if e.channel is Channel.INSTAGRAM)
    assert instagram.amount == 0


def test_the_post_link_counts_as_a_url_on_x(world: World) -> None:
    post = world.draft(caption="Tanpa tautan di teks")
    post.link = "https://bekasikota.go.id"
    assert costs.estimate_target(post, _x(post), PRICES).reason.startswith("berisi tautan")


def test_only_ppid_utama_sets_budgets_and_it_is_audited(world: World) -> None:
    with pytest.raises(PermissionDenied):
        costs.set_budget(world.session, world.pembantu, Channel.X, "2026-11", Decimal(10))
    budget = costs.set_budget(world.session, world.utama, Channel.X, "2026-11", Decimal(10))
    costs.set_budget(world.session, world.utama, Channel.X, "2026-11", Decimal(12))
    assert budget.amount_usd == Decimal(12)
    events = world.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "budget.set")
    ).all()
    assert [e.after["amount_usd"] for e in events] == ["10.0000", "12.0000"]  # type: ignore[index]
    assert events[1].before == {"amount_usd": "10.0000"}


def test_budget_refuses_a_call_that_would_exceed_it_and_counts_calls_in_flight(
    world: World,
) -> None:
    month = costs.month_of(utcnow())
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("0.50"))
    costs.record_charges(
        world.session,
        [costs.Charge(Channel.X, "post_with_url", 1, Decimal("0.2"))],
        opd_id=world.dinkes_id,
    )
    assert costs.may_spend(
        world.session, Channel.X, Decimal("0.2"), world.dinkes_id, prices=PRICES
    ).allowed
    post = world.post_in(PostStatus.APPROVED)
    _x(post).status = TargetStatus.PUBLISHING  # another worker is posting right now
    world.session.flush()
    check = costs.may_spend(
        world.session, Channel.X, Decimal("0.2"), world.dinkes_id, prices=PRICES
    )
    # $0.20 spent + $0.02 in flight (a plain post with one alt text) + $0.20 asked > $0.50? No:
    assert check.allowed
    check = costs.may_spend(
        world.session, Channel.X, Decimal("0.3"), world.dinkes_id, prices=PRICES
    )
    assert not check.allowed and "anggaran" in check.reason
    assert "$0,220 dari $0,500" in check.reason


def test_an_opd_budget_applies_besides_the_city_budget(world: World) -> None:
    month = costs.month_of(utcnow())
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal(100))
    costs.set_budget(
        world.session, world.utama, Channel.X, month, Decimal("0.01"), opd_id=world.dinkes_id
    )
    assert not costs.may_spend(
        world.session, Channel.X, Decimal("0.015"), world.dinkes_id, prices=PRICES
    ).allowed
    assert costs.may_spend(
        world.session, Channel.X, Decimal("0.015"), world.disdukcapil_id, prices=PRICES
    ).allowed


def test_warnings_at_80_and_100_percent_once_each(world: World) -> None:
    month = costs.month_of(utcnow())
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("1.00"))
    for _ in range(6):
        costs.record_charges(
            world.session, [costs.Charge(Channel.X, "post_with_url", 1, Decimal("0.2"))]
        )
    warnings = world.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "budget.warning")
    ).all()
    assert [w.after["threshold"] for w in warnings] == [80, 100]  # type: ignore[index]
    assert warnings[0].reason.endswith("mencapai 80% anggaran.")


def test_raising_the_budget_releases_targets_waiting_for_money(world: World) -> None:
    post = world.post_in(PostStatus.SCHEDULED)
    target = _x(post)
    target.status, target.wait_code = TargetStatus.WAITING, HoldCode.BUDGET
    target.wait_reason = "Anggaran X kota habis; menunggu anggaran dinaikkan."
    other = next(t for t in post.targets if t.channel is Channel.INSTAGRAM)
    other.status, other.wait_code = TargetStatus.WAITING, HoldCode.DAILY_CAP
    other.wait_reason = "Batas harian akun tercapai"
    world.session.flush()
    costs.set_budget(world.session, world.utama, Channel.X, costs.month_of(utcnow()), Decimal(50))
    world.session.expire_all()
    assert world.session.get(PostTarget, target.id).status is TargetStatus.SCHEDULED  # type: ignore[union-attr]
    assert world.session.get(PostTarget, other.id).status is TargetStatus.WAITING  # type: ignore[union-attr]


def test_rupiah_is_shown_next_to_dollars() -> None:
    assert costs.format_usd(Decimal("0.2"), PRICES) == "$0,200 (≈ Rp3.300)"


def test_x_calls_are_priced_by_operation_and_a_post_read_twice_in_a_day_is_free(
    world: World,
) -> None:
    import json
    from dataclasses import dataclass
    from datetime import UTC, datetime

    Op = costs.Operation

    @dataclass(frozen=True)
    class Call:
        operation: str
        status: int
        response_body: bytes = b""

    def read(*ids: str) -> Call:
        body = json.dumps({"data": [{"id": i, "text": "x"} for i in ids]}).encode()
        return Call(Op.READ_POST, 200, response_body=body)

    morning = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    calls = [
        Call(Op.POST_WITH_URL, 201),
        Call(Op.POST, 201),
        Call(Op.POST, 403),  # refused: not charged
        Call("", 200),  # a call nobody named is not priced
        Call(Op.MEDIA_METADATA, 200),
        Call(Op.READ_USER, 200),
        read("1", "2"),
        read("2", "3"),  # "2" again in the same call series: free
    ]
    charges = costs.x_charges(world.session, calls, PRICES, morning)
    assert [(c.action, c.amount) for c in charges] == [
        ("post_with_url", Decimal("0.2")),
        ("post", Decimal("0.015")),
        ("media_metadata", Decimal("0.005")),
        ("read_user", Decimal("0.01")),
        ("read_post", Decimal("0.005")),
        ("read_post", Decimal("0.005")),
        ("read_post", Decimal("0.005")),
    ]
    costs.record_charges(world.session, charges, at=morning)
    evening = morning.replace(hour=22)
    again = costs.x_charges(world.session, [read("1", "2", "4")], PRICES, evening)
    assert [c.detail for c in again] == ["4"]  # 1 and 2 were paid for this UTC day
    next_day = morning.replace(day=24)
    assert len(costs.x_charges(world.session, [read("1")], PRICES, next_day)) == 1


def test_a_budget_month_is_a_month_and_raising_a_budget_re_arms_its_warnings(world: World) -> None:
    from content.infra.errors import ValidationFailed

    with pytest.raises(ValidationFailed, match="2026-11"):
        costs.set_budget(world.session, world.utama, Channel.X, "2026-Q4", Decimal(10))
    month = costs.month_of(utcnow())
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("1.00"))
    for _ in range(5):
        costs.record_charges(
            world.session, [costs.Charge(Channel.X, "post_with_url", 1, Decimal("0.2"))]
        )
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("1.20"))
    costs.record_charges(world.session, [costs.Charge(Channel.X, "post", 1, Decimal("0.015"))])
    thresholds = [
        w.after["threshold"]  # type: ignore[index]
        for w in world.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "budget.warning")
        )
    ]
    # 80 and 100 % of $1.00, then 80 % of $1.20 again once the budget was raised.
    assert thresholds == [80, 100, 80]
