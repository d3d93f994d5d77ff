"""Every way a target's status may change, in one table, as `workflow.Step` is for posts.

A `TargetMove` names the states it starts from and the state it leads to. Code that changes a
target does it through `move` (a loaded target) or `moving` (a Core UPDATE, whose WHERE keeps
only rows still in a starting state: what makes claims exclusive between workers). A move from
any other state is a bug in the caller, refused with InvalidTransition rather than written.

    pending ─schedule→ scheduled ─claim→ publishing ─succeed→ published ─remove→ removal_due …
       ↑ ←unschedule/reset─┘ ↑ ↑            │ ├─doubt→ unknown ─adopt→ publishing
       │                     │ └─hold→ waiting ─lift→ scheduled
       │                     └────retry / requeue / release─┘ └─fail→ failed ─retry→ scheduled
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Update, update

from content.infra.errors import InvalidTransition
from content.models import PostTarget, TargetStatus

S = TargetStatus


@dataclass(frozen=True)
class TargetMove:
    name: str
    allowed_from: frozenset[TargetStatus]
    to: TargetStatus


def _move(name: str, allowed_from: set[TargetStatus], to: TargetStatus) -> TargetMove:
    return TargetMove(name, frozenset(allowed_from), to)


# --- before publication: people's decisions (editorial.workflow, editorial.posts) ----------
SCHEDULE = _move("schedule", {S.PENDING, S.SCHEDULED, S.WAITING}, S.SCHEDULED)
UNSCHEDULE = _move("unschedule", {S.SCHEDULED, S.WAITING}, S.PENDING)
RESET = _move("reset", {S.PENDING, S.SCHEDULED, S.WAITING}, S.PENDING)  # edited after review
# --- publishing: the worker (delivery.publishing) ------------------------------------------
CLAIM = _move("claim", {S.SCHEDULED}, S.PUBLISHING)
RELEASE = _move("release", {S.PUBLISHING}, S.SCHEDULED)  # given back before any call
HOLD = _move("hold", {S.SCHEDULED}, S.WAITING)  # budget, daily cap (after RELEASE)
LIFT = _move("lift", {S.WAITING}, S.SCHEDULED)  # the wait is over, or the budget was raised
# A target in doubt is settled by its lookup: found (succeed), not there (requeue) or refused.
SUCCEED = _move("succeed", {S.PUBLISHING, S.UNKNOWN}, S.PUBLISHED)
DOUBT = _move("doubt", {S.PUBLISHING, S.UNKNOWN}, S.UNKNOWN)  # the call may have landed
ADOPT = _move("adopt", {S.UNKNOWN, S.PUBLISHING}, S.PUBLISHING)  # to look it up
BACK_OFF = _move("back_off", {S.PUBLISHING}, S.SCHEDULED)  # retry after the backoff
REQUEUE = _move("requeue", {S.PUBLISHING, S.UNKNOWN}, S.SCHEDULED)  # not there: send again
FAIL = _move("fail", {S.PUBLISHING, S.UNKNOWN}, S.FAILED)
# --- after publication: people again (delivery.operations, delivery.takedown) --------------
RETRY = _move("retry", {S.FAILED, S.WAITING}, S.SCHEDULED)  # "Coba kirim lagi"
CANCEL = _move("cancel", {S.PENDING, S.SCHEDULED, S.WAITING, S.FAILED}, S.CANCELLED)
REMOVE = _move("remove", {S.PUBLISHED}, S.REMOVAL_DUE)  # a takedown: the worker deletes it
END_SLIDE = _move("end_slide", {S.PUBLISHED}, S.REMOVED)  # a videotron slide ends at once
CLAIM_REMOVAL = _move("claim_removal", {S.REMOVAL_DUE, S.REMOVING}, S.REMOVING)  # or a lost one
DELETED = _move("deleted", {S.REMOVING}, S.REMOVED)
REMOVE_BY_HAND = _move("remove_by_hand", {S.REMOVING}, S.REMOVE_MANUALLY)  # no delete API
BACK_OFF_REMOVAL = _move("back_off_removal", {S.REMOVING}, S.REMOVAL_DUE)
REMOVAL_FAILS = _move("removal_fails", {S.REMOVING}, S.REMOVAL_FAILED)
CONFIRM_REMOVED = _move("confirm_removed", {S.REMOVE_MANUALLY, S.REMOVAL_FAILED}, S.REMOVED)
RETRY_REMOVAL = _move("retry_removal", {S.REMOVAL_FAILED}, S.REMOVAL_DUE)  # a person's retry

MOVES = (
    SCHEDULE,
    UNSCHEDULE,
    RESET,
    CLAIM,
    RELEASE,
    HOLD,
    LIFT,
    SUCCEED,
    DOUBT,
    ADOPT,
    BACK_OFF,
    REQUEUE,
    FAIL,
    RETRY,
    CANCEL,
    REMOVE,
    END_SLIDE,
    CLAIM_REMOVAL,
    DELETED,
    REMOVE_BY_HAND,
    BACK_OFF_REMOVAL,
    REMOVAL_FAILS,
    CONFIRM_REMOVED,
    RETRY_REMOVAL,
)


def applies(target: PostTarget, move_: TargetMove) -> bool:
    return target.status in move_.allowed_from


def move(target: PostTarget, move_: TargetMove, **fields: object) -> None:
    """Move one loaded target and set `fields` with it; refused from a state the move does
    not start from."""
    if not applies(target, move_):
        raise InvalidTransition(
            f"Target #{target.id} is {target.status.value}; '{move_.name}' starts from "
            f"{', '.join(sorted(s.value for s in move_.allowed_from))}."
        )
    target.status = move_.to
    for name, value in fields.items():
        setattr(target, name, value)


def moving(move_: TargetMove, *where: ColumnElement[bool]) -> Update:
    """The Core UPDATE of a move for the rows matching `where` that are still in a starting
    state; add `.values(...)` for the fields that change with it."""
    return (
        update(PostTarget)
        .where(PostTarget.status.in_(sorted(move_.allowed_from)), *where)
        .values(status=move_.to)
        .execution_options(synchronize_session=False)
    )
