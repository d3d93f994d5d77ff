"""Tarik publikasi on the publication status page: PPID Utama only, a reason required, each
channel's state shown, Instagram's manual step spelled out, a second takedown refused."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content.delivery import publishing, takedown
from content.delivery.publishing import Failure
from content.editorial import workflow
from content.models import AttemptOutcome, AuditEvent, PostStatus
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import messages, visible_text
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]
REASON = "Jadwal posyandu keliru; diganti pengumuman baru."


def _published(world: World) -> int:
    post = world.post_in(PostStatus.APPROVED)
    workflow.publish_now(world.session, world.utama, post.id)
    for claim in publishing.claim_due(world.session, "worker-a"):
        publishing.record_success(
            world.session,
            claim,
            "worker-a",
            remote_id=f"r{claim.target_id}",
            url="https://x.test/p",
        )
    return post.id


def _worker_deletes(world: World) -> None:
    """What the worker records: X deleted, Instagram left to a person with the step."""
    from datetime import timedelta

    for removal in takedown.claim_removals(world.session, "worker-a", stale_after=timedelta(60)):
        if removal.channel.value == "x":
            takedown.record_removed(world.session, removal, "worker-a", http_status=200)
        else:
            step = "Instagram: hapus manual: buka Instagram sebagai @dinkes.ig → Hapus."
            failure = Failure(AttemptOutcome.PERMANENT, step, "unsupported")
            takedown.record_manual(world.session, removal, "worker-a", failure)


def test_ppid_utama_takes_a_post_down_with_a_reason(app_world: AppWorld, sign_in: SignIn) -> None:
    post_id = app_world.run(_published)
    at = sign_in(app_world.world.utama).switch_page(navigation.STATUS.path).run()
    assert at.selectbox(key="td_post").value == post_id
    at.button(key="td_go").click().run()
    assert messages(at, "error") == [
        "Tuliskan alasan penarikan; alasan ini dicatat di jejak audit."
    ]
    at.text_area(key="td_reason").input(REASON)
    at.button(key="td_go").click().run()
    assert any(f"Konten #{post_id} ditarik" in m for m in messages(at, "success"))
    text = visible_text(at)
    assert f"Alasan: {REASON}" in text and "Menunggu dihapus" in text
    assert "Belum ada konten terbit yang dapat ditarik." in text

    app_world.run(_worker_deletes)
    at = at.switch_page(navigation.STATUS.path).run()
    text = visible_text(at)
    assert "Dihapus" in text and "Hapus manual" in text
    assert any("hapus manual: buka Instagram" in w for w in messages(at, "warning"))
    done_buttons = [b for b in at.button if str(b.key).startswith("td_done_")]
    assert len(done_buttons) == 1  # only Instagram waits for a person
    done_buttons[0].click().run()
    assert "Dicatat: postingan sudah dihapus manual di platform." in messages(at, "success")
    assert "Hapus manual" not in visible_text(at)
    with app_world.session() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "post.taken_down")
        ).one()
    assert (event.actor_label, event.reason) == ("utama", REASON)


def test_the_sysadmin_sees_the_status_page_without_the_takedown(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    app_world.run(_published)
    at = sign_in(app_world.world.sysadmin).switch_page(navigation.STATUS.path).run()
    text = visible_text(at)
    assert "Jeda darurat" in text and "Tarik publikasi" not in text
