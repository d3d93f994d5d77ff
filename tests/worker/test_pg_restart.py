"""PostgreSQL restarted under load: the worker reconnects and carries on, publishing each once."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import text

from content.models import TargetStatus
from tests.worker.conftest import Stack

pytestmark = [pytest.mark.e2e, pytest.mark.serial]


def _restart_postgresql() -> None:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_postgresql_restart_under_load(stack: Stack) -> None:
    if stack.database.backend != "postgresql":
        pytest.skip("a PostgreSQL restart concerns the PostgreSQL backend only")
    if os.environ.get("CI", "").lower() != "true" and not os.environ.get("SIARAN_TEST_RESTART_PG"):
        # It restarts the machine's shared server: other test runs on it would fail meanwhile.
        pytest.skip(
            "restarts the shared PostgreSQL: runs under CI=true or SIARAN_TEST_RESTART_PG=1"
        )
    if (
        os.geteuid() != 0
        or not shutil.which("pg_ctlcluster")
        or not Path("/etc/postgresql").is_dir()
    ):
        reason = "restarting PostgreSQL needs root and pg_ctlcluster (Debian's packaging)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    count = 150
    stack.due_posts(count)
    # Slow the platform a little so the restart lands in the middle of the run.
    stack.sim.fault(platform="x", method="POST", path="^/2/tweets$", kind="slow", delay=0.1)
    stack.start_worker()
    stack.wait(
        lambda: stack.target_statuses().get(TargetStatus.PUBLISHED, 0) >= 20,
        timeout=120,
        what="the first publications",
    )
    _restart_postgresql()
    # Our own pool reconnects too (pre-ping); give the server a moment to accept connections.
    deadline = time.monotonic() + 30
    while True:
        try:
            with stack.database.engine.connect() as conn:
                conn.execute(text("select 1"))
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    stack.wait(
        lambda: stack.all_published(count), timeout=240, what="publication after the restart"
    )
    texts = Counter(p["text"] for p in stack.sim.x_posts())
    assert len(texts) == count and set(texts.values()) == {1}
    assert stack.workers[0].poll() is None  # the worker is still running
    assert "database unavailable" in stack.logs()
