"""`siaran account renew` and `siaran secrets rotate` as an operator runs them: real processes, a
real database, the bundled simulator over real HTTP for the connection test that follows a
renewal."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import text

from content.infra.secrets import SecretBox
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from tests.cli.test_cli import PASSWORD, Cli
from tests.conftest import Database

NEW_X = {
    "consumer_key": "ck-baru",
    "consumer_secret": "cs-baru-RAHASIA-123",
    "access_token": "at-baru-RAHASIA-456",
    "access_token_secret": "ats-baru-RAHASIA-789",
}
NEW_FB = {"page_access_token": "EAAB-baru-RAHASIA-000"}


class Sim:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, **kwargs: Any) -> None:
        requests.request(method, f"{self.url}{path}", timeout=10, **kwargs).raise_for_status()


@pytest.fixture(scope="module")
def simulator() -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(SimState())) as server:
        yield server


@pytest.fixture
def sim(simulator: BackgroundServer) -> Iterator[Sim]:
    sim = Sim(simulator.url)
    sim.call("POST", "/_sim/reset")
    yield sim
    sim.call("POST", "/_sim/reset")


@pytest.fixture
def demo(committed: Database, guarded_env: dict[str, str], simulator: BackgroundServer) -> Cli:
    env = dict(guarded_env, DATABASE_URL=committed.url)
    env["SIARAN_SIMULATOR_PORT"] = str(simulator.port)
    env.pop("SIARAN_SECRET_KEY", None)  # the key file in the data directory
    cli = Cli(env)
    cli("init")
    cli("demo", "--no-history", "--password", PASSWORD)
    return cli


def _account(cli: Cli, kind: str, handle: str) -> dict[str, Any]:
    rows: list[dict[str, Any]] = cli.json("account", "list")  # type: ignore[assignment]
    return next(r for r in rows if r["kind"] == kind and r["handle"] == handle)


def _scalar(database: Database, sql: str, **params: Any) -> Any:
    with database.engine.connect() as conn:
        return conn.execute(text(sql), params).scalar()


def _dump(database: Database, table: str) -> str:
    with database.engine.connect() as conn:
        return " ".join(str(r) for r in conn.execute(text(f"SELECT * FROM {table}")))


def _sim_username(access_token: str) -> str:
    """The name the simulator's X gives the user an OAuth token speaks for."""
    user = str(int(hashlib.sha256(access_token.encode()).hexdigest()[:15], 16))
    return f"sim{user[-6:]}"


def test_renew_keeps_the_history_and_tests_the_new_token(
    demo: Cli, committed: Database, sim: Sim
) -> None:
    x = _account(demo, "x", "@dinkeskotabekasi")
    targets = "SELECT count(*) FROM post_target WHERE account_id = :i"
    before = _scalar(committed, targets, i=x["id"])
    assert before >= 1

    result = demo("account", "renew", str(x["id"]), "--as", "admin", stdin=json.dumps(NEW_X))

    # The connection test ran with the new token: the simulator names the user it speaks for.
    assert f"terhubung sebagai @{_sim_username(NEW_X['access_token'])}" in result.stdout
    assert "riwayat akun tetap" in result.stdout
    assert _account(demo, "x", "@dinkeskotabekasi") == {**x, "health": "ok"}
    assert _scalar(committed, targets, i=x["id"]) == before
    for place in (result.stdout, result.stderr, _dump(committed, "account")):
        assert not any(secret in place for secret in NEW_X.values())
    audit = _dump(committed, "audit_event")
    assert "account.credentials_changed" in audit
    assert not any(secret in audit for secret in NEW_X.values())


def test_a_failed_connection_test_is_stored_and_a_renewal_brings_it_back(
    demo: Cli, committed: Database, sim: Sim
) -> None:
    fb = _account(demo, "facebook", "pemkotbekasi")
    sim.call("POST", "/_sim/faults", json={"kind": "expired_token", "platform": "graph"})

    failed = demo("account", "renew", str(fb["id"]), stdin=json.dumps(NEW_FB), code=9)

    assert failed.stderr.startswith("siaran: Token tersimpan, tetapi tes koneksi gagal")
    assert failed.stderr.count("\n") == 1
    assert _account(demo, "facebook", "pemkotbekasi")["health"] == "error"

    sim.call("DELETE", "/_sim/faults")
    sim.call("POST", "/_sim/config", json={"token_expires_in": 60 * 86400})
    renewed: dict[str, Any] = demo.json(  # type: ignore[assignment]
        "account", "renew", str(fb["id"]), stdin=json.dumps(NEW_FB)
    )
    assert renewed["health"] == "ok" and renewed["token_expires_at"]
    stored = _scalar(
        committed, "SELECT token_expires_at FROM account WHERE id = :i", i=renewed["id"]
    )
    assert stored is not None
    assert _account(demo, "facebook", "pemkotbekasi")["health"] == "ok"


def test_renew_refusals_are_one_sentence_and_change_nothing(demo: Cli, committed: Database) -> None:
    x = _account(demo, "x", "@humaskotabekasi")
    sealed = "SELECT credentials_encrypted FROM account WHERE id = :i"
    before = _scalar(committed, sealed, i=x["id"])
    refused = demo(
        "account", "renew", str(x["id"]), "--as", "utama", stdin=json.dumps(NEW_X), code=4
    )
    assert "tidak berhak" in refused.stderr and refused.stderr.count("\n") == 1
    bad = demo("account", "renew", str(x["id"]), stdin="{bukan json", code=2)
    assert bad.stderr == "siaran: Kredensial di stdin harus objek JSON.\n"
    short = demo("account", "renew", str(x["id"]), stdin='{"access_token": "a"}', code=2)
    assert "belum lengkap" in short.stderr and "consumer_key" in short.stderr
    missing = demo("account", "renew", "999", stdin=json.dumps(NEW_X), code=3)
    assert "tidak ditemukan" in missing.stderr
    assert _scalar(committed, sealed, i=x["id"]) == before


def _sealed(database: Database) -> dict[int, str]:
    with database.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, credentials_encrypted FROM account"))
        return {int(i): str(token) for i, token in rows}


def test_rotate_reseals_everything_under_the_new_key_or_nothing(
    demo: Cli, committed: Database, tmp_path: Path
) -> None:
    key_file = Path(demo.env["SIARAN_DATA_DIR"]) / "secret.key"
    old_file = tmp_path / "secret.key.old"
    key_file.rename(old_file)
    demo("init")  # writes a new key file
    old = SecretBox.from_material(old_file.read_text())
    new = SecretBox.from_material(key_file.read_text())
    before = _sealed(committed)
    assert all(old.opens(t) and not new.opens(t) for t in before.values())

    # One credential opens with neither key: named by its account id, and nothing written.
    lost = min(before)
    stranger = SecretBox(Fernet.generate_key()).seal({"access_token": "x"})
    with committed.engine.begin() as conn:
        conn.execute(
            text("UPDATE account SET credentials_encrypted = :t WHERE id = :i"),
            {"t": stranger, "i": lost},
        )
    refused = demo("secrets", "rotate", "--old-key-file", str(old_file), code=2)
    assert f"#{lost}" in refused.stderr and "--skip-unreadable" in refused.stderr
    assert refused.stderr.count("\n") == 1
    assert {i: t for i, t in _sealed(committed).items() if i != lost} == {
        i: t for i, t in before.items() if i != lost
    }

    # The old key on stdin this time; the unreadable one is left for a renewal.
    done: dict[str, Any] = demo.json(  # type: ignore[assignment]
        "secrets", "rotate", "--skip-unreadable", stdin=old_file.read_text()
    )
    assert done == {"resealed": len(before) - 1, "already_current": 0, "skipped": [lost]}
    after = _sealed(committed)
    for account_id, token in after.items():
        if account_id != lost:
            assert new.open(token) == old.open(before[account_id])
            assert not old.opens(token)
    audit = _dump(committed, "audit_event")
    assert "secrets.rotated" in audit
    assert old_file.read_text().strip() not in audit and key_file.read_text().strip() not in audit

    again = demo("secrets", "rotate", "--old-key-file", str(old_file), "--skip-unreadable")
    assert f"{len(before) - 1} akun sudah memakai kunci sekarang" in again.stdout
    same = demo("secrets", "rotate", "--old-key-file", str(key_file), code=2)
    assert "sama dengan kunci sekarang" in same.stderr
    nowhere = demo("secrets", "rotate", "--old-key-file", str(tmp_path / "tidak-ada"), code=2)
    assert "tidak ditemukan" in nowhere.stderr
