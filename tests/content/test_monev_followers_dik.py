"""Hand-computed cases, on both databases, for what the Monev reads beside posts: follower
growth as a reason in the reach part, the DIK inventory's review date from the Daftar DIK page's
review records (falling back to the uploaded evidence, and saying which), and the metric-read
budget check estimated at the price of the read that will be made."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from content import costs
from content.audit import AuditAction
from content.infra.errors import PermissionDenied, ValidationFailed
from content.infra.timeutil import WIB, utcnow
from content.models import AuditEvent, Channel, DikRule, FollowerSnapshot
from content.monev import compute
from content.screening import dik_rules
from publishers.social.base import Secret
from publishers.social.config import PublisherSettings
from publishers.social.x import XPublisher
from scheduler import spending
from scheduler.collect import read_operation
from tests.monev_data import PERIOD, build_dataset, monev_config
from tests.world import World


@pytest.fixture
def dataset(world: World) -> World:
    return build_dataset(world)


def _snap(world: World, account_id: int, day: date, followers: int) -> None:
    world.session.add(
        FollowerSnapshot(
            account_id=account_id,
            day=day,
            followers=followers,
            read_at=datetime(day.year, day.month, day.day, 6, tzinfo=WIB),
        )
    )


def _scores(world: World) -> dict[str, object]:
    report = compute(world.session, world.analyst, PERIOD, monev_config())
    return {s.facts.slug: s for s in report.scores}


def test_follower_growth_is_a_reason_in_reach(dataset: World) -> None:
    """Dinkes in February 2026 (28 days): X 1.000 → 1.004 (1 Feb → 28 Feb), the Page
    3.000 → 3.000 (2 Feb → 27 Feb); a reading of 31 Jan (another period) and the Instagram
    account's single reading (one day: no growth to tell) are left out.
    Growth 4 / 4.000 = 0,10%; target 1% a month × 28 / 30,4375 = 0,9199%; growth score
    0,1 / 0,9199 × 100 = 10,87. Reach per post 500 of 1.000 → 50.
    Reach = 0,75 × 50 + 0,25 × 10,87 = 40,22."""
    w = dataset
    _snap(w, w.x_account, date(2026, 1, 31), 900)
    _snap(w, w.x_account, date(2026, 2, 1), 1000)
    _snap(w, w.x_account, date(2026, 2, 28), 1004)
    _snap(w, w.fb_account, date(2026, 2, 2), 3000)
    _snap(w, w.fb_account, date(2026, 2, 27), 3000)
    _snap(w, w.ig_account, date(2026, 2, 10), 777)
    w.session.flush()
    dinkes = _scores(w)["dinkes"]
    facts = dinkes.facts  # type: ignore[attr-defined]
    assert (facts.follower_accounts, facts.followers_start, facts.followers_end) == (2, 4000, 4004)
    reach = dinkes.part("reach")  # type: ignore[attr-defined]
    target = 0.01 * 28 / (365.25 / 12)
    growth_score = 100 * 0.001 / target
    assert round(growth_score, 2) == 10.87
    assert reach.score == pytest.approx(0.75 * 50 + 0.25 * growth_score)
    assert round(reach.score, 2) == 40.22
    assert reach.why == (
        "Rata-rata jangkauan 500 per publikasi; target 1.000. Pengikut (2 akun) 4.000 → 4.004: "
        "tumbuh 0,10%, target 0,92% dalam periode ini (skor pertumbuhan 10,9). "
        "Skor jangkauan = 75% × 50,0 + 25% × 10,9."
    )
    # Disdukcapil's account has no reading: reach per post alone, and it says so.
    capil = _scores(w)["disdukcapil"].part("reach")  # type: ignore[attr-defined]
    assert capil.score == 100 and "Pertumbuhan pengikut: belum ada data" in capil.why


def test_the_growth_weight_is_a_setting(dataset: World) -> None:
    from dataclasses import replace

    config = monev_config()
    off = replace(config, targets={**config.targets, "followers_growth_weight": 0.0})
    assert config.targets["followers_growth_weight"] == 0.25
    assert config.targets["followers_growth_per_month"] == 0.01
    report = compute(dataset.session, dataset.analyst, PERIOD, off)
    dinkes = next(s for s in report.scores if s.facts.slug == "dinkes")
    assert dinkes.part("reach").why == "Rata-rata jangkauan 500 per publikasi; target 1.000."


def _entry(world: World, pattern: str, **extra: object) -> int:
    rule = dik_rules.add_rule(
        world.session,
        world.utama,
        pattern=pattern,
        reason="Rahasia pribadi pasien.",
        opd_id=world.dinkes_id,
        ground="h",
        **extra,  # type: ignore[arg-type]
    )
    return rule.id


def test_the_dik_item_comes_from_the_review_records(dataset: World) -> None:
    """Dinkes has three active approved entries A, B, C, one proposal (not yet approved) and
    one inactive entry. Reviews: A on 20-01-2026 (and 15-03-2026, after February); B on
    10-11-2025 and 05-02-2026; C on 01-06-2025 only. February 2026 counts reviews from
    01-01-2026 to 28-02-2026: A and B → 2 of 3 = 66,67.
    Dinkes's PPID part (weights 25/15/15/35/10; DIP 100, SOP 100, requests 50, objections 25):
    (2500 + 15 × 66,67 + 1500 + 1750 + 250) / 100 = 70,0 (it was 60,0 on the evidence alone:
    the uploaded inventory of 01-12-2025 is not of 2026)."""
    w = dataset
    a, b, c = (_entry(w, p) for p in ("rekam medis", "nomor rekam", "diagnosis pasien"))
    off = _entry(w, "hasil lab")
    dik_rules.set_active(w.session, w.utama, off, False)
    dik_rules.add_rule(  # the Pembantu's proposal: not an entry until approved
        w.session, w.pembantu, pattern="riwayat", reason="Usulan.", opd_id=w.dinkes_id
    )
    for rule, day in (
        (a, date(2026, 1, 20)),
        (a, date(2026, 3, 15)),
        (b, date(2025, 11, 10)),
        (b, date(2026, 2, 5)),
        (c, date(2025, 6, 1)),
    ):
        dik_rules.review_rule(w.session, w.pembantu, rule, reviewed_on=day)
    w.session.flush()
    dinkes = _scores(w)["dinkes"]
    ppid = dinkes.section("ppid")  # type: ignore[attr-defined]
    item = next(i for i in ppid.items if i.name == "dik")
    assert item.score == pytest.approx(200 / 3)
    assert item.why == (
        "2 dari 3 entri DIK OPD ditinjau tahun 2026 (terakhir 5 Feb 2026), menurut catatan "
        "peninjauan di halaman Daftar DIK."
    )
    assert ppid.score == pytest.approx(70.0)
    # Disdukcapil has no DIK entry: its uploaded inventory decides, and the reason says so.
    capil = _scores(w)["disdukcapil"].section("ppid")  # type: ignore[attr-defined]
    capil_dik = next(i for i in capil.items if i.name == "dik")
    assert capil_dik.score == 100 and "menurut bukti yang diunggah" in capil_dik.why
    # A review is audited and moves the entry's next review a year on.
    rule = w.session.get(DikRule, a)
    assert rule is not None and rule.review_due == date(2027, 3, 15)
    audited = w.session.scalars(
        select(AuditEvent).where(AuditEvent.action == AuditAction.DIK_REVIEWED)
    ).all()
    assert len(audited) == 5 and {e.opd_id for e in audited} == {w.dinkes_id}


def test_reviews_are_checked_in_content(dataset: World) -> None:
    w = dataset
    city = dik_rules.add_rule(w.session, w.utama, pattern="sandi", reason="Keamanan.").id
    with pytest.raises(PermissionDenied):
        dik_rules.review_rule(w.session, w.pembantu, city)  # the city's list is PPID Utama's
    assert not dik_rules.may_review(w.pembantu, None)
    assert dik_rules.may_review(w.pembantu, w.dinkes_id)
    assert not dik_rules.may_review(w.pembantu, w.disdukcapil_id)
    proposal = dik_rules.add_rule(
        w.session, w.pembantu, pattern="x", reason="Usulan.", opd_id=w.dinkes_id
    ).id
    with pytest.raises(ValidationFailed):
        dik_rules.review_rule(w.session, w.pembantu, proposal)
    entry = _entry(w, "rekam medis")
    tomorrow = date.fromordinal(utcnow().astimezone(WIB).date().toordinal() + 1)
    with pytest.raises(ValidationFailed):
        dik_rules.review_rule(w.session, w.pembantu, entry, reviewed_on=tomorrow)


def _x(user_id: str | None) -> XPublisher:
    keys = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
    return XPublisher(
        credentials={k: Secret("k") for k in keys},
        config=PublisherSettings(),
        user_id=user_id,
    )


def test_the_metric_read_budget_check_uses_the_price_of_the_read_made(world: World) -> None:
    """$0.004 left this month: three posts read through the own timeline cost 3 × $0.001 and
    fit; the same three looked up by id would cost 3 × $0.005 and do not."""
    prices = costs.load_prices()
    month = costs.month_of(utcnow())
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("0.004"))
    owned, lookup = _x("12345"), _x(None)
    try:
        assert read_operation(owned) is costs.Operation.READ_OWNED
        assert read_operation(lookup) is costs.Operation.READ_POST
        assert costs.estimate_reads(prices, read_operation(owned), 3) == Decimal("0.003")
        assert costs.estimate_reads(prices, read_operation(lookup), 3) == Decimal("0.015")
        s = world.session
        assert spending.read_refusal(s, world.dinkes_id, 3, prices, read_operation(owned)) is None
        refusal = spending.read_refusal(s, world.dinkes_id, 3, prices, read_operation(lookup))
        assert refusal is not None and "anggaran" in refusal
        # Owned reads past the budget are refused too: five of them cost $0.005.
        assert spending.read_refusal(s, world.dinkes_id, 5, prices, read_operation(owned))
    finally:
        owned.close()
        lookup.close()


def test_a_day_keeps_its_first_reading(world: World) -> None:
    from content.monev.followers import store_snapshot

    day, now = date(2026, 2, 3), utcnow()
    assert store_snapshot(world.session, world.x_account, day, 1200, now)
    assert not store_snapshot(world.session, world.x_account, day, 1300, now)
    # A row another worker stored first is kept, and is not an error.
    _snap(world, world.fb_account, day, 50)
    world.session.flush()
    assert not store_snapshot(world.session, world.fb_account, day, 60, now)
    rows = world.session.scalars(select(FollowerSnapshot.followers).order_by(FollowerSnapshot.id))
    assert list(rows) == [1200, 50]
