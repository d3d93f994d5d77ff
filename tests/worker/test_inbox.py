"""Kotak masuk against the simulator over real HTTP, on both databases: comments collected
once (also when read again), routed to the post's OPD, answered and hidden through the worker's
jobs, and a reply whose answer was lost settled from the thread instead of sent twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from content import inbox
from content.editorial.posts import DraftInput, create_draft
from content.infra.config import load_settings
from content.infra.timeutil import utcnow
from content.models import (
    Channel,
    InboxItem,
    InboxOutgoing,
    InboxStatus,
    OutgoingOutcome,
    PostTarget,
    TargetStatus,
    User,
)
from content.org import notifications
from content.org.actors import Actor
from scheduler.collect import check_accounts
from scheduler.config import WorkerConfig
from scheduler.context import WorkerContext
from scheduler.inbox import collect_inbox, escalate_inbox, send_outgoing
from tests.worker.conftest import Stack

pytestmark = pytest.mark.e2e
PAGE_ID = "1"  # the Facebook page id of the test world's Dinkes account
IG_USER_ID = "2"  # and its Instagram user id


def _context(stack: Stack) -> WorkerContext:
    settings = load_settings(stack.env)
    return WorkerContext(settings, WorkerConfig.from_settings(settings), stack.database.engine)


def _actor(stack: Stack, username: str) -> Actor:
    with stack.session() as s:
        return Actor.of(s.scalars(select(User).where(User.username == username)).one())


def _published_fb_post(stack: Stack, platform: str = "facebook") -> str:
    """A Dinkes post on its Facebook page (or Instagram account): on the simulator, and
    published in the database."""
    owner = PAGE_ID if platform == "facebook" else IG_USER_ID
    [remote_id] = stack.sim.call("POST", "/_sim/seed", json={"platform": platform, "owner": owner})[
        "ids"
    ]
    account_id = stack.fb_account if platform == "facebook" else stack.ig_account
    author = _actor(stack, "dinkes")
    with stack.session() as s, s.begin():
        assert author.opd_id is not None
        post = create_draft(
            s,
            author,
            author.opd_id,
            DraftInput(caption="Jadwal posyandu", account_ids=[account_id]),
        )
        target = s.scalars(select(PostTarget).where(PostTarget.post_id == post.id)).one()
        target.status, target.remote_id = TargetStatus.PUBLISHED, remote_id
        target.published_at = utcnow()
    return str(remote_id)


def _comment(stack: Stack, post_id: str, message: str, **extra: Any) -> str:
    body = {"object_id": post_id, "message": message, "from_name": "Warga Bekasi"} | extra
    return str(stack.sim.call("POST", "/_sim/comments", json=body)["id"])


def _sim_comments(stack: Stack) -> list[dict[str, Any]]:
    return list(stack.sim.call("GET", "/_sim/comments")["comments"])


def _items(stack: Stack) -> int:
    with stack.session() as s:
        return int(s.scalar(select(func.count()).select_from(InboxItem)) or 0)


def _item(stack: Stack, remote_id: str) -> InboxItem:
    with stack.session() as s:
        return s.scalars(select(InboxItem).where(InboxItem.remote_id == remote_id)).one()


def test_comments_are_collected_once_routed_and_answered_on_the_thread(stack: Stack) -> None:
    post = _published_fb_post(stack)
    complaint = _comment(stack, post, "Jalan rusak di depan puskesmas, kapan diperbaiki?")
    _comment(stack, post, "Saya juga mengalami", parent_id=complaint)
    nik = _comment(stack, post, "NIK saya 3275014101900001 belum terdaftar")
    for n in range(120):  # more than one page (100) of one post's comments
        _comment(stack, post, f"Terima kasih infonya #{n}")
    ctx = _context(stack)
    assert collect_inbox(ctx) == 123
    assert collect_inbox(ctx) == 0 and _items(stack) == 123  # read again: nothing twice
    batches = stack.sim.call("GET", "/_sim/requests", params={"method": "POST"})["requests"]
    assert all((r["batch_size"] or 0) <= 50 for r in batches)

    item = _item(stack, complaint)
    dinkes = _actor(stack, "dinkes")
    assert item.opd_id == dinkes.opd_id and item.route_reason == "post_opd"
    with stack.session() as s:
        assert inbox.list_items(s, _actor(stack, "capil")) == []  # another OPD never sees it
    with stack.session() as s, s.begin():
        inbox.queue_reply(s, dinkes, item.id, "Sudah kami teruskan ke DBMPR.", item.version)
        hidden = s.scalars(select(InboxItem).where(InboxItem.remote_id == nik)).one()
        inbox.queue_hide(s, dinkes, hidden.id, hidden.version)
    assert send_outgoing(ctx) == 2
    replies = [c for c in _sim_comments(stack) if c["from_id"] == PAGE_ID]
    assert [(r["parent_id"], r["message"]) for r in replies] == [
        (complaint, "Sudah kami teruskan ke DBMPR.")
    ]
    assert next(c for c in _sim_comments(stack) if c["id"] == nik)["is_hidden"] is True
    answered = _item(stack, complaint)
    assert answered.status is InboxStatus.ANSWERED and answered.first_response_at is not None
    assert _item(stack, nik).hidden_on_platform
    assert collect_inbox(ctx) == 0  # our own reply is not an item
    stack.sim.call("POST", "/_sim/comments", json={"remove": complaint})  # its author deletes it
    collect_inbox(ctx)
    assert _item(stack, complaint).deleted_on_platform  # kept for the record, marked
    assert not _item(stack, nik).deleted_on_platform


def test_a_reply_whose_answer_was_lost_is_settled_not_sent_twice(stack: Stack) -> None:
    post = _published_fb_post(stack)
    question = _comment(stack, post, "Apakah posyandu buka hari Sabtu?")
    ctx = _context(stack)
    assert collect_inbox(ctx) == 1
    item = _item(stack, question)
    with stack.session() as s, s.begin():
        inbox.queue_reply(s, _actor(stack, "dinkes"), item.id, "Buka, pukul 08.00.", item.version)
    # The platform creates the reply, then answers 500: the outcome is unknown.
    stack.sim.fault(platform="graph", method="POST", path="/comments$", kind="created_then_error")
    assert send_outgoing(ctx) == 1
    with stack.session() as s:
        row = s.scalars(select(InboxOutgoing)).one()
    assert row.outcome is OutgoingOutcome.UNKNOWN
    assert send_outgoing(ctx) == 0  # still possibly in flight: left alone
    later = utcnow() + timedelta(minutes=5)
    assert send_outgoing(ctx, now=later) == 1  # looked up on the thread
    with stack.session() as s:
        row = s.scalars(select(InboxOutgoing)).one()
    assert row.outcome is OutgoingOutcome.SENT and row.remote_id
    ours = [c for c in _sim_comments(stack) if c["from_id"] == PAGE_ID]
    assert len(ours) == 1  # never sent twice


def _x_user(token: str = "t") -> str:
    """The simulator's user id for an access token (how it tells accounts apart)."""
    import hashlib

    return str(int(hashlib.sha256(token.encode()).hexdigest()[:15], 16))


def test_x_mentions_are_read_once_from_the_cursor_priced_as_owned_reads(stack: Stack) -> None:
    from decimal import Decimal

    from content.models import Account, SpendEntry

    user = _x_user()
    for n in range(3):
        stack.sim.call("POST", "/_sim/mentions", json={
            "user_id": user, "text": f"@humaskota banjir di Bekasi Utara #{n}",
            "author_username": "warga_bu",
        })  # fmt: skip
    ctx = _context(stack)
    check_accounts(ctx)  # learns each X account's user id (once a day)
    collect_inbox(ctx)
    with stack.session() as s:
        city = s.scalars(select(Account).where(Account.handle == "@humaskota")).one()
        items = s.scalars(select(InboxItem).where(InboxItem.account_id == city.id)).all()
        assert len(items) == 3
        assert {(i.opd_id, i.route_reason, i.author_handle) for i in items} == {
            (None, "city_triage", "warga_bu")
        }
        owned = s.scalars(
            select(SpendEntry.amount_usd).where(SpendEntry.action == "read_owned")
        ).all()
        # One owned read per mention: the three X accounts of the test world share one
        # simulator user, and a resource read again the same UTC day costs nothing.
        assert owned == [Decimal("0.001")] * 3
    before = _items(stack)
    stack.sim.call(
        "POST", "/_sim/mentions", json={"user_id": user, "text": "@humaskota terima kasih"}
    )
    collect_inbox(ctx)
    assert _items(stack) == before + 3  # only the new one, on each of the three X accounts here
    reads = stack.sim.call("GET", "/_sim/requests", params={"path": "/2/users/:id/mentions"})
    assert reads["count"] == 6  # one page per account per collection
    # The account's X user id comes from the account check: no users/me of the inbox's own.
    assert stack.sim.calls(path="/2/users/me") == 3
    # PPID Utama answers a mention: X accepts it (the author mentioned the account).
    utama = _actor(stack, "utama")
    with stack.session() as s, s.begin():
        item = s.scalars(
            select(InboxItem).where(InboxItem.account_id == city.id).order_by(InboxItem.id)
        ).first()
        assert item is not None
        inbox.queue_reply(s, utama, item.id, "Tim sudah ke lokasi.", item.version)
    send_outgoing(ctx)
    with stack.session() as s:
        row = s.scalars(select(InboxOutgoing)).one()
    assert row.outcome is OutgoingOutcome.SENT
    replies = [p for p in stack.sim.x_posts() if p.get("in_reply_to")]
    assert [(p["in_reply_to"], p["raw_text"]) for p in replies] == [
        (item.remote_id, "Tim sudah ke lokasi.")
    ]


def test_instagram_comments_and_their_replies_are_collected_answered_and_hidden(
    stack: Stack,
) -> None:
    media = _published_fb_post(stack, "instagram")
    question = _comment(stack, media, "Vaksin HPV untuk usia berapa?")
    _comment(stack, media, "Pertanyaan yang sama", parent_id=question)
    ctx = _context(stack)
    assert collect_inbox(ctx) == 2
    reply = _item(stack, question)
    assert (reply.channel.value, reply.kind.value) == ("instagram", "comment")
    with stack.session() as s, s.begin():
        inbox.queue_reply(s, _actor_in(s, "dinkes"), reply.id, "Usia 11-12 tahun.", reply.version)
    with stack.session() as s, s.begin():
        item = s.get(InboxItem, reply.id)
        assert item is not None
        inbox.queue_hide(s, _actor_in(s, "utama"), item.id, item.version)
    assert send_outgoing(ctx) == 2
    comments = {c["id"]: c for c in _sim_comments(stack)}
    assert comments[question]["is_hidden"] is True
    ours = [c for c in comments.values() if c["from_id"] == IG_USER_ID]
    assert [(c["parent_id"], c["message"]) for c in ours] == [(question, "Usia 11-12 tahun.")]
    assert collect_inbox(ctx) == 0  # the account's own reply is not an item


def _actor_in(session: Any, username: str) -> Actor:
    return Actor.of(session.scalars(select(User).where(User.username == username)).one())


def test_a_collection_cut_short_misses_nothing_and_stores_nothing_twice(stack: Stack) -> None:
    user = _x_user()
    for n in range(150):  # two pages of mentions
        stack.sim.call("POST", "/_sim/mentions", json={"user_id": user, "text": f"@dinkes #{n}"})
    stack.sim.fault(
        platform="x", method="GET", path="/mentions$", kind="server_error", after=1, times=1
    )
    ctx = _context(stack)
    check_accounts(ctx)  # learns each X account's user id (once a day)
    collect_inbox(ctx)  # @dinkes's read stops on its second page: nothing stored, no cursor
    with stack.session() as s:
        dinkes = s.scalar(
            select(func.count())
            .select_from(InboxItem)
            .where(InboxItem.account_id == stack.x_account)
        )
        assert dinkes == 0
        assert inbox.read_cursor(s, stack.x_account, "x_mentions") is None
    collect_inbox(ctx)  # the next run (or a restarted worker) reads from the same place
    collect_inbox(ctx)
    with stack.session() as s:
        remote = s.scalars(
            select(InboxItem.remote_id).where(InboxItem.account_id == stack.x_account)
        ).all()
    assert len(remote) == len(set(remote)) == 150


def _signed(body: bytes, secret: str = "rahasia-aplikasi") -> dict[str, str]:
    import hashlib
    import hmac

    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def test_meta_webhooks_are_a_faster_path_to_the_same_items(stack: Stack) -> None:
    import json

    import requests

    from content.infra.config import Settings
    from publishers.simulator.server import BackgroundServer
    from publishers.videotron.feed.app import create_app as create_feed

    post = _published_fb_post(stack)
    settings = Settings(
        data_dir=stack.data_dir,
        database_url=stack.database.url,
        extra={"inbox": {"meta_app_secret": "rahasia-aplikasi", "meta_verify_token": "cek"}},
    )
    comment = _comment(stack, post, "Lampu jalan mati di Jl. Cut Meutia")  # on the simulator
    change = {
        "field": "feed",
        "value": {
            "item": "comment", "verb": "add", "comment_id": comment, "post_id": post,
            "parent_id": post, "message": "Lampu jalan mati di Jl. Cut Meutia",
            "from": {"id": "77", "name": "Warga"}, "created_time": 1764460800,
        },
    }  # fmt: skip
    body = json.dumps({"object": "page", "entry": [{"id": PAGE_ID, "changes": [change]}]}).encode()
    with BackgroundServer(create_feed(settings, engine=stack.database.engine)) as feed:
        url = f"{feed.url}/webhooks/meta"
        check = {"hub.mode": "subscribe", "hub.verify_token": "cek", "hub.challenge": "42"}
        assert requests.get(url, params=check, timeout=10).text == "42"
        wrong = requests.get(url, params=check | {"hub.verify_token": "x"}, timeout=10)
        assert wrong.status_code == 403
        forged = requests.post(url, data=body, headers=_signed(body, "bukan"), timeout=10)
        assert forged.status_code == 403 and _items(stack) == 0
        delivered = requests.post(url, data=body, headers=_signed(body), timeout=10)
        assert delivered.status_code == 200 and _items(stack) == 1
        item = _item(stack, comment)
        assert item.opd_id is not None and item.route_reason == "post_opd"
    assert collect_inbox(_context(stack)) == 0  # the worker's read finds the same item
    assert _items(stack) == 1


def test_an_x_reply_the_budget_cannot_cover_is_not_sent_and_says_why(stack: Stack) -> None:
    from content.costs import set_budget
    from content.costs.months import month_of

    stack.sim.call("POST", "/_sim/mentions", json={"user_id": _x_user(), "text": "@dinkes halo"})
    ctx = _context(stack)
    check_accounts(ctx)  # learns each X account's user id (once a day)
    collect_inbox(ctx)
    utama = _actor(stack, "utama")
    with stack.session() as s, s.begin():
        set_budget(s, utama, Channel.X, month_of(utcnow()), "0.001")  # less than one reply
        item = s.scalars(select(InboxItem).where(InboxItem.account_id == stack.x_account)).one()
        inbox.queue_reply(s, utama, item.id, "Halo, ada yang bisa dibantu?", item.version)
    posts_before = len(stack.sim.x_posts())
    send_outgoing(ctx)
    with stack.session() as s:
        row = s.scalars(select(InboxOutgoing)).one()
    assert (row.outcome, row.error_code) == (OutgoingOutcome.FAILED, "budget")
    assert "anggaran" in row.error_message.lower()
    assert len(stack.sim.x_posts()) == posts_before  # nothing was posted


def test_the_escalation_job_tells_utama_and_the_opd_once(stack: Stack) -> None:
    post = _published_fb_post(stack)
    complaint = _comment(stack, post, "Jalan rusak di depan puskesmas")
    ctx = _context(stack)
    assert collect_inbox(ctx) == 1
    item = _item(stack, complaint)
    later = item.due_at + timedelta(minutes=1)
    assert escalate_inbox(ctx, now=item.due_at - timedelta(minutes=1)) == 0  # not yet due
    assert escalate_inbox(ctx, now=later) == 1
    assert escalate_inbox(ctx, now=later + timedelta(hours=1)) == 0  # once
    with stack.session() as s:
        told = {
            u.username: [n.sentence for n in notifications.latest(s, Actor.of(u))]
            for u in s.scalars(select(User))
        }
    assert _item(stack, complaint).escalated_at is not None
    sentence = f"Pesan masuk #{item.id} melewati batas waktu tanggapan."
    assert told["dinkes"] == [sentence] and told["utama"] == [sentence]
    assert told["capil"] == []  # another OPD is never told
