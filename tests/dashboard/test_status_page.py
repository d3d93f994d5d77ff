"""Status publikasi: the emergency stop (recorded, a banner on every page), worker heartbeats
(red after a minute), failed targets with the platform's message and a retry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content.delivery import operations
from content.infra.timeutil import utcnow
from content.models import AuditEvent, PostStatus, PostTarget, TargetStatus, WorkerHeartbeat
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import messages, visible_text
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]


def status_page(at: AppTest) -> AppTest:
    return at.switch_page(navigation.STATUS.path).run()


def test_pause_and_resume_with_a_banner_on_every_page(app_world: AppWorld, sign_in: SignIn) -> None:
    at = status_page(sign_in(app_world.world.utama))
    at.button(key="st_pause").click().run()
    assert any("Semua publikasi ke semua kanal akan ditahan" in w for w in messages(at, "warning"))
    at.button(key="st_pause_yes").click().run()
    assert messages(at, "error") == ["Tuliskan alasan jeda publikasi."]
    at.text_input(key="st_pause_reason").input("Masa tenang pilkada")
    at.button(key="st_pause").click().run()
    at.button(key="st_pause_yes").click().run()
    assert "Semua publikasi dijeda." in messages(at, "success")
    for page in (navigation.CALENDAR, navigation.APPROVALS, navigation.COMPOSE):
        at.switch_page(page.path).run()
        banner = [e for e in messages(at, "error") if "Publikasi sedang dijeda" in e]
        assert banner and "Masa tenang pilkada" in banner[0]
    # The pembantu sees the banner too.
    other = sign_in(app_world.world.pembantu)
    assert any("Publikasi sedang dijeda" in e for e in messages(other, "error"))
    at = status_page(at)
    at.text_input(key="st_resume_reason").input("Selesai")
    at.button(key="st_resume").click().run()
    assert "Publikasi dilanjutkan." in messages(at, "success")
    assert not any("Publikasi sedang dijeda" in e for e in messages(at, "error"))
    with app_world.session() as session:
        query = select(AuditEvent.action, AuditEvent.reason).order_by(AuditEvent.id)
        recorded = [tuple(r) for r in session.execute(query) if r[0].startswith("publication.")]
    assert recorded == [
        ("publication.paused", "Masa tenang pilkada"),
        ("publication.resumed", "Selesai"),
    ]


def test_the_sysadmin_sees_the_stop_but_may_not_press_it(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = status_page(sign_in(app_world.world.sysadmin))
    assert "Hanya PPID Utama yang dapat menjeda atau melanjutkan publikasi." in visible_text(at)
    assert all(b.key != "st_pause" for b in at.button)
    assert "Peran Anda tidak melihat isi konten." in visible_text(at)


def _heartbeats(world: World) -> None:
    operations.beat(world.session, "worker-a", hostname="srv1", pid=1, details={})
    operations.beat(world.session, "worker-b", hostname="srv2", pid=2, details={})
    stale = world.session.get(WorkerHeartbeat, "worker-b")
    assert stale is not None
    stale.seen_at = utcnow() - timedelta(minutes=5)


def test_worker_heartbeats_turn_red_after_a_minute(app_world: AppWorld, sign_in: SignIn) -> None:
    at = status_page(sign_in(app_world.world.sysadmin))
    assert any("Belum ada worker" in w for w in messages(at, "warning"))
    app_world.run(_heartbeats)
    at.run()
    assert any("Aktif · **Worker 1 (server srv1)**" in m for m in messages(at, "success"))
    stale = [e for e in messages(at, "error") if "Worker 2 (server srv2)" in e]
    assert len(stale) == 1 and "Tidak terlihat lebih dari 1 menit" in stale[0]


def _failed_target(world: World) -> int:
    post = world.post_in(PostStatus.SCHEDULED)
    target = post.targets[0]
    target.status, target.attempts = TargetStatus.FAILED, 3
    target.last_error = "You are not allowed to create a Tweet with duplicate content."
    target.last_error_code = "187"
    post.status = PostStatus.FAILED
    return target.id


def test_a_failed_target_shows_the_platform_message_and_is_retried(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    target_id = app_world.run(_failed_target)
    assert isinstance(target_id, int)
    at = status_page(sign_in(app_world.world.utama))
    assert "You are not allowed to create a Tweet with duplicate content." in [
        c.value for c in at.code
    ]
    assert any("kode 187" in c for c in messages(at, "caption"))
    at.button(key=f"st_retry_{target_id}").click().run()
    assert any("dijadwalkan ulang" in m for m in messages(at, "success"))
    with app_world.session() as session:
        target = session.get(PostTarget, target_id)
        assert target is not None and target.status is TargetStatus.SCHEDULED
    assert "Tidak ada pengiriman yang gagal, ditahan atau belum pasti." in messages(at, "success")


def test_a_silent_videotron_player_shows_red_with_its_last_slide(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    from content import playlist

    def players(world: World) -> None:
        now = utcnow()
        for player_id, seen in (("pc-timur", now - timedelta(minutes=7)), ("pc-baru", now)):
            playlist.record_heartbeat(
                world.session,
                world.screen_id,
                playlist.HeartbeatInput(player_id, seen + timedelta(seconds=4)),
                received_at=seen,
            )

    at = status_page(sign_in(app_world.world.utama))
    assert "Semua pemutar videotron melapor." in visible_text(at)
    app_world.run(players)
    at.run()
    (alert,) = [m for m in messages(at, "error") if "pemutar" in m]
    assert "Videotron Bekasi Timur" in alert and "pc-timur" in alert and "pc-baru" not in alert
    assert "tidak melapor lebih dari 2 menit" in alert and "+4.0 dtk" in alert


def _published_target(world: World) -> tuple[int, str]:
    post = world.post_in(PostStatus.SCHEDULED)
    target = next(t for t in post.targets if t.account is not None)
    target.status, target.published_at = TargetStatus.PUBLISHED, utcnow()
    target.remote_id = "1865"
    target.remote_url = "https://x.com/dinkeskotabekasi/status/1865"
    post.status = PostStatus.PUBLISHED
    return post.id, target.channel.value


def test_recent_publications_per_channel_with_state_time_and_link(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    made = app_world.run(_published_target)
    assert isinstance(made, tuple)
    post_id, channel = made
    at = status_page(sign_in(app_world.world.utama))
    assert [s.value for s in at.subheader][:2] == ["Publikasi terbaru", "Pengiriman bermasalah"]
    assert "**X**" in [m.value for m in at.markdown] or channel != "x"
    table = at.dataframe[0].value  # the first table of the page: the first channel's
    row = table.iloc[0]
    assert row["Konten"] == f"#{post_id}" and row["Status"] == "Terbit"
    assert row["Tautan"] == "https://x.com/dinkeskotabekasi/status/1865"
    assert row["Terbit (WIB)"].endswith("WIB")
    # and as a plain link under the table (the table itself is a canvas)
    links = [c.value for c in at.caption if c.value.startswith("Unggahan:")]
    assert links == [f"Unggahan: [Buka #{post_id}](https://x.com/dinkeskotabekasi/status/1865)"]


def test_recent_publications_keep_to_the_opds_one_may_see(app_world: AppWorld) -> None:
    app_world.run(_published_target)

    def seen(w: World) -> tuple[int, int]:
        mine = operations.recent_publications(w.session, w.pembantu)
        others = operations.recent_publications(w.session, w.actor("other_pembantu"))
        return sum(map(len, mine.values())), sum(map(len, others.values()))

    assert app_world.run(seen) == (1, 0)
