"""What a publisher needs to publish one post on one account, built from the database.

The worker calls `build_target_content(post, target, store, config)` inside its transaction
and hands the (immutable, session-free) result to `publisher.publish()` outside it.
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from twitter_text import extract_urls

from content.delivery.publishing import kept_container
from content.editorial.posts import channel_text
from content.infra.store import BlobStore, FileBlobStore
from content.models import Channel, Post, PostTarget
from publishers.social.config import PublisherSettings

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Photo:
    sha256: str
    mime: str
    width: int
    height: int
    alt_text: str
    size_bytes: int = 0
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)
    public_url: str | None = None  # where a platform that fetches (Instagram) finds it

    @property
    def extension(self) -> str:
        return "png" if self.mime == "image/png" else "jpg"

    @property
    def filename(self) -> str:
        return f"{self.sha256}.{self.extension}"

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        if self.path is None:
            raise ValueError(f"photo {self.sha256} has neither bytes nor a path")
        return self.path.read_bytes()


@dataclass(frozen=True)
class TargetContent:
    post_id: int
    target_id: int
    channel: Channel
    text: str  # the caption for this channel (override or master), link not yet added
    link: str = ""
    photos: tuple[Photo, ...] = ()
    marker: str = ""  # fingerprint of the text, for find_existing (see `fingerprint`)
    account_id: int | None = None
    account_handle: str = ""
    account_settings: Mapping[str, Any] = field(default_factory=dict)
    content_hash: str = ""
    title: str = ""  # the post's headline: a titled channel's title (a website post)
    kip: str = ""  # the post's KIP category (stored value), for channels that file by it
    opd: str = ""  # the post's OPD short name, for channels that file by it
    # Instagram: a container an earlier attempt created and did not publish (reused, not made
    # again), and where to keep a new one *before* `media_publish` (the worker commits it).
    container_id: str | None = None
    save_container: Callable[[str], None] | None = field(default=None, repr=False, compare=False)


def normalise(text: str) -> str:
    """The text as platforms give it back: URLs dropped (X rewrites them to t.co and appends a
    link for each photo), entities decoded, whitespace collapsed."""
    text = unicodedata.normalize("NFC", html.unescape(text))
    for url in sorted(set(extract_urls(text)), key=len, reverse=True):
        text = text.replace(url, " ")
    return _SPACE.sub(" ", text).strip()


def fingerprint(text: str) -> str:
    """A marker that survives the platform's rewriting, so a post can be recognised again."""
    return hashlib.sha256(normalise(text).encode()).hexdigest()[:32]


def media_url(base: str, photo_sha256: str, extension: str) -> str:
    return f"{base.rstrip('/')}/media/{photo_sha256}.{extension}"


def build_target_content(
    post: Post, target: PostTarget, store: BlobStore, config: PublisherSettings
) -> TargetContent:
    """Everything a publisher needs for `target`, read from the post while the session is open."""
    account = target.account
    if account is None:
        raise ValueError("videotron targets are rendered, not published by a social publisher")
    text = channel_text(post, target)
    base = config.media_base_url
    photos = []
    for used in post.photos:
        media = used.media
        path = (
            store.path(media.sha256, media.extension) if isinstance(store, FileBlobStore) else None
        )
        photos.append(
            Photo(
                sha256=media.sha256,
                mime=media.mime,
                width=media.width,
                height=media.height,
                alt_text=used.alt_text,
                size_bytes=media.size_bytes,
                path=path,
                data=None if path is not None else store.get(media.sha256, media.extension),
                public_url=media_url(base, media.sha256, media.extension) if base else None,
            )
        )
    return TargetContent(
        post_id=post.id,
        target_id=target.id,
        channel=target.channel,
        text=text,
        link=post.link,
        photos=tuple(photos),
        marker=fingerprint(text),
        account_id=account.id,
        account_handle=account.handle,
        account_settings=dict(account.settings or {}),
        content_hash=post.content_hash,
        title=" ".join(post.headline.split()),
        kip=post.kip_category.value,
        opd=post.opd.short_name,
        container_id=kept_container(target, post.content_hash),
    )
