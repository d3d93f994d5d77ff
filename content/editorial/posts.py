"""Drafting: creating and editing posts, their targets and photos, and reading them back.

Rules about who may touch which post live in permissions; rules about states live in workflow.
An edit to content that was submitted or approved sends the post back to draft (what is
published is exactly what was approved).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.delivery import target_moves as moves
from content.delivery.target_moves import applies, move
from content.editorial.channels import compose, text_problems, title_problems
from content.infra.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from content.models import (
    Account,
    Channel,
    KipCategory,
    Media,
    Opd,
    Post,
    PostEdit,
    PostMedia,
    PostStatus,
    PostTarget,
    Screen,
    TargetStatus,
)
from content.models.enums import EDITABLE_STATUSES
from content.org.actors import Actor, refresh
from content.org.permissions import Action, can, require

MAX_CAPTION = 63_206
MAX_HEADLINE = 300
MAX_ALT = 1_000
# Content that a reviewer has seen: editing it means the review no longer holds.
REVIEWED_STATUSES = frozenset({PostStatus.SUBMITTED, PostStatus.APPROVED, PostStatus.SCHEDULED})


@dataclass(frozen=True)
class PhotoInput:
    media_id: int
    alt_text: str


@dataclass(frozen=True)
class DraftInput:
    caption: str = ""
    link: str = ""
    headline: str = ""
    kip_category: KipCategory = KipCategory.BERKALA
    account_ids: Sequence[int] = ()
    screen_ids: Sequence[int] = ()
    # Per-channel text that replaces the caption on that channel; absent means "inherit".
    texts: Mapping[Channel, str] = field(default_factory=dict)
    photos: Sequence[PhotoInput] = ()
    # The author's wish for the day it goes out (WIB), or a content plan's day: PPID Utama sets
    # the time when scheduling. Not part of the content hash: a date is not wording.
    planned_on: date | None = None


def validate_draft(data: DraftInput) -> None:
    """The draft's own limits (lengths, a full web address), one sentence when passed."""
    if len(data.caption) > MAX_CAPTION:
        raise ValidationFailed(f"Keterangan terlalu panjang (maksimal {MAX_CAPTION} karakter).")
    if len(data.headline) > MAX_HEADLINE:
        raise ValidationFailed(f"Judul videotron maksimal {MAX_HEADLINE} karakter.")
    if data.link:
        parsed = urlparse(data.link)
        if parsed.scheme not in {"http", "https"} or not parsed.netloc or " " in data.link:
            raise ValidationFailed(
                "Tautan harus alamat web lengkap, diawali http:// atau https://."
            )
    for photo in data.photos:
        if len(photo.alt_text) > MAX_ALT:
            raise ValidationFailed(f"Teks alternatif foto maksimal {MAX_ALT} karakter.")


def content_hash(post: Post) -> str:
    """A fingerprint of everything that reaches the public; the review records it."""
    body: dict[str, Any] = {
        "caption": post.caption,
        "link": post.link,
        "headline": post.headline,
        "kip": post.kip_category.value,
        "targets": sorted(
            [t.channel.value, t.account_id or 0, t.screen_id or 0, t.text_override]
            for t in post.targets
        ),
        "photos": [[p.media.sha256, p.alt_text] for p in post.photos],
    }
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def usable_accounts(session: Session, opd_id: int) -> list[Account]:
    """The OPD's own accounts, then the city-wide ones (each group by channel and name)."""
    query = select(Account).where(
        Account.active, or_(Account.opd_id == opd_id, Account.opd_id.is_(None))
    )
    city_last = case((Account.opd_id.is_(None), 1), else_=0)
    order = (city_last, Account.kind, Account.display_name, Account.id)
    return list(session.scalars(query.order_by(*order)))


def usable_screens(session: Session) -> list[Screen]:
    return list(session.scalars(select(Screen).where(Screen.active).order_by(Screen.name)))


def _target_key(target: PostTarget) -> tuple[str, int]:
    if target.account is not None:
        return ("a", target.account.id)
    assert target.screen is not None  # the account_xor_screen constraint
    return ("s", target.screen.id)


def _sync_targets(session: Session, post: Post, data: DraftInput) -> None:
    accounts = {a.id: a for a in usable_accounts(session, post.opd_id)}
    screens = {s.id: s for s in usable_screens(session)}
    unknown = [i for i in data.account_ids if i not in accounts]
    unknown += [i for i in data.screen_ids if i not in screens]
    if unknown:
        raise PermissionDenied("Ada kanal yang tidak boleh dipakai OPD ini atau tidak aktif.")
    wanted: dict[tuple[str, int], Channel] = {
        ("a", i): accounts[i].kind for i in dict.fromkeys(data.account_ids)
    }
    wanted |= {("s", i): Channel.VIDEOTRON for i in dict.fromkeys(data.screen_ids)}
    current = {_target_key(t): t for t in post.targets}
    for key, old in current.items():
        if key not in wanted:
            post.targets.remove(old)
    for key, channel in wanted.items():
        target = current.get(key)
        if target is None:
            target = PostTarget(channel=channel, status=TargetStatus.PENDING)
            if key[0] == "a":
                target.account = accounts[key[1]]
            else:
                target.screen = screens[key[1]]
            post.targets.append(target)
        target.text_override = None if channel is Channel.VIDEOTRON else data.texts.get(channel)


def _sync_photos(session: Session, post: Post, data: DraftInput) -> None:
    ids = [p.media_id for p in data.photos]
    media = {m.id: m for m in session.scalars(select(Media).where(Media.id.in_(ids)))}
    if len(media) != len(set(ids)):
        raise ValidationFailed("Foto yang dipilih tidak ditemukan; unggah ulang.")
    post.photos.clear()
    session.flush()  # positions are unique per post: the old rows go before the new arrive
    for position, photo in enumerate(data.photos):
        post.photos.append(
            PostMedia(
                media=media[photo.media_id], position=position, alt_text=photo.alt_text.strip()
            )
        )


def _apply(session: Session, post: Post, data: DraftInput) -> None:
    post.caption = data.caption
    post.link = data.link.strip()
    post.headline = " ".join(data.headline.split())
    post.kip_category = data.kip_category
    post.planned_on = data.planned_on
    _sync_targets(session, post, data)
    _sync_photos(session, post, data)
    session.flush()
    post.content_hash = content_hash(post)
    # Flushed again so the caller sees the version the database holds.
    session.flush()


def as_draft_input(post: Post) -> DraftInput:
    """The post as the draft input that would save it unchanged."""
    return DraftInput(
        caption=post.caption,
        link=post.link,
        headline=post.headline,
        kip_category=post.kip_category,
        account_ids=[t.account_id for t in post.targets if t.account_id is not None],
        screen_ids=[t.screen_id for t in post.targets if t.screen_id is not None],
        texts={t.channel: t.text_override for t in post.targets if t.text_override is not None},
        photos=[PhotoInput(p.media_id, p.alt_text) for p in post.photos],
        planned_on=post.planned_on,
    )


def snapshot(post: Post) -> dict[str, Any]:
    """The audit's picture of a post."""
    return {
        "status": post.status,
        "version": post.version,
        "content_hash": post.content_hash,
        "scheduled_at": post.scheduled_at,
        "targets": [t.label for t in post.targets],
    }


def _record_edit(post: Post, actor: Actor) -> None:
    """Who wrote the content hash the post now has (four eyes reads it: `Post.editor_ids`)."""
    assert actor.user_id is not None  # content is written by a named user
    post.edits.append(PostEdit(user_id=actor.user_id, content_hash=post.content_hash))


def create_draft(session: Session, actor: Actor, opd_id: int, data: DraftInput) -> Post:
    actor = refresh(session, actor)
    require(actor, Action.WRITE_POST, opd_id)
    if actor.user_id is None:
        raise PermissionDenied("Konten harus ditulis atas nama seorang pengguna.")
    if session.get(Opd, opd_id) is None:
        raise NotFound("OPD tidak ditemukan.")
    validate_draft(data)
    post = Post(opd_id=opd_id, author_id=actor.user_id, status=PostStatus.DRAFT)
    session.add(post)
    _apply(session, post, data)
    _record_edit(post, actor)
    audit.record(
        session,
        actor,
        AuditAction.POST_CREATED,
        "post",
        post.id,
        opd_id=opd_id,
        after=snapshot(post),
    )
    return post


def check_version(post: Post, expected_version: int | None) -> None:
    if expected_version is not None and post.version != expected_version:
        raise Conflict(
            "Konten ini sudah diubah orang lain sejak Anda membukanya; muat ulang lalu coba lagi."
        )


def load_post(session: Session, post_id: int, *, lock: bool = False) -> Post:
    query = select(Post).where(Post.id == post_id)
    if lock:
        # Row lock on PostgreSQL (SQLite's BEGIN IMMEDIATE already serialises writers).
        query = query.with_for_update(of=Post)
    post = session.scalars(query).unique().one_or_none()
    if post is None:
        raise NotFound(f"Konten #{post_id} tidak ditemukan.")
    return post


def get_post(session: Session, actor: Actor, post_id: int) -> Post:
    actor = refresh(session, actor)
    post = load_post(session, post_id)
    if not can(actor, Action.VIEW_POSTS, post.opd_id):
        # Same answer as a missing post: nobody learns what other OPDs are drafting.
        raise NotFound(f"Konten #{post_id} tidak ditemukan.")
    return post


# An edit of reviewed content sends it back to draft (see `update_draft`).
CHANGEABLE_STATUSES = EDITABLE_STATUSES | REVIEWED_STATUSES


def may_edit(actor: Actor, status: PostStatus, opd_id: int) -> bool:
    """Whether `update_draft` would let this person change a post in this state now."""
    return status in CHANGEABLE_STATUSES and can(actor, Action.WRITE_POST, opd_id)


def update_draft(
    session: Session, actor: Actor, post_id: int, data: DraftInput, expected_version: int | None
) -> Post:
    actor = refresh(session, actor)
    post = load_post(session, post_id, lock=True)
    require(actor, Action.WRITE_POST, post.opd_id)
    check_version(post, expected_version)
    if post.status not in CHANGEABLE_STATUSES:
        raise InvalidTransition(f"Konten berstatus '{post.status.value}' tidak dapat diubah lagi.")
    validate_draft(data)
    before = snapshot(post)
    _apply(session, post, data)
    if post.content_hash == before["content_hash"]:
        return post
    _record_edit(post, actor)
    action = AuditAction.POST_EDITED
    if post.status in REVIEWED_STATUSES:
        action = AuditAction.POST_EDITED_AFTER_REVIEW
        post.status = PostStatus.DRAFT
        post.awaiting_level = None
        post.approved_hash = None
        post.scheduled_at = None
        for target in post.targets:
            if applies(target, moves.RESET):
                move(target, moves.RESET, due_at=None)
    session.flush()
    audit.record(
        session,
        actor,
        action,
        "post",
        post.id,
        opd_id=post.opd_id,
        before=before,
        after=snapshot(post),
    )
    return post


def channel_text(post: Post, target: PostTarget) -> str:
    if target.channel is Channel.VIDEOTRON:
        return post.headline
    return target.text_for(post.caption)


def readiness_problems(post: Post) -> list[str]:
    """Why a post cannot be submitted yet, one sentence each (empty when ready)."""
    found: list[str] = []
    if not post.targets:
        found.append("Pilih minimal satu kanal tujuan.")
    missing_alt = [p.position + 1 for p in post.photos if not p.alt_text.strip()]
    if missing_alt:
        found.append(
            f"Teks alternatif wajib diisi untuk foto ke-{', '.join(map(str, missing_alt))}."
        )
    # Text rules (with the link as the channel sends it) and photo count stop a submission; the
    # photo rules are shown to author and reviewer and stop the approval (editorial.refusals).
    count = len(post.photos)
    for channel in dict.fromkeys(t.channel for t in post.targets):
        target = next(t for t in post.targets if t.channel is channel)
        text, _ = compose(channel, channel_text(post, target), post.link, count > 0)
        found += [p.message for p in title_problems(channel, post.headline)]
        found += [p.message for p in text_problems(channel, text, count)]
    return found
