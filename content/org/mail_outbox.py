"""The e-mail side of notifications, as rows: claiming what is due, and recording what SMTP
said. Plain SQLAlchemy; the SMTP conversation is the worker's (scheduler/mail.py).

At most once. A claim (pending → sending, with its time and one more attempt) is committed
*before* SMTP is called. SMTP cannot be asked afterwards whether a message arrived, so a claim
left in `sending` (its worker killed mid-conversation) is never resent: once it is older than
any conversation can last it becomes `unknown`, and shows as such in the bell. A refusal
before the message was handed over (connection refused, a 4xx) is retried with a backoff up to
a number of attempts; a permanent refusal (5xx) fails it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from content.infra.timeutil import utcnow
from content.models import EmailState, Notification, NotificationKind, User
from content.org.notifications import PAGES, sentence

MAX_ERROR = 300
TOO_OLD = "too_old"  # a pending e-mail older than the age limit (SMTP was off or down too long)


@dataclass(frozen=True)
class Mail:
    """One claimed e-mail: the notification's sentence, never the post's words."""

    notification_id: int
    to: str
    name: str
    kind: NotificationKind
    sentence: str
    page: str  # the dashboard page's address where it is acted on
    attempt: int


def settle_abandoned(
    session: Session, *, stale_after: timedelta, now: datetime | None = None
) -> int:
    """Claims left in `sending` longer than a conversation can last: their worker died and
    nobody knows whether SMTP took them, so they become `unknown` (never resent)."""
    now = now or utcnow()
    result = session.execute(
        update(Notification)
        .where(
            Notification.email_state == EmailState.SENDING,
            Notification.email_claimed_at < now - stale_after,
        )
        .values(email_state=EmailState.UNKNOWN, email_error="abandoned")
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def expire_old(session: Session, *, max_age: timedelta, now: datetime | None = None) -> int:
    """Pending e-mails about something long past are not sent (the bell still has them): mail
    switched on after months off does not flood anyone's inbox."""
    now = now or utcnow()
    result = session.execute(
        update(Notification)
        .where(
            Notification.email_state == EmailState.PENDING,
            Notification.created_at < now - max_age,
        )
        .values(email_state=EmailState.FAILED, email_error=TOO_OLD)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def claim(session: Session, *, limit: int, now: datetime | None = None) -> list[Mail]:
    """Claim up to `limit` due e-mails (pending → sending, one more attempt). The caller commits
    before talking to SMTP. The conditional UPDATE makes a claim exclusive: a row another worker
    took first is no longer pending."""
    now = now or utcnow()
    query = (
        select(Notification.id)
        .where(Notification.email_state == EmailState.PENDING, Notification.email_due_at <= now)
        .order_by(Notification.email_due_at, Notification.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    due = list(session.scalars(query))
    if not due:
        return []
    taken = session.execute(
        update(Notification)
        .where(Notification.id.in_(due), Notification.email_state == EmailState.PENDING)
        .values(
            email_state=EmailState.SENDING,
            email_claimed_at=now,
            email_attempts=Notification.email_attempts + 1,
        )
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(taken.scalars())
    rows = session.execute(
        select(Notification, User.email, User.display_name)
        .join(User, User.id == Notification.user_id)
        .where(Notification.id.in_(ids))
        .order_by(Notification.id)
        .execution_options(populate_existing=True)
    )
    mails = []
    for n, email, name in rows:
        if not email:  # the address was removed since: nothing to send to
            finish(session, n.id, EmailState.FAILED, "no_address")
            continue
        mails.append(
            Mail(
                n.id,
                email,
                name,
                n.kind,
                sentence(n.kind, n.post_id, n.subject),
                PAGES[n.kind],
                n.email_attempts,
            )
        )
    return mails


def finish(
    session: Session,
    notification_id: int,
    state: EmailState,
    error: str = "",
    *,
    now: datetime | None = None,
) -> None:
    """Record how a claimed e-mail ended: sent, failed, or unknown (handed over without an
    answer)."""
    values: dict[str, object] = {"email_state": state, "email_error": error[:MAX_ERROR]}
    if state is EmailState.SENT:
        values["email_sent_at"] = now or utcnow()
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.email_state == EmailState.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def retry_later(
    session: Session,
    notification_id: int,
    error: str,
    *,
    attempt: int,
    max_attempts: int,
    backoff: timedelta,
    now: datetime | None = None,
) -> EmailState:
    """SMTP refused for now (or could not be reached) before the message was handed over: back
    to pending after the backoff, or failed when the attempts are used up."""
    if attempt >= max_attempts:
        finish(session, notification_id, EmailState.FAILED, error)
        return EmailState.FAILED
    session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.email_state == EmailState.SENDING)
        .values(
            email_state=EmailState.PENDING,
            email_due_at=(now or utcnow()) + backoff,
            email_error=error[:MAX_ERROR],
        )
        .execution_options(synchronize_session=False)
    )
    return EmailState.PENDING
