"""Small dialect helpers: time arithmetic spelled for SQLite and for PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, bindparam, cast, func, literal
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement


def seconds_between(
    session: Session, later: ColumnElement[datetime], earlier: ColumnElement[datetime] | datetime
) -> ColumnElement[float]:
    """later − earlier in seconds."""
    if isinstance(earlier, datetime):
        earlier = bindparam(None, earlier, type_=later.type)
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", later - earlier), Float)
    return cast((func.julianday(later) - func.julianday(earlier)) * literal(86_400.0), Float)


def week_index(
    session: Session, moment: ColumnElement[datetime], start: datetime
) -> ColumnElement[int]:
    """Which week of the period (0, 1, …) a moment falls in."""
    return func.floor(seconds_between(session, moment, start) / 604_800.0)
