"""Saved replies ("balasan tersimpan") per kind of message (`inbox_saved_reply`, seeded from
`content/data/inbox_replies.toml`): the city's, kept by PPID Utama, and each OPD's own, kept by
its PPID Pembantu (PPID Utama may edit those too). A Pembantu is offered the city's replies and
its OPD's, never another OPD's. Their text is screened like a reply (personal data, DIK) when
saved, and a chosen reply is still edited and screened again before it is sent. Every write
checks the role, the OPD and the version, and is audited in the caller's transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from content.audit import AuditAction, record
from content.inbox.rights import READERS
from content.infra.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    ScreeningBlocked,
    ValidationFailed,
)
from content.models import InboxSavedReply, InboxTopic, Opd, Role
from content.org.actors import Actor, refresh
from content.screening import active_rules, blocking, screen_text

ENTITY = "inbox_saved_reply"
MAX_TITLE = 120
MAX_TEXT = 2000  # as a reply


@dataclass(frozen=True)
class SavedReply:
    id: int
    opd_id: int | None  # None: the city's
    topic: InboxTopic
    title: str
    text: str
    active: bool
    version: int


def _shown(row: InboxSavedReply) -> SavedReply:
    return SavedReply(row.id, row.opd_id, row.topic, row.title, row.text, row.active, row.version)


def list_saved_replies(session: Session, actor: Actor) -> list[SavedReply]:
    """Every saved reply this person may see (inactive ones too), for the editor."""
    actor = refresh(session, actor)
    if actor.role not in READERS:
        raise PermissionDenied("Anda tidak berhak melihat balasan tersimpan Kotak masuk.")
    query = select(InboxSavedReply)
    if actor.role is Role.PPID_PEMBANTU:  # the city's and its own OPD's, never another's
        query = query.where(
            or_(InboxSavedReply.opd_id.is_(None), InboxSavedReply.opd_id == actor.opd_id)
        )
    query = query.order_by(InboxSavedReply.topic, InboxSavedReply.id)
    return [_shown(r) for r in session.scalars(query)]


def saved_replies(session: Session, actor: Actor, topic: InboxTopic | None) -> list[SavedReply]:
    """The active replies offered on a thread: this kind's first, then the others."""
    every = [r for r in list_saved_replies(session, actor) if r.active]
    return [r for r in every if r.topic is topic] + [r for r in every if r.topic is not topic]


def may_edit(actor: Actor, opd_id: int | None) -> bool:
    if actor.role is Role.PPID_UTAMA:
        return True
    return actor.role is Role.PPID_PEMBANTU and opd_id is not None and opd_id == actor.opd_id


def _require_edit(actor: Actor, opd_id: int | None) -> None:
    if not may_edit(actor, opd_id):
        raise PermissionDenied(
            "Anda hanya berhak mengubah balasan tersimpan milik OPD Anda; "
            "balasan kota diubah oleh PPID Utama."
        )


def _checked(session: Session, title: str, text: str) -> tuple[str, str]:
    title, text = " ".join(title.split()), text.strip()
    if not title or not text:
        raise ValidationFailed("Isi judul dan teks balasan tersimpan.")
    if len(title) > MAX_TITLE:
        raise ValidationFailed(f"Judul terlalu panjang (paling banyak {MAX_TITLE} karakter).")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"Teks terlalu panjang (paling banyak {MAX_TEXT} karakter).")
    findings = blocking(screen_text(text, field="reply", rules=active_rules(session)))
    if findings:
        raise ScreeningBlocked(
            "Balasan tersimpan memuat data pribadi atau informasi yang dikecualikan: "
            + "; ".join(f.describe() for f in findings),
            findings,
        )
    return title, text


def add_saved_reply(
    session: Session,
    actor: Actor,
    topic: InboxTopic,
    title: str,
    text: str,
    *,
    opd_id: int | None = None,
) -> SavedReply:
    """A new saved reply: PPID Utama's for the city (`opd_id` None) or any OPD; a Pembantu's
    is always its own OPD's."""
    actor = refresh(session, actor)
    if actor.role is Role.PPID_PEMBANTU:
        opd_id = actor.opd_id
    _require_edit(actor, opd_id)
    if opd_id is not None and session.get(Opd, opd_id) is None:
        raise NotFound("OPD tujuan tidak ditemukan.")
    title, text = _checked(session, title, text)
    row = InboxSavedReply(opd_id=opd_id, topic=topic, title=title, text=text)
    session.add(row)
    session.flush()
    record(
        session, actor, AuditAction.INBOX_SAVED_REPLY_ADDED, ENTITY, row.id, opd_id=opd_id,
        after={"topic": topic, "title": title, "text": text},
    )  # fmt: skip
    return _shown(row)


def update_saved_reply(
    session: Session,
    actor: Actor,
    reply_id: int,
    expected_version: int,
    *,
    topic: InboxTopic,
    title: str,
    text: str,
    active: bool,
) -> SavedReply:
    """Change a saved reply's kind, title, text or whether it is offered."""
    actor = refresh(session, actor)
    row = session.get(InboxSavedReply, reply_id)
    if row is None:
        raise NotFound("Balasan tersimpan ini tidak ditemukan.")
    _require_edit(actor, row.opd_id)
    if row.version != expected_version:
        raise Conflict(
            "Balasan tersimpan ini baru saja diubah orang lain; muat ulang lalu coba lagi."
        )
    title, text = _checked(session, title, text)
    before = {"topic": row.topic, "title": row.title, "text": row.text, "active": row.active}
    row.topic, row.title, row.text, row.active = topic, title, text, active
    row.version += 1
    session.flush()
    record(
        session, actor, AuditAction.INBOX_SAVED_REPLY_CHANGED, ENTITY, row.id, opd_id=row.opd_id,
        before=before, after={"topic": topic, "title": title, "text": text, "active": active},
    )  # fmt: skip
    return _shown(row)
