"""Refusals known in advance: listed per target before approval, refused by approval, and the
framed photo offered for Instagram's ratio and type (on SQLite and PostgreSQL)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PIL.ExifTags import GPS, IFD
from sqlalchemy import select

from content.editorial import workflow
from content.editorial.channels import PAD, RULES
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.editorial.refusals import (
    change_request,
    draft_refusals,
    post_refusals,
    use_framed_photo,
)
from content.infra.errors import PermissionDenied, ValidationFailed
from content.models import AuditEvent, Channel, Media, Post, PostStatus, Review
from tests.world import World, jpeg


def tall_photo_with_gps(size: tuple[int, int] = (600, 1800)) -> bytes:
    """A portrait banner as a phone sends it: far taller than 4:5, GPS in its EXIF."""
    exif = Image.Exif()
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "S"
    gps[GPS.GPSLatitude] = (6.0, 14.0, 16.5)
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "JPEG", exif=exif)
    return out.getvalue()


def transparent_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (800, 800), (200, 30, 30, 0)).save(out, "PNG")
    return out.getvalue()


def draft_with(
    world: World, photo: bytes, *, caption: str = "Spanduk Posyandu.", link: str = ""
) -> tuple[Post, Media]:
    media = store_upload(world.session, world.pembantu, world.store, photo, filename="spanduk.jpg")
    data = DraftInput(
        caption=caption,
        headline="Posyandu serentak pekan ini",
        account_ids=[world.x_account, world.ig_account],
        screen_ids=[world.screen_id],
        photos=[PhotoInput(media.id, "Spanduk posyandu di balai warga")],
        link=link,
    )
    return create_draft(world.session, world.pembantu, world.dinkes_id, data), media


def by_channel(post: Post) -> dict[Channel, list[tuple[str, int | None, str | None]]]:
    return {
        r.channel: [(p.code, p.photo_index, p.fix) for p in r.problems] for r in post_refusals(post)
    }


def test_each_target_lists_what_its_platform_would_refuse_with_the_fix(world: World) -> None:
    post, _ = draft_with(world, tall_photo_with_gps())
    assert by_channel(post) == {
        Channel.X: [],
        Channel.INSTAGRAM: [("aspect_ratio", 0, PAD)],
        Channel.VIDEOTRON: [],
    }
    ig = next(r for r in post_refusals(post) if r.channel is Channel.INSTAGRAM)
    assert ig.account_id == world.ig_account and ig.name == "@dinkes.ig"
    assert "rasio foto ke-1 0.33:1 di luar 0.80:1 sampai 1.91:1" in ig.problems[0].message


def test_a_transparent_png_is_refused_by_instagram_only_and_offered_the_frame(
    world: World,
) -> None:
    post, media = draft_with(world, transparent_png())
    assert media.mime == "image/png"  # intake keeps transparency as PNG
    assert by_channel(post)[Channel.INSTAGRAM] == [("photo_type", 0, PAD)]
    assert by_channel(post)[Channel.X] == []


def test_x_counts_the_link_it_will_append(world: World) -> None:
    """270 characters pass on their own; with the link X appends (23 + two line breaks) the
    text is 295 and X would refuse it, so submission stops it as the worker would."""
    post, _ = draft_with(
        world, jpeg(), caption="a" * 270, link="https://dinkes.bekasikota.go.id/posyandu"
    )
    x = next(r for r in post_refusals(post) if r.channel is Channel.X)
    assert [(p.code, p.message) for p in x.problems] == [
        ("text_length", "X: 295 karakter, melebihi batas 280.")
    ]
    with pytest.raises(ValidationFailed, match="X: 295 karakter"):
        workflow.submit(world.session, world.pembantu, post.id)


def test_a_draft_being_typed_is_checked_like_a_saved_post(world: World) -> None:
    photos = [
        store_upload(world.session, world.pembantu, world.store, jpeg(colour=c))
        for c in ("red", "blue", "green", "gray", "navy")
    ]
    data = DraftInput(
        caption="Lima foto kegiatan.",
        account_ids=[world.x_account, world.ig_account, world.other_x_account],  # last: not Dinkes'
        photos=[PhotoInput(m.id, "Kegiatan") for m in photos],
        texts={Channel.INSTAGRAM: "#a " * 31},
    )
    found = draft_refusals(world.session, world.dinkes_id, data)
    assert [(r.channel, r.account_id) for r in found] == [
        (Channel.X, world.x_account),
        (Channel.INSTAGRAM, world.ig_account),
    ]
    assert [p.code for p in found[0].problems] == ["photo_count"]
    assert [p.code for p in found[1].problems] == ["hashtags"]
    assert "paling banyak 4 foto" in found[0].problems[0].message


def test_approval_refuses_a_post_a_platform_would_refuse_and_writes_nothing(
    world: World,
) -> None:
    s = world.session
    post, _ = draft_with(world, tall_photo_with_gps())
    workflow.submit(s, world.pembantu, post.id)  # the author was warned; PPID Utama decides
    version = post.version
    with pytest.raises(ValidationFailed) as refused:
        workflow.approve(s, world.utama, post.id, expected_version=version)
    message = refused.value.message
    assert message.startswith("Belum dapat disetujui karena platform akan menolaknya: Instagram:")
    assert "Minta perbaikan" in message
    s.expire_all()
    assert (post.status, post.version, post.approved_hash) == (PostStatus.SUBMITTED, version, None)
    assert s.scalars(select(Review).where(Review.post_id == post.id)).all() == []
    comment = change_request(post_refusals(post))
    assert "Instagram: rasio foto ke-1" in comment and "Pakai versi berbingkai" in comment
    workflow.request_changes(s, world.utama, post.id, comment)
    assert post.status is PostStatus.CHANGES_REQUESTED


def test_the_framed_photo_replaces_the_original_and_the_post_can_be_approved(
    world: World,
) -> None:
    s = world.session
    post, original = draft_with(world, tall_photo_with_gps())
    workflow.submit(s, world.pembantu, post.id)
    framed_post = use_framed_photo(
        s, world.pembantu, world.store, post.id, original.id, expected_version=post.version
    )
    assert framed_post.status is PostStatus.DRAFT  # an edit: submitted again, reviewed again
    [used] = framed_post.photos
    framed = used.media
    assert framed.id != original.id and used.alt_text == "Spanduk posyandu di balai warga"
    assert (framed.mime, framed.original_name) == ("image/jpeg", "berbingkai-spanduk.jpg")
    low, high = RULES[Channel.INSTAGRAM].aspect_ratio or (0, 0)
    assert low <= framed.width / framed.height <= high
    assert (framed.width, framed.height) == (1440, 1800)  # exactly 4:5, nothing cropped
    stored = world.store.get(framed.sha256, framed.extension)
    with Image.open(io.BytesIO(stored)) as image:
        assert image.size == (1440, 1800) and not image.getexif()
    assert b"Exif" not in stored and b"GPS" not in stored
    assert by_channel(framed_post)[Channel.INSTAGRAM] == []
    events = s.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_id == post.id).order_by(AuditEvent.id)
    ).all()
    assert events[-1] == "post.edited_after_review"
    workflow.submit(s, world.pembantu, post.id)
    assert workflow.approve(s, world.utama, post.id).status is PostStatus.APPROVED


def test_framing_a_png_gives_a_jpeg_and_framing_twice_is_one_photo(world: World) -> None:
    s = world.session
    post, original = draft_with(world, transparent_png())
    first = use_framed_photo(
        s, world.pembantu, world.store, post.id, original.id, expected_version=post.version
    )
    media = first.photos[0].media
    assert media.mime == "image/jpeg" and (media.width, media.height) == (800, 800)
    assert by_channel(first)[Channel.INSTAGRAM] == []
    count = len(s.scalars(select(Media)).all())
    post2, _ = draft_with(world, transparent_png())
    use_framed_photo(
        s, world.pembantu, world.store, post2.id, original.id, expected_version=post2.version
    )
    assert len(s.scalars(select(Media)).all()) == count  # content-addressed: the same row


def test_only_the_posts_writers_may_apply_the_frame(world: World) -> None:
    post, original = draft_with(world, tall_photo_with_gps())
    with pytest.raises(PermissionDenied):
        use_framed_photo(
            world.session,
            world.analyst,
            world.store,
            post.id,
            original.id,
            expected_version=post.version,
        )
