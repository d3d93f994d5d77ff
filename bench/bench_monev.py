"""Monev on PostgreSQL at city scale: 60 OPDs, a year of posts, 5 million metric snapshots.
Every OPD's score for the year computed in SQL, against the same computed by loading the
snapshots into Python, in the same run. Goal: SQL ≥ 10× faster and under 2 s."""

from __future__ import annotations

import random
import statistics
import time
from datetime import timedelta

from sqlalchemy import Engine, insert, select, text
from sqlalchemy.orm import Session

from bench.pg import pg_schema
from content.models import (
    Account,
    Channel,
    MetricSnapshot,
    Opd,
    OpdKind,
    Post,
    PostStatus,
    PostTarget,
    Role,
    User,
)
from content.monev import compute, load, parse_period
from content.monev.aggregate import opd_facts
from content.monev.score import OpdScore, score_all
from content.org.actors import SYSTEM

OPDS = 60
SNAPSHOTS = 5_000_000
YEAR = "2026"


TARGETS_SQL = """
INSERT INTO post_target (post_id, channel, account_id, status, published_at, attempts,
                         last_error, last_error_code, wait_reason)
SELECT p.id, a.kind, a.id, 'published', p.published_at, 1, '', '', ''
FROM post p CROSS JOIN account a
"""
SNAPSHOTS_SQL = """
INSERT INTO metric_snapshot (target_id, captured_at, impressions, reach, likes, comments,
                             shares, saves)
SELECT t.id, t.published_at + g * interval '1 hour', g * 40, g * 25, g * 2, g / 3, g / 5, g / 7
FROM post_target t CROSS JOIN generate_series(1, :n) AS g
"""


def _post_rows(opd_ids: list[int], author: int) -> list[dict[str, object]]:
    period, rng = parse_period(YEAR), random.Random(7)
    rows: list[dict[str, object]] = []
    for opd_id in opd_ids:
        for day in range(0, 364, 2):  # every other day: about 3.5 posts a week
            at = period.start + timedelta(days=day, hours=rng.randrange(1, 12))
            rows.append(
                {
                    "opd_id": opd_id,
                    "author_id": author,
                    "caption": "x",
                    "version": 1,
                    "status": PostStatus.PUBLISHED,
                    "content_hash": "h",
                    "approved_hash": "h",
                    "scheduled_at": at,
                    "published_at": at,
                    "submitted_at": at - timedelta(hours=30),
                    "decided_at": at - timedelta(hours=2),
                }
            )
    return rows


def _populate(engine: Engine) -> int:
    with Session(engine) as s, s.begin():
        s.execute(
            insert(Opd),
            [
                {
                    "slug": f"opd-{i}",
                    "name": f"OPD {i}",
                    "short_name": f"OPD{i}",
                    "kind": OpdKind.DINAS,
                }
                for i in range(OPDS)
            ],
        )
        s.add(User(username="bench", display_name="Bench", password_hash="x", role=Role.PPID_UTAMA))
        for kind in (Channel.X, Channel.FACEBOOK):
            s.add(Account(kind=kind, handle=f"kota-{kind.value}", display_name="Kota"))
        s.flush()
        author = s.scalar(select(User.id))
        assert author is not None
        s.execute(insert(Post), _post_rows(list(s.scalars(select(Opd.id))), author))
        s.execute(text(TARGETS_SQL))
    with engine.begin() as conn:
        targets = conn.execute(text("SELECT count(*) FROM post_target")).scalar_one()
        conn.execute(text(SNAPSHOTS_SQL), {"n": SNAPSHOTS // targets})
        conn.execute(text("ANALYZE"))
        return int(conn.execute(text("SELECT count(*) FROM metric_snapshot")).scalar_one())


def _python_path(engine: Engine) -> list[OpdScore]:
    """The naive way: every snapshot of the year's targets into Python, latest picked there."""
    period, config = parse_period(YEAR), load()
    with Session(engine) as s:
        facts = {f.opd_id: f for f in opd_facts(s, period, on_time_minutes=15)}
        for fact in facts.values():
            fact.engagements = fact.exposure = fact.reach = 0
        rows = s.execute(
            select(
                MetricSnapshot.target_id,
                MetricSnapshot.captured_at,
                MetricSnapshot.impressions,
                MetricSnapshot.reach,
                MetricSnapshot.likes,
                MetricSnapshot.comments,
                MetricSnapshot.shares,
                MetricSnapshot.saves,
                Post.opd_id,
            )
            .join(PostTarget, PostTarget.id == MetricSnapshot.target_id)
            .join(Post, Post.id == PostTarget.post_id)
            .where(Post.published_at >= period.start, Post.published_at < period.end)
        )
        latest: dict[int, tuple[object, ...]] = {}
        for row in rows:
            known = latest.get(row[0])
            if known is None or row[1] > known[1]:
                latest[row[0]] = tuple(row)
    for row in latest.values():
        fact = facts[row[8]]
        fact.engagements += sum(v or 0 for v in row[4:8])
        fact.exposure += row[2] or 0
        fact.reach += row[3] or 0
    return score_all(list(facts.values()), period, config)


def _sql_path(engine: Engine) -> list[OpdScore]:
    with Session(engine) as s:
        return compute(s, SYSTEM, parse_period(YEAR), load()).scores


def _totals(scores: list[OpdScore]) -> list[tuple[str, float]]:
    return [(s.facts.slug, s.total) for s in scores]


def _time(work, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    with pg_schema() as engine:
        if engine is None:
            return
        started = time.perf_counter()
        count = _populate(engine)
        loaded = time.perf_counter() - started
        print(f"  data: {OPDS} OPDs, a year of posts, {count:,} snapshots ({loaded:.0f} s to load)")
        sql_scores = _sql_path(engine)
        python_scores = _python_path(engine)
        same = [(a.facts.slug, a.total) for a in sql_scores] == [
            (b.facts.slug, b.total) for b in python_scores
        ]  # type: ignore[attr-defined]
        sql = _time(lambda: _sql_path(engine))
        naive = _time(lambda: _python_path(engine), repeat=1)
        print(
            f"  every OPD's score for {YEAR}: SQL {sql:.2f} s, Python {naive:.2f} s "
            f"→ SQL is {naive / sql:.1f}× faster (goal ≥ 10×, and < 2 s); same scores: {same}"
        )
