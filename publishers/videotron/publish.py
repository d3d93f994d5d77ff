"""From an approved post to a slide on its screen, and emergency messages.

The worker calls `publish_slide` for a videotron target it has claimed, inside its transaction,
then marks the target published as for any channel; the slide plays from that moment (the
playlist only shows slides of published targets). PPID Utama's dashboard calls `push_emergency`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from content import playlist
from content.infra.config import Settings
from content.infra.errors import ValidationFailed
from content.infra.store import BlobStore
from content.infra.timeutil import utcnow
from content.models import Channel, PostTarget, Screen, Slide
from content.models.videotron import ScreenOverride
from content.org.actors import Actor, worker_actor
from publishers.videotron.cache import (
    DirectoryRenderCache,
    RenderCache,
    Rendered,
    render_cached,
)
from publishers.videotron.config import VideotronSettings
from publishers.videotron.errors import HeadlineDoesNotFit, QrDoesNotFit
from publishers.videotron.layout import EMERGENCY
from publishers.videotron.photo import PhotoInput
from publishers.videotron.render import format_date


def _render_for_screen(
    store: BlobStore,
    cache: RenderCache,
    *,
    screen: Screen,
    config: VideotronSettings,
    photo: bytes,
    photo_sha256: str,
    headline: str,
    opd_names: tuple[str, str],
    date: str,
    link: str,
) -> Rendered:
    """Try the richest slide first, then give way: the QR code, then the long OPD name."""
    full, short = opd_names
    attempts: list[tuple[str, str | None]] = []
    for name in dict.fromkeys([full, short or full]):
        if link and config.qr:
            attempts.append((name, link))
        attempts.append((name, None))
    last: ValidationFailed | None = None
    for opd, qr_url in attempts:
        try:
            return render_cached(
                store,
                cache,
                photo,
                headline,
                photo_sha256=photo_sha256,
                size=(screen.width, screen.height),
                opd=opd,
                date=date,
                qr_url=qr_url,
                viewing_distance_m=screen.viewing_distance_m,
                pixel_pitch_mm=config.pitch_for(screen.slug),
            )
        except (QrDoesNotFit, HeadlineDoesNotFit) as exc:
            last = exc
    assert last is not None
    raise last


def feed_base_url(settings: Settings) -> str:
    """Where players and Instagram reach the feed: the public address when one is set."""
    if settings.public_base_url:
        return settings.public_base_url.rstrip("/")
    host = settings.host if settings.host not in {"0.0.0.0", "::", ""} else "127.0.0.1"  # noqa: S104
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{settings.feed_port}"


def slide_url(settings: Settings, slide: Slide) -> str:
    """The slide's address on the feed, for PostTarget.remote_url."""
    return feed_base_url(settings) + playlist.slide_path(slide.sha256, slide.mime)


def _local_date(screen: Screen, moment: datetime) -> str:
    return format_date(moment.astimezone(playlist.screen_zone(screen)).date())


def render_target(
    target: PostTarget,
    store: BlobStore,
    settings: Settings,
    *,
    cache: RenderCache | None = None,
    now: datetime | None = None,
) -> Rendered:
    """The slide image of a videotron target, rendered (or found in the render cache) and put
    in the blob store. Writes nothing to the database: a worker may call it outside its
    transaction (loaded objects stay readable after a commit with expire_on_commit=False)."""
    if target.channel is not Channel.VIDEOTRON or target.screen is None:
        raise ValidationFailed("Hanya target videotron yang dirender menjadi slide.")
    config = VideotronSettings.from_settings(settings)
    post, screen = target.post, target.screen
    if not post.photos:
        raise ValidationFailed("Videotron: wajib ada foto.")
    media = post.photos[0].media
    return _render_for_screen(
        store,
        cache or DirectoryRenderCache(config.cache_dir),
        screen=screen,
        config=config,
        photo=store.get(media.sha256, media.extension),
        photo_sha256=media.sha256,
        headline=post.headline,
        opd_names=(post.opd.name, post.opd.short_name),
        date=_local_date(screen, post.published_at or now or utcnow()),
        link=post.link,
    )


def publish_slide(
    session: Session,
    target: PostTarget,
    store: BlobStore,
    settings: Settings,
    *,
    cache: RenderCache | None = None,
    actor: Actor | None = None,
    now: datetime | None = None,
    valid_from: datetime | None = None,
    valid_until: datetime | None = None,
    rendered: Rendered | None = None,
) -> Slide:
    """Render the post's slide for the target's screen (through the render cache, unless
    `rendered` comes from an earlier render_target) and record it. The window defaults to
    now … now + `[videotron] slide_days`. Raises a ValidationFailed subclass (one sentence) when
    the photo is unreadable or the headline cannot fit legibly: a permanent failure."""
    now = now or utcnow()
    rendered = rendered or render_target(target, store, settings, cache=cache, now=now)
    start = valid_from or now
    days = VideotronSettings.from_settings(settings).slide_days
    return playlist.record_slide(
        session,
        actor or worker_actor("videotron"),
        target,
        sha256=rendered.sha256,
        mime=rendered.mime,
        headline=target.post.headline,
        valid_from=start,
        valid_until=valid_until or start + timedelta(days=days),
    )


def push_emergency(
    session: Session,
    actor: Actor,
    store: BlobStore,
    settings: Settings,
    screen: Screen | int | str,
    *,
    headline: str,
    reason: str,
    photo: PhotoInput | None = None,
    ends_at: datetime | None = None,
    cache: RenderCache | None = None,
    now: datetime | None = None,
) -> ScreenOverride:
    """Render an emergency slide (dark red, "INFORMASI SERTA-MERTA") and put it on the screen at
    once until `ends_at` or until lifted with content.playlist.lift_override."""
    actor = playlist.require_videotron_manager(session, actor)  # before any rendering work
    found = playlist.find_screen(session, screen)
    config = VideotronSettings.from_settings(settings)
    cache = cache or DirectoryRenderCache(config.cache_dir)
    now = now or utcnow()
    rendered = render_cached(
        store,
        cache,
        photo,
        headline,
        size=(found.width, found.height),
        opd=config.issuer,
        date=_local_date(found, now),
        theme=EMERGENCY,
        viewing_distance_m=found.viewing_distance_m,
        pixel_pitch_mm=config.pitch_for(found.slug),
    )
    return playlist.push_override(
        session,
        actor,
        found,
        sha256=rendered.sha256,
        mime=rendered.mime,
        headline=headline,
        reason=reason,
        ends_at=ends_at,
        now=now,
    )
