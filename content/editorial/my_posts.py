"""'Konten saya': the posts of the reader's own desk, by status, one page at a time.

For a PPID Pembantu that is their OPD; for PPID Utama writing on behalf of the city it is their own
unit's posts, or the posts they wrote when they belong to no OPD.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from content.editorial.queries import Page, PostFilter, list_posts, status_counts
from content.editorial.review_queue import load_details
from content.models import Post, PostStatus
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require


@dataclass(frozen=True)
class MyPosts:
    page: Page[Post]
    counts: dict[PostStatus, int]


def desk_filter(actor: Actor, statuses: Sequence[PostStatus] = ()) -> PostFilter:
    if actor.opd_id is not None:
        return PostFilter(statuses=list(statuses), opd_id=actor.opd_id)
    return PostFilter(statuses=list(statuses), author_id=actor.user_id)


def my_posts(
    session: Session,
    actor: Actor,
    statuses: Sequence[PostStatus] = (),
    *,
    page: int = 1,
    page_size: int = 20,
) -> MyPosts:
    """One page (targets, photos and reviews loaded with it) and the count per status."""
    actor = refresh(session, actor)
    require(actor, Action.WRITE_POST, actor.opd_id)
    found = list_posts(session, actor, desk_filter(actor, statuses), page=page, page_size=page_size)
    load_details(session, [p.id for p in found.items])
    # Counting needs the OPD index; a reader without an OPD gets the list without counts.
    counts = status_counts(session, actor, actor.opd_id) if actor.opd_id is not None else {}
    return MyPosts(found, counts)
