"""The website channel through the real worker: one post to X, Facebook and an OPD's WordPress
site together, each exactly once, while creates land and answer 5xx (the website's found again
by its `siaran-<target id>` slug, not sent twice). Nothing in the worker knows the channel."""

from __future__ import annotations

from collections import Counter

import pytest
import requests
from sqlalchemy import select

from content.editorial import workflow
from content.editorial.posts import DraftInput, create_draft
from content.infra.secrets import SecretBox
from content.models import AttemptOutcome, Channel, Post, PostTarget, PublishAttempt, User
from content.org import accounts
from content.org.actors import SYSTEM, Actor
from publishers.social.target import fingerprint
from tests.worker.conftest import Stack
from tests.worker.test_faults import CREATES, _fired, _settled

pytestmark = pytest.mark.e2e

WEBSITE_CREATE = {"platform": "wp", "method": "POST", "path": "/wp/v2/posts$"}


def _website_account(stack: Stack) -> int:
    with stack.session() as s, s.begin():
        box = SecretBox(stack.world_key.encode())
        account = accounts.add_account(
            s,
            SYSTEM,
            box,
            kind="website",
            handle="dinkes.bekasikota.go.id",
            display_name="Website Dinkes",
            credentials={"username": "humas-dinkes", "application_password": "abcd efgh ijkl"},
            settings={"site_url": "https://dinkes.bekasikota.go.id"},
            opd_slug="dinkes",
            is_simulator=True,
        )
        return account.id


def _due_posts(stack: Stack, count: int, account_ids: list[int]) -> list[int]:
    ids = []
    with stack.session() as s, s.begin():
        author = Actor.of(s.scalars(select(User).where(User.username == "dinkes")).one())
        utama = Actor.of(s.get(User, stack.utama_id))  # type: ignore[arg-type]
        for n in range(count):
            post = create_draft(
                s,
                author,
                author.opd_id or 0,
                DraftInput(
                    caption=f"Imunisasi gratis nomor {n} di puskesmas se-Kota Bekasi.",
                    headline=f"Imunisasi gratis {n}",
                    account_ids=account_ids,
                ),
            )
            workflow.submit(s, author, post.id)
            workflow.approve(s, utama, post.id)
            workflow.publish_now(s, utama, post.id)
            ids.append(post.id)
    return ids


def test_x_facebook_and_a_website_each_get_the_post_once_through_5xx_after_create(
    stack: Stack,
) -> None:
    web = _website_account(stack)
    # The website's first create and every second after it land and answer 500; X and
    # Facebook each have one such create too.
    stack.sim.fault(**WEBSITE_CREATE, kind="created_then_error", every=2)
    stack.sim.fault(**CREATES["x"], kind="created_then_error", times=1)
    stack.sim.fault(**CREATES["facebook"], kind="created_then_error", times=1)
    posts = 4
    _due_posts(stack, posts, [stack.x_account, stack.fb_account, web])
    stack.start_worker()
    stack.wait(lambda: _settled(stack, posts * 3), timeout=90, what="every target settled")

    on_sim = stack.sim.call("GET", "/_sim/posts")
    with stack.session() as s:
        rows = s.execute(select(PostTarget, Post.caption).join(Post)).all()
        outcomes = Counter(
            (channel, outcome)
            for channel, outcome in s.execute(
                select(PostTarget.channel, PublishAttempt.outcome).join(
                    PublishAttempt, PublishAttempt.target_id == PostTarget.id
                )
            )
        )
    assert len(rows) == posts * 3
    website = {p["slug"]: p for p in on_sim["website"]}
    assert len(website) == len(on_sim["website"]) == posts  # no post made twice
    for target, caption in rows:
        assert target.status.value == "published", (target.channel, target.last_error)
        if target.channel is Channel.WEBSITE:
            page = website[f"siaran-{target.id}"]
            assert page["id"] == target.remote_id and page["status"] == "publish"
            assert page["title"].startswith("Imunisasi gratis")
            # The live link is the site's page for the post.
            assert target.remote_url and target.remote_url.endswith(f"/situs/siaran-{target.id}/")
            assert requests.get(target.remote_url, timeout=10).status_code == 200
        else:
            field = "text" if target.channel is Channel.X else "message"
            key = "x" if target.channel is Channel.X else "facebook"
            ids = [
                p["id"] for p in on_sim[key] if fingerprint(str(p[field])) == fingerprint(caption)
            ]
            assert ids == [target.remote_id]
    assert len(on_sim["x"]) == len(on_sim["facebook"]) == posts
    fired = _fired(stack)["created_then_error"]
    assert fired >= 2 + posts // 2
    # Each website create that landed was reconciled, not sent again.
    assert outcomes[(Channel.WEBSITE, AttemptOutcome.RECONCILED)] >= posts // 2


def test_a_takedown_moves_the_website_post_to_the_trash_once(stack: Stack) -> None:
    from content.delivery import takedown
    from content.models import TargetStatus

    web = _website_account(stack)
    (post_id,) = _due_posts(stack, 1, [web])
    stack.start_worker()
    stack.wait(lambda: stack.all_published(1), timeout=60, what="publication")
    # The first delete answers 500 (retried), the second lands.
    stack.sim.fault(platform="wp", method="DELETE", kind="server_error", times=1)
    with stack.session() as s, s.begin():
        utama = Actor.of(s.get(User, stack.utama_id))  # type: ignore[arg-type]
        takedown.takedown(s, utama, post_id, "Jadwal imunisasi keliru.")
    stack.wait(
        lambda: stack.target_statuses() == {TargetStatus.REMOVED: 1}, timeout=60, what="delete"
    )
    (page,) = stack.sim.call("GET", "/_sim/posts")["website"]
    assert page["status"] == "trash"  # in the site's trash, restorable there
    rows = stack.sim.call("GET", "/_sim/requests", params={"platform": "wp"})["requests"]
    assert [r["status"] for r in rows if r["method"] == "DELETE"] == [500, 200]
