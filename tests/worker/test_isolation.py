"""One target's trouble is that target's alone: a real worker process, the simulator over HTTP,
a real database. A broken account, a missing photo or a missing setting fails only its own
targets, with one sentence saying what to do; everything else due is published as usual."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from content import workflow
from content.actors import Actor
from content.media import store_upload
from content.models import Account, AttemptOutcome, Post, PostTarget, TargetStatus, User
from content.posts import DraftInput, PhotoInput, create_draft
from content.preparation import PrepareCode, sentence
from content.secrets import SecretBox
from content.store import FileBlobStore
from tests.worker.conftest import Stack
from tests.world import jpeg

pytestmark = pytest.mark.e2e

UNREADABLE_X = sentence(PrepareCode.CREDENTIALS_UNREADABLE, account="X @dinkes")


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
