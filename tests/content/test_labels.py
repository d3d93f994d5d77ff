"""Every stored value people see has one Indonesian label, kept in content.labels."""

from __future__ import annotations

from content.audit import AuditAction
from content.labels import (
    AUDIT_ACTION_LABELS,
    CHANNEL_LABELS,
    KIP_LABELS,
    POST_STATUS_LABELS,
    ROLE_LABELS,
    TARGET_STATUS_LABELS,
    action_label,
)
from content.models import Channel, KipCategory, PostStatus, Role, TargetStatus


def test_every_enum_member_has_a_label() -> None:
    for enum, labels in (
        (AuditAction, AUDIT_ACTION_LABELS),
        (Channel, CHANNEL_LABELS),
        (KipCategory, KIP_LABELS),
        (PostStatus, POST_STATUS_LABELS),
        (Role, ROLE_LABELS),
        (TargetStatus, TARGET_STATUS_LABELS),
    ):
        missing = [member for member in enum if not labels.get(member)]
        assert not missing, f"{enum.__name__} without a label: {missing}"


def test_an_action_reads_as_indonesian_never_as_an_identifier() -> None:
    assert action_label("post.published") == "terpublikasi"
    assert action_label(AuditAction.USER_SIGNED_IN) == "masuk ke aplikasi"
    # An action an older version wrote and that no longer exists still reads as a sentence.
    assert action_label("post.archived") == "peristiwa lain (post.archived)"
