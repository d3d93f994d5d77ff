"""Proof of play for analysts: videotron plays per slide, per OPD and per day, with on-screen
minutes, over a Monev period (read-only; aggregated in SQL).

A play belongs to the OPD of the post its slide was rendered from; emergency slides (no post)
belong to no OPD and are shown only to readers who see every OPD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import cast

from sqlalchemy import Subquery, Table, func, select
from sqlalchemy.orm import Session

from content.infra.timeutil import WIB
from content.models import Opd, PlayEvent, Post, Screen, Slide
from content.monev.periods import Period
from content.monev.sql import seconds_between

NO_OPD = "(darurat, tanpa OPD)"


@dataclass(frozen=True)
class SlidePlayRow:
    screen: str
    headline: str
    opd: str
    plays: int
    minutes: float


@dataclass(frozen=True)
class OpdPlayRow:
    opd: str
    slides: int
    plays: int
    minutes: float


@dataclass(frozen=True)
class DayPlayRow:
    day: date  # in WIB
    screen: str
    plays: int
    minutes: float


@dataclass(frozen=True)
class ProofOfPlay:
    per_slide: list[SlidePlayRow] = field(default_factory=list)
    per_opd: list[OpdPlayRow] = field(default_factory=list)
    per_day: list[DayPlayRow] = field(default_factory=list)

    @property
    def minutes(self) -> float:
        return round(sum(r.minutes for r in self.per_opd), 1)


def _owners() -> Subquery:
    """(screen, image) → the post it was rendered from (one row per image, so no play counts
    twice when an image was recorded more than once)."""
    return (
        select(
            Slide.screen_id.label("screen_id"),
            Slide.sha256.label("sha256"),
            func.min(Slide.post_id).label("post_id"),
            func.min(Slide.headline).label("headline"),
        )
        .group_by(Slide.screen_id, Slide.sha256)
        .subquery("owner")
    )


def proof_of_play(session: Session, period: Period, opd_ids: list[int] | None) -> ProofOfPlay:
    """The period's plays; `opd_ids` limits them to those OPDs (None: every OPD and the
    emergency slides)."""
    owner = _owners()
    base = (
        select(PlayEvent.id)  # replaced column list below; the joins and filters are shared
        .join(Screen, Screen.id == PlayEvent.screen_id)
        .join(
            owner,
            (owner.c.screen_id == PlayEvent.screen_id) & (owner.c.sha256 == PlayEvent.slide_sha256),
            isouter=True,
        )
        .join(Post, Post.id == owner.c.post_id, isouter=True)
        .join(Opd, Opd.id == Post.opd_id, isouter=True)
        .where(PlayEvent.played_at >= period.start, PlayEvent.played_at < period.end)
    )
    if opd_ids is not None:
        base = base.where(Post.opd_id.in_(opd_ids))
    plays = func.count(PlayEvent.id)
    minutes = func.coalesce(func.sum(PlayEvent.seconds), 0.0) / 60.0
    per_slide = [
        SlidePlayRow(screen, headline or sha[:12], opd or NO_OPD, int(n), round(float(m), 1))
        for screen, sha, headline, opd, n, m in session.execute(
            base.with_only_columns(
                Screen.name,
                PlayEvent.slide_sha256,
                owner.c.headline,
                Opd.name,
                plays,
                minutes,
            )
            .group_by(Screen.name, PlayEvent.slide_sha256, owner.c.headline, Opd.name)
            .order_by(plays.desc(), Screen.name, PlayEvent.slide_sha256)
        )
    ]
    per_opd = [
        OpdPlayRow(opd or NO_OPD, int(slides), int(n), round(float(m), 1))
        for opd, slides, n, m in session.execute(
            base.with_only_columns(
                Opd.name, func.count(func.distinct(PlayEvent.slide_sha256)), plays, minutes
            )
            .group_by(Opd.name)
            .order_by(minutes.desc(), Opd.name)
        )
    ]
    played_at = cast(Table, PlayEvent.__table__).c.played_at
    day = func.floor(seconds_between(session, played_at, period.start) / 86_400.0)
    first = period.start.astimezone(WIB).date()
    per_day = [
        DayPlayRow(first + timedelta(days=int(index)), screen, int(n), round(float(m), 1))
        for index, screen, n, m in session.execute(
            base.with_only_columns(day.label("day"), Screen.name, plays, minutes)
            .group_by(day, Screen.name)
            .order_by(day, Screen.name)
        )
    ]
    return ProofOfPlay(per_slide, per_opd, per_day)


def minutes_per_opd(session: Session, period: Period) -> dict[int, float]:
    """On-screen minutes of each OPD's slides over the period (emergency slides excluded)."""
    owner = _owners()
    rows = session.execute(
        select(Post.opd_id, func.coalesce(func.sum(PlayEvent.seconds), 0.0) / 60.0)
        .join(
            owner,
            (owner.c.screen_id == PlayEvent.screen_id) & (owner.c.sha256 == PlayEvent.slide_sha256),
        )
        .join(Post, Post.id == owner.c.post_id)
        .where(PlayEvent.played_at >= period.start, PlayEvent.played_at < period.end)
        .group_by(Post.opd_id)
    )
    return {int(opd_id): float(minutes) for opd_id, minutes in rows}
