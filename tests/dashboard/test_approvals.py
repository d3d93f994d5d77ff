"""Antrean persetujuan: previews, findings and the author's record per item; decisions with
comments; a decision someone else made first is reported and not overwritten; screening
override; scheduling in WIB; bulk approve-and-schedule; filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content.editorial import workflow
from content.editorial.posts import DraftInput, as_draft_input, update_draft
from content.infra.timeutil import WIB, format_wib
from content.models import ApprovalLevel, Decision, Post, PostStatus, Review, User
from content.org import accounts
from content.org.actors import Actor
from content.screening import dik_rules
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import as_read, messages, visible_text
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]


def queue(sign_in: SignIn, app_world: AppWorld, who: str = "utama") -> AppTest:
    at = sign_in(app_world.world.actor(who))
    assert at.title[0].value == "Antrean persetujuan"
    return at


def submitted(app_world: AppWorld, author: str = "pembantu") -> Post:
    post = app_world.run(lambda w: w.post_in(PostStatus.SUBMITTED, author=w.actor(author)))
    assert isinstance(post, Post)
    return post


def status_of(app_world: AppWorld, post_id: int) -> Post:
    with app_world.session() as session:
        post = session.get(Post, post_id)
        assert post is not None
        return post


def click(at: AppTest, key: str) -> AppTest:
    return at.button(key=key).click().run()


def test_an_item_shows_previews_findings_and_the_authors_record(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    earlier = app_world.run(lambda w: w.post_in(PostStatus.REJECTED))
    assert isinstance(earlier, Post)
    post = submitted(app_world)
    app_world.run(
        lambda w: dik_rules.add_rule(
            w.session, w.utama, pattern="Posyandu", reason="Uji DIK.", severity="warn"
        )
    )
    at = queue(sign_in, app_world)
    text = visible_text(at)
    keys = {b.key for b in at.button}
    assert f"q_approve_{post.id}" in keys and f"q_approve_{earlier.id}" not in keys
    # One preview column per target, with each channel's own text and counter.
    assert "**X** · @dinkes (@dinkes)" in text and "**Videotron**" in text
    assert "Posyandu serentak pekan ini." in [t.value for t in at.text]
    assert len(at.image) >= 3  # photo thumbnails and the slide
    drawn = "\n".join(h.value for h in at.html)
    assert ">Posyandu</mark>" in drawn and "Uji DIK." in drawn
    assert "Riwayat penulis: Dinkes" in [e.label for e in at.expander]
    assert "ditolak 1×" in text and "Sudah diumumkan." in text


def test_a_markdown_display_name_stays_text_in_the_expander_label(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    name = "[klik](https://evil.test/) ![x](https://evil.test/x.png)"

    def rename(w: World) -> None:
        user = w.session.get(User, w.pembantu.user_id)
        assert user is not None
        user.display_name = name

    app_world.run(rename)
    submitted(app_world)
    at = queue(sign_in, app_world)
    label = next(e.label for e in at.expander if e.label.startswith("Riwayat penulis"))
    assert "](" not in label  # no live link, no outside image
    assert as_read(label) == f"Riwayat penulis: {name}"


def test_approve_request_changes_and_reject(app_world: AppWorld, sign_in: SignIn) -> None:
    first, second, third = (submitted(app_world) for _ in range(3))
    at = queue(sign_in, app_world)
    at.text_area(key=f"q_comment_{first.id}").input("Bagus.")
    click(at, f"q_approve_{first.id}")
    assert messages(at, "success")[0].startswith(f"Konten #{first.id} disetujui.")
    click(at, f"q_request_changes_{second.id}")
    assert any("Tuliskan komentar" in m for m in messages(at, "error"))
    at.text_area(key=f"q_comment_{second.id}").input("Tambahkan jam.")
    click(at, f"q_request_changes_{second.id}")
    at.text_area(key=f"q_comment_{third.id}").input("Sudah diumumkan Setda.")
    click(at, f"q_reject_{third.id}")
    assert status_of(app_world, first.id).status is PostStatus.APPROVED
    assert status_of(app_world, second.id).status is PostStatus.CHANGES_REQUESTED
    assert status_of(app_world, third.id).status is PostStatus.REJECTED


def test_a_decision_made_elsewhere_first_is_reported_not_overwritten(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    post = submitted(app_world)
    at = queue(sign_in, app_world)
    # Another PPID Utama sends it back while this one still has the old version on screen.
    app_world.run(
        lambda w: workflow.request_changes(w.session, w.utama2, post.id, "Perbaiki judul.")
    )
    click(at, f"q_approve_{post.id}")
    errors = messages(at, "error")
    assert errors == [f"#{post.id}: " + workflow_conflict()]
    assert status_of(app_world, post.id).status is PostStatus.CHANGES_REQUESTED
    with app_world.session() as session:
        decisions = session.scalars(select(Review.decision).where(Review.post_id == post.id))
        assert list(decisions) == [Decision.REQUEST_CHANGES]


def workflow_conflict() -> str:
    return "Konten ini sudah diubah orang lain sejak Anda membukanya; muat ulang lalu coba lagi."


def test_ppid_utama_overrides_a_blocking_finding_with_a_reason(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    post = submitted(app_world)
    app_world.run(
        lambda w: dik_rules.add_rule(w.session, w.utama, pattern="balita", reason="Uji blokir.")
    )
    at = queue(sign_in, app_world)
    click(at, f"q_approve_{post.id}")
    assert any("Penyaringan menahan konten ini" in m for m in messages(at, "error"))
    at.text_input(key=f"q_override_{post.id}").input("Kata umum, bukan rahasia.")
    click(at, f"q_approve_{post.id}")
    stored = status_of(app_world, post.id)
    assert stored.status is PostStatus.APPROVED
    assert stored.screening_override_reason == "Kata umum, bukan rahasia."


def test_schedule_in_wib(app_world: AppWorld, sign_in: SignIn) -> None:
    post = app_world.run(lambda w: w.post_in(PostStatus.APPROVED))
    assert isinstance(post, Post)
    at = queue(sign_in, app_world)
    at.multiselect(key="q_status").set_value([PostStatus.APPROVED]).run()
    when = (datetime.now(WIB) + timedelta(days=2)).replace(hour=9, minute=30, second=0)
    at.datetime_input(key=f"q_when_{post.id}").set_value(when.replace(tzinfo=None)).run()
    click(at, f"q_schedule_{post.id}")
    stored = status_of(app_world, post.id)
    assert stored.status is PostStatus.SCHEDULED
    assert stored.scheduled_at == when.replace(microsecond=0).astimezone(UTC)
    assert format_wib(when) in messages(at, "success")[0]  # "2 Des 2026 09:30 WIB"


def test_after_approval_the_next_step_is_one_click_away(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    post = submitted(app_world)
    at = queue(sign_in, app_world)
    click(at, f"q_approve_{post.id}")
    assert "jadwalkan atau terbitkan sekarang" in messages(at, "success")[0]
    # The queue shows what waits for approval, and the approved post stays on screen above it
    # with its next steps (from workflow.available_steps): schedule, publish now.
    assert at.button(key=f"q_schedule_{post.id}").label == "Jadwalkan"
    assert at.button(key=f"q_now_{post.id}").label == "Terbitkan sekarang"
    assert any(f"Langkah berikutnya untuk #{post.id}" in m for m in messages(at, "markdown"))
    when = (datetime.now(WIB) + timedelta(days=1)).replace(hour=8, minute=0, second=0)
    at.datetime_input(key=f"q_when_{post.id}").set_value(when.replace(tzinfo=None)).run()
    click(at, f"q_schedule_{post.id}")
    assert status_of(app_world, post.id).status is PostStatus.SCHEDULED
    # Scheduled: nothing left to do here, the card is gone.
    assert not any(f"Langkah berikutnya untuk #{post.id}" in m for m in messages(at, "markdown"))


def test_publish_now_asks_once_saying_which_channels(app_world: AppWorld, sign_in: SignIn) -> None:
    post = app_world.run(lambda w: w.post_in(PostStatus.APPROVED))
    assert isinstance(post, Post)
    at = queue(sign_in, app_world)
    at.button_group(key="q_view").set_value("Disetujui, belum dijadwalkan").run()
    click(at, f"q_now_{post.id}")
    asked = [w for w in messages(at, "warning") if "akan langsung dikirim" in w]
    assert len(asked) == 1 and f"Konten #{post.id} akan langsung dikirim ke" in asked[0]
    assert "X " in asked[0] and "Videotron" in asked[0]
    click(at, f"q_now_{post.id}_no")  # "Batal": nothing happens, the question goes
    assert status_of(app_world, post.id).status is PostStatus.APPROVED
    assert not [w for w in messages(at, "warning") if "akan langsung dikirim" in w]
    click(at, f"q_now_{post.id}")
    click(at, f"q_now_{post.id}_yes")
    assert status_of(app_world, post.id).status is PostStatus.SCHEDULED  # due now, for the worker


def test_the_approved_but_unscheduled_view(app_world: AppWorld, sign_in: SignIn) -> None:
    waiting = submitted(app_world)
    approved = app_world.run(lambda w: w.post_in(PostStatus.APPROVED))
    assert isinstance(approved, Post)
    at = queue(sign_in, app_world)
    assert f"q_approve_{waiting.id}" in [b.key for b in at.button]
    assert f"q_schedule_{approved.id}" not in [b.key for b in at.button]
    at.button_group(key="q_view").set_value("Disetujui, belum dijadwalkan").run()
    keys = [b.key for b in at.button]
    assert f"q_schedule_{approved.id}" in keys and f"q_now_{approved.id}" in keys
    assert f"q_approve_{waiting.id}" not in keys


def test_bulk_approve_and_schedule(app_world: AppWorld, sign_in: SignIn) -> None:
    posts = [submitted(app_world), submitted(app_world), submitted(app_world, "other_pembantu")]
    at = queue(sign_in, app_world)
    for post in posts[:2]:
        at.checkbox(key=f"q_pick_{post.id}").check()
    when = (datetime.now(WIB) + timedelta(days=1)).replace(hour=7, minute=0, second=0)
    at.datetime_input(key="q_bulk_when").set_value(when.replace(tzinfo=None, microsecond=0))
    click(at, "q_bulk")
    asked = [w for w in messages(at, "warning") if "akan disetujui dan dijadwalkan" in w]
    assert len(asked) == 1 and asked[0].startswith("2 konten")
    assert status_of(app_world, posts[0].id).status is PostStatus.SUBMITTED  # not yet
    click(at, "q_bulk_yes")
    done = messages(at, "success")
    assert done and f"#{posts[0].id}, #{posts[1].id}" in done[0]
    for post in posts[:2]:
        stored = status_of(app_world, post.id)
        assert stored.status is PostStatus.SCHEDULED
        assert stored.scheduled_at == when.replace(microsecond=0).astimezone(UTC)
    assert status_of(app_world, posts[2].id).status is PostStatus.SUBMITTED


def test_filters_by_opd_and_pages(app_world: AppWorld, sign_in: SignIn) -> None:
    mine = submitted(app_world)
    theirs = submitted(app_world, "other_pembantu")
    at = queue(sign_in, app_world)
    at.selectbox(key="q_opd").set_value(app_world.world.disdukcapil_id).run()
    keys = {b.key for b in at.button}
    assert f"q_approve_{theirs.id}" in keys and f"q_approve_{mine.id}" not in keys
    at.selectbox(key="q_opd").set_value(None).run()
    keys = {b.key for b in at.button}
    assert {f"q_approve_{theirs.id}", f"q_approve_{mine.id}"} <= keys


def test_four_eyes_a_reviewer_cannot_approve_their_own_post(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    own = submitted(app_world, "utama")
    at = queue(sign_in, app_world)
    # No decision is offered on one's own post, and the card says why.
    assert not [b for b in at.button if b.key == f"q_approve_{own.id}"]
    assert any("Anda tulis sendiri" in m for m in messages(at, "info"))
    assert navigation.APPROVALS.title == at.title[0].value


def test_four_eyes_a_reviewer_who_edited_the_wording_sees_why_not(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    post = submitted(app_world)

    def edit_and_resubmit(w: World) -> None:
        data = as_draft_input(w.session.get(Post, post.id))  # type: ignore[arg-type]
        changed = DraftInput(**{**data.__dict__, "caption": "Posyandu serentak hari Senin."})
        update_draft(w.session, w.utama, post.id, changed, None)
        workflow.submit(w.session, w.utama, post.id)

    app_world.run(edit_and_resubmit)
    at = queue(sign_in, app_world)
    assert not [b for b in at.button if b.key == f"q_approve_{post.id}"]
    assert workflow.EDITED_REFUSAL in messages(at, "info")
    other = queue(sign_in, app_world, "utama2")
    click(other, f"q_approve_{post.id}")
    assert status_of(app_world, post.id).status is PostStatus.APPROVED


def test_the_sekretaris_signs_off_first_then_ppid_utama(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    def two_levels(w: World) -> Post:
        for account_id in (w.x_account, w.ig_account):
            accounts.set_approvals(w.session, w.sysadmin, account_id, list(ApprovalLevel))
        return w.post_in(PostStatus.SUBMITTED, author=w.admin_opd)

    post = app_world.run(two_levels)
    assert isinstance(post, Post)
    # PPID Utama's queue does not hold it yet.
    assert f"q_approve_{post.id}" not in {b.key for b in queue(sign_in, app_world).button}
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.APPROVALS.path).run()
    click(at, f"q_approve_{post.id}")
    assert any("menunggu persetujuan PPID Utama" in m for m in messages(at, "success"))
    assert status_of(app_world, post.id).awaiting_level is ApprovalLevel.CITY
    click(queue(sign_in, app_world), f"q_approve_{post.id}")
    assert status_of(app_world, post.id).status is PostStatus.APPROVED
