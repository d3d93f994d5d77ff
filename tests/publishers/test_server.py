"""`siaran simulator` serves the simulator on host:simulator_port (a guarded subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import requests
from requests_oauthlib import OAuth1

from tests.publishers.conftest import free_port


def test_siaran_simulator_serves_and_keeps_its_posts(
    guarded_env: dict[str, str], tmp_path: Path
) -> None:
    port = free_port()
    settings_file = tmp_path / "siaran.toml"
    settings_file.write_text('[simulator]\nstate_file = "sim-state.json"\n', encoding="utf-8")
    env = guarded_env | {
        "SIARAN_HOST": "127.0.0.1",
        "SIARAN_SIMULATOR_PORT": str(port),
        "SIARAN_SETTINGS": str(settings_file),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "siaran", "simulator"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{url}/_sim/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                pass
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the simulator did not start"
            time.sleep(0.1)
        created = requests.post(
            f"{url}/2/tweets",
            json={"text": "Dari CLI"},
            auth=OAuth1("a", "b", "c", "d"),
            timeout=10,
        )
        assert created.status_code == 201
    finally:
        process.terminate()
        process.wait(timeout=20)
    saved = json.loads((Path(env["SIARAN_DATA_DIR"]) / "sim-state.json").read_text())
    assert [p["raw_text"] for p in saved["x_posts"]] == ["Dari CLI"]


def _listening(port: int) -> set[str]:
    """The local addresses with a socket listening on `port` (from the kernel's own table)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table, encoding="ascii") as handle:
            for line in list(handle)[1:]:
                local, _remote, state = line.split()[1:4]
                address, hex_port = local.split(":")
                if state == "0A" and int(hex_port, 16) == port:
                    found.add(address)
    return found


def _start_and_stop(env: dict[str, str], port: int) -> tuple[set[str], str]:
    """Start `siaran simulator`, wait until it listens, stop it: (listening addresses, stderr)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "siaran", "simulator"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the simulator did not start"
            time.sleep(0.1)
        listening = _listening(port)
    finally:
        process.terminate()
        _out, err = process.communicate(timeout=20)
    return listening, err.decode()


def test_the_simulator_listens_on_loopback_even_when_siaran_host_opens_the_lan(
    guarded_env: dict[str, str],
) -> None:
    port = free_port()
    env = guarded_env | {"SIARAN_HOST": "0.0.0.0", "SIARAN_SIMULATOR_PORT": str(port)}
    listening, err = _start_and_stop(env, port)
    assert listening == {"0100007F"}  # 127.0.0.1, not 0.0.0.0 (00000000)
    assert "Simulator stays on 127.0.0.1" in err


def test_a_part_warns_at_start_up_when_the_data_directory_is_readable_by_others(
    guarded_env: dict[str, str],
) -> None:
    data = Path(guarded_env["SIARAN_DATA_DIR"])
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    port = free_port()
    _listening_at, err = _start_and_stop(guarded_env | {"SIARAN_SIMULATOR_PORT": str(port)}, port)
    assert "siaran: Peringatan: 1 berkas atau folder data Siaran dapat dibaca pengguna lain" in err
    assert "jalankan 'siaran init'" in err
