"""Followers per social account, read once a day (the worker's `followers` job) and stored as
one snapshot per account and day (WIB); their growth over a period is a reason in the Media
Sosial part's reach (`content.monev.score`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from content.infra.timeutil import WIB
from content.models import Account, Channel, FollowerSnapshot
from content.monev.periods import Period

FOLLOWED = (Channel.X, Channel.FACEBOOK, Channel.INSTAGRAM)


def local_day(moment: datetime) -> date:
    return moment.astimezone(WIB).date()


def accounts_due(session: Session, day: date) -> list[int]:
    """Active social accounts with no snapshot for `day` yet (a restart reads nothing twice)."""
    done = select(FollowerSnapshot.account_id).where(FollowerSnapshot.day == day)
    query = (
        select(Account.id)
        .where(Account.active, Account.kind.in_(FOLLOWED), Account.id.not_in(done))
        .order_by(Account.id)
    )
    return list(session.scalars(query))


def store_snapshot(
    session: Session, account_id: int, day: date, followers: int, read_at: datetime
) -> bool:
    """Keep the day's count (False when the day already has one: the first reading stays)."""
    exists = select(FollowerSnapshot.id).where(
        FollowerSnapshot.account_id == account_id, FollowerSnapshot.day == day
    )
    if session.scalar(exists) is not None:
        return False
    try:
        with session.begin_nested():  # another worker may store the same day meanwhile
            session.add(
                FollowerSnapshot(
                    account_id=account_id, day=day, followers=followers, read_at=read_at
                )
            )
    except IntegrityError:
        return False
    return True


@dataclass
class Growth:
    accounts: int = 0  # accounts with readings on two days or more within the period
    start: int = 0  # their followers at their first reading of the period
    end: int = 0  # ... and at their last

    @property
    def rate(self) -> float:
        return (self.end - self.start) / self.start if self.start else 0.0


def growth(session: Session, period: Period, opd_ids: Iterable[int]) -> dict[int, Growth]:
    """{opd_id: growth} from each account's first and last snapshot within the period."""
    first_day, after = local_day(period.start), local_day(period.end)
    ids = list(opd_ids)
    span = (
        select(
            FollowerSnapshot.account_id,
            func.min(FollowerSnapshot.day).label("first"),
            func.max(FollowerSnapshot.day).label("last"),
        )
        .where(FollowerSnapshot.day >= first_day, FollowerSnapshot.day < after)
        .group_by(FollowerSnapshot.account_id)
        .subquery()
    )
    start, end = aliased(FollowerSnapshot), aliased(FollowerSnapshot)
    query = (
        select(Account.opd_id, start.followers, end.followers)
        .join(span, span.c.account_id == Account.id)
        .join(start, and_(start.account_id == Account.id, start.day == span.c.first))
        .join(end, and_(end.account_id == Account.id, end.day == span.c.last))
        .where(Account.opd_id.in_(ids), span.c.last > span.c.first)
    )
    found: dict[int, Growth] = {}
    for opd_id, first_count, last_count in session.execute(query):
        if opd_id is None:
            continue  # a city-wide account: no OPD's growth
        g = found.setdefault(opd_id, Growth())
        g.accounts += 1
        g.start += int(first_count)
        g.end += int(last_count)
    return found
