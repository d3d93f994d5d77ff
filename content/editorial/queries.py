"""Read models for lists and histories: paginated, indexed, scoped to what the actor may see."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, case, exists, func, or_, select
from sqlalchemy.orm import Session

from content.editorial.posts import get_post
from content.infra.errors import ValidationFailed
from content.models import (
    ApprovalLevel,
    AuditEvent,
    Channel,
    KipCategory,
    Post,
    PostStatus,
    PostTarget,
)
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require, visible_opd_ids

T = TypeVar("T")
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class PostFilter:
    statuses: Sequence[PostStatus] = ()
    opd_id: int | None = None
    channel: Channel | None = None
    author_id: int | None = None
    updated_from: datetime | None = None
    updated_until: datetime | None = None
    # When given: a submitted post only while it waits for one of these sign-offs.
    awaiting_levels: Sequence[ApprovalLevel] = ()
    # Serta-merta posts (UU KIP Pasal 10: life or public order at stake) before all others.
    urgent_first: bool = False
    # Drafts that came from a content plan: any plan (True), or this one upload.
    from_plan: bool = False
    plan_import_id: int | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    page_size: int
    has_next: bool


def _scoped(actor: Actor, query: Select[Any], flt: PostFilter) -> Select[Any]:
    visible = visible_opd_ids(actor)
    if visible is not None:
        query = query.where(Post.opd_id.in_(visible))
    if flt.opd_id is not None:
        query = query.where(Post.opd_id == flt.opd_id)
    if flt.statuses:
        query = query.where(Post.status.in_(list(flt.statuses)))
    if flt.author_id is not None:
        query = query.where(Post.author_id == flt.author_id)
    if flt.awaiting_levels:
        query = query.where(
            or_(
                Post.status != PostStatus.SUBMITTED,
                Post.awaiting_level.in_(list(flt.awaiting_levels)),
            )
        )
    if flt.from_plan:
        query = query.where(Post.plan_import_id.is_not(None))
    if flt.plan_import_id is not None:
        query = query.where(Post.plan_import_id == flt.plan_import_id)
    if flt.updated_from is not None:
        query = query.where(Post.updated_at >= flt.updated_from)
    if flt.updated_until is not None:
        query = query.where(Post.updated_at < flt.updated_until)
    if flt.channel is not None:
        on_channel = (PostTarget.post_id == Post.id) & (PostTarget.channel == flt.channel)
        query = query.where(exists().where(on_channel))
    return query


def list_posts(
    session: Session,
    actor: Actor,
    flt: PostFilter | None = None,
    *,
    page: int = 1,
    page_size: int = 25,
) -> Page[Post]:
    """Newest first (serta-merta first of all when the filter asks). One extra row tells whether
    a next page exists, so no COUNT over the table."""
    actor = refresh(session, actor)
    require(actor, Action.VIEW_POSTS, actor.opd_id)
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationFailed(f"Halaman mulai dari 1, isi halaman 1–{MAX_PAGE_SIZE}.")
    flt = flt or PostFilter()
    query = _scoped(actor, select(Post), flt)
    if flt.urgent_first:
        query = query.order_by(case((Post.kip_category == KipCategory.SERTA_MERTA, 0), else_=1))
    query = query.order_by(Post.updated_at.desc(), Post.id.desc())
    rows: list[Post] = list(
        session.scalars(query.offset((page - 1) * page_size).limit(page_size + 1)).unique()
    )
    return Page(rows[:page_size], page, page_size, len(rows) > page_size)


def status_counts(
    session: Session, actor: Actor, opd_id: int | None = None
) -> dict[PostStatus, int]:
    actor = refresh(session, actor)
    require(actor, Action.VIEW_POSTS, actor.opd_id)
    query = select(Post.status, func.count()).group_by(Post.status)
    visible = visible_opd_ids(actor)
    if visible is not None:
        query = query.where(Post.opd_id.in_(visible))
    if opd_id is not None:
        query = query.where(Post.opd_id == opd_id)
    return {status: count for status, count in session.execute(query).all()}


def post_history(session: Session, actor: Actor, post_id: int) -> list[AuditEvent]:
    """Every recorded event of one post, oldest first (visibility as for the post itself)."""
    get_post(session, actor, post_id)
    query = (
        select(AuditEvent)
        .where(AuditEvent.entity_type == "post", AuditEvent.entity_id == post_id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return list(session.scalars(query))
