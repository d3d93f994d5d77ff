"""The shipped Caddyfile (issue #19, point 8) is one Caddy reads: Debian's caddy adapts it, with
its {$SIARAN_...} names filled in, to the configuration that pins browsers to a dashboard with a
cookie and answers /_sim with 404 on both names. Skips (with the reason) where caddy is not
installed; the full end-to-end proxy test is nginx's (tests/e2e/test_reverse_proxy.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from tests.e2e.conftest import REPO

CADDYFILE = REPO / "deploy" / "caddy" / "Caddyfile"


def test_the_shipped_caddyfile_adapts_with_sticky_dashboards_and_no_simulator() -> None:
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed (apt-get install caddy)")
    env = {
        **os.environ,
        "SIARAN_DASHBOARD_NAME": "siaran.example.test",
        "SIARAN_FEED_NAME": "videotron.example.test",
        "SIARAN_DASHBOARD_ADDR": "127.0.0.1:8501",
        "SIARAN_FEED_ADDR": "127.0.0.1:8600",
        "SIARAN_TLS": "internal",
    }
    done = subprocess.run(
        [caddy, "adapt", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    config = json.loads(done.stdout)
    text = json.dumps(config)
    assert "siaran_lb" in text and '"policy": "cookie"' in text
    assert text.count("frame-ancestors 'none'") == 1
    assert "Strict-Transport-Security" in text
    assert text.count('"/_sim*"') == 1  # the dashboard's name; the feed's answers 404 to all else
    for name in ("siaran.example.test", "videotron.example.test"):
        assert name in text
