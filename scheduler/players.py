"""Watching the videotron players: a screen whose player has gone silent may be dark on the
street, so PPID Utama (and whoever watches the status page) is told, once per silence.

The limit is `[videotron] player_silent_minutes` (content.playlist.silent_after), the same the
dashboard's red alerts use; which silences were told is in the notifications themselves (their
once-per-occasion key), so a restarted worker or a second worker tells nobody twice."""

from __future__ import annotations

import logging

from content import playlist
from content.infra.timeutil import utcnow
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")


def watch_players(ctx: WorkerContext) -> int:
    """Tell about every player silent longer than the limit and not told yet; how many
    notifications were written."""
    after = playlist.silent_after(ctx.settings)
    with ctx.transaction() as session:
        told = playlist.tell_silent(session, at=utcnow(), after=after)
    if told:
        log.warning("videotron player silent", extra={"job": "players", "notified": told})
    return told
