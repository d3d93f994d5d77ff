"""The phrase rules Siaran proposes a kind and an OPD from (`inbox_rule`), edited by PPID Utama:
list, add, change (phrase, kind, OPD, active). Each write checks the role and the version and
writes its audit row in the caller's transaction. A rule never is deleted, only deactivated, so
the phrase shown on an old item keeps its meaning in the audit trail.

`current_rules` is what collection proposes from: the active rules, in their order."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from content.audit import AuditAction, record
from content.inbox.rights import require_triage, require_view
from content.inbox.triage import Rules, group_rules
from content.infra.errors import Conflict, NotFound, ValidationFailed
from content.models import InboxRule, InboxTopic, Opd
from content.org.actors import Actor, refresh

ENTITY = "inbox_rule"
MAX_PHRASE = 100


def current_rules(session: Session) -> Rules:
    """The active rules, as the proposal reads them (one cheap query)."""
    rows = session.execute(
        select(InboxRule.topic, InboxRule.opd_slug, InboxRule.phrase)
        .where(InboxRule.active)
        .order_by(InboxRule.position, InboxRule.id)
    ).all()
    kinds = group_rules((str(topic), phrase) for topic, _, phrase in rows if topic is not None)
    opds = group_rules((slug, phrase) for _, slug, phrase in rows if slug)
    return Rules(kinds, opds)


def list_rules(session: Session, actor: Actor) -> list[InboxRule]:
    """Every rule (inactive ones too), in their order; for whoever reads the inbox."""
    actor = refresh(session, actor)
    require_view(actor, None)
    return list(session.scalars(select(InboxRule).order_by(InboxRule.position, InboxRule.id)))


def _checked_values(
    session: Session, phrase: str, topic: InboxTopic | None, opd_slug: str | None
) -> tuple[str, str | None]:
    phrase = " ".join(phrase.split()).lower()
    if not phrase:
        raise ValidationFailed("Isi kata atau frasa aturan terlebih dahulu.")
    if len(phrase) > MAX_PHRASE:
        raise ValidationFailed(f"Frasa terlalu panjang (paling banyak {MAX_PHRASE} karakter).")
    slug = (opd_slug or "").strip().lower() or None
    if topic is None and slug is None:
        raise ValidationFailed("Pilih jenis pesan, OPD tujuan, atau keduanya untuk aturan ini.")
    if slug is not None and session.scalar(select(Opd.id).where(Opd.slug == slug)) is None:
        raise ValidationFailed(f"OPD '{slug}' tidak ditemukan.")
    return phrase, slug


def _duplicate(
    session: Session, phrase: str, topic: InboxTopic | None, slug: str | None, but: int | None
) -> None:
    query = select(InboxRule.id).where(
        InboxRule.phrase == phrase,
        InboxRule.topic.is_(None) if topic is None else InboxRule.topic == topic,
        InboxRule.opd_slug.is_(None) if slug is None else InboxRule.opd_slug == slug,
    )
    if but is not None:
        query = query.where(InboxRule.id != but)
    if session.scalar(query.limit(1)) is not None:
        raise ValidationFailed(f"Aturan untuk frasa “{phrase}” dengan tujuan yang sama sudah ada.")


def add_rule(
    session: Session,
    actor: Actor,
    phrase: str,
    *,
    topic: InboxTopic | None = None,
    opd_slug: str | None = None,
) -> InboxRule:
    """A new active rule, after the others (its group keeps its place if it has one)."""
    actor = refresh(session, actor)
    require_triage(actor)
    phrase, slug = _checked_values(session, phrase, topic, opd_slug)
    _duplicate(session, phrase, topic, slug, None)
    last = session.scalar(select(func.max(InboxRule.position))) or 0
    rule = InboxRule(phrase=phrase, topic=topic, opd_slug=slug, position=last + 1)
    session.add(rule)
    session.flush()
    record(
        session, actor, AuditAction.INBOX_RULE_ADDED, ENTITY, rule.id,
        after={"phrase": phrase, "topic": topic, "opd": slug},
    )  # fmt: skip
    return rule


def update_rule(
    session: Session,
    actor: Actor,
    rule_id: int,
    expected_version: int,
    *,
    phrase: str,
    topic: InboxTopic | None,
    opd_slug: str | None,
    active: bool,
) -> InboxRule:
    """Change a rule's phrase, kind, OPD or whether it is used."""
    actor = refresh(session, actor)
    require_triage(actor)
    rule = session.get(InboxRule, rule_id)
    if rule is None:
        raise NotFound("Aturan ini tidak ditemukan.")
    if rule.version != expected_version:
        raise Conflict("Aturan ini baru saja diubah orang lain; muat ulang lalu coba lagi.")
    phrase, slug = _checked_values(session, phrase, topic, opd_slug)
    _duplicate(session, phrase, topic, slug, rule.id)
    before = {
        "phrase": rule.phrase,
        "topic": rule.topic,
        "opd": rule.opd_slug,
        "active": rule.active,
    }
    rule.phrase, rule.topic, rule.opd_slug, rule.active = phrase, topic, slug, active
    rule.version += 1
    session.flush()
    record(
        session, actor, AuditAction.INBOX_RULE_CHANGED, ENTITY, rule.id, before=before,
        after={"phrase": phrase, "topic": topic, "opd": slug, "active": active},
    )  # fmt: skip
    return rule
