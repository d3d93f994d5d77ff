"""Who is acting. Services take an Actor, re-read the user in the caller's transaction and decide.

An Actor is a plain value so a dashboard session can keep it without keeping an ORM object.
The system actors (the CLI operator for administration, the worker) have no user row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from content.infra.errors import PermissionDenied
from content.models import Role, User


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    username: str
    role: Role | None
    opd_id: int | None = None
    display_name: str = ""

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.role, user.opd_id, user.display_name)

    @property
    def is_system(self) -> bool:
        return self.user_id is None

    @property
    def label(self) -> str:
        return self.username


SYSTEM = Actor(None, "sistem", None)


def worker_actor(worker_id: str) -> Actor:
    return Actor(None, f"worker:{worker_id}", None)


def refresh(session: Session, actor: Actor) -> Actor:
    """The user's current role, OPD and status, so a stale dashboard session cannot act on
    rights that were taken away."""
    if actor.is_system:
        return actor
    user = session.get(User, actor.user_id)
    if user is None or not user.active:
        raise PermissionDenied("Akun Anda tidak aktif; hubungi administrator sistem.")
    return Actor.of(user)
