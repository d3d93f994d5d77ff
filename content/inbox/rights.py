"""Who may see and act on inbox items. PPID Utama sees and acts on every item (and alone triages
and assigns); a PPID Pembantu sees and answers only items routed to its OPD; analysts read."""

from __future__ import annotations

from content.infra.errors import PermissionDenied
from content.models import Role
from content.org.actors import Actor

READERS = frozenset({Role.PPID_UTAMA, Role.PPID_PEMBANTU, Role.ANALYST})


def may_view(actor: Actor, opd_id: int | None) -> bool:
    if actor.role is Role.PPID_PEMBANTU:
        return opd_id is not None and opd_id == actor.opd_id
    return actor.role in READERS


def may_act(actor: Actor, opd_id: int | None) -> bool:
    if actor.role is Role.PPID_PEMBANTU:
        return opd_id is not None and opd_id == actor.opd_id
    return actor.role is Role.PPID_UTAMA


def require_view(actor: Actor, opd_id: int | None) -> None:
    if not may_view(actor, opd_id):
        raise PermissionDenied("Anda tidak berhak melihat pesan ini di Kotak masuk.")


def require_act(actor: Actor, opd_id: int | None) -> None:
    if not may_act(actor, opd_id):
        raise PermissionDenied(
            "Anda hanya berhak menanggapi pesan Kotak masuk yang ditugaskan ke OPD Anda."
        )


def require_triage(actor: Actor) -> None:
    if actor.role is not Role.PPID_UTAMA:
        raise PermissionDenied("Hanya PPID Utama yang berhak menugaskan pesan ke OPD.")
