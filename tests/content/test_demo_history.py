"""`siaran demo` opens on a believable office: three months of history for a handful of OPDs,
so Monev ranks several OPDs with real scores (and says "belum ada data" for the rest), the
calendar has entries behind and ahead, and the spending page has money spent against a budget.
Everything went through the services: the audit trail and the workflow's invariants hold."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.costs.months import month_of
from content.costs.prices import load_prices
from content.costs.views import spending
from content.editorial import calendar
from content.infra.demo import load_demo
from content.infra.demo_history import DESKS, HISTORY_DAYS
from content.infra.secrets import SecretBox
from content.infra.store import FileBlobStore
from content.infra.timeutil import WIB, utcnow
from content.labels import NO_DATA_LABEL
from content.models import AuditEvent, MetricSnapshot, PlayEvent, Post, PostStatus, Review
from content.monev import compute, load
from content.monev.periods import Period
from content.monev.report import summary_table
from content.org import users
from content.org.actors import Actor
from tests.world import _key


def test_the_demo_has_three_months_of_a_working_city(session: Session, tmp_path: Path) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    load_demo(session, SecretBox(_key()), FileBlobStore(tmp_path / "media"), password="x" * 12)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"demo with history: {wall:.1f} s, {cpu:.1f} s CPU")  # measured, not asserted
    session.flush()
    analyst = Actor.of(users.find_user(session, "analis"))
    utama = Actor.of(users.find_user(session, "utama"))
    now = utcnow()

    # posts across KIP categories, reviewed (some returned with a comment), audited
    published = session.scalar(
        select(func.count()).select_from(Post).where(Post.status == PostStatus.PUBLISHED)
    )
    assert published and published >= 40
    kinds = set(session.scalars(select(Post.kip_category).distinct()))
    assert len(kinds) == 3
    comments = list(session.scalars(select(Review.comment).where(Review.comment != "")))
    assert any("Mohon" in c for c in comments)
    oldest = session.scalar(select(func.min(AuditEvent.at)))
    assert oldest is not None and oldest < now - timedelta(days=HISTORY_DAYS - 10)
    assert session.scalar(select(func.count()).select_from(MetricSnapshot))
    assert session.scalar(select(func.count()).select_from(PlayEvent))

    # Monev over the last three months: several OPDs with real scores, the rest "belum ada data"
    period = Period("demo", "Tiga bulan terakhir", now - timedelta(days=HISTORY_DAYS), now)
    report = compute(session, analyst, period, load())
    scored = [s for s in report.scores if s.measured and s.total > 0]
    assert len(scored) >= 3, [(s.facts.slug, s.total) for s in report.scores]
    assert {s.facts.slug for s in scored} <= set(DESKS)
    _, rows = summary_table(report)
    assert any(row[4] == NO_DATA_LABEL for row in rows)  # OPDs without a desk

    # the calendar: this past month and the coming days
    today = now.astimezone(WIB).date()
    past = calendar.entries(session, utama, today - timedelta(days=30), today)
    ahead = calendar.entries(session, utama, today, today + timedelta(days=14))
    assert any(e.kind == "published" for e in past) and len(past) >= 10
    assert any(e.kind == "scheduled" for e in ahead)

    # spending on X against the month's budget
    month = month_of(now - timedelta(days=30))
    spent = spending(session, utama, month, load_prices())
    assert spent.total > 0 and any(r.budget for r in spent.rows)
