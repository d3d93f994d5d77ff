"""Storage: migrations, `siaran init` twice, SQLite pragmas, invariants enforced by the database."""

from __future__ import annotations

import os
import stat
import warnings
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content.infra.config import load_settings
from content.infra.db import make_engine
from content.infra.migrate import current_revisions, describe, downgrade, head_revisions, upgrade
from content.infra.setup import init
from content.models import Base, Post, PostStatus, PostTarget
from tests.conftest import Database
from tests.world import World


def test_migrations_build_exactly_the_models_schema(database: Database) -> None:
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert current_revisions(database.engine) == head_revisions()


def test_migrations_go_down_to_empty_and_up_again(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


def test_init_creates_then_is_idempotent(tmp_path: Path) -> None:
    settings = load_settings({"SIARAN_DATA_DIR": str(tmp_path / "data")})
    first = init(settings)
    assert first.database_created and first.key_created
    key = settings.key_file
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    key_bytes = key.read_bytes()
    second = init(settings)
    assert not second.database_created and not second.key_created
    assert second.revision == first.revision == describe(head_revisions())
    assert key.read_bytes() == key_bytes


def test_init_upgrades_an_older_database_in_place(database: Database, tmp_path: Path) -> None:
    if database.backend != "sqlite":
        pytest.skip("one backend is enough for the in-place upgrade of a file")
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine, "0001")
    settings = load_settings({"SIARAN_DATA_DIR": str(tmp_path), "DATABASE_URL": url})
    result = init(settings, engine)
    assert result.revision_before == "0001" and result.revision == describe(head_revisions())


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_times_come_back_as_aware_utc(world: World) -> None:
    post = world.post_in(PostStatus.APPROVED)
    wib = timezone(timedelta(hours=7))
    post.scheduled_at = datetime(2026, 12, 1, 9, 0, tzinfo=wib)
    post.status = PostStatus.SCHEDULED
    world.session.flush()
    world.session.expire_all()
    stored = world.session.get(Post, post.id)
    assert stored is not None and stored.scheduled_at == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert stored.scheduled_at.tzinfo is not None


def _violates(session: Session, statement: str, **params: object) -> None:
    with pytest.raises(IntegrityError), session.begin_nested():
        session.execute(text(statement), params)


def test_database_refuses_an_approved_post_without_an_approved_hash(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    _violates(
        world.session,
        "UPDATE post SET status='approved', approved_hash=NULL WHERE id=:i",
        i=post.id,
    )


def test_database_refuses_a_scheduled_post_without_a_time(world: World) -> None:
    post = world.post_in(PostStatus.APPROVED)
    _violates(
        world.session,
        "UPDATE post SET status='scheduled', scheduled_at=NULL WHERE id=:i",
        i=post.id,
    )


def test_database_refuses_unknown_statuses(world: World) -> None:
    post = world.draft()
    _violates(world.session, "UPDATE post SET status='terbit' WHERE id=:i", i=post.id)


def test_database_refuses_a_target_on_both_an_account_and_a_screen(world: World) -> None:
    post = world.draft()
    target = next(t for t in post.targets if t.account_id)
    _violates(
        world.session,
        "UPDATE post_target SET screen_id=:s WHERE id=:i",
        s=world.screen_id,
        i=target.id,
    )


def test_database_refuses_the_same_account_twice_on_a_post(world: World) -> None:
    post = world.draft()
    target = next(t for t in post.targets if t.account_id)
    with pytest.raises(IntegrityError), world.session.begin_nested():
        world.session.add(
            PostTarget(post_id=post.id, channel=target.channel, account_id=target.account_id)
        )
        world.session.flush()


def test_a_pembantu_must_belong_to_an_opd(world: World) -> None:
    _violates(world.session, "UPDATE app_user SET opd_id=NULL WHERE username='dinkes'")


def test_models_and_migrations_agree_on_every_table(database: Database) -> None:
    """What the models declare is exactly what the migrations build, on both databases (an
    expression index such as the budget scope cannot be reflected, so it is left out)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def included(item: object, name: str | None, kind: str, reflected: bool, other: object) -> bool:
        return not (kind == "index" and name == "uq_budget_scope")

    with database.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_object": included}
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # notes on the expression index they cannot reflect
            diffs = compare_metadata(context, Base.metadata)
    assert diffs == []
