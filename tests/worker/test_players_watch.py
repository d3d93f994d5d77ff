"""A silent videotron player raises a notification (issue #17, point 4), through the worker's
job on both databases: every active PPID Utama and the system administrator are told once per
silence, naming the screen; a player that comes back and goes silent again is told again; the
limit is the `[videotron] player_silent_minutes` setting."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from content import playlist
from content.infra.config import Settings
from content.infra.timeutil import utcnow
from content.models import Notification, NotificationKind, Screen, User
from content.org import notifications, users
from content.playlist.players import HeartbeatInput
from scheduler.config import WorkerConfig
from scheduler.context import WorkerContext
from scheduler.players import watch_players
from tests.conftest import Database
from tests.world import World, build_world


def _beat(engine: Engine, screen_id: int, at: datetime, player: str = "pc-led-1") -> None:
    with Session(engine) as s, s.begin():
        playlist.record_heartbeat(
            s, screen_id, HeartbeatInput(player_id=player, clock=at), received_at=at
        )


def _told(engine: Engine) -> list[tuple[str, str | None, str | None]]:
    with Session(engine) as s:
        rows = s.execute(
            select(Notification.user_id, Notification.subject, Notification.dedupe_key)
            .where(Notification.kind == NotificationKind.PLAYER_SILENT)
            .order_by(Notification.id)
        ).all()
        names = {row.id: row.username for row in s.execute(select(User.id, User.username))}
    return [(names[row.user_id], row.subject, row.dedupe_key) for row in rows]


def _context(data: Path, world: World, engine: Engine, minutes: float) -> WorkerContext:
    extra = {"videotron": {"player_silent_minutes": minutes}}
    settings = Settings(data_dir=data, secret_key=world.secret_key, extra=extra)
    return WorkerContext(settings, WorkerConfig(), engine)


def test_a_silent_player_is_told_once_per_silence_to_ppid_utama_and_the_sysadmin(
    committed: Database, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with Session(committed.engine, expire_on_commit=False) as s, s.begin():
        world = build_world(s, data / "media")
        screen = s.get(Screen, world.screen_id)
        assert screen is not None
        screen_name = screen.name
        users.set_active(s, world.sysadmin, "utama2", False)
    ctx = _context(data, world, committed.engine, minutes=5)

    # Heard from 3 minutes ago: silent by the default 2 minutes, not by this installation's 5.
    _beat(committed.engine, world.screen_id, utcnow() - timedelta(minutes=3))
    assert watch_players(ctx) == 0
    assert _told(committed.engine) == []

    _beat(committed.engine, world.screen_id, utcnow() - timedelta(minutes=6))
    assert watch_players(ctx) == 2
    told = _told(committed.engine)
    assert sorted(name for name, _s, _k in told) == ["admin", "utama"]  # not the inactive utama2
    assert {subject for _n, subject, _k in told} == {screen_name}
    assert watch_players(ctx) == 0  # the same silence: nobody is told twice
    assert len(_told(committed.engine)) == 2

    # The player comes back (no notification), then goes silent again: a new occasion.
    _beat(committed.engine, world.screen_id, utcnow())
    assert watch_players(ctx) == 0
    _beat(committed.engine, world.screen_id, utcnow() - timedelta(minutes=7))
    assert watch_players(ctx) == 2
    assert len({key for _n, _s, key in _told(committed.engine)}) == 2

    with Session(committed.engine) as s:
        shown = notifications.latest(s, world.utama)
    assert shown[0].sentence == f"Pemutar videotron {screen_name} tidak terdengar kabarnya."


def test_the_limit_is_a_setting_with_a_default_of_two_minutes(tmp_path: Path) -> None:
    def after(value: object) -> timedelta:
        extra = {"videotron": {"player_silent_minutes": value}} if value is not None else {}
        return playlist.silent_after(Settings(data_dir=tmp_path, extra=extra))

    assert after(None) == timedelta(minutes=2)
    assert after(10) == timedelta(minutes=10)
    assert after("tiga") == timedelta(minutes=2)  # unreadable: the default
    assert after(0) == timedelta(minutes=1)  # never below a minute
