"""The approval queue as a reviewer reads it (PPID Utama, or an OPD's PPID Pembantu for the
posts that wait for its sign-off): one page of posts with everything a decision needs
(targets, photos, screening findings, what a platform would refuse, the author's recent record)
loaded in a fixed number of
queries, however long the queue or the author's history is. Serta-merta posts come first, then
the most recently changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from content import screening
from content.editorial.calendar import wib_day_bounds
from content.editorial.queries import Page, PostFilter, list_posts
from content.editorial.refusals import TargetRefusals, post_refusals
from content.models import Channel, Decision, Post, PostMedia, PostStatus, Review, User
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require, review_levels, visible_opd_ids

DEFAULT_STATUSES = (PostStatus.SUBMITTED,)
# Statuses PPID Utama acts on from the queue: decide, then schedule or unschedule.
QUEUE_STATUSES = (PostStatus.SUBMITTED, PostStatus.APPROVED, PostStatus.SCHEDULED)
HISTORY_LIMIT = 5
CAPTION_PREVIEW = 160
DECISION_WINDOW = 50  # the author's latest posts whose decisions are shown


@dataclass(frozen=True)
class QueueFilter:
    statuses: Sequence[PostStatus] = DEFAULT_STATUSES
    opd_id: int | None = None
    channel: Channel | None = None
    # WIB calendar days, both inclusive, on the post's last change.
    day_from: date | None = None
    day_until: date | None = None
    # Only posts from a content plan (any, or one upload: `PlanImport.id`).
    from_plan: bool = False
    plan_import_id: int | None = None


@dataclass(frozen=True)
class AuthorPost:
    post_id: int
    status: PostStatus
    updated_at: datetime
    caption: str


@dataclass(frozen=True)
class AuthorDecision:
    post_id: int
    decision: Decision
    comment: str
    reviewer: str
    at: datetime


@dataclass(frozen=True)
class AuthorHistory:
    author_id: int
    username: str
    display_name: str
    recent_posts: list[AuthorPost] = field(default_factory=list)
    decisions: list[AuthorDecision] = field(default_factory=list)

    @property
    def decision_counts(self) -> dict[Decision, int]:
        """Of the recent decisions shown, how many went which way."""
        return dict(Counter(d.decision for d in self.decisions))


@dataclass(frozen=True)
class QueueItem:
    post: Post
    screened: list[screening.ScreenedText]  # every public text, with its findings
    history: AuthorHistory
    # Per target, in the post's order: what its platform would refuse (approval refuses those).
    refusals: list[TargetRefusals] = field(default_factory=list)


def _post_filter(actor: Actor, flt: QueueFilter) -> PostFilter:
    start, end = wib_day_bounds(flt.day_from, flt.day_until)
    return PostFilter(
        statuses=list(flt.statuses),
        opd_id=flt.opd_id,
        channel=flt.channel,
        updated_from=start,
        updated_until=end,
        # A submitted post is in the queue of whoever signs it off next only.
        awaiting_levels=sorted(review_levels(actor)),
        # Serta-merta posts head every approver's queue, whatever their age.
        urgent_first=True,
        from_plan=flt.from_plan,
        plan_import_id=flt.plan_import_id,
    )


def load_details(session: Session, ids: Sequence[int]) -> None:
    """Targets, photos and reviews of a page of posts in three queries instead of three a post."""
    if not ids:
        return
    query = (
        select(Post)
        .where(Post.id.in_(list(ids)))
        .options(
            selectinload(Post.targets),
            selectinload(Post.photos).joinedload(PostMedia.media),
            selectinload(Post.reviews),
        )
        .execution_options(populate_existing=True)
    )
    session.scalars(query).unique().all()


def queue_page(
    session: Session,
    actor: Actor,
    flt: QueueFilter | None = None,
    *,
    page: int = 1,
    page_size: int = 10,
    public_numbers: Iterable[str] = screening.PUBLIC_SERVICE_NUMBERS,
) -> Page[QueueItem]:
    actor = refresh(session, actor)
    require(actor, Action.REVIEW, actor.opd_id)
    flt = flt or QueueFilter()
    posts = list_posts(session, actor, _post_filter(actor, flt), page=page, page_size=page_size)
    load_details(session, [p.id for p in posts.items])
    # Each OPD's posts are screened with the city's DIK and that OPD's own, read once per OPD.
    rules = {
        opd_id: screening.active_rules(session, opd_id)
        for opd_id in dict.fromkeys(p.opd_id for p in posts.items)
    }
    numbers = list(public_numbers)
    histories = {
        author_id: _history(session, actor, author_id)
        for author_id in dict.fromkeys(p.author_id for p in posts.items)
    }
    items = [
        QueueItem(
            p,
            screening.screen_post(session, p, numbers, rules=rules[p.opd_id]),
            histories[p.author_id],
            post_refusals(p),
        )
        for p in posts.items
    ]
    return Page(items, posts.page, posts.page_size, posts.has_next)


def author_history(
    session: Session, actor: Actor, author_id: int, *, limit: int = HISTORY_LIMIT
) -> AuthorHistory:
    """An author's latest posts and the latest decisions on them (what the actor may see)."""
    actor = refresh(session, actor)
    require(actor, Action.VIEW_POSTS, actor.opd_id)
    return _history(session, actor, author_id, limit=limit)


def _history(
    session: Session, actor: Actor, author_id: int, *, limit: int = HISTORY_LIMIT
) -> AuthorHistory:
    author = session.get(User, author_id)
    username = author.username if author else f"#{author_id}"
    display = author.display_name if author else username
    visible = visible_opd_ids(actor)
    caption = func.substr(Post.caption, 1, CAPTION_PREVIEW)
    posts_query = select(Post.id, Post.status, Post.updated_at, caption).where(
        Post.author_id == author_id
    )
    # Decisions on the author's latest posts only: a bounded number of index lookups, however
    # many posts the author has written over the years.
    latest = select(Post.id).where(Post.author_id == author_id)
    if visible is not None:
        latest = latest.where(Post.opd_id.in_(visible))
    latest = latest.order_by(Post.updated_at.desc(), Post.id.desc()).limit(DECISION_WINDOW)
    reviews_query = (
        select(Review.post_id, Review.decision, Review.comment, User.username, Review.created_at)
        .join(User, User.id == Review.reviewer_id)
        .where(Review.post_id.in_(latest.scalar_subquery()))
        .order_by(Review.id.desc())
        .limit(limit)
    )
    if visible is not None:
        posts_query = posts_query.where(Post.opd_id.in_(visible))
    posts_query = posts_query.order_by(Post.updated_at.desc(), Post.id.desc()).limit(limit)
    return AuthorHistory(
        author_id,
        username,
        display,
        [AuthorPost(*row) for row in session.execute(posts_query)],
        [AuthorDecision(*row) for row in session.execute(reviews_query)],
    )
