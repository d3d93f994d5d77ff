"""Takedown ("Tarik publikasi") as it runs in production: a real worker process deletes the post
from the simulator's X and Facebook over HTTP, the feed's playlist drops the slide, Instagram is
left to a person with the step to take, and each delete takes effect exactly once, through 5xx
answers and a worker killed mid-delete."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from sqlalchemy import select

from content.delivery import takedown
from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.infra.config import load_settings
from content.infra.errors import InvalidTransition
from content.infra.store import FileBlobStore
from content.models import (
    Account,
    AttemptOutcome,
    AuditEvent,
    Channel,
    Media,
    PostStatus,
    PostTarget,
    PublishAttempt,
    Screen,
    SpendEntry,
    TargetStatus,
    User,
)
from content.org.actors import Actor
from publishers.videotron.feed import create_app
from tests.videotron.helpers import FeedServer
from tests.worker.conftest import Stack
from tests.world import jpeg

pytestmark = pytest.mark.e2e
REASON = "Jadwal posyandu keliru; diganti pengumuman baru."


@pytest.fixture
def feed(stack: Stack) -> Iterator[FeedServer]:
    """The videotron feed on its own port, on the stack's database; the simulator fetches the
    Instagram photo from it, as it does in training mode."""
    settings = load_settings({"SIARAN_DATA_DIR": str(stack.data_dir)})
    app = create_app(
        settings, engine=stack.database.engine, store=FileBlobStore(settings.media_dir)
    )
    server = FeedServer(app).start()
    stack.env["SIARAN_FEED_PORT"] = str(server.port)
    with (stack.data_dir / "siaran.toml").open("a", encoding="utf-8") as settings_file:
        settings_file.write("ig_poll_interval = 0.2\n")  # the [publishers] section is last
    try:
        yield server
    finally:
        server.stop()


def _user(s: Any, username: str) -> Actor:
    return Actor.of(s.scalars(select(User).where(User.username == username)).one())


def _post_everywhere(stack: Stack) -> int:
    """An approved post with a photo, due now on X, Facebook, Instagram and the videotron."""
    with stack.session() as s, s.begin():
        author, utama = _user(s, "dinkes"), _user(s, "utama")
        store = FileBlobStore(stack.data_dir / "media")
        media = store_upload(s, author, store, jpeg(), filename="posyandu.jpg")
        ig = s.scalars(select(Account.id).where(Account.kind == Channel.INSTAGRAM)).first()
        screen = s.scalars(select(Screen.id)).one()
        data = DraftInput(
            caption="Posyandu serentak pekan ini di seluruh kelurahan Kota Bekasi.",
            headline="Posyandu serentak pekan ini",
            account_ids=[stack.x_account, stack.fb_account, ig or 0],
            screen_ids=[screen],
            photos=[PhotoInput(media.id, "Kader posyandu menimbang balita")],
        )
        post = create_draft(s, author, author.opd_id or 0, data)
        workflow.submit(s, author, post.id)
        workflow.approve(s, utama, post.id)
        workflow.publish_now(s, utama, post.id)
        return post.id


def _take_down(stack: Stack, post_id: int, who: str = "utama") -> None:
    with stack.session() as s, s.begin():
        takedown.takedown(s, _user(s, who), post_id, REASON)


def _playlist(feed: FeedServer) -> list[dict[str, Any]]:
    answer = requests.get(f"{feed.base}/screens/bekasi-timur/playlist.json", timeout=10)
    answer.raise_for_status()
    slides: list[dict[str, Any]] = answer.json()["slides"]
    return slides


def _targets(stack: Stack, post_id: int) -> dict[Channel, PostTarget]:
    return {t.channel: t for t in stack.post(post_id).targets}


def _delete_answers(stack: Stack, platform: str) -> list[int]:
    rows = stack.sim.call("GET", "/_sim/requests", params={"platform": platform})["requests"]
    return [row["status"] for row in rows if row["method"] == "DELETE"]


def _delete_attempts(stack: Stack, target_id: int) -> list[AttemptOutcome]:
    return [a.outcome for a in stack.attempts(target_id) if a.action == "delete"]


def test_takedown_removes_the_post_everywhere_exactly_once(stack: Stack, feed: FeedServer) -> None:
    post_id = _post_everywhere(stack)
    stack.start_worker()
    stack.wait(lambda: stack.all_published(4), timeout=90, what="publication on four channels")
    posted = stack.sim.call("GET", "/_sim/posts")
    assert [len(posted[k]) for k in ("x", "facebook", "instagram")] == [1, 1, 1]
    assert [s["headline"] for s in _playlist(feed)] == ["Posyandu serentak pekan ini"]

    # X: a 503 that deletes nothing, then a delete that lands but answers garbage; Graph: a 500.
    delete_x = {"platform": "x", "method": "DELETE", "path": "^/2/tweets/"}
    stack.sim.fault(**delete_x, kind="server_error", times=1)
    stack.sim.fault(**delete_x, kind="malformed", times=1)
    stack.sim.fault(platform="graph", method="DELETE", kind="server_error", times=1)
    with stack.session() as s:
        photo = s.scalars(select(Media.sha256)).one()
    assert requests.get(f"{feed.base}/media/{photo}.jpg", timeout=10).status_code == 200
    _take_down(stack, post_id)
    # The slide leaves the playlist at once, before any platform is called, and the photo is
    # no longer lent to anyone.
    assert _playlist(feed) == []
    assert requests.get(f"{feed.base}/media/{photo}.jpg", timeout=10).status_code == 404

    settled = {TargetStatus.REMOVED: 3, TargetStatus.REMOVE_MANUALLY: 1}
    stack.wait(lambda: stack.target_statuses() == settled, timeout=90, what="the deletes")
    posted = stack.sim.call("GET", "/_sim/posts")
    assert posted["x"] == [] and posted["facebook"] == []
    assert len(posted["instagram"]) == 1  # no delete API: left to a person, who is told how

    # Exactly one delete took effect per target; the others were refused or found it gone.
    assert _delete_answers(stack, "x") == [503, 200, 404]
    assert _delete_answers(stack, "graph") == [500, 200]
    targets = _targets(stack, post_id)
    assert _delete_attempts(stack, targets[Channel.X].id) == [
        AttemptOutcome.RETRYABLE,
        AttemptOutcome.RETRYABLE,
        AttemptOutcome.SUCCESS,
    ]
    assert _delete_attempts(stack, targets[Channel.FACEBOOK].id) == [
        AttemptOutcome.RETRYABLE,
        AttemptOutcome.SUCCESS,
    ]
    instagram = targets[Channel.INSTAGRAM]
    assert "hapus manual" in instagram.last_error and "Hapus" in instagram.last_error
    assert _delete_attempts(stack, instagram.id) == [AttemptOutcome.PERMANENT]

    # Who and why, the history kept, the delete charged once.
    post = stack.post(post_id)
    assert post.status is PostStatus.TAKEN_DOWN and post.published_at is not None
    with stack.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "post.taken_down")).one()
        removed = s.scalars(
            select(AuditEvent.action).where(AuditEvent.action.like("target.remove%"))
        ).all()
        charges = s.scalars(select(SpendEntry.action).where(SpendEntry.post_id == post_id)).all()
        published = s.scalars(
            select(PublishAttempt.outcome).where(PublishAttempt.action == "publish")
        ).all()
    assert (event.actor_label, event.reason, event.entity_id) == ("utama", REASON, post_id)
    assert sorted(removed) == ["target.remove_manually", "target.removed", "target.removed"]
    assert charges.count("delete_post") == 1 and charges.count("post") == 1
    assert published.count(AttemptOutcome.SUCCESS) == 4
    assert stack.sim.call("GET", "/_sim/meter")["items"]["delete_post"]["count"] == 1

    with pytest.raises(InvalidTransition, match=r"^Konten ini sudah ditarik\.$"):
        _take_down(stack, post_id, who="utama2")


def test_a_delete_lost_with_its_worker_is_settled_by_sending_it_again(stack: Stack) -> None:
    (post_id,) = stack.due_posts(1)
    first = stack.start_worker()
    stack.wait(lambda: stack.all_published(1), timeout=60, what="publication")
    # X deletes the post, then takes 8 s to answer: the worker dies in between.
    stack.sim.fault(
        platform="x", method="DELETE", path="^/2/tweets/", kind="slow_after", delay=8, times=1
    )
    _take_down(stack, post_id)
    stack.wait(lambda: stack.sim.x_posts() == [], timeout=30, what="the delete to reach X")
    first.send_signal(signal.SIGKILL)
    first.wait()
    target = stack.post(post_id).targets[0]
    assert target.status is TargetStatus.REMOVING
    stack.start_worker()
    stack.wait(
        lambda: stack.target_statuses() == {TargetStatus.REMOVED: 1}, timeout=60, what="settling"
    )
    assert _delete_answers(stack, "x")[-1] == 404  # sent again, found gone: removed
    assert _delete_attempts(stack, target.id) == [AttemptOutcome.UNKNOWN, AttemptOutcome.SUCCESS]
    attempts = [a for a in stack.attempts(target.id) if a.action == "delete"]
    assert attempts[-1].error_message == "Sudah tidak ada di platform."
