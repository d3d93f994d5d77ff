"""A real worker process against the simulator over HTTP: when a post goes out on one channel
and fails for good on another, its author and the OPD's Sekretaris are told once per channel,
and the failure reaches them by e-mail through a real local SMTP server, once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from content.models import Account, EmailState, Notification, NotificationKind, TargetStatus, User
from content.org import sso
from content.org.actors import SYSTEM
from tests.smtp_server import Arrived, SmtpServer, smtp_server
from tests.worker.conftest import Stack

__all__ = ["smtp_server"]  # the fixture, used by name
pytestmark = pytest.mark.e2e
ADDRESSES = {"dinkes": "sekretaris@dinkes.example.test", "dinkes2": "dinkes2@dinkes.example.test"}


def _told(stack: Stack) -> list[tuple[str, NotificationKind, str | None, EmailState | None]]:
    with stack.session() as s:
        query = (
            select(User.username, Notification.kind, Notification.subject, Notification.email_state)
            .join(User, User.id == Notification.user_id)
            .where(
                Notification.kind.in_([NotificationKind.PUBLISHED, NotificationKind.PUBLISH_FAILED])
            )
            .order_by(User.username, Notification.kind)
        )
        return [tuple(row) for row in s.execute(query)]  # type: ignore[misc]


def _failures(server: SmtpServer) -> list[Arrived]:
    return [a for a in server.arrived if "gagal tayang" in a.message["Subject"]]


def test_outcomes_are_told_per_channel_and_a_failure_is_mailed_once(
    stack: Stack, smtp_server: SmtpServer
) -> None:
    with (stack.data_dir / "siaran.toml").open("a", encoding="utf-8") as settings:
        settings.write("\n" + smtp_server.settings())
    with stack.session() as s, s.begin():
        for username, address in ADDRESSES.items():
            sso.set_email(s, SYSTEM, username, address)
        facebook = s.get(Account, stack.fb_account)
        assert facebook is not None
        facebook.settings = {"page_id": ""}  # Facebook fails for good; X goes out
    (post_id,) = stack.due_posts(1, channels="x+fb")
    stack.start_worker()
    stack.wait(
        lambda: stack.target_statuses() == {TargetStatus.PUBLISHED: 1, TargetStatus.FAILED: 1},
        what="X published, Facebook failed",
    )
    stack.wait(lambda: len(_failures(smtp_server)) >= 2, what="two e-mails")

    pending, sent = EmailState.PENDING, EmailState.SENT
    expected = [
        (name, NotificationKind.PUBLISHED, "X @dinkes", None) for name in ("dinkes", "dinkes2")
    ] + [
        (name, NotificationKind.PUBLISH_FAILED, "Facebook dinkes-fb", sent)
        for name in ("dinkes", "dinkes2")
    ]
    stack.wait(lambda: pending not in {row[3] for row in _told(stack)}, what="mail settled")
    assert sorted(_told(stack), key=lambda r: (r[1], r[0])) == sorted(
        expected, key=lambda r: (r[1], r[0])
    )
    # (The accounts check at start also finds Facebook broken: its stewards are asked, by
    # e-mail too, to renew it; those mails are not counted here.)
    failures = _failures(smtp_server)
    assert sorted(a.to[0] for a in failures) == sorted(ADDRESSES.values())
    sentence = f"Konten #{post_id} gagal tayang di Facebook dinkes-fb."
    for arrived in failures:
        assert arrived.message["Subject"].strip() == f"[Siaran] {sentence}"
        assert "https://siaran.example.test/konten-saya" in arrived.body
        assert "layanan kesehatan" not in arrived.message.as_string()  # never the caption
