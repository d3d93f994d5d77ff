"""Kotak masuk: what people say to the city's accounts (comments, replies, mentions), routed to
the OPD that must act, and what the city answers or does about it (replies, hiding).

An item is one remote comment or mention, unique per (account, remote id), so collecting the
same thread twice updates it instead of duplicating it. Replies and hides are queued rows that
the worker sends: the row is committed before the platform call, and its outcome after.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from content.models.base import Base, UTCDateTime, created_at_column, str_enum
from content.models.enums import Channel
from content.models.org import Account


class InboxKind(enum.StrEnum):
    COMMENT = "comment"  # a comment on one of the account's posts
    REPLY = "reply"  # a reply inside a comment thread
    MENTION = "mention"  # an X post that mentions the account


class InboxStatus(enum.StrEnum):
    OPEN = "open"  # waiting for a first response
    ANSWERED = "answered"  # the city replied; not yet closed
    CLOSED = "closed"  # settled, with a close reason
    HIDDEN = "hidden"  # hidden on the platform (personal data, spam)


class InboxTopic(enum.StrEnum):
    """What the message is about, proposed by the rules and confirmed by a person."""

    PENGADUAN = "pengaduan"
    PERMINTAAN_INFORMASI = "permintaan_informasi"
    PERTANYAAN = "pertanyaan"
    APRESIASI = "apresiasi"
    SPAM = "spam"  # spam or hate speech


class CloseReason(enum.StrEnum):
    RESOLVED = "resolved"
    NO_ACTION = "no_action"  # thanks, appreciation: nothing to do
    SPAM = "spam"
    DUPLICATE = "duplicate"
    FORWARDED_LAPOR = "forwarded_lapor"  # SP4N-LAPOR!, with the ticket number


class OutgoingAction(enum.StrEnum):
    REPLY = "reply"
    HIDE = "hide"


class AnswerPolicy(enum.StrEnum):
    """Who answers on an account (its `inbox_answer` setting)."""

    OPD = "opd"  # the OPD's PPID Pembantu (and PPID Utama)
    UTAMA = "utama"  # PPID Utama only (city accounts)
    APPROVAL = "approval"  # a Pembantu drafts, PPID Utama approves before it is sent


class OutgoingOutcome(enum.StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  # a Pembantu's draft, for PPID Utama
    PENDING = "pending"  # committed, not yet sent
    SENT = "sent"
    FAILED = "failed"  # refused for good (the platform's words kept)
    UNKNOWN = "unknown"  # sent, no clear answer: settled by reading the thread, never resent


class InboxItem(Base):
    __tablename__ = "inbox_item"
    __table_args__ = (
        UniqueConstraint("account_id", "remote_id", name="uq_inbox_item_account_remote"),
        Index("ix_inbox_item_status_due", "status", "due_at"),
        Index("ix_inbox_item_received", "received_at"),
        Index("ix_inbox_item_opd_received", "opd_id", "received_at"),  # an OPD's list, newest first
        Index("ix_inbox_item_thread", "account_id", "thread_remote_id"),
        # The menu's counts: an OPD's open items, and the open untriaged ones not yet due.
        Index("ix_inbox_item_opd_status_due", "opd_id", "status", "due_at"),
        # The escalation job: open, not yet escalated, the longest overdue first.
        Index("ix_inbox_item_escalation", "status", "escalated_at", "due_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    kind: Mapped[InboxKind] = mapped_column(str_enum(InboxKind))
    remote_id: Mapped[str] = mapped_column(String(200))
    parent_remote_id: Mapped[str | None] = mapped_column(String(200))  # the comment replied to
    thread_remote_id: Mapped[str] = mapped_column(String(200))  # the top comment (or itself)
    post_remote_id: Mapped[str | None] = mapped_column(String(200))  # our post it is under
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="SET NULL"))
    author_handle: Mapped[str] = mapped_column(String(200), default="")
    author_name: Mapped[str] = mapped_column(String(200), default="")
    author_remote_id: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())  # the platform's created time
    collected_at: Mapped[datetime] = created_at_column()
    # Routing: the OPD that must act; NULL is PPID Utama's triage (city accounts' mentions).
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    route_reason: Mapped[str] = mapped_column(String(40), default="")  # a code, see content.inbox
    # Siaran's proposals (content.inbox.triage), with the phrase that decided each.
    topic: Mapped[InboxTopic | None] = mapped_column(str_enum(InboxTopic))
    topic_phrase: Mapped[str] = mapped_column(String(100), default="")
    proposed_opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"))
    proposal_phrase: Mapped[str] = mapped_column(String(100), default="")
    status: Mapped[InboxStatus] = mapped_column(str_enum(InboxStatus), default=InboxStatus.OPEN)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    close_reason: Mapped[CloseReason | None] = mapped_column(str_enum(CloseReason))
    lapor_ticket: Mapped[str] = mapped_column(String(60), default="")
    hidden_on_platform: Mapped[bool] = mapped_column(default=False)
    deleted_on_platform: Mapped[bool] = mapped_column(default=False)
    ours: Mapped[bool] = mapped_column(default=False)  # written by the account itself
    # When PPID Utama and the OPD were told the item is past its service level (once).
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    account: Mapped[Account] = relationship(lazy="joined")


class InboxOutgoing(Base):
    """A reply or a hide the city sends on an item: committed before the platform call."""

    __tablename__ = "inbox_outgoing"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("inbox_item.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[OutgoingAction] = mapped_column(str_enum(OutgoingAction))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = created_at_column()
    outcome: Mapped[OutgoingOutcome] = mapped_column(
        str_enum(OutgoingOutcome), default=OutgoingOutcome.PENDING, index=True
    )
    remote_id: Mapped[str | None] = mapped_column(String(200))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error_code: Mapped[str] = mapped_column(String(40), default="")
    error_message: Mapped[str] = mapped_column(String(500), default="")

    item: Mapped[InboxItem] = relationship(lazy="joined")


class InboxCursor(Base):
    """Where collection of one source of an account stopped (X mentions: the newest id read)."""

    __tablename__ = "inbox_cursor"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = created_at_column()


class InboxRule(Base):
    """A phrase PPID Utama maintains: a message containing it is proposed as `topic` and/or
    routed to the OPD `opd_slug` (by slug, so rules shipped with the project need no OPD rows
    yet). Rules are tried in `position` order, grouped by what they propose (first group wins)."""

    __tablename__ = "inbox_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(100))
    topic: Mapped[InboxTopic | None] = mapped_column(str_enum(InboxTopic))
    opd_slug: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = created_at_column()


class InboxSavedReply(Base):
    """A saved reply ("balasan tersimpan") per kind: the city's (`opd_id` NULL, PPID Utama's)
    or one OPD's own (its PPID Pembantu's). Always edited and screened before it is sent."""

    __tablename__ = "inbox_saved_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id", ondelete="CASCADE"))
    topic: Mapped[InboxTopic] = mapped_column(str_enum(InboxTopic))
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = created_at_column()
