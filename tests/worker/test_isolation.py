"""One target's trouble is that target's alone: a real worker process, the simulator over HTTP,
a real database. A broken account, a missing photo or a missing setting fails only its own
targets, with one sentence saying what to do; everything else due is published as usual."""

from __future__ import annotations

import signal
from collections.abc import Sequence
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from content.delivery.preparation import PrepareCode, sentence
from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.infra.config import load_settings
from content.infra.secrets import SecretBox
from content.infra.store import FileBlobStore
from content.models import (
    Account,
    AccountHealth,
    AttemptOutcome,
    Channel,
    MetricSnapshot,
    Post,
    PostTarget,
    TargetStatus,
    User,
)
from content.org.actors import Actor
from scheduler.collect import check_accounts, collect_metrics
from scheduler.config import WorkerConfig
from scheduler.context import WorkerContext
from tests.worker.conftest import Stack
from tests.world import jpeg

pytestmark = pytest.mark.e2e

UNREADABLE_X = sentence(PrepareCode.CREDENTIALS_UNREADABLE, account="X @dinkes")
UNREADABLE_CITY = sentence(PrepareCode.CREDENTIALS_UNREADABLE, account="X @humaskota")


def _account_id(stack: Stack, handle: str) -> int:
    with stack.session() as s:
        return int(s.scalars(select(Account.id).where(Account.handle == handle)).one())


def _due(
    stack: Stack, account_ids: Sequence[int], count: int, *, prefix: str, photo: int | None = None
) -> list[int]:
    """`count` approved posts on these accounts, published now (the real workflow); with
    `photo`, each has its own photo (a different colour per post, counted from `photo`)."""
    store = FileBlobStore(stack.data_dir / "media")
    ids = []
    with stack.session() as s, s.begin():
        author = Actor.of(s.scalars(select(User).where(User.username == "dinkes")).one())
        utama = Actor.of(s.get(User, stack.utama_id))  # type: ignore[arg-type]
        for n in range(count):
            photos = []
            if photo is not None:
                media = store_upload(s, author, store, jpeg(colour=f"#{photo + n:02x}3366"))
                photos = [PhotoInput(media.id, "Petugas di lapangan")]
            post = create_draft(
                s,
                author,
                author.opd_id or 0,
                DraftInput(
                    caption=f"{prefix} untuk warga Bekasi, kabar nomor {n}.",
                    account_ids=list(account_ids),
                    photos=photos,
                ),
            )
            workflow.submit(s, author, post.id)
            workflow.approve(s, utama, post.id)
            workflow.publish_now(s, utama, post.id)
            ids.append(post.id)
    return ids


def _targets(stack: Stack, account_id: int) -> list[PostTarget]:
    with stack.session() as s:
        query = select(PostTarget).where(PostTarget.account_id == account_id)
        return list(s.scalars(query.order_by(PostTarget.id)).unique())


def _settled(stack: Stack, published: int, failed: int) -> bool:
    statuses = stack.target_statuses()
    return statuses == {TargetStatus.PUBLISHED: published, TargetStatus.FAILED: failed}


def _break_credentials(stack: Stack, account_id: int) -> None:
    """Seal the account's credentials under another key, as after a key change."""
    old_key = SecretBox(Fernet.generate_key())
    with stack.session() as s, s.begin():
        account = s.get(Account, account_id)
        assert account is not None
        account.credentials_encrypted = old_key.seal({"consumer_key": "k"})


def test_an_unreadable_account_fails_its_own_targets_and_the_rest_is_published(
    stack: Stack,
) -> None:
    city_x = _account_id(stack, "@humaskota")
    _break_credentials(stack, stack.x_account)
    # More broken targets than the worker's 8 slots, and due first: they must not hold the
    # queue's head while the healthy ones wait.
    broken = _due(stack, [stack.x_account], 10, prefix="Rapat koordinasi")
    mixed = _due(stack, [stack.x_account, stack.fb_account], 3, prefix="Vaksinasi")
    healthy = _due(stack, [city_x], 3, prefix="Car free day")
    stack.start_worker()
    stack.wait(lambda: _settled(stack, 6, 13), timeout=90, what="healthy published, broken failed")
    assert len(stack.sim.x_posts()) == 3  # the city account's posts; none from @dinkes
    for target in _targets(stack, stack.fb_account) + _targets(stack, city_x):
        assert target.status is TargetStatus.PUBLISHED
        # Published at the first attempt, in the normal course: nothing waited behind the
        # broken targets or was retried because of them.
        assert [a.outcome for a in stack.attempts(target.id)] == [AttemptOutcome.SUCCESS]
    for target in _targets(stack, stack.x_account):
        assert target.status is TargetStatus.FAILED
        assert target.last_error_code == "credentials_unreadable"
        assert target.last_error == UNREADABLE_X
        (attempt,) = stack.attempts(target.id)  # a person must act: not retried blindly
        assert attempt.outcome is AttemptOutcome.PERMANENT
        assert attempt.error_code == "credentials_unreadable"
    assert {stack.post(i).status.value for i in broken} == {"failed"}
    assert {stack.post(i).status.value for i in mixed} == {"partially_published"}
    assert {stack.post(i).status.value for i in healthy} == {"published"}
    logs = stack.logs()
    assert "dispatch failed" not in logs
    assert "Traceback" not in logs


def test_a_photo_gone_from_the_media_store_fails_only_its_post(stack: Stack) -> None:
    (gone,) = _due(stack, [stack.x_account, stack.fb_account], 1, prefix="Foto hilang", photo=0)
    kept = _due(stack, [stack.x_account, stack.fb_account], 2, prefix="Foto ada", photo=1)
    with stack.session() as s:
        post = s.get(Post, gone)
        assert post is not None
        media = post.photos[0].media
    FileBlobStore(stack.data_dir / "media").path(media.sha256, media.extension).unlink()
    stack.start_worker()
    stack.wait(lambda: _settled(stack, 4, 2), timeout=90, what="two published, one failed post")
    post = stack.post(gone)
    assert post.status.value == "failed"  # nothing of it went out anywhere
    name = f"'{media.original_name or media.sha256[:12]}'"
    for target in post.targets:
        assert target.last_error_code == "photo_missing"
        assert target.last_error == sentence(PrepareCode.PHOTO_MISSING, names=name)
    assert {stack.post(i).status.value for i in kept} == {"published"}
    assert len(stack.sim.x_posts()) == 2
    assert "dispatch failed" not in stack.logs()


def test_a_page_without_its_page_id_fails_only_on_facebook(stack: Stack) -> None:
    with stack.session() as s, s.begin():
        account = s.get(Account, stack.fb_account)
        assert account is not None
        account.settings = {"page_id": ""}
    ids = _due(stack, [stack.x_account, stack.fb_account], 3, prefix="Pengumuman")
    stack.start_worker()
    stack.wait(lambda: _settled(stack, 3, 3), timeout=90, what="X published, Facebook failed")
    expected = sentence(
        PrepareCode.ACCOUNT_SETTING_MISSING, names="'page_id'", account="Facebook dinkes-fb"
    )
    for target in _targets(stack, stack.fb_account):
        assert (target.last_error_code, target.last_error) == ("account_setting_missing", expected)
    assert {stack.post(i).status.value for i in ids} == {"partially_published"}
    assert len(stack.sim.x_posts()) == 3
    assert "dispatch failed" not in stack.logs()


def _context(stack: Stack) -> WorkerContext:
    """The worker's jobs called in this process, with the worker's own settings."""
    settings = load_settings(stack.env)
    return WorkerContext(settings, WorkerConfig.from_settings(settings), stack.database.engine)


def _account(stack: Stack, account_id: int) -> Account:
    with stack.session() as s:
        account = s.get(Account, account_id)
        assert account is not None
        return account


def _snapshots(stack: Stack, account_id: int) -> int:
    with stack.session() as s:
        query = (
            select(func.count())
            .select_from(MetricSnapshot)
            .join(PostTarget, PostTarget.id == MetricSnapshot.target_id)
            .where(PostTarget.account_id == account_id)
        )
        return int(s.scalar(query) or 0)


def test_metrics_of_healthy_accounts_are_read_when_others_cannot_be(stack: Stack) -> None:
    city_x = _account_id(stack, "@humaskota")
    _due(stack, [stack.x_account, stack.fb_account], 2, prefix="Metrik dinas")
    _due(stack, [city_x], 2, prefix="Metrik kota")  # the simulator's X refuses the same text
    stack.start_worker()
    stack.wait(lambda: stack.all_published(6), timeout=60, what="publication")
    stack.stop_all()
    _break_credentials(stack, city_x)
    # X refuses @dinkes's token when its metrics are read, by id or from its own timeline
    # (city_x's reads never get that far).
    stack.sim.fault(
        platform="x", method="GET", path="^/2/(tweets|users/[^/]+/tweets)$", kind="expired_token"
    )
    with stack.session() as s:
        published = max(s.scalars(select(PostTarget.published_at)))
    assert published is not None
    stored = collect_metrics(_context(stack), now=published + timedelta(hours=1, minutes=5))
    assert stored == _snapshots(stack, stack.fb_account) == 2  # Facebook read all the same
    assert _snapshots(stack, stack.x_account) == _snapshots(stack, city_x) == 0
    broken = _account(stack, city_x)
    assert broken.health is AccountHealth.ERROR
    assert broken.health_message == UNREADABLE_CITY
    refused = _account(stack, stack.x_account)
    assert refused.health is AccountHealth.ERROR
    assert "token akses tidak berlaku" in refused.health_message
    assert _account(stack, stack.fb_account).health is not AccountHealth.ERROR


def test_every_account_is_checked_and_the_unreadable_one_says_who_renews_it(
    stack: Stack,
) -> None:
    city_x = _account_id(stack, "@humaskota")
    _break_credentials(stack, city_x)
    with stack.session() as s:
        everyone = set(s.scalars(select(Account.id).where(Account.active)))
    assert check_accounts(_context(stack)) == len(everyone) - 1
    broken = _account(stack, city_x)
    assert (broken.health, broken.health_message) == (AccountHealth.ERROR, UNREADABLE_CITY)
    others = [_account(stack, i) for i in everyone - {city_x}]
    # Each was checked on its own (Instagram's check fails here too: no feed serves its photos).
    assert all(a.health_message and a.health_message != UNREADABLE_CITY for a in others)
    assert {a.health for a in others if a.kind is not Channel.INSTAGRAM} == {AccountHealth.OK}


def test_an_in_doubt_target_of_a_broken_account_stays_in_doubt_with_the_sentence(
    stack: Stack,
) -> None:
    # The platform creates the post, then takes 8 s to answer: the worker dies in between, so
    # nobody knows whether it is live. Meanwhile the account's credentials stop opening.
    stack.sim.fault(
        platform="x", method="POST", path="^/2/tweets$", kind="slow_after", delay=8, times=1
    )
    _due(stack, [stack.x_account], 1, prefix="Mungkin sudah terbit")
    first = stack.start_worker()
    stack.wait(lambda: len(stack.sim.x_posts()) == 1, timeout=30, what="the post to reach X")
    first.send_signal(signal.SIGKILL)
    first.wait()
    _break_credentials(stack, stack.x_account)
    healthy = _due(stack, [stack.fb_account], 2, prefix="Tetap terbit")
    stack.start_worker()

    def looked_at() -> bool:
        (target,) = _targets(stack, stack.x_account)
        return target.last_error_code == "credentials_unreadable"

    stack.wait(looked_at, timeout=60, what="the reconciler to look at the in-doubt target")
    (target,) = _targets(stack, stack.x_account)
    assert target.status is TargetStatus.UNKNOWN  # it may be live: never failed, never re-sent
    assert target.last_error == UNREADABLE_X
    assert len(stack.sim.x_posts()) == 1
    stack.wait(lambda: all(stack.post(i).status.value == "published" for i in healthy), timeout=30)
    logs = stack.logs()
    assert "reconcile failed" not in logs and "dispatch failed" not in logs
