"""The `[worker]` section of the settings file.

[worker]
dispatch_seconds = 1.0       # how often due targets are looked for
parallel = 4                 # platform calls in flight at once in one worker
queued = 16                  # claims held ready behind them (claimed and written in batches)
max_attempts = 5             # retryable failures before a target is failed
backoff_seconds = 15         # first retry delay; doubles each attempt, with jitter
backoff_max_seconds = 1800
stale_after_seconds = 60     # a worker not seen this long is presumed dead
settle_seconds = 60          # a call that got no answer is looked up after this (> read timeout)
answered_settle_seconds = 5  # a create answered 5xx or "duplicate" is looked up after this
reconcile_seconds = 10
remove_seconds = 2.0         # how often deletes of taken-down posts are looked for
metrics_seconds = 300
players_seconds = 30         # how often silent videotron players are looked for
shutdown_grace_seconds = 30
[worker.daily_caps]          # publications per account per 24 h (platform tiers)
x = 100
facebook = 50
instagram = 25
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from content.infra.config import Settings
from content.models import Channel

DEFAULT_CAPS = {Channel.X: 100, Channel.FACEBOOK: 50, Channel.INSTAGRAM: 25}


@dataclass(frozen=True)
class WorkerConfig:
    dispatch_seconds: float = 1.0
    parallel: int = 4
    # Claims held ready behind the calls in flight: claims, attempts and outcomes are written
    # in batches of about this size instead of one by one as each call ends.
    queued: int = 16
    max_attempts: int = 5
    backoff_seconds: float = 15.0
    backoff_max_seconds: float = 1800.0
    stale_after_seconds: float = 60.0
    # A lost call is looked up only after it could no longer land: above the read timeout.
    settle_seconds: float = 60.0
    # After an answer that settles nothing (a 5xx, a duplicate refusal) the call is over; only
    # the platform's listing may lag behind the post it made.
    answered_settle_seconds: float = 5.0
    heartbeat_seconds: float = 2.0
    reconcile_seconds: float = 10.0
    remove_seconds: float = 2.0
    metrics_seconds: float = 300.0
    prerender_seconds: float = 30.0
    players_seconds: float = 30.0  # how often silent videotron players are looked for
    tokens_hours: float = 24.0
    shutdown_grace_seconds: float = 30.0
    daily_caps: Mapping[Channel, int] = field(default_factory=lambda: dict(DEFAULT_CAPS))

    @property
    def stale_after(self) -> timedelta:
        return timedelta(seconds=self.stale_after_seconds)

    @property
    def settle(self) -> timedelta:
        return timedelta(seconds=self.settle_seconds)

    @property
    def answered_settle(self) -> timedelta:
        return timedelta(seconds=self.answered_settle_seconds)

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerConfig:
        section: dict[str, Any] = dict(settings.section("worker"))
        caps = dict(DEFAULT_CAPS)
        caps.update({Channel(k): int(v) for k, v in dict(section.pop("daily_caps", {})).items()})
        known = {k: float(v) for k, v in section.items() if k in cls.__dataclass_fields__}
        for whole in ("parallel", "queued", "max_attempts"):
            if whole in known:
                known[whole] = int(known[whole])
        return cls(**known, daily_caps=caps)  # type: ignore[arg-type]
