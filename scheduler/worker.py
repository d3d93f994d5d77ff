"""`siaran worker`: the long-running publisher, built on APScheduler.

Jobs are defined here in code (memory job store); the posts themselves are rows, so scheduling,
editing or unscheduling a post is an UPDATE that the next dispatch sees. Platform calls run on
a separate thread pool so a slow platform never starves the heartbeat or the dispatcher.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from datetime import timedelta
from functools import partial
from types import FrameType
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor as JobExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy.exc import OperationalError

from content.delivery import operations, publishing
from content.infra.config import Settings
from content.infra.db import make_engine
from content.infra.timeutil import utcnow
from scheduler import jobs, logs
from scheduler.alerts import AlertSettings, tell_expiring_tokens
from scheduler.collect import check_accounts, collect_metrics
from scheduler.config import WorkerConfig
from scheduler.context import WorkerContext
from scheduler.dispatch import dispatch, reconcile
from scheduler.followers import collect_followers
from scheduler.inbox import collect_inbox, escalate_inbox, send_outgoing, settings_of
from scheduler.mail import SmtpSettings, send_pending
from scheduler.players import watch_players
from scheduler.prerender import prerender
from scheduler.takedown import remove

log = logging.getLogger("siaran.worker")


def _guarded(name: str, job: Any, *args: Any) -> Any:
    """A job that survives a database restart or a platform outage: log, and try next tick."""

    def run() -> None:
        try:
            job(*args)
        except OperationalError:
            log.warning("database unavailable; %s will try again", name, extra={"job": name})
        except Exception:
            log.exception("%s failed; it will run again", name, extra={"job": name})

    return run


class Worker:
    def __init__(self, settings: Settings, config: WorkerConfig | None = None) -> None:
        self.ctx = WorkerContext(
            settings,
            config or WorkerConfig.from_settings(settings),
            make_engine(settings.database_url),
        )
        self.pool = ThreadPoolExecutor(self.ctx.config.parallel, thread_name_prefix="publish")
        # One job store (memory, the default) and one executor per kind of work.
        self.scheduler = BackgroundScheduler(
            executors={"default": JobExecutor(4), "beat": JobExecutor(1)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        )

    def heartbeat(self) -> None:
        with self.ctx.transaction() as session:
            operations.beat(
                session,
                self.ctx.worker_id,
                hostname=socket.gethostname(),
                pid=os.getpid(),
                details={"in_flight": len(self.ctx.in_flight())},
            )

    def _add_jobs(self) -> None:
        c, add = self.ctx.config, self.scheduler.add_job
        add(
            _guarded("heartbeat", self.heartbeat),
            "interval",
            seconds=c.heartbeat_seconds,
            id="heartbeat",
            executor="beat",
            next_run_time=utcnow(),
        )
        add(
            _guarded("dispatch", dispatch, self.ctx, self.pool),
            "interval",
            seconds=c.dispatch_seconds,
            id="dispatch",
            misfire_grace_time=5,
        )
        add(
            _guarded("reconcile", reconcile, self.ctx),
            "interval",
            seconds=c.reconcile_seconds,
            id="reconcile",
            next_run_time=utcnow(),
        )
        add(
            _guarded("takedown", remove, self.ctx),
            "interval",
            seconds=c.remove_seconds,
            id="takedown",
            next_run_time=utcnow(),
        )
        add(
            _guarded("metrics", collect_metrics, self.ctx),
            "interval",
            seconds=c.metrics_seconds,
            id="metrics",
            misfire_grace_time=int(c.metrics_seconds),
        )
        inbox = settings_of(self.ctx)
        add(
            _guarded("inbox", collect_inbox, self.ctx),
            "interval",
            seconds=inbox.collect_seconds,
            id="inbox",
            next_run_time=utcnow(),
            misfire_grace_time=int(inbox.collect_seconds),
        )
        add(
            _guarded("inbox_send", send_outgoing, self.ctx),
            "interval",
            seconds=inbox.send_seconds,
            id="inbox_send",
            next_run_time=utcnow(),
        )
        add(
            _guarded("inbox_escalate", escalate_inbox, self.ctx),
            "interval",
            seconds=inbox.escalate_seconds,
            id="inbox_escalate",
            next_run_time=utcnow(),
        )
        add(
            _guarded("prerender", prerender, self.ctx),
            "interval",
            seconds=c.prerender_seconds,
            id="prerender",
            next_run_time=utcnow(),
        )
        add(
            _guarded("players", watch_players, self.ctx),
            "interval",
            seconds=c.players_seconds,
            id="players",
            next_run_time=utcnow(),
        )
        add(
            # Hourly, but each account is read once a WIB day (the day's snapshot is kept);
            # first a few minutes after start, after the account check has run.
            _guarded("followers", collect_followers, self.ctx),
            "interval",
            hours=1,
            id="followers",
            next_run_time=utcnow() + timedelta(minutes=5),
            misfire_grace_time=3600,
        )
        add(
            _guarded("accounts", check_accounts, self.ctx),
            "interval",
            hours=c.tokens_hours,
            id="accounts",
            next_run_time=utcnow(),
            misfire_grace_time=3600,
        )
        alerts = AlertSettings.from_settings(self.ctx.settings)
        add(
            _guarded("tokens", tell_expiring_tokens, self.ctx, alerts),
            "interval",
            hours=alerts.check_hours,
            id="tokens",
            next_run_time=utcnow(),
            misfire_grace_time=3600,
        )
        smtp = SmtpSettings.from_settings(self.ctx.settings)
        if smtp.enabled:  # the demo runs without mail
            add(
                _guarded("mail", send_pending, self.ctx, smtp),
                "interval",
                seconds=smtp.send_seconds,
                id="mail",
                next_run_time=utcnow(),
            )

    def start(self) -> None:
        self._add_jobs()
        self.scheduler.start()
        log.info("worker started", extra={"worker_id": self.ctx.worker_id})

    def stop(self) -> None:
        """Graceful: stop claiming, let platform calls in flight finish (bounded), then stop.
        A call cut short by the grace period is reconciled by the next worker, never repeated."""
        self.ctx.stopping.set()
        self.scheduler.shutdown(wait=True)
        running = []
        for future, claim in self.ctx.tracked():
            if future.cancel():  # never started: give the claim back untouched
                jobs.persist(self.ctx, partial(publishing.release, claim=claim), "release")
                self.ctx.done(claim.target_id)
            else:
                running.append(future)
        wait(running, timeout=self.ctx.config.shutdown_grace_seconds)
        self.pool.shutdown(wait=False)
        log.info(
            "worker stopped",
            extra={"worker_id": self.ctx.worker_id, "in_flight": len(self.ctx.in_flight())},
        )


def run(settings: Settings) -> None:
    logs.configure()
    worker = Worker(settings)
    stopped = threading.Event()

    def stop(_signum: int, _frame: FrameType | None) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    worker.start()
    stopped.wait()
    worker.stop()
