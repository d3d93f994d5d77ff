"""The shipped reverse-proxy configuration works (issue #19, point 8): Debian's nginx runs
deploy/nginx/siaran.conf itself (its ${SIARAN_...} names filled in with this test's ports and a
self-signed certificate made here), in front of a real dashboard, a real feed and a running
simulator. Through it: the dashboard answers over HTTPS with the security headers (each once);
plain HTTP redirects to HTTPS; a real Chromium signs in (Streamlit's WebSocket passes the proxy);
the feed's playlist is reachable on the feed's name; the simulator's /_sim is not, on either.

Without nginx the test skips with the reason (`make browser` installs it when root), except
under CI=true, where it fails."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from tests.e2e.conftest import REPO, Artifacts, Server, free_port, siaran
from tests.e2e.test_dashboard_journey import PASSWORD, expect, heading, sign_in

pytestmark = pytest.mark.e2e

NGINX = Path("/usr/sbin/nginx")
SHIPPED = REPO / "deploy" / "nginx" / "siaran.conf"
DASHBOARD_NAME = "localhost"  # two names for one loopback: the proxy tells them apart by Host
FEED_NAME = "127.0.0.1"
SECURITY = {
    "strict-transport-security": "max-age=31536000; includeSubDomains",
    "content-security-policy": "frame-ancestors 'none'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the reverse-proxy test must run)")
    pytest.skip(reason)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for both names (and its key), made with `cryptography`. The feed is reached
    by its address here (no name in the TLS handshake): the feed's server is the default."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, DASHBOARD_NAME)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(DASHBOARD_NAME), x509.IPAddress(ipaddress.ip_address(FEED_NAME))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    return cert_path, key_path


def render(values: dict[str, str]) -> str:
    """The shipped file with its ${SIARAN_...} names filled in, as envsubst would."""
    text = SHIPPED.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    left = sorted(set(re.findall(r"\$\{SIARAN_[A-Z_]+\}", text)))
    assert not left, f"names the test does not fill in: {left}"
    return text


@dataclass
class Proxy:
    https: str  # the dashboard's address through the proxy
    feed: str  # the feed's address through the proxy
    http: str  # plain HTTP on the dashboard's name
    cert: Path
    simulator: str  # the simulator itself, on loopback (to show it is up)


@pytest.fixture
def proxied(
    guarded_env: dict[str, str], start_server: Callable[..., Server], tmp_path: Path
) -> Iterator[Proxy]:
    if not (NGINX.is_file() and os.access(NGINX, os.X_OK)):
        _unavailable(f"{NGINX} not found: install Debian's nginx (make browser, as root)")
    env = dict(guarded_env)
    siaran(env, "init")
    siaran(env, "demo", "--no-history", "--password", PASSWORD)
    dash_port, feed_port = free_port(), free_port()
    env.update(
        {
            "SIARAN_HOST": "127.0.0.1",
            "SIARAN_DASHBOARD_PORT": str(dash_port),
            "SIARAN_FEED_PORT": str(feed_port),
        }
    )
    start_server([sys.executable, "-m", "siaran", "dashboard"], env, dash_port, "/_stcore/health")
    start_server([sys.executable, "-m", "siaran", "feed"], env, feed_port, "/healthz")

    folder = tmp_path / "nginx"
    for part in ("logs", "temp"):
        (folder / part).mkdir(parents=True)
    cert, key = self_signed(folder)
    http_port, https_port = free_port(), free_port()
    (folder / "siaran.conf").write_text(
        render(
            {
                "SIARAN_DASHBOARD_NAME": DASHBOARD_NAME,
                "SIARAN_FEED_NAME": FEED_NAME,
                "SIARAN_HTTP_PORT": str(http_port),
                "SIARAN_HTTPS_PORT": str(https_port),
                "SIARAN_TLS_CERT": str(cert),
                "SIARAN_TLS_KEY": str(key),
                "SIARAN_DASHBOARD_ADDR": f"127.0.0.1:{dash_port}",
                "SIARAN_FEED_ADDR": f"127.0.0.1:{feed_port}",
            }
        ),
        encoding="utf-8",
    )
    temp = folder / "temp"
    # The test's own main file: one foreground process, everything it writes in tmp_path.
    (folder / "nginx.conf").write_text(
        f"""
daemon off;
master_process off;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/logs/error.log info;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/siaran.conf;
}}
""",
        encoding="utf-8",
    )
    checked = subprocess.run(
        [str(NGINX), "-t", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
         str(folder / "logs" / "error.log")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr
    log = (folder / "logs" / "stderr.log").open("wb")
    nginx = subprocess.Popen(
        [str(NGINX), "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
         str(folder / "logs" / "error.log")],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    https = f"https://{DASHBOARD_NAME}:{https_port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert nginx.poll() is None, (folder / "logs" / "error.log").read_text()
            try:
                if requests.get(f"{https}/_stcore/health", verify=str(cert), timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            assert time.monotonic() < deadline, "nginx did not answer in time"
            time.sleep(0.2)
        with BackgroundServer(create_app(SimState())) as simulator:
            yield Proxy(
                https,
                f"https://{FEED_NAME}:{https_port}",
                f"http://{DASHBOARD_NAME}:{http_port}",
                cert,
                simulator.url,
            )
    finally:
        nginx.terminate()
        try:
            nginx.wait(timeout=15)
        except subprocess.TimeoutExpired:
            nginx.kill()
            nginx.wait()
        log.close()


def _once(answer: requests.Response, name: str) -> str:
    values: list[str] = answer.raw.headers.getlist(name)
    assert len(values) == 1, (name, values)
    return values[0]


def test_https_only_with_the_headers_the_feed_on_its_own_and_never_the_simulator(
    proxied: Proxy,
) -> None:
    for path in ("/", "/status", "/_stcore/health"):
        answer = requests.get(proxied.https + path, verify=str(proxied.cert), timeout=30)
        assert answer.status_code == 200, path
        for name, value in SECURITY.items():
            assert _once(answer, name) == value, (path, name)
    moved = requests.get(f"{proxied.http}/status?x=1", allow_redirects=False, timeout=30)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"{proxied.https}/status?x=1"

    playlist = requests.get(
        f"{proxied.feed}/screens/bekasi-timur/playlist.json", verify=str(proxied.cert), timeout=30
    )
    assert playlist.status_code == 200
    assert playlist.headers["content-type"].startswith("application/json")
    assert _once(playlist, "strict-transport-security") == SECURITY["strict-transport-security"]
    assert "screen" in playlist.json()
    # The simulator is up on loopback, and neither name of the proxy leads to it.
    assert requests.get(f"{proxied.simulator}/_sim/posts", timeout=30).status_code == 200
    for base in (proxied.feed, proxied.https):
        answer = requests.get(f"{base}/_sim/posts", verify=str(proxied.cert), timeout=30)
        assert answer.status_code == 404, base
    # The dashboard is not on the feed's name (the screen's PC reaches the feed only).
    assert requests.get(f"{proxied.feed}/", verify=str(proxied.cert), timeout=30).status_code == 404


def test_a_real_browser_signs_in_through_the_proxy(
    proxied: Proxy, new_context: Callable[..., Any], artifacts: Artifacts
) -> None:
    page = new_context(ignore_https_errors=True).new_page()
    sign_in(page, proxied.https, "utama")  # only works if the WebSocket passes the proxy
    heading(page, "Antrean persetujuan")
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    artifacts.shot(page, "signed-in-through-nginx")
