"""Statuses and kinds: the values the database stores (what people read is in content.labels)."""

from __future__ import annotations

import enum


class OpdKind(enum.StrEnum):
    SEKRETARIAT = "sekretariat"
    INSPEKTORAT = "inspektorat"
    DINAS = "dinas"
    BADAN = "badan"
    KECAMATAN = "kecamatan"
    KELURAHAN = "kelurahan"
    BAGIAN = "bagian"
    RSUD = "rsud"
    BUMD = "bumd"  # a city-owned enterprise with its own PPID Pembantu
    PARTAI = "partai"  # a political party's secretariat funded from the APBD (migration 0015)
    SATPOL = "satpol"
    LAINNYA = "lainnya"


class Role(enum.StrEnum):
    ADMIN_OPD = "admin_opd"  # drafts for its OPD
    PPID_PEMBANTU = "ppid_pembantu"  # the OPD's Sekretaris: drafts and approves for its OPD
    PPID_UTAMA = "ppid_utama"
    ANALYST = "analyst"
    SYSADMIN = "sysadmin"


# Roles bound to one OPD: they see and act on that OPD's content only.
OPD_ROLES = frozenset({Role.ADMIN_OPD, Role.PPID_PEMBANTU})


class ApprovalLevel(enum.StrEnum):
    """Who signs a submitted post off: the OPD's PPID Pembantu, then (for city-wide accounts
    and the videotron) PPID Utama. Each account says which levels it needs."""

    OPD = "opd"
    CITY = "city"


class NotificationKind(enum.StrEnum):
    """What a person is told (migration 0015); the sentence is in content.labels."""

    AWAITING_APPROVAL = "awaiting_approval"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    # Migration 0017: events beyond a post's review, each with a subject (account, screen, item).
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    PUBLISH_FAILED = "publish_failed"
    SERTA_MERTA = "serta_merta"
    TOKEN_EXPIRING = "token_expiring"  # noqa: S105 (a kind, not a secret)
    BUDGET_WARNING = "budget_warning"
    INBOX_OVERDUE = "inbox_overdue"
    PLAYER_SILENT = "player_silent"


class EmailState(enum.StrEnum):
    """Where a notification's e-mail is (migration 0019); NULL: not to be e-mailed.

    pending → sending (claimed, committed before SMTP is called) → sent | failed | pending again
    (a transient refusal, after a backoff). A claim whose worker died stays undecided: SMTP
    cannot be asked whether the message arrived, so it becomes `unknown`, never resent."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"


class Channel(enum.StrEnum):
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    VIDEOTRON = "videotron"
    WEBSITE = "website"  # an OPD's WordPress site (migration 0024)


# The channels a publisher module in `publishers.social` posts to (not the videotron's screens).
SOCIAL_CHANNELS = (Channel.X, Channel.FACEBOOK, Channel.INSTAGRAM, Channel.WEBSITE)


class AccountHealth(enum.StrEnum):
    UNKNOWN = "unknown"
    OK = "ok"
    EXPIRING = "expiring"
    ERROR = "error"


class KipCategory(enum.StrEnum):
    """UU KIP 14/2008: information published periodically, immediately, or available at any time."""

    BERKALA = "berkala"
    SERTA_MERTA = "serta_merta"
    SETIAP_SAAT = "setiap_saat"


class PostStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    REJECTED = "rejected"
    APPROVED = "approved"
    SCHEDULED = "scheduled"
    PUBLISHING = "publishing"
    PUBLISHED = "published"
    PARTIALLY_PUBLISHED = "partially_published"
    FAILED = "failed"
    TAKEN_DOWN = "taken_down"  # "Tarik publikasi": removed from its channels after publication


EDITABLE_STATUSES = frozenset({PostStatus.DRAFT, PostStatus.CHANGES_REQUESTED})
# Content in these states was approved: the approved hash must be present (a DB constraint too).
APPROVED_STATUSES = frozenset(
    {
        PostStatus.APPROVED,
        PostStatus.SCHEDULED,
        PostStatus.PUBLISHING,
        PostStatus.PUBLISHED,
        PostStatus.PARTIALLY_PUBLISHED,
        PostStatus.FAILED,
        PostStatus.TAKEN_DOWN,
    }
)


class TargetStatus(enum.StrEnum):
    """One post on one account or screen. How it moves: `content.delivery.target_moves`."""

    PENDING = "pending"  # the post is not scheduled (yet, or any more)
    SCHEDULED = "scheduled"  # due at `due_at`: the schedule, or a retry after its backoff
    PUBLISHING = "publishing"  # claimed by a worker (`claimed_by`), the call under way
    UNKNOWN = "unknown"  # the call may have reached the platform: looked up before anything
    WAITING = "waiting"  # held back (`wait_code`: budget, daily cap) until `due_at` or a change
    PUBLISHED = "published"
    FAILED = "failed"  # `last_error` / `last_error_code` say why
    CANCELLED = "cancelled"  # never went live and never will (its post was taken down)
    # After a takedown ("Tarik publikasi") of a published target:
    REMOVAL_DUE = "removal_due"  # the delete is due (due_at), waiting for a worker
    REMOVING = "removing"  # claimed: the delete call is under way
    REMOVED = "removed"  # gone from the platform (or the screen)
    REMOVAL_FAILED = "removal_failed"  # the platform refused the delete; last_error says why
    REMOVE_MANUALLY = "remove_manually"  # no delete API (Instagram): a person deletes it


# Targets that were live once: their publication, metrics and costs stay part of the record.
ONCE_PUBLISHED = frozenset(
    {
        TargetStatus.PUBLISHED,
        TargetStatus.REMOVAL_DUE,
        TargetStatus.REMOVING,
        TargetStatus.REMOVED,
        TargetStatus.REMOVAL_FAILED,
        TargetStatus.REMOVE_MANUALLY,
    }
)


class Decision(enum.StrEnum):
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"


class AttemptOutcome(enum.StrEnum):
    STARTED = "started"
    SUCCESS = "success"
    RETRYABLE = "retryable"
    PERMANENT = "permanent"
    UNKNOWN = "unknown"
    RECONCILED = "reconciled"


class Severity(enum.StrEnum):
    BLOCK = "block"
    WARN = "warn"
