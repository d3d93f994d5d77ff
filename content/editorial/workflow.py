"""The publication workflow: every transition is one function that checks who acts, checks the
state, changes the fields, and writes the audit event, inside the caller's transaction.

    draft ─submit→ submitted ─approve→ approved ─schedule→ scheduled ─(worker)→ publishing → …
      ↑  ←withdraw─┘ │ │                  ↑ └──publish now──↗ │
      └─ changes_requested ←┘ └─reject→ rejected             └────── unschedule ──────┘

A submitted post waits for one sign-off after another (`awaiting_level`): its OPD's PPID
Pembantu when one of its accounts asks for it, then PPID Utama when a city-wide account, the
videotron, or an account of its own asks for it (`required_levels`). Four eyes: nobody decides
on content they wrote or edited (`Post.editor_ids`), unless the office turned it off.

"Not allowed" raises PermissionDenied; "not in this state" raises InvalidTransition; a stale
version raises Conflict. The worker's own transitions (publishing and after) live in
content.delivery.publishing; the worker process that drives them is in scheduler.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from content import audit, screening
from content.audit import AuditAction
from content.delivery import holds
from content.delivery import target_moves as moves
from content.delivery.target_moves import applies, move
from content.editorial.posts import (
    check_version,
    content_hash,
    load_post,
    readiness_problems,
    snapshot,
)
from content.editorial.refusals import refuse_if_any
from content.infra.errors import (
    Conflict,
    InvalidTransition,
    PermissionDenied,
    ScreeningBlocked,
    ValidationFailed,
)
from content.infra.timeutil import as_utc, format_wib, utcnow
from content.labels import APPROVAL_LEVEL_LABELS, POST_STATUS_LABELS
from content.models import (
    ApprovalLevel,
    Decision,
    KipCategory,
    NotificationKind,
    Post,
    PostStatus,
    Review,
)
from content.models.enums import EDITABLE_STATUSES
from content.org import notifications
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require, require_level

# A schedule a little in the past (the form took a minute to fill) still means "now".
SCHEDULE_GRACE = timedelta(minutes=2)
MAX_COMMENT = 4_000


@dataclass(frozen=True)
class Policy:
    four_eyes: bool = True
    public_numbers: tuple[str, ...] = screening.PUBLIC_SERVICE_NUMBERS


DEFAULT_POLICY = Policy()


def _label(status: PostStatus) -> str:
    return POST_STATUS_LABELS[status]


@dataclass(frozen=True)
class Step:
    """One transition: its name (the CLI command and button key), who may take it, from which
    states, the words that say it was done, and how the audit names it."""

    name: str
    action: Action
    allowed_from: frozenset[PostStatus]
    verb: str
    event: AuditAction


_SUBMITTED = frozenset({PostStatus.SUBMITTED})
SUBMIT = Step(
    "submit", Action.WRITE_POST, EDITABLE_STATUSES, "diajukan", AuditAction.POST_SUBMITTED
)
WITHDRAW = Step(
    "withdraw", Action.WRITE_POST, _SUBMITTED, "ditarik ke draf", AuditAction.POST_WITHDRAWN
)
REQUEST_CHANGES = Step(
    "request-changes",
    Action.REVIEW,
    _SUBMITTED,
    "dikembalikan untuk perbaikan",
    AuditAction.POST_CHANGES_REQUESTED,
)
REJECT = Step("reject", Action.REVIEW, _SUBMITTED, "ditolak", AuditAction.POST_REJECTED)
APPROVE = Step("approve", Action.REVIEW, _SUBMITTED, "disetujui", AuditAction.POST_APPROVED)
_SCHEDULABLE = frozenset({PostStatus.APPROVED, PostStatus.SCHEDULED})
SCHEDULE = Step(
    "schedule", Action.SCHEDULE, _SCHEDULABLE, "dijadwalkan", AuditAction.POST_SCHEDULED
)
PUBLISH_NOW = Step(
    "publish-now",
    Action.SCHEDULE,
    _SCHEDULABLE,
    "diterbitkan sekarang",
    AuditAction.POST_PUBLISH_NOW,
)
UNSCHEDULE = Step(
    "unschedule",
    Action.SCHEDULE,
    frozenset({PostStatus.SCHEDULED}),
    "dibatalkan jadwalnya",
    AuditAction.POST_UNSCHEDULED,
)
# Taken by `content.delivery.takedown.takedown` (its own transaction shape), declared here with
# the rest so that pages and the CLI learn of it the same way.
TAKEDOWN = Step(
    "takedown",
    Action.TAKE_DOWN,
    frozenset({PostStatus.PUBLISHED, PostStatus.PARTIALLY_PUBLISHED}),
    "ditarik dari publikasi",
    AuditAction.POST_TAKEN_DOWN,
)
STEPS = (
    SUBMIT,
    WITHDRAW,
    APPROVE,
    REQUEST_CHANGES,
    REJECT,
    SCHEDULE,
    PUBLISH_NOW,
    UNSCHEDULE,
    TAKEDOWN,
)


class PostLike(Protocol):
    """What `available_steps` reads of a post: the model or any read view of it."""

    @property
    def id(self) -> int: ...
    @property
    def status(self) -> PostStatus: ...
    @property
    def opd_id(self) -> int: ...
    @property
    def author_id(self) -> int: ...
    @property
    def awaiting_level(self) -> ApprovalLevel | None: ...
    @property
    def editor_ids(self) -> Set[int]: ...


SYSTEM_REFUSAL = "Keputusan atas konten harus atas nama seorang pengguna (--as)."
OWN_POST_REFUSAL = "Anda tidak dapat memutuskan konten yang Anda tulis sendiri."
EDITED_REFUSAL = (
    "Anda tidak dapat memutuskan konten yang isinya pernah Anda ubah; "
    "keputusan harus diambil orang lain."
)


def wrote(actor: Actor, post: PostLike) -> bool:
    """Whether this person wrote any of the post's wording: the first draft or any edit since."""
    return actor.user_id == post.author_id or actor.user_id in post.editor_ids


def _check_rights(actor: Actor, post: PostLike, step: Step, policy: Policy) -> None:
    if actor.is_system:
        raise PermissionDenied(SYSTEM_REFUSAL)
    if step.action is Action.REVIEW and post.awaiting_level is not None:
        require_level(actor, post.awaiting_level, post.opd_id)
    else:
        require(actor, step.action, post.opd_id)
    if step.action is Action.REVIEW and policy.four_eyes and wrote(actor, post):
        raise PermissionDenied(
            OWN_POST_REFUSAL if actor.user_id == post.author_id else EDITED_REFUSAL
        )


def _check_state(post: PostLike, step: Step) -> None:
    if post.status not in step.allowed_from:
        raise InvalidTransition(
            f"Konten #{post.id} berstatus '{_label(post.status)}', "
            f"sehingga tidak dapat {step.verb}."
        )


def refusal(
    actor: Actor, post: PostLike, step: Step, policy: Policy = DEFAULT_POLICY
) -> str | None:
    """Why `step` would be refused now (the sentence `_begin` raises), or None when it would
    pass the rights, four-eyes and state checks (version and screening are checked when taken)."""
    try:
        _check_rights(actor, post, step, policy)
        _check_state(post, step)
    except (PermissionDenied, InvalidTransition) as exc:
        return exc.message
    return None


def available_steps(
    actor: Actor, post: PostLike, policy: Policy = DEFAULT_POLICY
) -> frozenset[Step]:
    """What this person may do next with this post: pages draw their buttons from it."""
    return frozenset(step for step in STEPS if refusal(actor, post, step, policy) is None)


def default_next(kip_category: KipCategory, steps: Set[Step]) -> Step | None:
    """Of the steps after the last approval, the one a page offers first: "publish now" for a
    serta-merta post (it cannot wait for a slot), otherwise scheduling."""
    if kip_category is KipCategory.SERTA_MERTA and PUBLISH_NOW in steps:
        return PUBLISH_NOW
    if SCHEDULE in steps:
        return SCHEDULE
    return PUBLISH_NOW if PUBLISH_NOW in steps else None


def _begin(
    session: Session,
    actor: Actor,
    post_id: int,
    step: Step,
    *,
    expected_version: int | None,
    policy: Policy = DEFAULT_POLICY,
) -> tuple[Actor, Post, dict[str, object]]:
    actor = refresh(session, actor)
    if actor.is_system:  # before the post is read: the system never decides
        raise PermissionDenied(SYSTEM_REFUSAL)
    post = load_post(session, post_id, lock=True)
    _check_rights(actor, post, step, policy)
    check_version(post, expected_version)
    _check_state(post, step)
    return actor, post, snapshot(post)


def _finish(
    session: Session,
    actor: Actor,
    post: Post,
    step: Step,
    *,
    before: dict[str, object],
    reason: str = "",
    event: AuditAction | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Post:
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "Konten ini baru saja diubah orang lain; muat ulang lalu coba lagi."
        ) from exc
    after = snapshot(post)
    if step.action is Action.REVIEW:
        after["awaiting_level"] = post.awaiting_level
        if not policy.four_eyes:
            # A one-person office decides on its own words: the trail says the rule was off.
            after["four_eyes"] = False
            after["decided_own_content"] = wrote(actor, post)
    audit.record(
        session,
        actor,
        event or step.event,
        "post",
        post.id,
        opd_id=post.opd_id,
        before=before,
        after=after,
        reason=reason,
    )
    return post


def _screen(
    session: Session, actor: Actor, post: Post, override_reason: str | None, policy: Policy
) -> None:
    """Blocking findings stop the transition unless PPID Utama overrode them for this content."""
    findings = screening.findings_of(screening.screen_post(session, post, policy.public_numbers))
    blocking = screening.blocking(findings)
    if not blocking or post.screening_override_hash == post.content_hash:
        return
    if override_reason and override_reason.strip():
        require(actor, Action.OVERRIDE_SCREENING, post.opd_id)
        post.screening_override_hash = post.content_hash
        post.screening_override_reason = override_reason.strip()
        audit.record(
            session,
            actor,
            AuditAction.POST_SCREENING_OVERRIDDEN,
            "post",
            post.id,
            opd_id=post.opd_id,
            after={"findings": [f.as_dict(mask=True) for f in blocking]},
            reason=override_reason.strip(),
        )
        return
    first = blocking[0]
    more = f" (dan {len(blocking) - 1} temuan lain)" if len(blocking) > 1 else ""
    raise ScreeningBlocked(f"Penyaringan menahan konten ini: {first.describe()}{more}", findings)


def submitted_sentence(post: Post) -> str:
    """What the author is told after submitting: who signs it off first (the OPD's PPID Pembantu
    or PPID Utama), so a two-level post does not read as gone to PPID Utama already."""
    level = post.awaiting_level or ApprovalLevel.CITY
    return f"Konten #{post.id} diajukan ke {APPROVAL_LEVEL_LABELS[level]}."


def required_levels(post: Post) -> tuple[ApprovalLevel, ...]:
    """The sign-offs a post needs, in order: the OPD's when one of its accounts asks for it, the
    city's when a city-wide account, a videotron screen or one of its accounts asks for it.
    At least the city's, so that nothing goes out unapproved."""
    accounts = [t.account for t in post.targets if t.account is not None]
    opd = any(a.needs_opd_approval for a in accounts if a.opd_id is not None)
    city = any(t.screen_id is not None for t in post.targets) or any(
        a.needs_city_approval or a.opd_id is None for a in accounts
    )
    levels = ((ApprovalLevel.OPD,) if opd else ()) + ((ApprovalLevel.CITY,) if city else ())
    return levels or (ApprovalLevel.CITY,)


def _comment(comment: str, required: bool) -> str:
    comment = comment.strip()
    if required and not comment:
        raise ValidationFailed("Tuliskan komentar agar penulis tahu apa yang harus diperbaiki.")
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(f"Komentar maksimal {MAX_COMMENT} karakter.")
    return comment


def submit(
    session: Session,
    actor: Actor,
    post_id: int,
    *,
    expected_version: int | None = None,
    override_reason: str | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Post:
    actor, post, before = _begin(session, actor, post_id, SUBMIT, expected_version=expected_version)
    problems = readiness_problems(post)
    if problems:
        raise ValidationFailed("Belum bisa diajukan: " + " ".join(problems))
    post.content_hash = content_hash(post)
    _screen(session, actor, post, override_reason, policy)
    post.status = PostStatus.SUBMITTED
    post.awaiting_level = required_levels(post)[0]
    post.submitted_at = utcnow()
    notifications.reviewers_waiting(session, post, post.awaiting_level)
    if post.kip_category is KipCategory.SERTA_MERTA:
        notifications.serta_merta_raised(session, post)
    return _finish(session, actor, post, SUBMIT, before=before)


def withdraw(
    session: Session, actor: Actor, post_id: int, *, expected_version: int | None = None
) -> Post:
    actor, post, before = _begin(
        session, actor, post_id, WITHDRAW, expected_version=expected_version
    )
    post.status = PostStatus.DRAFT
    post.awaiting_level = None
    return _finish(session, actor, post, WITHDRAW, before=before)


def _record_review(
    session: Session, actor: Actor, post: Post, decision: Decision, comment: str
) -> Review:
    post.decided_at = utcnow()
    review = Review(
        post=post,
        reviewer_id=actor.user_id,
        decision=decision,
        comment=comment,
        content_hash=post.content_hash,
        level=post.awaiting_level or ApprovalLevel.CITY,
    )
    session.add(review)
    return review


def _send_back(
    session: Session,
    actor: Actor,
    post_id: int,
    comment: str,
    step: Step,
    *,
    expected_version: int | None,
    policy: Policy,
) -> Post:
    comment = _comment(comment, required=True)
    actor, post, before = _begin(
        session, actor, post_id, step, expected_version=expected_version, policy=policy
    )
    if step is REJECT:
        _record_review(session, actor, post, Decision.REJECT, comment)
        post.status = PostStatus.REJECTED
        notifications.author_told(session, post, NotificationKind.REJECTED)
    else:
        _record_review(session, actor, post, Decision.REQUEST_CHANGES, comment)
        post.status = PostStatus.CHANGES_REQUESTED
        notifications.author_told(session, post, NotificationKind.CHANGES_REQUESTED)
    post.awaiting_level = None
    return _finish(session, actor, post, step, before=before, reason=comment, policy=policy)


def request_changes(
    session: Session,
    actor: Actor,
    post_id: int,
    comment: str,
    *,
    expected_version: int | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Post:
    return _send_back(
        session,
        actor,
        post_id,
        comment,
        REQUEST_CHANGES,
        expected_version=expected_version,
        policy=policy,
    )


def reject(
    session: Session,
    actor: Actor,
    post_id: int,
    comment: str,
    *,
    expected_version: int | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Post:
    return _send_back(
        session, actor, post_id, comment, REJECT, expected_version=expected_version, policy=policy
    )


def approve(
    session: Session,
    actor: Actor,
    post_id: int,
    *,
    comment: str = "",
    expected_version: int | None = None,
    override_reason: str | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Post:
    comment = _comment(comment, required=False)
    actor, post, before = _begin(
        session, actor, post_id, APPROVE, expected_version=expected_version, policy=policy
    )
    if content_hash(post) != post.content_hash:
        raise Conflict("Isi konten berubah sejak diajukan; ajukan ulang sebelum disetujui.")
    # What a platform would refuse is refused here, before anyone schedules it.
    refuse_if_any(post)
    _screen(session, actor, post, override_reason, policy)
    _record_review(session, actor, post, Decision.APPROVE, comment)
    level = post.awaiting_level or ApprovalLevel.CITY
    # The levels still to come, read from the accounts now (a setting changed since submission
    # can add PPID Utama's sign-off, never skip it).
    order = list(ApprovalLevel)
    later = [lv for lv in required_levels(post) if order.index(lv) > order.index(level)]
    if later:
        # Signed off at this level; still submitted, now waiting for the next one.
        post.awaiting_level = later[0]
        notifications.reviewers_waiting(session, post, post.awaiting_level)
        return _finish(
            session,
            actor,
            post,
            APPROVE,
            before=before,
            reason=comment,
            event=AuditAction.POST_APPROVED_FOR_OPD,
            policy=policy,
        )
    post.status = PostStatus.APPROVED
    post.awaiting_level = None
    post.approved_hash = post.content_hash
    notifications.author_told(session, post, NotificationKind.APPROVED)
    return _finish(session, actor, post, APPROVE, before=before, reason=comment, policy=policy)


def _set_due(post: Post, due: datetime) -> None:
    post.status = PostStatus.SCHEDULED
    post.scheduled_at = due
    for target in post.targets:
        if applies(target, moves.SCHEDULE):
            move(target, moves.SCHEDULE, due_at=due)
            holds.lift(target)


def schedule(
    session: Session,
    actor: Actor,
    post_id: int,
    at: datetime,
    *,
    expected_version: int | None = None,
    now: Callable[[], datetime] = utcnow,
) -> Post:
    actor, post, before = _begin(
        session, actor, post_id, SCHEDULE, expected_version=expected_version
    )
    due = as_utc(at)
    if due < now() - SCHEDULE_GRACE:
        raise ValidationFailed(
            f"Waktu jadwal {format_wib(due)} sudah lewat; pilih waktu mendatang."
        )
    _set_due(post, max(due, now()))
    notifications.scheduled(session, actor, post)
    return _finish(session, actor, post, SCHEDULE, before=before)


def publish_now(
    session: Session,
    actor: Actor,
    post_id: int,
    *,
    expected_version: int | None = None,
    now: Callable[[], datetime] = utcnow,
) -> Post:
    actor, post, before = _begin(
        session, actor, post_id, PUBLISH_NOW, expected_version=expected_version
    )
    _set_due(post, now())
    return _finish(session, actor, post, PUBLISH_NOW, before=before)


def approve_and_schedule(
    session: Session,
    actor: Actor,
    post_id: int,
    at: datetime,
    *,
    expected_version: int | None = None,
    policy: Policy = DEFAULT_POLICY,
) -> Post:
    """Approve a submitted post (or take an approved one) and schedule it, in one transaction:
    either both happen or neither does."""
    post = load_post(session, post_id)
    if post.status is PostStatus.SUBMITTED:
        post = approve(session, actor, post_id, expected_version=expected_version, policy=policy)
        expected_version = post.version
    return schedule(session, actor, post_id, at, expected_version=expected_version)


def unschedule(
    session: Session, actor: Actor, post_id: int, *, expected_version: int | None = None
) -> Post:
    actor, post, before = _begin(
        session, actor, post_id, UNSCHEDULE, expected_version=expected_version
    )
    post.status = PostStatus.APPROVED
    post.scheduled_at = None
    for target in post.targets:
        if applies(target, moves.UNSCHEDULE):
            move(target, moves.UNSCHEDULE, due_at=None)
            holds.lift(target)
    return _finish(session, actor, post, UNSCHEDULE, before=before)
