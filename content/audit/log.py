"""Reading the audit trail: a filtered, paginated, indexed query and a CSV export.

Who may read it is a permission (VIEW_AUDIT); what they see is scoped like posts, so a role bound
to one OPD would see that OPD's events only. Spreadsheet formulas in exported text are defused.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, TextIO

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from content.editorial.calendar import wib_day_bounds
from content.editorial.queries import MAX_PAGE_SIZE, Page
from content.infra import exports
from content.infra.errors import ValidationFailed
from content.infra.timeutil import format_wib
from content.models import AuditEvent, Opd, User
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require, visible_opd_ids

EXPORT_LIMIT = 50_000
CSV_HEADER = (
    "id",
    "waktu_wib",
    "waktu_utc",
    "aksi",
    "pelaku",
    "jenis_entitas",
    "id_entitas",
    "opd",
    "alasan",
    "sebelum",
    "sesudah",
)
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection).


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None  # exact ("post.approved") or a family ("post.")
    actor_username: str | None = None
    entity_type: str | None = None
    entity_id: int | None = None
    opd_id: int | None = None
    day_from: date | None = None  # WIB, inclusive
    day_until: date | None = None  # WIB, inclusive


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    action: str
    actor_label: str
    entity_type: str
    entity_id: int | None
    opd_id: int | None
    opd_name: str
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _query(session: Session, actor: Actor, flt: AuditFilter) -> Select[AuditEvent, str]:
    query = select(AuditEvent, Opd.short_name).outerjoin(Opd, Opd.id == AuditEvent.opd_id)
    visible = visible_opd_ids(actor)
    if visible is not None:
        query = query.where(AuditEvent.opd_id.in_(visible))
    if flt.action:
        action = flt.action.strip()
        if action.endswith("."):
            query = query.where(AuditEvent.action.startswith(action, autoescape=True))
        else:
            query = query.where(AuditEvent.action == action)
    if flt.actor_username:
        name = flt.actor_username.strip().lower()
        user_id = session.scalar(select(User.id).where(User.username == name))
        # An unknown name matches nothing (rather than being ignored and matching everything).
        query = query.where(AuditEvent.actor_id == (user_id if user_id is not None else -1))
    if flt.entity_type:
        query = query.where(AuditEvent.entity_type == flt.entity_type)
    if flt.entity_id is not None:
        query = query.where(AuditEvent.entity_id == flt.entity_id)
    if flt.opd_id is not None:
        query = query.where(AuditEvent.opd_id == flt.opd_id)
    start, end = wib_day_bounds(flt.day_from, flt.day_until)
    if start is not None:
        query = query.where(AuditEvent.at >= start)
    if end is not None:
        query = query.where(AuditEvent.at < end)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def _row(event: AuditEvent, opd_name: str | None) -> AuditRow:
    return AuditRow(
        event.id,
        event.at,
        event.action,
        event.actor_label,
        event.entity_type,
        event.entity_id,
        event.opd_id,
        opd_name or "",
        event.reason,
        event.before,
        event.after,
    )


def _reader(session: Session, actor: Actor) -> Actor:
    actor = refresh(session, actor)
    require(actor, Action.VIEW_AUDIT)
    return actor


def search(
    session: Session,
    actor: Actor,
    flt: AuditFilter | None = None,
    *,
    page: int = 1,
    page_size: int = 50,
) -> Page[AuditRow]:
    """Newest first; one extra row tells whether there is a next page (no COUNT)."""
    actor = _reader(session, actor)
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(f"Halaman mulai dari 1, isi halaman 1–{MAX_PAGE_SIZE}.")
    query = _query(session, actor, flt or AuditFilter())
    rows = session.execute(query.offset((page - 1) * page_size).limit(page_size + 1)).all()
    items = [_row(event, name) for event, name in rows]
    return Page(items[:page_size], page, page_size, len(items) > page_size)


def known_actions(session: Session, actor: Actor) -> list[str]:
    """The action names that occur, for a filter list (read from the action index)."""
    _reader(session, actor)
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def known_entity_types(session: Session, actor: Actor) -> list[str]:
    _reader(session, actor)
    query = select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    return list(session.scalars(query))


def _cell(value: Any) -> str:
    """A value as CSV text (JSON for the before/after mappings)."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def write_csv(rows: Iterable[AuditRow], out: TextIO) -> int:
    """Write rows as CSV (UTF-8 text, comma separated, header first, formulas defused by
    `content.infra.exports`); returns how many."""
    table = (
        [
            _cell(value)
            for value in (
                row.id,
                format_wib(row.at, "%Y-%m-%d %H:%M:%S"),
                row.at.astimezone(UTC).isoformat(),
                row.action,
                row.actor_label,
                row.entity_type,
                row.entity_id,
                row.opd_name,
                row.reason,
                row.before,
                row.after,
            )
        ]
        for row in rows
    )
    return exports.write_csv(out, CSV_HEADER, table)


def export_csv(
    session: Session, actor: Actor, flt: AuditFilter | None = None, *, limit: int = EXPORT_LIMIT
) -> tuple[str, int]:
    """The filtered log as CSV text (newest first, at most `limit` rows) and the row count."""
    actor = _reader(session, actor)
    query = _query(session, actor, flt or AuditFilter()).limit(limit)
    out = io.StringIO()
    rows = (_row(event, name) for event, name in session.execute(query))
    count = write_csv(rows, out)
    return out.getvalue(), count
