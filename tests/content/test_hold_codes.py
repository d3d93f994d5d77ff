"""A held target's reason is a code: migration 0010 turns the holds already stored as sentences
into codes (on both databases), and what releases budget holds goes by the code alone."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from content import costs
from content.delivery.holds import Hold, HoldCode
from content.infra.migrate import alembic_config, downgrade, upgrade
from content.infra.timeutil import utcnow
from content.models import Channel, PostStatus, PostTarget, TargetStatus
from tests.conftest import Database, _postgresql, _sqlite
from tests.world import World, build_world

BUDGET_SENTENCE = "Anggaran X kota bulan 2026-11 tidak cukup; menunggu anggaran dinaikkan."
CAP_SENTENCE = Hold(HoldCode.DAILY_CAP).sentence


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A database of its own (this test migrates it down and up again)."""
    if request.param == "sqlite":
        yield from _sqlite(tmp_path_factory)
    else:
        yield from _postgresql()


def _targets(world: World) -> list[PostTarget]:
    return list(world.post_in(PostStatus.SCHEDULED).targets)


def test_0010_turns_stored_hold_sentences_into_codes(fresh: Database, tmp_path: Path) -> None:
    with Session(fresh.engine) as session, session.begin():
        first, second, third = _targets(build_world(session, tmp_path / "media"))[:3]
        ids = first.id, second.id, third.id
    # Just before 0010, whatever migration precedes it.
    before = ScriptDirectory.from_config(alembic_config()).get_revision("0010").down_revision
    downgrade(fresh.engine, str(before))
    with fresh.engine.begin() as conn:
        for target_id, reason in zip(ids, (BUDGET_SENTENCE, CAP_SENTENCE, ""), strict=True):
            conn.execute(
                text("UPDATE post_target SET status = 'waiting', wait_reason = :r WHERE id = :i"),
                {"r": reason, "i": target_id},
            )
    upgrade(fresh.engine)
    with fresh.engine.connect() as conn:
        query = select(PostTarget.id, PostTarget.wait_code).where(PostTarget.id.in_(ids))
        codes = {target_id: code for target_id, code in conn.execute(query)}
    assert [codes[i] for i in ids] == ["budget", "daily_cap", ""]


def test_raising_a_budget_releases_budget_holds_by_their_code_only(world: World) -> None:
    budget_hold, cap_hold = _targets(world)[:2]
    # The cap's sentence may say anything: only the code decides what a budget releases.
    for target, hold in ((budget_hold, HoldCode.BUDGET), (cap_hold, HoldCode.DAILY_CAP)):
        target.status, target.wait_code = TargetStatus.WAITING, hold
        target.wait_reason = BUDGET_SENTENCE
    world.session.flush()
    costs.set_budget(world.session, world.utama, Channel.X, costs.month_of(utcnow()), Decimal(9))
    world.session.expire_all()
    assert budget_hold.status is TargetStatus.SCHEDULED and budget_hold.wait_code == ""
    assert budget_hold.wait_reason == ""
    assert cap_hold.status is TargetStatus.WAITING and cap_hold.wait_code == HoldCode.DAILY_CAP


def test_a_refused_budget_names_its_numbers_in_the_sentence_of_its_code(world: World) -> None:
    month = costs.month_of(utcnow())
    costs.set_budget(world.session, world.utama, Channel.X, month, Decimal("0.01"))
    check = costs.may_spend(
        world.session, Channel.X, Decimal("0.2"), None, prices=costs.load_prices()
    )
    assert check.hold is not None and check.hold.code is HoldCode.BUDGET
    assert check.reason == (
        f"Anggaran X kota bulan {month} tidak cukup ($0,000 dari $0,010 terpakai); "
        "menunggu anggaran dinaikkan."
    )
