"""Nothing in the tests reaches the internet: sockets to non-loopback addresses fail, in this
process and in every process the tests start (guarded_env), while loopback keeps working."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from content.models import Channel
from publishers.social.registry import publisher_for
from publishers.social.result import Outcome, Reason
from tests.guard.siaran_netguard import NetworkBlocked
from tests.publishers.conftest import CREDENTIALS, FB_TOKEN, Sim, account, make_settings

# TEST-NET addresses (RFC 5737): never routed, so even a broken guard would not leak much.
OUTSIDE = ("203.0.113.7", 443)

PROBE = """
import socket, sys
try:
    socket.create_connection(("203.0.113.7", 443), timeout=2)
except OSError as exc:
    print(type(exc).__name__)
else:
    print("CONNECTED")
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2):
    print("LOOPBACK-OK")
"""


def test_a_socket_to_the_internet_fails_in_this_process() -> None:
    with pytest.raises(NetworkBlocked):
        socket.create_connection(OUTSIDE, timeout=2)
    with socket.socket() as sock, pytest.raises(NetworkBlocked):
        sock.connect_ex(OUTSIDE)
    with pytest.raises(requests.ConnectionError):
        requests.get("http://203.0.113.7/", timeout=2)


def test_a_socket_to_the_internet_fails_in_a_guarded_subprocess(
    guarded_env: dict[str, str],
) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-c", PROBE, str(port)],
            env=guarded_env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert result.stdout.split() == ["NetworkBlocked", "LOOPBACK-OK"], result.stderr


def test_a_publisher_for_a_real_account_cannot_reach_the_platform(sim: Sim, tmp_path: Path) -> None:
    # A real (non-simulator) account aimed at an outside address: the guard refuses it, the
    # publisher reports the platform unreachable and nothing sent.
    settings = make_settings(
        tmp_path,
        1,
        "https://siaran.example.go.id",
        x_base_url="https://203.0.113.7",
        graph_base_url="https://203.0.113.8",
    )
    for channel in (Channel.X, Channel.FACEBOOK):
        status = publisher_for(account(channel, simulator=False), CREDENTIALS[channel], settings)
        checked = status.check_connection()
        assert checked.failure is not None
        assert (checked.failure.outcome, checked.failure.reason) == (
            Outcome.RETRYABLE,
            Reason.NETWORK,
        )
        assert "test guard" in checked.failure.platform_message
        # The exception quotes the URL; the token in its query string is masked.
        assert FB_TOKEN not in checked.message and FB_TOKEN not in repr(checked)
    assert sim.calls() == 0
