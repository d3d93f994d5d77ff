"""The audit trail: one row per state change, in the caller's transaction."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from content.models import AuditEvent
from content.org.actors import Actor


class AuditAction(enum.StrEnum):
    """Every kind of audit event. The value is what the database stores; `content.labels`
    says each one in Indonesian (a test checks that every member has its label)."""

    ACCOUNT_CREATED = "account.created"
    ACCOUNT_APPROVALS_CHANGED = "account.approvals_changed"
    ACCOUNT_CREDENTIALS_CHANGED = "account.credentials_changed"
    ACCOUNT_HEALTH_CHANGED = "account.health_changed"
    BUDGET_SET = "budget.set"
    BUDGET_WARNING = "budget.warning"
    DIK_ACTIVATED = "dik.activated"
    DIK_APPROVED = "dik.approved"
    DIK_CREATED = "dik.created"
    DIK_DEACTIVATED = "dik.deactivated"
    DIK_REVIEWED = "dik.reviewed"
    MEDIA_UPLOADED = "media.uploaded"
    OPD_CREATED = "opd.created"
    POST_CREATED = "post.created"
    POST_EDITED = "post.edited"
    POST_EDITED_AFTER_REVIEW = "post.edited_after_review"
    POST_SUBMITTED = "post.submitted"
    POST_WITHDRAWN = "post.withdrawn"
    POST_CHANGES_REQUESTED = "post.changes_requested"
    POST_REJECTED = "post.rejected"
    POST_APPROVED = "post.approved"
    POST_APPROVED_FOR_OPD = "post.approved_for_opd"  # the first of two sign-offs
    POST_SCHEDULED = "post.scheduled"
    POST_UNSCHEDULED = "post.unscheduled"
    POST_PUBLISH_NOW = "post.publish_now"
    POST_SCREENING_OVERRIDDEN = "post.screening_overridden"
    POST_PUBLISHING = "post.publishing"
    POST_PUBLISHED = "post.published"
    POST_PARTIALLY_PUBLISHED = "post.partially_published"
    POST_FAILED = "post.failed"
    PUBLICATION_PAUSED = "publication.paused"
    PUBLICATION_RESUMED = "publication.resumed"
    SCREEN_CREATED = "screen.created"
    TARGET_RETRIED = "target.retried"
    USER_ACTIVATED = "user.activated"
    USER_CREATED = "user.created"
    USER_DEACTIVATED = "user.deactivated"
    USER_EMAIL_CHANGED = "user.email_changed"
    USER_LOCKED = "user.locked"
    USER_PASSWORD_CHANGED = "user.password_changed"  # noqa: S105 (an event name)
    USER_ROLE_CHANGED = "user.role_changed"
    USER_SIGNED_IN = "user.signed_in"
    USER_SIGNED_OUT = "user.signed_out"
    VIDEOTRON_OVERRIDE_LIFTED = "videotron.override_lifted"
    VIDEOTRON_OVERRIDE_PUSHED = "videotron.override_pushed"
    VIDEOTRON_SLIDE_ENDED = "videotron.slide_ended"
    VIDEOTRON_SLIDE_RECORDED = "videotron.slide_recorded"
    VIDEOTRON_SLIDE_RERENDERED = "videotron.slide_rerendered"
    VIDEOTRON_SLIDE_SCHEDULED = "videotron.slide_scheduled"
    VIDEOTRON_SLIDES_REORDERED = "videotron.slides_reordered"
    SECRETS_ROTATED = "secrets.rotated"
    POST_TAKEN_DOWN = "post.taken_down"
    TARGET_REMOVED = "target.removed"
    TARGET_REMOVE_MANUALLY = "target.remove_manually"
    TARGET_REMOVAL_FAILED = "target.removal_failed"
    TARGET_REMOVED_MANUALLY = "target.removed_manually"
    TARGET_REMOVAL_RETRIED = "target.removal_retried"
    USER_SIGN_IN_FAILURES = "user.sign_in_failures"
    VIDEOTRON_SCREEN_SCHEDULE_SET = "videotron.screen_schedule_set"
    VIDEOTRON_PLAYER_KEY_ISSUED = "videotron.player_key_issued"
    VIDEOTRON_PLAYER_KEY_REVOKED = "videotron.player_key_revoked"
    PPID_REQUEST_RECORDED = "ppid.request_recorded"
    PPID_REQUEST_UPDATED = "ppid.request_updated"
    PPID_EVIDENCE_ADDED = "ppid.evidence_added"
    INBOX_ASSIGNED = "inbox.assigned"
    INBOX_REPLIED = "inbox.replied"
    INBOX_HIDDEN = "inbox.hidden"
    INBOX_CLOSED = "inbox.closed"
    INBOX_CLASSIFIED = "inbox.classified"
    INBOX_REPLY_APPROVED = "inbox.reply_approved"
    INBOX_ESCALATED = "inbox.escalated"
    INBOX_RULE_ADDED = "inbox.rule_added"
    INBOX_RULE_CHANGED = "inbox.rule_changed"
    INBOX_SAVED_REPLY_ADDED = "inbox.saved_reply_added"
    INBOX_SAVED_REPLY_CHANGED = "inbox.saved_reply_changed"
    PLAN_IMPORTED = "plan.imported"


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def record(
    session: Session,
    actor: Actor,
    action: AuditAction,
    entity_type: str,
    entity_id: int | None,
    *,
    opd_id: int | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    event = AuditEvent(
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        opd_id=opd_id,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        reason=reason,
    )
    session.add(event)
    return event
