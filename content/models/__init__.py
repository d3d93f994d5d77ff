"""The domain's tables. Import models from here."""

from content.models.activity import (
    AuditEvent,
    DikRule,
    MetricSnapshot,
    PlayEvent,
    PublishAttempt,
    Slide,
)
from content.models.base import Base, UTCDateTime
from content.models.costs import Budget, SpendEntry
from content.models.enums import (
    AccountHealth,
    ApprovalLevel,
    AttemptOutcome,
    Channel,
    Decision,
    EmailState,
    KipCategory,
    NotificationKind,
    OpdKind,
    PostStatus,
    Role,
    Severity,
    TargetStatus,
)
from content.models.followers import DikReview, FollowerSnapshot
from content.models.inbox import (
    AnswerPolicy,
    CloseReason,
    InboxCursor,
    InboxItem,
    InboxKind,
    InboxOutgoing,
    InboxRule,
    InboxSavedReply,
    InboxStatus,
    InboxTopic,
    OutgoingAction,
    OutgoingOutcome,
)
from content.models.operations import PublicationPause, WorkerHeartbeat
from content.models.org import (
    Account,
    Notification,
    NotificationPreference,
    Opd,
    Screen,
    User,
)
from content.models.players import PlayerKey
from content.models.posts import (
    Media,
    PlanImport,
    Post,
    PostEdit,
    PostMedia,
    PostTarget,
    Review,
)
from content.models.ppid import InfoRequest, PpidEvidence
from content.models.signin import SignInThrottle
from content.models.takedown import Takedown
from content.models.videotron import PlayerHeartbeat, ScreenOverride
from content.models.web_sessions import WebSession

__all__ = [
    "Account",
    "AccountHealth",
    "AnswerPolicy",
    "ApprovalLevel",
    "AttemptOutcome",
    "AuditEvent",
    "Base",
    "Budget",
    "Channel",
    "CloseReason",
    "Decision",
    "DikReview",
    "DikRule",
    "EmailState",
    "FollowerSnapshot",
    "InboxCursor",
    "InboxItem",
    "InboxKind",
    "InboxOutgoing",
    "InboxRule",
    "InboxSavedReply",
    "InboxStatus",
    "InboxTopic",
    "InfoRequest",
    "KipCategory",
    "Media",
    "MetricSnapshot",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "Opd",
    "OpdKind",
    "OutgoingAction",
    "OutgoingOutcome",
    "PlanImport",
    "PlayEvent",
    "PlayerHeartbeat",
    "PlayerKey",
    "Post",
    "PostEdit",
    "PostMedia",
    "PostStatus",
    "PostTarget",
    "PpidEvidence",
    "PublicationPause",
    "PublishAttempt",
    "Review",
    "Role",
    "Screen",
    "ScreenOverride",
    "Severity",
    "SignInThrottle",
    "Slide",
    "SpendEntry",
    "Takedown",
    "TargetStatus",
    "UTCDateTime",
    "User",
    "WebSession",
    "WorkerHeartbeat",
]
