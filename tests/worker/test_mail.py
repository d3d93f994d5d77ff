"""Notifications by e-mail through a real local SMTP server (aiosmtpd), on both databases: the
worker's mail job sends each at most once, with the sentence and a link, never the post's
words; a claim cut short is not resent; a server that is down or refuses for now is tried
again, then delivered once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from content.editorial import workflow
from content.infra.config import Settings
from content.infra.timeutil import utcnow
from content.models import EmailState, Notification, NotificationKind
from content.org import mail_outbox, notifications, sso
from content.org.actors import Actor
from scheduler.config import WorkerConfig
from scheduler.context import WorkerContext
from scheduler.mail import SmtpSettings, send_pending
from tests.conftest import Database
from tests.smtp_server import SmtpServer, smtp_server
from tests.world import World, build_world

__all__ = ["smtp_server"]  # the fixture, used by name
ADDRESS = "utama@bekasikota.go.id"
CAPTION = "Zebrakuning: jadwal vaksinasi di puskesmas."


@dataclass
class Mailer:
    database: Database
    world: World
    ctx: WorkerContext
    config: SmtpSettings
    server: SmtpServer

    def session(self) -> Session:
        return Session(self.database.engine, expire_on_commit=False)

    def submitted(self) -> int:
        """A Dinkes post waiting for PPID Utama (who is told, by e-mail for one of them)."""
        with self.session() as s, s.begin():
            self.world.session = s
            post = self.world.draft(caption=CAPTION)
            workflow.submit(s, self.world.pembantu, post.id)
            return post.id

    def run(self, **changes: object) -> int:
        return send_pending(self.ctx, replace(self.config, **changes))  # type: ignore[arg-type]

    def mails(self, actor: Actor) -> list[Notification]:
        with self.session() as s:
            query = select(Notification).where(
                Notification.user_id == actor.user_id, Notification.email_state.is_not(None)
            )
            return list(s.scalars(query.order_by(Notification.id)))


@pytest.fixture
def mailer(committed: Database, tmp_path: Path, smtp_server: SmtpServer) -> Iterator[Mailer]:
    with Session(committed.engine, expire_on_commit=False) as s, s.begin():
        world = build_world(s, tmp_path / "media")
        sso.set_email(s, world.sysadmin, "utama", ADDRESS)
    settings = Settings(data_dir=tmp_path, database_url=committed.url, secret_key=world.secret_key)
    ctx = WorkerContext(settings, WorkerConfig(), committed.engine)
    config = SmtpSettings(
        enabled=True,
        host="127.0.0.1",
        port=smtp_server.port,
        sender="Siaran Kota Bekasi <siaran@bekasikota.go.id>",
        starttls=False,
        helo_name="localhost",
        timeout_seconds=5,
        dashboard_url="https://siaran.example.test",
        backoff_seconds=0,
    )
    yield Mailer(committed, world, ctx, config, smtp_server)


def test_the_job_sends_the_sentence_and_a_link_once_never_the_posts_words(
    mailer: Mailer,
) -> None:
    post_id = mailer.submitted()
    assert mailer.run() == 1
    assert mailer.run() == 0  # sent: never again
    (arrived,) = mailer.server.arrived
    (sent,) = mailer.mails(mailer.world.utama)
    sentence = f"Konten #{post_id} menunggu persetujuan Anda."
    assert arrived.to == [ADDRESS]
    assert arrived.message["Subject"] == f"[Siaran] {sentence}"
    assert arrived.message["Message-ID"] == f"<notification-{sent.id}@bekasikota.go.id>"
    assert sentence in arrived.body
    assert "https://siaran.example.test/antrean" in arrived.body
    assert "Zebrakuning" not in arrived.message.as_string()
    assert (sent.email_state, sent.email_attempts) == (EmailState.SENT, 1)
    # The colleague without an address has it in the bell only.
    assert mailer.mails(mailer.world.utama2) == []
    with mailer.session() as s:
        shown = notifications.latest(s, mailer.world.utama)
    assert [(n.sentence, n.email) for n in shown] == [(sentence, EmailState.SENT)]


def test_a_kind_turned_off_sends_no_email(mailer: Mailer) -> None:
    with mailer.session() as s, s.begin():
        off = {NotificationKind.AWAITING_APPROVAL: False}
        notifications.set_email_choices(s, mailer.world.utama, off)
    mailer.submitted()
    assert mailer.run() == 0
    assert mailer.server.arrived == []
    with mailer.session() as s:
        assert notifications.unread_count(s, mailer.world.utama) == 1  # the bell has it


def test_a_claim_left_sending_by_a_killed_worker_is_not_resent(mailer: Mailer) -> None:
    mailer.submitted()
    with mailer.session() as s, s.begin():  # a worker claims, commits, and dies
        (claimed,) = mail_outbox.claim(s, limit=5)
    assert mailer.run() == 0  # still within a conversation's time: left alone
    with mailer.session() as s, s.begin():  # long after
        s.execute(
            update(Notification)
            .where(Notification.id == claimed.notification_id)
            .values(email_claimed_at=utcnow() - timedelta(hours=1))
        )
    assert mailer.run() == 0
    assert mailer.server.arrived == []
    (left,) = mailer.mails(mailer.world.utama)
    assert left.email_state is EmailState.UNKNOWN
    assert mailer.run() == 0  # and never later either
    assert mailer.server.arrived == []


def test_smtp_down_is_tried_again_then_delivered_once(mailer: Mailer) -> None:
    mailer.submitted()
    mailer.server.stop()
    assert mailer.run() == 0
    (waiting,) = mailer.mails(mailer.world.utama)
    assert (waiting.email_state, waiting.email_attempts) == (EmailState.PENDING, 1)
    assert "ConnectionRefused" in waiting.email_error
    mailer.server.start()
    mailer.server.inbox.refuse_with = "451 4.3.0 Coba lagi nanti"  # a transient refusal
    assert mailer.run() == 0
    (waiting,) = mailer.mails(mailer.world.utama)
    assert (waiting.email_state, waiting.email_error) == (EmailState.PENDING, "RCPT 451")
    mailer.server.inbox.refuse_with = ""
    assert mailer.run() == 1
    assert mailer.run() == 0
    assert len(mailer.server.arrived) == 1
    (sent,) = mailer.mails(mailer.world.utama)
    assert (sent.email_state, sent.email_attempts) == (EmailState.SENT, 3)


def test_a_permanent_refusal_fails_and_transient_ones_stop_after_the_attempts(
    mailer: Mailer,
) -> None:
    mailer.submitted()
    mailer.server.inbox.refuse_with = "550 5.1.1 Alamat tidak dikenal"
    assert mailer.run() == 0
    (failed,) = mailer.mails(mailer.world.utama)
    assert (failed.email_state, failed.email_error) == (EmailState.FAILED, "RCPT 550")
    mailer.submitted()
    mailer.server.inbox.refuse_with = "452 4.3.1 Penyimpanan penuh"
    for _ in range(3):
        mailer.run(max_attempts=3)
    assert mailer.run(max_attempts=3) == 0
    _, gave_up = mailer.mails(mailer.world.utama)
    assert (gave_up.email_state, gave_up.email_attempts) == (EmailState.FAILED, 3)
    assert mailer.server.arrived == []


def test_mail_switched_off_sends_nothing_and_old_mail_is_not_sent_later(mailer: Mailer) -> None:
    mailer.submitted()
    assert mailer.run(enabled=False) == 0
    with mailer.session() as s, s.begin():
        s.execute(update(Notification).values(created_at=utcnow() - timedelta(days=5)))
    assert mailer.run() == 0
    (old,) = mailer.mails(mailer.world.utama)
    assert (old.email_state, old.email_error) == (EmailState.FAILED, mail_outbox.TOO_OLD)
    assert mailer.server.arrived == []


def test_the_smtp_password_is_a_secret_never_shown() -> None:
    settings = Settings(
        data_dir=Path("."), extra={"smtp": {"password": "rahasia-smtp", "port": "465"}}
    )
    config = SmtpSettings.from_settings(settings)
    assert config.port == 465
    assert config.password.reveal() == "rahasia-smtp"
    assert "rahasia-smtp" not in f"{config} {config!r} {config.password}"


def test_the_tokens_job_tells_once_and_the_mail_job_delivers_it(mailer: Mailer) -> None:
    from content.models import Account
    from scheduler.alerts import AlertSettings, tell_expiring_tokens

    with mailer.session() as s, s.begin():
        city = s.get(Account, mailer.world.city_x_account)
        assert city is not None
        city.token_expires_at = utcnow() + timedelta(days=2)
    config = AlertSettings(token_days=7)
    assert tell_expiring_tokens(mailer.ctx, config) == 2  # both PPID Utama
    assert tell_expiring_tokens(mailer.ctx, config) == 0  # the next run: already told
    assert mailer.run() == 1  # the one with an address
    (arrived,) = mailer.server.arrived
    assert arrived.message["Subject"].strip() == (
        "[Siaran] Akses akun X @humaskota akan kedaluwarsa; perbarui tokennya."
    )
    assert "https://siaran.example.test/administrasi" in arrived.body
