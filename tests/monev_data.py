"""The hand-computed February 2026 Monev dataset shared by the Monev tests (content, views and
the dashboard page). February 2026 (WIB) is exactly four weeks; with `monev_config()`:
Dinkes 60,0 Cukup Informatif, Disdukcapil 100,0 Informatif, Diskominfostandi 0,0 Tidak
Informatif (see tests/content/test_monev.py for the arithmetic)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

from content.audit import AuditAction
from content.infra.config import Settings
from content.infra.timeutil import WIB
from content.models import (
    AuditEvent,
    Channel,
    Decision,
    MetricSnapshot,
    Post,
    PostStatus,
    PostTarget,
    Review,
    TargetStatus,
)
from content.monev import MonevConfig, load, parse_period
from content.monev.register import RequestInput, add_evidence, record_request
from tests.world import World

PERIOD = parse_period("2026-02")
START = datetime(2026, 2, 1, 9, 0, tzinfo=WIB)
# test_monev.py's configuration, as a settings file's [monev] section says it.
MONEV_SETTINGS = {
    "weights": {
        "activity": 20,
        "consistency": 20,
        "engagement": 20,
        "reach": 20,
        "timeliness": 10,
        "compliance": 10,
    },
    "targets": {"posts_per_week": 2},
}
SMALL = {"impressions": 1000, "reach": 500, "likes": 20, "comments": 5, "shares": 5, "saves": 0}
FIRST_HOUR = {"impressions": 100, "reach": 80, "likes": 1, "comments": 0, "shares": 0, "saves": 0}
BIG = {"impressions": 10_000, "reach": 6000, "likes": 150, "comments": 0, "shares": 0, "saves": 0}
DINKES_CAPTION = "Posyandu keliling"
CAPIL_CAPTION = "Layanan jemput bola Zebrakuning"


def monev_config() -> MonevConfig:
    return load(replace(Settings(data_dir=Path(".")), extra={"monev": MONEV_SETTINGS}))


def _published(
    world: World,
    opd_id: int,
    account_id: int,
    day: int,
    *,
    caption: str,
    late_minutes: int = 0,
    review_hours: float = 48,
    metrics: dict[str, int],
    earlier: dict[str, int] | None = None,
) -> None:
    s = world.session
    when = START + timedelta(days=day)
    author = world.pembantu if opd_id == world.dinkes_id else world.other_pembantu
    post = Post(
        opd_id=opd_id,
        author_id=author.user_id,
        caption=f"{caption} hari ke-{day}",
        status=PostStatus.PUBLISHED,
        content_hash="h",
        approved_hash="h",
        scheduled_at=when,
        published_at=when + timedelta(minutes=late_minutes),
        submitted_at=when - timedelta(hours=review_hours + 1),
        decided_at=when - timedelta(hours=1),
    )
    s.add(post)
    s.flush()
    target = PostTarget(
        post_id=post.id,
        channel=Channel.X,
        account_id=account_id,
        status=TargetStatus.PUBLISHED,
        published_at=post.published_at,
    )
    s.add(target)
    s.flush()
    if earlier:
        s.add(MetricSnapshot(target_id=target.id, captured_at=when + timedelta(hours=1), **earlier))
    s.add(MetricSnapshot(target_id=target.id, captured_at=when + timedelta(days=2), **metrics))
    s.add(
        Review(
            post_id=post.id,
            reviewer_id=world.utama.user_id,
            decision=Decision.APPROVE,
            content_hash="h",
            created_at=when - timedelta(hours=1),
        )
    )


def build_dataset(world: World) -> World:
    """test_monev.py's dataset: Dinkes 60,0 Cukup Informatif, Disdukcapil 100,0 Informatif,
    Diskominfostandi 0,0 Tidak Informatif (with `monev_config()`)."""
    # Dinkes submits two of its four posts 13 hours ahead only (not the 24 asked for); the
    # 30 minutes the worker was late with one of them is PPID Utama's figure, not Dinkes's.
    for day, late, ahead in [(0, 0, 48), (7, 0, 48), (14, 30, 12), (16, 0, 12)]:
        _published(
            world,
            world.dinkes_id,
            world.x_account,
            day,
            caption=DINKES_CAPTION,
            late_minutes=late,
            review_hours=ahead,
            metrics=SMALL,
            earlier=FIRST_HOUR,
        )
    for decision in (Decision.REJECT, Decision.REQUEST_CHANGES):
        post = world.draft()
        world.session.add(
            Review(
                post_id=post.id,
                reviewer_id=world.utama.user_id,
                decision=decision,
                content_hash="x",
                created_at=START + timedelta(days=3),
            )
        )
    # The changes asked for on Wednesday 4 February 09:00 are resubmitted two working hours later.
    world.session.add(
        AuditEvent(
            at=START + timedelta(days=3, hours=2),
            actor_id=world.pembantu.user_id,
            actor_label="dinkes",
            action=AuditAction.POST_SUBMITTED,
            entity_type="post",
            entity_id=post.id,
            opd_id=world.dinkes_id,
        )
    )
    for day in (0, 1, 7, 8, 14, 15, 21, 22, 40):  # day 40 is in March: not counted
        _published(
            world,
            world.disdukcapil_id,
            world.other_x_account,
            day,
            caption=CAPIL_CAPTION,
            review_hours=30,
            metrics=BIG,
        )
    _ppid_records(world)
    world.session.flush()
    return world


def _ppid_records(world: World) -> None:
    """Pengelolaan PPID records that give Dinkes 60 and Disdukcapil 100 (so the totals stay
    60, 100 and 0 with Pengaduan "belum ada data"). Dinkes, weights 25/15/15/35/10:
    DIP 15-01-2026 → 100; no DIK this year → 0; SOP of 2024 → 100;
    requests: R1 received Mon 02-02, answered 16-02 = the 10th working day → on time;
    R2 answered 17-02 → late; R3 extended on 10-02 (before its first deadline), answered 24-02,
    within 17 working days (25-02) → on time; R4 received 27-02, never answered, due 13-03 →
    late: 2 of 4 → 50; 4 objections, 1 decided → 25.
    (25·100 + 15·0 + 15·100 + 35·50 + 10·25) / 100 = 60.
    Disdukcapil: DIP, DIK, SOP dated, one request answered on time, no objection (left out):
    100."""
    config = load()
    feb = date(2026, 2, 2)
    add_evidence(
        world.session,
        world.pembantu,
        world.dinkes_id,
        "dip",
        date(2026, 1, 15),
        url="https://ppid.bekasikota.go.id/dinkes/dip",
    )
    add_evidence(
        world.session,
        world.pembantu,
        world.dinkes_id,
        "dik",
        date(2025, 12, 1),
        url="https://ppid.bekasikota.go.id/dinkes/dik-2025",
    )
    add_evidence(
        world.session,
        world.pembantu,
        world.dinkes_id,
        "sop",
        date(2024, 6, 1),
        url="https://ppid.bekasikota.go.id/dinkes/sop",
    )
    rows = [
        RequestInput(
            "R1",
            feb,
            "Data imunisasi",
            answered_on=date(2026, 2, 16),
            outcome="granted",
            objection_on=date(2026, 2, 18),
            objection_outcome="rejected",
        ),
        RequestInput(
            "R2",
            feb,
            "Anggaran posyandu",
            answered_on=date(2026, 2, 17),
            outcome="partial",
            objection_on=date(2026, 2, 18),
        ),
        RequestInput(
            "R3",
            feb,
            "Daftar puskesmas",
            extended_on=date(2026, 2, 10),
            answered_on=date(2026, 2, 24),
            outcome="granted",
            objection_on=date(2026, 2, 25),
        ),
        RequestInput("R4", date(2026, 2, 27), "Kontrak pengadaan", objection_on=date(2026, 3, 20)),
    ]
    for row in rows:
        record_request(world.session, world.pembantu, world.dinkes_id, row, config)
    for kind in ("dip", "dik", "sop"):
        add_evidence(
            world.session,
            world.other_pembantu,
            world.disdukcapil_id,
            kind,
            date(2026, 1, 10),
            url=f"https://ppid.bekasikota.go.id/capil/{kind}",
        )
    record_request(
        world.session,
        world.other_pembantu,
        world.disdukcapil_id,
        RequestInput(
            "001/PPID", feb, "Jumlah KTP-el", answered_on=date(2026, 2, 5), outcome="granted"
        ),
        config,
    )
