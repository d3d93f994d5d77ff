"""Refusals known in advance: per target of a post (or of a draft being typed), what the
platform would refuse, by the channel rules the publishers check too
(`content.editorial.channels`), each problem with its code, its Indonesian sentence and the
fix the app can offer.

The composer shows them while the author types, the approval queue before the approve button,
and `workflow.approve` refuses a post that has any: the worker would fail it anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.editorial.channels import Problem, check
from content.editorial.media import Limits, pad_photo
from content.editorial.posts import (
    DraftInput,
    PhotoInput,
    as_draft_input,
    channel_text,
    check_version,
    get_post,
    update_draft,
    usable_accounts,
    usable_screens,
)
from content.infra.errors import NotFound, ValidationFailed
from content.infra.store import BlobStore
from content.models import Channel, Media, Post
from content.org.actors import Actor
from content.org.permissions import Action, require


@dataclass(frozen=True)
class PhotoCheck:
    """A photo as the channel rules read it (`channels.PhotoFacts`)."""

    media_id: int
    mime: str
    width: int
    height: int
    size_bytes: int
    alt_text: str

    @classmethod
    def of(cls, media: Media, alt_text: str) -> PhotoCheck:
        return cls(media.id, media.mime, media.width, media.height, media.size_bytes, alt_text)


@dataclass(frozen=True)
class TargetRefusals:
    """One target (an account, or a videotron screen) and what its platform would refuse."""

    channel: Channel
    account_id: int | None
    screen_id: int | None
    name: str  # the account's handle or the screen's name
    problems: list[Problem]


def post_refusals(post: Post) -> list[TargetRefusals]:
    """Every target of a saved post, in the post's order, with its problems (maybe none)."""
    photos = [PhotoCheck.of(used.media, used.alt_text) for used in post.photos]
    found = []
    for target in post.targets:
        name = target.account.handle if target.account else ""
        name = target.screen.name if target.screen else name
        found.append(
            TargetRefusals(
                target.channel,
                target.account_id,
                target.screen_id,
                name,
                check(
                    target.channel,
                    channel_text(post, target),
                    post.link,
                    photos,
                    title=post.headline,
                ),
            )
        )
    return found


def draft_refusals(session: Session, opd_id: int, data: DraftInput) -> list[TargetRefusals]:
    """The same for a draft not saved yet: the targets it names that the OPD may use, its texts
    and photos normalised the way saving would."""
    ids = [p.media_id for p in data.photos]
    media = {m.id: m for m in session.scalars(select(Media).where(Media.id.in_(ids)))}
    photos = [
        PhotoCheck.of(media[photo.media_id], photo.alt_text.strip())
        for photo in data.photos
        if photo.media_id in media
    ]
    link = data.link.strip()
    found = []
    accounts = {a.id: a for a in usable_accounts(session, opd_id)}
    for account_id in dict.fromkeys(data.account_ids):
        account = accounts.get(account_id)
        if account is None:
            continue
        text = data.texts.get(account.kind, data.caption)
        problems = check(account.kind, text, link, photos, title=data.headline)
        found.append(TargetRefusals(account.kind, account.id, None, account.handle, problems))
    screens = {s.id: s for s in usable_screens(session)}
    headline = " ".join(data.headline.split())
    for screen_id in dict.fromkeys(data.screen_ids):
        screen = screens.get(screen_id)
        if screen is not None:
            problems = check(Channel.VIDEOTRON, headline, link, photos)
            found.append(TargetRefusals(Channel.VIDEOTRON, None, screen.id, screen.name, problems))
    return found


def sentences(refusals: Iterable[TargetRefusals]) -> list[str]:
    """Each distinct problem sentence once (two X accounts refuse the same text alike)."""
    return list(dict.fromkeys(p.message for r in refusals for p in r.problems))


def change_request(refusals: Sequence[TargetRefusals]) -> str:
    """A "Minta perbaikan" comment PPID Utama can send as it is: what each platform would
    refuse and what the author can do (the framed version where the app offers it)."""
    lines = [f"- {message}" for message in sentences(refusals)]
    if not lines:
        return ""
    text = "Platform akan menolak konten ini:\n" + "\n".join(lines)
    if any(p.fix for r in refusals for p in r.problems):
        text += (
            "\nUntuk foto yang ditandai, buka konten di halaman Tulis konten dan pilih "
            "“Pakai versi berbingkai”, lalu ajukan ulang."
        )
    return text


def refuse_if_any(post: Post) -> None:
    """Raise ValidationFailed with the sentences when any platform would refuse the post."""
    found = sentences(post_refusals(post))
    if found:
        listed = " ".join(found)
        raise ValidationFailed(
            f"Belum dapat disetujui karena platform akan menolaknya: {listed} "
            "Kembalikan ke penulis dengan “Minta perbaikan”."
        )


def use_framed_photo(
    session: Session,
    actor: Actor,
    store: BlobStore,
    post_id: int,
    media_id: int,
    *,
    expected_version: int | None,
    limits: Limits | None = None,
) -> Post:
    """The `PAD` fix on a saved post: its photo `media_id` replaced, in its place and with its
    alt text, by the framed version (`media.pad_photo`). An edit like any other: a post under
    review goes back to draft and is submitted again."""
    post = get_post(session, actor, post_id)
    require(actor, Action.WRITE_POST, post.opd_id)
    check_version(post, expected_version)
    data = as_draft_input(post)
    if all(photo.media_id != media_id for photo in data.photos):
        raise NotFound("Foto itu tidak ada di konten ini; muat ulang halaman.")
    framed = pad_photo(session, actor, store, media_id, limits=limits)
    photos = [
        PhotoInput(framed.id if p.media_id == media_id else p.media_id, p.alt_text)
        for p in data.photos
    ]
    return update_draft(session, actor, post_id, replace(data, photos=photos), expected_version)
