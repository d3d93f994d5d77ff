"""Target status moves: one table, and nothing moves from a state its move does not start from."""

from __future__ import annotations

import pytest

from content.delivery import target_moves as moves
from content.infra.errors import InvalidTransition
from content.models import Channel, PostTarget, TargetStatus


def test_every_status_is_reached_and_left_only_as_the_table_says() -> None:
    reached = {m.to for m in moves.MOVES} | {TargetStatus.PENDING}  # created pending
    assert reached == set(TargetStatus)
    final = {TargetStatus.CANCELLED, TargetStatus.REMOVED}
    left = set().union(*(m.allowed_from for m in moves.MOVES))
    assert left == set(TargetStatus) - final
    assert len({m.name for m in moves.MOVES}) == len(moves.MOVES)


def test_a_move_from_another_state_is_refused_and_changes_nothing() -> None:
    target = PostTarget(id=7, channel=Channel.X, status=TargetStatus.PUBLISHED)
    with pytest.raises(InvalidTransition, match="'claim' starts from scheduled"):
        moves.move(target, moves.CLAIM, claimed_by="worker")
    assert target.status is TargetStatus.PUBLISHED and target.claimed_by is None
    moves.move(target, moves.REMOVE, due_at=None)
    assert target.status is TargetStatus.REMOVAL_DUE
