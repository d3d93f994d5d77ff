"""What people do with an item (assign, reply, hide, close) and how the worker settles the
replies and hides it sends. Every action checks rights, state and version, and writes its audit
row in the caller's transaction. Replies are screened like posts before they are queued.

A reply or hide is a row (`InboxOutgoing`, outcome PENDING) committed before the platform is
called. The worker claims it by moving it to UNKNOWN in its own transaction, then calls the
platform and settles it SENT or FAILED; a claim left UNKNOWN (a crash, a timeout) is settled by
reading the thread, never by sending again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from content.audit import AuditAction, record
from content.inbox.items import get_item
from content.inbox.rights import require_act, require_triage
from content.inbox.routing import RouteReason
from content.inbox.service_levels import ServiceLevels
from content.infra.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ScreeningBlocked,
    ValidationFailed,
)
from content.infra.timeutil import utcnow
from content.models import (
    Account,
    AnswerPolicy,
    Channel,
    CloseReason,
    InboxItem,
    InboxKind,
    InboxOutgoing,
    InboxStatus,
    InboxTopic,
    Opd,
    OutgoingAction,
    OutgoingOutcome,
    Role,
)
from content.org.actors import Actor, refresh
from content.screening import active_rules, blocking, screen_text

MAX_REPLY = 2000
ENTITY = "inbox_item"


def _checked(session: Session, actor: Actor, item_id: int, expected_version: int) -> InboxItem:
    item = get_item(session, actor, item_id)
    require_act(actor, item.opd_id)
    if item.version != expected_version:
        raise Conflict("Pesan ini baru saja diubah orang lain; muat ulang lalu coba lagi.")
    return item


def _bump(item: InboxItem) -> None:
    item.version += 1


def assign(
    session: Session, actor: Actor, item_id: int, opd_id: int, expected_version: int
) -> InboxItem:
    """PPID Utama routes an item to the OPD that must act (also re-routes a wrong proposal)."""
    actor = refresh(session, actor)
    require_triage(actor)
    item = _checked(session, actor, item_id, expected_version)
    if session.get(Opd, opd_id) is None:
        raise NotFound("OPD tujuan tidak ditemukan.")
    before = {"opd_id": item.opd_id}
    if item.opd_id != opd_id:
        # An overdue item escalates again for its new OPD (PPID Utama is not told twice).
        item.escalated_at = None
    item.opd_id, item.route_reason = opd_id, RouteReason.ASSIGNED.value
    _bump(item)
    record(
        session, actor, AuditAction.INBOX_ASSIGNED, ENTITY, item.id, opd_id=opd_id,
        before=before, after={"opd_id": opd_id},
    )  # fmt: skip
    return item


def classify(
    session: Session,
    actor: Actor,
    item_id: int,
    topic: InboxTopic,
    expected_version: int,
    *,
    levels: ServiceLevels | None = None,
) -> InboxItem:
    """A person confirms or corrects the kind Siaran proposed; the due time follows the kind's
    service level."""
    actor = refresh(session, actor)
    item = _checked(session, actor, item_id, expected_version)
    before = {"topic": item.topic, "due_at": item.due_at}
    item.topic, item.topic_phrase = topic, ""
    item.due_at = (levels or ServiceLevels()).due_at(item.received_at, topic)
    _bump(item)
    record(
        session, actor, AuditAction.INBOX_CLASSIFIED, ENTITY, item.id, opd_id=item.opd_id,
        before=before, after={"topic": topic, "due_at": item.due_at},
    )  # fmt: skip
    return item


def x_reply_refusal(account: Account, item: InboxItem) -> str | None:
    """Why X will refuse a programmatic reply (since 2026-02-24 X allows one only where the
    author mentioned or quoted the account; Public Utility accounts are exempt), or None."""
    if item.channel is not Channel.X:
        return None
    if (account.settings or {}).get("public_utility"):
        return None
    handle = account.handle.lstrip("@").lower()
    if item.kind is InboxKind.MENTION and f"@{handle}" in item.text.lower():
        return None
    link = f"https://x.com/{item.author_handle.lstrip('@') or 'i/web'}/status/{item.remote_id}"
    return (
        "X hanya mengizinkan balasan lewat aplikasi bila penulis menyebut akun kita; "
        f"balas langsung di X: {link}"
    )


def _open(item: InboxItem) -> None:
    if item.status in (InboxStatus.CLOSED, InboxStatus.HIDDEN):
        raise InvalidTransition("Pesan ini sudah selesai atau disembunyikan; tidak bisa dibalas.")


def answer_policy(account: Account) -> AnswerPolicy:
    try:
        return AnswerPolicy(str((account.settings or {}).get("inbox_answer", "opd")))
    except ValueError:
        return AnswerPolicy.OPD


def _first_outcome(actor: Actor, account: Account) -> OutgoingOutcome:
    """Where a new reply starts, by the account's answer policy and who writes it."""
    if actor.role is Role.PPID_UTAMA:
        return OutgoingOutcome.PENDING
    policy = answer_policy(account)
    if policy is AnswerPolicy.UTAMA:
        raise PermissionDenied("Balasan dari akun ini hanya dikirim oleh PPID Utama.")
    if policy is AnswerPolicy.APPROVAL:
        return OutgoingOutcome.AWAITING_APPROVAL
    return OutgoingOutcome.PENDING


def approve_reply(session: Session, actor: Actor, outgoing_id: int) -> InboxOutgoing:
    """PPID Utama lets a Pembantu's drafted reply go (the worker sends it next)."""
    actor = refresh(session, actor)
    require_triage(actor)
    row = session.get(InboxOutgoing, outgoing_id)
    if row is None:
        raise NotFound("Balasan ini tidak ditemukan.")
    if row.outcome is not OutgoingOutcome.AWAITING_APPROVAL:
        raise InvalidTransition("Balasan ini tidak sedang menunggu persetujuan.")
    row.outcome = OutgoingOutcome.PENDING
    _bump(row.item)
    record(
        session, actor, AuditAction.INBOX_REPLY_APPROVED, ENTITY, row.item_id,
        opd_id=row.item.opd_id, after={"outgoing_id": row.id},
    )  # fmt: skip
    return row


def queue_reply(
    session: Session, actor: Actor, item_id: int, text: str, expected_version: int
) -> InboxOutgoing:
    """A screened reply, queued for the worker to send (never twice); on an account whose
    policy is "approval", a Pembantu's reply waits for PPID Utama (`approve_reply`)."""
    actor = refresh(session, actor)
    item = _checked(session, actor, item_id, expected_version)
    _open(item)
    text = text.strip()
    if not text:
        raise ValidationFailed("Tulis balasan terlebih dahulu.")
    if len(text) > MAX_REPLY:
        raise ValidationFailed(f"Balasan terlalu panjang (paling banyak {MAX_REPLY} karakter).")
    findings = blocking(screen_text(text, field="reply", rules=active_rules(session)))
    if findings:
        raise ScreeningBlocked(
            "Balasan memuat data pribadi atau informasi yang dikecualikan: "
            + "; ".join(f.describe() for f in findings),
            findings,
        )
    refusal = x_reply_refusal(item.account, item)
    if refusal:
        raise ValidationFailed(refusal)
    outgoing = InboxOutgoing(
        item_id=item.id,
        action=OutgoingAction.REPLY,
        author_id=actor.user_id,
        text=text,
        outcome=_first_outcome(actor, item.account),
    )
    session.add(outgoing)
    _bump(item)
    session.flush()
    record(
        session, actor, AuditAction.INBOX_REPLIED, ENTITY, item.id, opd_id=item.opd_id,
        after={"outgoing_id": outgoing.id, "text": text},
    )  # fmt: skip
    return outgoing


def queue_hide(
    session: Session, actor: Actor, item_id: int, expected_version: int
) -> InboxOutgoing:
    """Hide a comment on the platform (personal data, spam): queued for the worker."""
    actor = refresh(session, actor)
    item = _checked(session, actor, item_id, expected_version)
    if item.channel is Channel.X:
        raise ValidationFailed("X tidak menyediakan penyembunyian balasan lewat aplikasi.")
    if item.hidden_on_platform:
        raise InvalidTransition("Komentar ini sudah disembunyikan.")
    outgoing = InboxOutgoing(item_id=item.id, action=OutgoingAction.HIDE, author_id=actor.user_id)
    session.add(outgoing)
    item.status = InboxStatus.HIDDEN
    _bump(item)
    session.flush()
    record(
        session, actor, AuditAction.INBOX_HIDDEN, ENTITY, item.id, opd_id=item.opd_id,
        after={"outgoing_id": outgoing.id},
    )  # fmt: skip
    return outgoing


def close(
    session: Session,
    actor: Actor,
    item_id: int,
    reason: CloseReason,
    expected_version: int,
    *,
    lapor_ticket: str = "",
    now: datetime | None = None,
) -> InboxItem:
    """Settle an item with a reason code (SP4N-LAPOR! needs its ticket number)."""
    actor = refresh(session, actor)
    item = _checked(session, actor, item_id, expected_version)
    if item.status is InboxStatus.CLOSED:
        raise InvalidTransition("Pesan ini sudah diselesaikan.")
    ticket = lapor_ticket.strip()
    if reason is CloseReason.FORWARDED_LAPOR and not ticket:
        raise ValidationFailed("Isi nomor tiket SP4N-LAPOR! untuk pesan yang diteruskan.")
    before = {"status": item.status}
    item.status, item.close_reason = InboxStatus.CLOSED, reason
    item.closed_at, item.lapor_ticket = now or utcnow(), ticket[:60]
    _bump(item)
    record(
        session, actor, AuditAction.INBOX_CLOSED, ENTITY, item.id, opd_id=item.opd_id,
        before=before, after={"status": item.status, "reason": reason, "ticket": ticket},
    )  # fmt: skip
    return item


# --- the worker's side ----------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    outgoing_id: int
    action: OutgoingAction
    account_id: int
    remote_id: str  # the comment or post acted on
    text: str


def _claimed(row: InboxOutgoing) -> Claimed:
    item = row.item
    return Claimed(row.id, row.action, item.account_id, item.remote_id, row.text)


def claim_outgoing(session: Session, limit: int = 50, now: datetime | None = None) -> list[Claimed]:
    """Take pending replies and hides (each by one worker only: the conditional UPDATE), moved
    to UNKNOWN before any platform call. Commit before calling the platform."""
    now = now or utcnow()
    pending = session.scalars(
        select(InboxOutgoing)
        .where(InboxOutgoing.outcome == OutgoingOutcome.PENDING)
        .order_by(InboxOutgoing.id)
        .limit(limit)
    ).all()
    claimed = []
    for row in pending:
        taken = session.execute(
            update(InboxOutgoing)
            .where(InboxOutgoing.id == row.id, InboxOutgoing.outcome == OutgoingOutcome.PENDING)
            .values(outcome=OutgoingOutcome.UNKNOWN, claimed_at=now)
            .execution_options(synchronize_session=False)
        )
        if getattr(taken, "rowcount", 0) == 1:
            claimed.append(_claimed(row))
    session.expire_all()
    return claimed


def in_doubt(session: Session, claimed_before: datetime, limit: int = 50) -> list[Claimed]:
    """Claims left without an answer (a crash, a timeout) since before `claimed_before`: to be
    settled by reading the thread. Younger claims may still be in flight and are left alone."""
    rows = session.scalars(
        select(InboxOutgoing)
        .where(
            InboxOutgoing.outcome == OutgoingOutcome.UNKNOWN,
            InboxOutgoing.claimed_at < claimed_before,
        )
        .order_by(InboxOutgoing.id)
        .limit(limit)
    )
    return [_claimed(row) for row in rows]


def release_outgoing(session: Session, outgoing_id: int) -> None:
    """Back to PENDING: the platform certainly did not act (a refusal before creation, or the
    thread was read and the reply is not there), so the next tick may send it."""
    session.execute(
        update(InboxOutgoing)
        .where(InboxOutgoing.id == outgoing_id, InboxOutgoing.outcome == OutgoingOutcome.UNKNOWN)
        .values(outcome=OutgoingOutcome.PENDING, claimed_at=None)
        .execution_options(synchronize_session=False)
    )


def settle_outgoing(
    session: Session,
    outgoing_id: int,
    *,
    sent: bool,
    remote_id: str | None = None,
    error_code: str = "",
    error_message: str = "",
    now: datetime | None = None,
) -> None:
    """The platform's answer on a claimed row. A sent reply is the item's first response; a
    sent hide marks the comment hidden; a refused hide puts the item back to where it was."""
    now = now or utcnow()
    row = session.get(InboxOutgoing, outgoing_id)
    if row is None:
        return
    item = row.item
    row.outcome = OutgoingOutcome.SENT if sent else OutgoingOutcome.FAILED
    row.remote_id, row.error_code, row.error_message = remote_id, error_code, error_message[:500]
    if sent:
        row.sent_at = now
    if sent and row.action is OutgoingAction.REPLY:
        item.first_response_at = item.first_response_at or now
        if item.status is InboxStatus.OPEN:
            item.status = InboxStatus.ANSWERED
    elif sent:
        item.hidden_on_platform = True
    elif row.action is OutgoingAction.HIDE and item.status is InboxStatus.HIDDEN:
        item.status = InboxStatus.ANSWERED if item.first_response_at else InboxStatus.OPEN
    item.version += 1
    session.flush()
