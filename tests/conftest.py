"""Shared fixtures: the network guard, both databases, a SAVEPOINT session per test, a small world.

Every test that takes `session` (or `engine`) runs on SQLite and on PostgreSQL. Without a
reachable PostgreSQL those runs skip with the reason, except under CI=true, where they fail.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from content.inbox.defaults import reply_rows, rule_rows
from content.infra import passwords
from content.infra.db import make_engine
from content.infra.migrate import upgrade
from content.models import Base
from tests.guard import siaran_netguard
from tests.world import World

siaran_netguard.install()

PG_URL = os.environ.get("SIARAN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
GUARD_DIR = Path(__file__).parent / "guard"


# Files that take minutes (real browsers, processes, whole installs) run first, so that the xdist
# workers (`--dist loadfile`) share them out at the start instead of one worker finishing them
# alone at the end: the longest jobs first keeps the whole run short.
_LONG_FIRST = ("tests/e2e/", "tests/videotron/test_player", "tests/cli/", "tests/worker/")


def _weight(item: pytest.Item) -> int:
    path = item.nodeid.split("::", 1)[0]
    return next((n for n, head in enumerate(_LONG_FIRST) if path.startswith(head)), 99)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=_weight)  # stable: each file keeps its own order


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    # The production parameters cost ~50 ms a hash; tests create hundreds of users.
    original = passwords._hasher
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    passwords._hasher = original


def _pg_available() -> str | None:
    try:
        engine = make_engine(PG_URL)
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
    except Exception as exc:
        return f"PostgreSQL not reachable at {PG_URL}: {type(exc).__name__}"
    return None


def reseed(conn: Connection) -> None:
    """The rows migrations seed (Kotak masuk's phrase rules and saved replies)."""
    now = datetime.now(UTC)
    tables = Base.metadata.tables
    conn.execute(tables["inbox_rule"].insert(), [r | {"created_at": now} for r in rule_rows()])
    conn.execute(
        tables["inbox_saved_reply"].insert(), [r | {"created_at": now} for r in reply_rows()]
    )


class Database:
    """A migrated, empty database of one backend for this test session."""

    def __init__(self, backend: str, url: str, engine: Engine) -> None:
        self.backend, self.url, self.engine = backend, url, engine

    def wipe(self) -> None:
        tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
        with self.engine.begin() as conn:
            if self.backend == "postgresql":
                conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    conn.execute(text(f"DELETE FROM {table}"))
            # What the migrations seed comes back, as after a fresh migration.
            reseed(conn)


def _sqlite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'siaran.db'}"
    engine = make_engine(url)
    upgrade(engine)
    yield Database("sqlite", url, engine)
    engine.dispose()


def _postgresql() -> Iterator[Database]:
    reason = _pg_available()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} (CI=true: PostgreSQL tests must run)")
        pytest.skip(reason)
    schema = f"siaran_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    url = f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    try:
        yield Database("postgresql", url, engine)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    if request.param == "sqlite":
        yield from _sqlite(tmp_path_factory)
    else:
        yield from _postgresql()


@pytest.fixture
def engine(database: Database) -> Engine:
    return database.engine


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test; the code under test may
    commit SAVEPOINTs (begin_nested) freely."""
    connection = database.engine.connect()
    outer = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db_session
    finally:
        db_session.close()
        outer.rollback()
        connection.close()


@pytest.fixture
def committed(database: Database) -> Iterator[Database]:
    """For tests that need real commits from several sessions: the tables are emptied afterwards."""
    database.wipe()
    yield database
    database.wipe()


@pytest.fixture
def guarded_env(tmp_path: Path) -> dict[str, str]:
    """Environment for subprocesses: the network guard on, a private data directory."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GUARD_DIR), env.get("PYTHONPATH", "")]))
    env["SIARAN_DATA_DIR"] = str(tmp_path / "data")
    env.pop("DATABASE_URL", None)
    return env


@pytest.fixture
def world(session: Session, tmp_path: Path) -> World:
    from tests.world import build_world

    return build_world(session, tmp_path / "media")
