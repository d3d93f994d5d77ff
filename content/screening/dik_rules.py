"""PPID Utama's list of exempt information (DIK) as screening rules."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import NotFound, ValidationFailed
from content.models import DikRule, Severity
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require
from content.screening.dik import compile_pattern


def add_rule(
    session: Session,
    actor: Actor,
    *,
    pattern: str,
    reason: str,
    severity: Severity = Severity.BLOCK,
    is_regex: bool = False,
) -> DikRule:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_DIK)
    compile_pattern(pattern, is_regex)
    if not reason.strip():
        raise ValidationFailed("Alasan pengecualian (dasar DIK) wajib diisi.")
    rule = DikRule(
        pattern=pattern.strip(),
        is_regex=is_regex,
        severity=severity,
        reason=reason.strip(),
        created_by_id=actor.user_id,
    )
    session.add(rule)
    session.flush()
    audit.record(
        session,
        actor,
        AuditAction.DIK_CREATED,
        "dik_rule",
        rule.id,
        after={"pattern": rule.pattern},
    )
    return rule


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
    )
    return rule


def list_rules(session: Session) -> list[DikRule]:
    return list(session.scalars(select(DikRule).order_by(DikRule.id)))
