"""Migration 0002 builds exactly what content/models/videotron.py declares, on both databases,
and goes down again on SQLite (batch mode)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from content.infra.db import make_engine
from content.infra.migrate import downgrade, upgrade
from content.models import Base
from tests.conftest import Database

OURS = {"screen_override", "player_heartbeat", "play_event"}


def _table_of(diff: Any) -> str | None:
    """The table a difference is about (alembic reports tuples, nested for column changes)."""
    if isinstance(diff, list):
        return _table_of(diff[0])
    for part in diff[1:]:
        name = getattr(part, "name", None)
        table = getattr(part, "table", None)
        if table is not None and getattr(table, "name", None):
            return str(table.name)
        if isinstance(part, str) and part in OURS:
            return part
        if name in OURS:
            return str(name)
    return None


def _ours(item: Any, name: str | None, kind: str, _reflected: bool, _other: Any) -> bool:
    if kind == "table":
        return name in OURS
    table = getattr(item, "table", None)
    return table is None or table.name in OURS


def test_models_and_migration_agree(database: Database) -> None:
    with database.engine.connect() as conn:
        # Only our tables are reflected: the others belong to migrations other people write.
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": lambda name, kind, _parents: kind != "table" or name in OURS,
                "include_object": _ours,
            },
        )
        diffs = compare_metadata(context, Base.metadata)
    ours = [d for d in diffs if _table_of(d) in OURS]
    assert ours == []
    columns = {c["name"] for c in inspect(database.engine).get_columns("play_event")}
    assert "event_id" in columns
    uniques = {u["name"] for u in inspect(database.engine).get_unique_constraints("play_event")}
    assert "uq_play_event_client_event" in uniques


def test_0002_goes_down_and_up_on_sqlite(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    upgrade(engine)
    downgrade(engine, "0001")
    names = set(inspect(engine).get_table_names())
    assert not {"screen_override", "player_heartbeat"} & names
    assert "event_id" not in {c["name"] for c in inspect(engine).get_columns("play_event")}
    upgrade(engine)
    assert {"screen_override", "player_heartbeat"} <= set(inspect(engine).get_table_names())
    engine.dispose()
