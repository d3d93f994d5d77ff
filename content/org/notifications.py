"""Who is told when something waits for them: the reviewers at the level a submitted post waits
for, every PPID Utama when a serta-merta post is submitted, the author when their post is
decided on, scheduled, published or failed, the OPD's PPID Pembantu (or PPID Utama, for the
city's) when an account's token runs out or a budget nears its end.

A notification names the post by its number only and goes only to people who may see that post
(the OPD's own people, or city-wide roles), so none reveals another OPD's content. Written in
the caller's transaction, with the change it announces.

Each person chooses per kind whether it also comes by e-mail (`NotificationPreference`; no row:
`EMAIL_BY_DEFAULT`). A notification to be e-mailed is written `pending`; the worker's mail job
(scheduler/mail.py, with content.org.mail_outbox) sends it at most once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Insert, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from content.infra.timeutil import utcnow
from content.labels import CHANNEL_LABELS, NOTIFICATION_SENTENCES
from content.models import (
    Account,
    AccountHealth,
    ApprovalLevel,
    Channel,
    EmailState,
    Notification,
    NotificationKind,
    NotificationPreference,
    Post,
    PostTarget,
    Role,
    Screen,
    TargetStatus,
    User,
)
from content.org.actors import Actor, refresh
from content.org.permissions import LEVEL_REVIEWERS, Action, can

MAX_LISTED = 50
K = NotificationKind
# What comes by e-mail unless the person chose otherwise: what asks them to act, or went wrong.
EMAIL_BY_DEFAULT = frozenset(
    {
        K.AWAITING_APPROVAL,
        K.CHANGES_REQUESTED,
        K.SERTA_MERTA,
        K.PUBLISH_FAILED,
        K.TOKEN_EXPIRING,
        K.BUDGET_WARNING,
        K.INBOX_OVERDUE,
        K.PLAYER_SILENT,
    }
)
# The dashboard page (its address) where a kind is acted on: an e-mail links there. A page the
# reader's role lacks leads to their home page.
PAGES = {
    K.AWAITING_APPROVAL: "antrean",
    K.SERTA_MERTA: "antrean",
    K.CHANGES_REQUESTED: "konten-saya",
    K.APPROVED: "konten-saya",
    K.REJECTED: "konten-saya",
    K.SCHEDULED: "konten-saya",
    K.PUBLISHED: "konten-saya",
    K.PUBLISH_FAILED: "konten-saya",
    K.TOKEN_EXPIRING: "administrasi",
    K.BUDGET_WARNING: "biaya",
    K.INBOX_OVERDUE: "kotak-masuk",
    K.PLAYER_SILENT: "layar",
}
ENDED = {TargetStatus.PUBLISHED: K.PUBLISHED, TargetStatus.FAILED: K.PUBLISH_FAILED}


@dataclass(frozen=True)
class Shown:
    id: int
    kind: NotificationKind
    post_id: int | None
    sentence: str
    at: datetime
    read: bool
    email: EmailState | None = None


@dataclass(frozen=True)
class Telling:
    """One notification to write: to whom, what, about which post or subject, on which
    occasion (`dedupe_key`: told once per person and key)."""

    user_id: int
    kind: NotificationKind
    post_id: int | None = None
    subject: str | None = None
    dedupe_key: str | None = None


def sentence(kind: NotificationKind, post_id: int | None, subject: str | None) -> str:
    return NOTIFICATION_SENTENCES[kind].format(post=post_id, subject=subject or "")


def _tell(session: Session, user_ids: Iterable[int], kind: NotificationKind, post: Post) -> None:
    tell(session, user_ids, kind, post_id=post.id)


def tell(
    session: Session,
    user_ids: Iterable[int],
    kind: NotificationKind,
    *,
    post_id: int | None = None,
    subject: str | None = None,
    dedupe_key: str | None = None,
) -> int:
    """Write one notification per person, in the caller's transaction; how many were new.

    The caller has chosen the people (only those who may see the subject). With `dedupe_key`, a
    person already told about that occasion is not told again (a job that runs every minute
    tells once); the unique index backs this up against two writers at once.
    """
    return tell_many(session, [Telling(u, kind, post_id, subject, dedupe_key) for u in user_ids])


def tell_many(session: Session, tellings: Sequence[Telling]) -> int:
    """`tell` for many notifications at once, in a fixed number of statements whatever their
    number (the occasions already told, the people's addresses and choices, one INSERT)."""
    # Once per person and occasion (or, without one, per identical notification).
    todo = list({(t.user_id, t.dedupe_key) if t.dedupe_key else t: t for t in tellings}.values())
    keyed = {t.dedupe_key for t in todo if t.dedupe_key is not None}
    if keyed:
        told = set(
            session.execute(
                select(Notification.user_id, Notification.dedupe_key).where(
                    Notification.dedupe_key.in_(keyed),
                    Notification.user_id.in_({t.user_id for t in todo}),
                )
            )
        )
        todo = [t for t in todo if (t.user_id, t.dedupe_key) not in told]
    if not todo:
        return 0
    wants = _wants_email(session, {t.user_id for t in todo})
    now = utcnow()
    rows = [
        {
            "user_id": t.user_id,
            "kind": t.kind,
            "post_id": t.post_id,
            "subject": t.subject[:120] if t.subject else None,
            "dedupe_key": t.dedupe_key,
            "created_at": now,
            "email_state": EmailState.PENDING if t.kind in wants.get(t.user_id, ()) else None,
            "email_due_at": now if t.kind in wants.get(t.user_id, ()) else None,
        }
        for t in todo
    ]
    session.execute(_insert_once(session), rows)
    return len(rows)


def _insert_once(session: Session) -> Insert:
    """An INSERT that skips a person already told of the occasion by a writer that committed
    between our check and our write (two workers ending two targets of one post): the unique
    index decides, and the caller's transaction goes on."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(Notification).on_conflict_do_nothing()
    return sqlite.insert(Notification).on_conflict_do_nothing()


def _wants_email(session: Session, user_ids: set[int]) -> dict[int, set[NotificationKind]]:
    """The kinds each person gets by e-mail: none without an address (or when inactive)."""
    query = select(User.id).where(User.id.in_(user_ids), User.active, User.email.is_not(None))
    wants = {user_id: set(EMAIL_BY_DEFAULT) for user_id in session.scalars(query)}
    if wants:
        chosen = select(NotificationPreference).where(
            NotificationPreference.user_id.in_(list(wants))
        )
        for pref in session.scalars(chosen):
            (wants[pref.user_id].add if pref.email else wants[pref.user_id].discard)(pref.kind)
    return wants


# --- who may hear of what --------------------------------------------------------------------


def _people(
    session: Session, role: Role, opd_ids: Iterable[int | None] = ()
) -> dict[int | None, list[int]]:
    """Active people of `role`: PPID Utama under None; PPID Pembantu by their OPD."""
    query = select(User.id, User.opd_id).where(User.active, User.role == role)
    wanted = {o for o in opd_ids if o is not None}
    if role is Role.PPID_PEMBANTU:
        query = query.where(User.opd_id.in_(wanted))
    found: dict[int | None, list[int]] = {}
    for user_id, opd_id in session.execute(query):
        found.setdefault(opd_id if role is Role.PPID_PEMBANTU else None, []).append(user_id)
    return found


def stewards(session: Session, opd_ids: Iterable[int | None]) -> dict[int | None, list[int]]:
    """Who looks after a scope's accounts and money: an OPD's PPID Pembantu for the OPD's (by
    OPD id), PPID Utama for the city's (under None)."""
    opd_ids = set(opd_ids)
    found = _people(session, Role.PPID_PEMBANTU, opd_ids) if opd_ids - {None} else {}
    if None in opd_ids:
        found[None] = _people(session, Role.PPID_UTAMA).get(None, [])
    return found


def reviewers_waiting(session: Session, post: Post, level: ApprovalLevel) -> None:
    """Tell everyone who may sign `post` off at `level`, except those who wrote its wording."""
    role = LEVEL_REVIEWERS[level]
    query = select(User).where(User.active, User.role == role)
    if level is ApprovalLevel.OPD:
        query = query.where(User.opd_id == post.opd_id)
    users = [
        u
        for u in session.scalars(query)
        if u.id not in post.editor_ids
        and u.id != post.author_id
        and can(Actor.of(u), Action.REVIEW, post.opd_id)
    ]
    _tell(session, [u.id for u in users], NotificationKind.AWAITING_APPROVAL, post)


def serta_merta_raised(session: Session, post: Post) -> None:
    """Tell every active PPID Utama at once that a serta-merta post was submitted, whichever
    level signs it off first (PPID Utama sees every OPD's posts)."""
    query = select(User.id).where(User.active, User.role == Role.PPID_UTAMA)
    users = [u for u in session.scalars(query) if u not in post.editor_ids]
    _tell(session, users, NotificationKind.SERTA_MERTA, post)


def author_told(session: Session, post: Post, kind: NotificationKind) -> None:
    """Tell the post's author about a decision on it."""
    _tell(session, [post.author_id], kind, post)


def scheduled(session: Session, actor: Actor, post: Post) -> None:
    """Tell the author their post is scheduled (unless they scheduled it themselves)."""
    if actor.user_id != post.author_id:
        _tell(session, [post.author_id], K.SCHEDULED, post)


def targets_ended(session: Session, ended: Mapping[int, TargetStatus]) -> int:
    """Tell the author and the OPD's PPID Pembantu that a post went out on (or failed for good
    on) a channel: once per post, channel and outcome, named by the channel and the account (or
    screen). `ended`: the new status by target id (others are ignored). A fixed number of
    statements for a whole batch of outcomes."""
    ids = [target_id for target_id, status in ended.items() if status in ENDED]
    if not ids:
        return 0
    query = (
        select(
            PostTarget.id,
            PostTarget.post_id,
            PostTarget.channel,
            Post.author_id,
            Post.opd_id,
            func.coalesce(Account.display_name, Screen.name),
        )
        .join(Post, Post.id == PostTarget.post_id)
        .outerjoin(Account, Account.id == PostTarget.account_id)
        .outerjoin(Screen, Screen.id == PostTarget.screen_id)
        .where(PostTarget.id.in_(ids))
    )
    found = session.execute(query).all()
    pembantu = _people(session, Role.PPID_PEMBANTU, {row[4] for row in found})
    tellings = []
    for target_id, post_id, channel, author_id, opd_id, found_name in sorted(found):
        kind = ENDED[ended[target_id]]
        label, name = CHANNEL_LABELS[Channel(channel)], found_name or ""
        # "Videotron Bekasi Timur" names its channel already.
        subject = name if name.startswith(label) else f"{label} {name}".strip()
        key = f"post:{post_id}:{channel}:{kind}"
        for user_id in [author_id, *pembantu.get(opd_id, [])]:
            tellings.append(Telling(user_id, kind, post_id, subject, key))
    return tell_many(session, tellings)


def _account_subject(account: Account) -> str:
    return f"{CHANNEL_LABELS[account.kind]} {account.display_name}"


def tokens_expiring(session: Session, *, within: timedelta, now: datetime | None = None) -> int:
    """Tell the stewards of each active account whose token runs out within `within` (or has
    run out): once per account and expiry date, however often this runs."""
    now = now or utcnow()
    query = select(Account).where(
        Account.active,
        Account.token_expires_at.is_not(None),
        Account.token_expires_at <= now + within,
    )
    found = list(session.scalars(query))
    people = stewards(session, {a.opd_id for a in found})
    tellings = [
        Telling(
            user_id,
            K.TOKEN_EXPIRING,
            subject=_account_subject(account),
            dedupe_key=f"token:{account.id}:{_day(account.token_expires_at)}",
        )
        for account in found
        for user_id in people.get(account.opd_id, [])
    ]
    return tell_many(session, tellings)


def _day(moment: datetime | None) -> date | None:
    return moment.date() if moment is not None else None


def health_changed(
    session: Session, account: Account, before: AccountHealth, *, now: datetime | None = None
) -> int:
    """An account whose connection check now fails needs a new token: tell its stewards (once a
    day at most, should it flap)."""
    if account.health is not AccountHealth.ERROR or before is AccountHealth.ERROR:
        return 0
    day = (now or utcnow()).date()
    people = stewards(session, {account.opd_id}).get(account.opd_id, [])
    key = f"token:{account.id}:reauth:{day}"
    return tell(
        session, people, K.TOKEN_EXPIRING, subject=_account_subject(account), dedupe_key=key
    )


def budget_crossed(
    session: Session, budget_id: int, subject: str, month: str, opd_id: int | None
) -> int:
    """A month's spending crossed a budget's warning threshold: tell PPID Utama (and the OPD's
    PPID Pembantu for an OPD's budget), once per budget and month."""
    people = stewards(session, {None, opd_id})
    users = [*people.get(None, []), *(people.get(opd_id, []) if opd_id is not None else [])]
    key = f"budget:{budget_id}:{month}"
    return tell(session, users, K.BUDGET_WARNING, subject=subject, dedupe_key=key)


# --- each person's choice: bell only, or bell and e-mail ---------------------------------------


def email_choices(session: Session, actor: Actor) -> dict[NotificationKind, bool]:
    """Per kind, whether this person gets it by e-mail too (their choice, else the default)."""
    actor = refresh(session, actor)
    choices = {kind: kind in EMAIL_BY_DEFAULT for kind in NotificationKind}
    query = select(NotificationPreference).where(NotificationPreference.user_id == actor.user_id)
    for pref in session.scalars(query):
        choices[pref.kind] = pref.email
    return choices


def set_email_choices(
    session: Session, actor: Actor, choices: Mapping[NotificationKind, bool]
) -> dict[NotificationKind, bool]:
    """Keep this person's own choices (only their own: nobody chooses for another). A choice
    equal to the default is stored all the same, so a later change of default does not
    overturn what someone chose."""
    actor = refresh(session, actor)
    assert actor.user_id is not None
    kinds = [NotificationKind(k) for k in choices]
    session.execute(
        delete(NotificationPreference).where(
            NotificationPreference.user_id == actor.user_id,
            NotificationPreference.kind.in_(kinds),
        )
    )
    for kind in kinds:
        session.add(
            NotificationPreference(user_id=actor.user_id, kind=kind, email=bool(choices[kind]))
        )
    session.flush()
    return email_choices(session, actor)


def own_email(session: Session, actor: Actor) -> str | None:
    """The address this person's e-mails go to (set by the system administrator)."""
    actor = refresh(session, actor)
    return session.scalar(select(User.email).where(User.id == actor.user_id))


def unread_count(session: Session, actor: Actor) -> int:
    query = select(func.count()).where(
        Notification.user_id == actor.user_id, Notification.read_at.is_(None)
    )
    return session.scalar(query) or 0


def latest(session: Session, actor: Actor, limit: int = MAX_LISTED) -> list[Shown]:
    """This person's newest notifications, unread first."""
    actor = refresh(session, actor)
    query = (
        select(Notification)
        .where(Notification.user_id == actor.user_id)
        .order_by(Notification.read_at.is_not(None), Notification.id.desc())
        .limit(limit)
    )
    return [
        Shown(
            n.id,
            n.kind,
            n.post_id,
            sentence(n.kind, n.post_id, n.subject),
            n.created_at,
            n.read_at is not None,
            n.email_state,
        )
        for n in session.scalars(query)
    ]


def mark_all_read(session: Session, actor: Actor) -> int:
    """Mark this person's unread notifications read; how many there were."""
    actor = refresh(session, actor)
    result = session.execute(
        update(Notification)
        .where(Notification.user_id == actor.user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return int(getattr(result, "rowcount", 0) or 0)
