"""What every job of one worker shares: settings, the database, secrets, the media store, and
the set of targets this worker has in flight."""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from content.costs import load_prices
from content.infra.config import Settings
from content.infra.secrets import SecretBox
from publishers.social.config import PublisherSettings
from publishers.storage import open_store
from scheduler.config import WorkerConfig


class GroupCommit:
    """Outcomes written together: a job hands its outcome in and returns once it is written.
    Whoever holds the pen writes everything waiting, in one transaction, while the jobs that
    finish meanwhile queue up for the next batch (group commit: one write per batch however many
    calls ended, never a wait for a timer)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pen = threading.Lock()
        self._waiting: list[Any] = []

    def submit(self, item: Any, write: Callable[[list[Any]], None]) -> None:
        with self._lock:
            self._waiting.append(item)
        with self._pen:
            with self._lock:
                batch, self._waiting = self._waiting, []
            if batch:  # else a writer before us took ours along: it is written
                write(batch)


def new_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


@dataclass
class WorkerContext:
    settings: Settings
    config: WorkerConfig
    engine: Engine
    worker_id: str = field(default_factory=new_worker_id)
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _in_flight: set[int] = field(default_factory=set)
    stopping: threading.Event = field(default_factory=threading.Event)
    # Submitted platform calls and their claims, so a shutdown can give back what never started.
    futures: dict[Future[Any], Any] = field(default_factory=dict)
    # Videotron targets already rendered ahead of time, by (target id, content hash).
    prepared: set[tuple[int, str]] = field(default_factory=set)
    outcomes: GroupCommit = field(default_factory=GroupCommit)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)
        self.box = SecretBox.from_settings(self.settings)
        # Read once for the worker's life: every publisher and target is built from it.
        self.publisher_config = PublisherSettings.from_settings(self.settings)
        self.prices = load_prices(self.settings)
        self.store = open_store(self.settings)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    # The in-flight set is filled inside the claim's transaction, before it commits, so the
    # reconciler never mistakes a claim that is about to be worked on for an orphan.
    def take(self, target_ids: list[int]) -> None:
        with self._lock:
            self._in_flight.update(target_ids)

    def done(self, target_id: int) -> None:
        with self._lock:
            self._in_flight.discard(target_id)
            self._lock.notify_all()

    def wait_for_room(self, slots: int, timeout: float) -> bool:
        """Block until `slots` slots are free (calls finished) or the timeout passes."""
        with self._lock:
            return self._lock.wait_for(
                lambda: self.capacity - len(self._in_flight) >= slots or self.stopping.is_set(),
                timeout=timeout,
            )

    def in_flight(self) -> frozenset[int]:
        with self._lock:
            return frozenset(self._in_flight)

    def track(self, future: Future[Any], claim: Any) -> None:
        with self._lock:
            self.futures[future] = claim
        future.add_done_callback(self._untrack)

    def _untrack(self, future: Future[Any]) -> None:
        with self._lock:
            self.futures.pop(future, None)

    def tracked(self) -> list[tuple[Future[Any], Any]]:
        with self._lock:
            return list(self.futures.items())

    @property
    def capacity(self) -> int:
        """Targets held at once: the calls in flight (`parallel`) and the claims queued behind
        them (`queued`), so claims and outcomes are written in batches, not one by one."""
        return self.config.parallel + self.config.queued

    def free_slots(self) -> int:
        with self._lock:
            return max(0, self.capacity - len(self._in_flight))
