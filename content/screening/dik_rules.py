"""The lists of exempt information (DIK) as screening rules: the city's, kept by PPID Utama,
and each OPD's own, proposed by its PPID Pembantu and screening that OPD's posts once PPID
Utama approved them. Every entry carries a review date; the yearly review lists those due."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import NotFound, ValidationFailed
from content.infra.timeutil import WIB, utcnow
from content.labels import KIP_17_GROUNDS
from content.models import DikReview, DikRule, Severity
from content.org.actors import Actor, refresh
from content.org.permissions import Action, can, require
from content.screening.dik import compile_pattern

REVIEW_EVERY = timedelta(days=365)  # the DIK is reviewed every year


def add_rule(
    session: Session,
    actor: Actor,
    *,
    pattern: str,
    reason: str,
    severity: Severity = Severity.BLOCK,
    is_regex: bool = False,
    opd_id: int | None = None,
    ground: str = "",
    decision_number: str = "",
    decision_date: date | None = None,
    review_due: date | None = None,
) -> DikRule:
    """A city entry (`opd_id` None, PPID Utama), or an OPD's own: proposed by its PPID Pembantu
    and screening nothing until PPID Utama approves it (`approve_rule`); PPID Utama's own entry
    for an OPD holds at once. The review date defaults to a year from today."""
    actor = refresh(session, actor)
    if opd_id is None or not can(actor, Action.MANAGE_DIK):
        require(actor, Action.MANAGE_DIK if opd_id is None else Action.PROPOSE_DIK, opd_id)
    compile_pattern(pattern, is_regex)
    if not reason.strip():
        raise ValidationFailed("Alasan pengecualian (dasar DIK) wajib diisi.")
    if ground and ground not in KIP_17_GROUNDS:
        raise ValidationFailed("Dasar pengecualian harus salah satu huruf Pasal 17 UU KIP (a–j).")
    rule = DikRule(
        pattern=pattern.strip(),
        is_regex=is_regex,
        severity=severity,
        reason=reason.strip(),
        created_by_id=actor.user_id,
        opd_id=opd_id,
        approved=can(actor, Action.MANAGE_DIK),
        ground=ground,
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        review_due=review_due or date.today() + REVIEW_EVERY,
    )
    session.add(rule)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.DIK_CREATED,
        "dik_rule",
        rule.id,
        opd_id=opd_id,
        after={"pattern": rule.pattern, "approved": rule.approved, "ground": ground},
    )
    return rule


def approve_rule(session: Session, actor: Actor, rule_id: int) -> DikRule:
    """PPID Utama approves an OPD's proposed entry: from now on it screens that OPD's posts."""
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_DIK)
    rule = session.get(DikRule, rule_id)
    if rule is None:
        raise NotFound(f"Aturan DIK #{rule_id} tidak ditemukan.")
    if not rule.approved:
        rule.approved = True
        audit.record(
            session, actor, AuditAction.DIK_APPROVED, "dik_rule", rule.id, opd_id=rule.opd_id
        )
    return rule


def rules_for(session: Session, actor: Actor) -> list[DikRule]:
    """What this person may read of the lists: the city's and, for an OPD's people, their own
    OPD's (every OPD's for PPID Utama and the other city-wide roles)."""
    actor = refresh(session, actor)
    query = select(DikRule).order_by(DikRule.id)
    if actor.opd_id is not None and not can(actor, Action.MANAGE_DIK):
        if can(actor, Action.PROPOSE_DIK, actor.opd_id):
            query = query.where(or_(DikRule.opd_id.is_(None), DikRule.opd_id == actor.opd_id))
        else:
            query = query.where(DikRule.opd_id.is_(None))
    return list(session.scalars(query))


def due_for_review(session: Session, actor: Actor, today: date) -> list[DikRule]:
    """Active entries whose review date has come, of those this person may read."""
    return [
        rule
        for rule in rules_for(session, actor)
        if rule.active and rule.review_due is not None and rule.review_due <= today
    ]


def may_review(actor: Actor, opd_id: int | None) -> bool:
    """Whether this person may record the review of an entry of `opd_id` (None: the city's)."""
    if can(actor, Action.MANAGE_DIK):
        return True
    return opd_id is not None and can(actor, Action.PROPOSE_DIK, opd_id)


def review_rule(
    session: Session, actor: Actor, rule_id: int, reviewed_on: date | None = None
) -> DikReview:
    """Record the yearly review of an entry (PPID Utama for any entry, an OPD's PPID Pembantu
    for its own OPD's) and move its next review date a year on. The review records feed the
    Monev's "Inventaris DIK ditinjau" item (`content.monev.ppid`)."""
    actor = refresh(session, actor)
    rule = session.get(DikRule, rule_id)
    if rule is None:
        raise NotFound(f"Aturan DIK #{rule_id} tidak ditemukan.")
    if not may_review(actor, rule.opd_id):
        require(
            actor, Action.MANAGE_DIK if rule.opd_id is None else Action.PROPOSE_DIK, rule.opd_id
        )
    if not (rule.active and rule.approved):
        raise ValidationFailed("Hanya entri DIK yang aktif dan disetujui yang dapat ditinjau.")
    today = utcnow().astimezone(WIB).date()
    day = reviewed_on or today
    if day > today:
        raise ValidationFailed("Tanggal peninjauan DIK tidak boleh di masa depan.")
    review = DikReview(rule_id=rule.id, reviewed_on=day, reviewed_by_id=actor.user_id)
    session.add(review)
    rule.review_due = day + REVIEW_EVERY
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.DIK_REVIEWED,
        "dik_rule",
        rule.id,
        opd_id=rule.opd_id,
        after={"reviewed_on": day.isoformat(), "review_due": rule.review_due.isoformat()},
    )
    return review


def set_active(session: Session, actor: Actor, rule_id: int, active: bool) -> DikRule:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_DIK)
    rule = session.get(DikRule, rule_id)
    if rule is None:
        raise NotFound(f"Aturan DIK #{rule_id} tidak ditemukan.")
    rule.active = active
    audit.record(
        session,
        actor,
        AuditAction.DIK_ACTIVATED if active else AuditAction.DIK_DEACTIVATED,
        "dik_rule",
        rule.id,
        opd_id=rule.opd_id,
    )
    return rule


def list_rules(session: Session) -> list[DikRule]:
    return list(session.scalars(select(DikRule).order_by(DikRule.id)))
