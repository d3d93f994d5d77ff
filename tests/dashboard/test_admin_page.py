"""Administrasi: users and roles, OPDs, accounts (credentials in password fields, never shown
back; only which keys are set; accounts that need a new token; renewal and connection test
against the simulator over real HTTP), screens."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
import requests
from cryptography.fernet import Fernet
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content.infra.secrets import SecretBox
from content.infra.timeutil import utcnow
from content.models import Account, AccountHealth, ApprovalLevel, Opd, Role, Screen, User
from content.org import accounts
from content.org.actors import Actor
from publishers.simulator.app import create_app
from publishers.simulator.server import BackgroundServer
from publishers.simulator.state import SimState
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import messages, visible_text
from tests.world import PASSWORD

SignIn = Callable[[Actor | str], AppTest]
SECRET_VALUES = ("rahasia-ck-123", "rahasia-cs-456", "rahasia-at-789", "rahasia-ats-000")
NEW_TOKEN = "EAAB-token-baru-RAHASIA"


def admin(sign_in: SignIn, app_world: AppWorld) -> AppTest:
    at = sign_in(app_world.world.sysadmin)
    assert at.title[0].value == "Administrasi"
    return at


def user(app_world: AppWorld, username: str) -> User:
    with app_world.session() as session:
        found = session.scalar(select(User).where(User.username == username))
        assert found is not None
        return found


def submit(at: AppTest, label: str) -> AppTest:
    found = [b for b in at.button if b.label == label]
    assert len(found) == 1
    return found[0].click().run()


def test_users_add_role_email_password_and_deactivate(app_world: AppWorld, sign_in: SignIn) -> None:
    at = admin(sign_in, app_world)
    at.text_input(key="adm_u_username").input("kecbekut")
    at.text_input(key="adm_u_name").input("Admin Kecamatan")
    at.text_input(key="adm_u_password").input("sandi-awal-yang-panjang")
    at.selectbox(key="adm_u_role").set_value(Role.PPID_PEMBANTU)
    at.selectbox(key="adm_u_opd").set_value("dinkes")
    submit(at, "Tambah pengguna")
    assert "Pengguna 'kecbekut' ditambahkan." in messages(at, "success")
    assert user(app_world, "kecbekut").role is Role.PPID_PEMBANTU

    at.selectbox(key="adm_edit_user").set_value("kecbekut").run()
    at.selectbox(key="adm_role_kecbekut").set_value(Role.ANALYST)
    at.selectbox(key="adm_opd_kecbekut").set_value("")
    at.button(key="adm_save_role_kecbekut").click().run()
    assert user(app_world, "kecbekut").role is Role.ANALYST
    at.text_input(key="adm_email_kecbekut").input("kec@bekasikota.go.id")
    at.button(key="adm_save_email_kecbekut").click().run()
    assert user(app_world, "kecbekut").email == "kec@bekasikota.go.id"
    at.text_input(key="adm_pw_kecbekut").input("pendek")
    at.button(key="adm_save_pw_kecbekut").click().run()
    assert any("minimal" in e for e in messages(at, "error"))
    at.button(key="adm_active_kecbekut").click().run()
    assert not user(app_world, "kecbekut").active
    # A PPID Pembantu needs an OPD: the service's sentence, and nothing saved.
    at.selectbox(key="adm_role_kecbekut").set_value(Role.PPID_PEMBANTU)
    at.button(key="adm_save_role_kecbekut").click().run()
    assert any("harus terikat pada satu OPD" in e for e in messages(at, "error"))
    assert "sandi-awal-yang-panjang" not in visible_text(at)


def test_opds_and_screens(app_world: AppWorld, sign_in: SignIn) -> None:
    at = admin(sign_in, app_world)
    at.text_input(key="adm_o_slug").input("kec-bekasi-utara")
    at.text_input(key="adm_o_name").input("Kecamatan Bekasi Utara")
    at.selectbox(key="adm_o_kind").set_value("kecamatan")
    submit(at, "Tambah OPD")
    assert "OPD 'kec-bekasi-utara' ditambahkan." in messages(at, "success")
    at.text_input(key="adm_s_slug").input("alun-alun")
    at.text_input(key="adm_s_name").input("Videotron Alun-alun")
    at.text_input(key="adm_s_size").input("504x336")
    at.text_input(key="adm_s_hours").input("06:00-22:00")
    submit(at, "Tambah layar")
    assert "Layar 'alun-alun' ditambahkan." in messages(at, "success")
    with app_world.session() as session:
        assert session.scalar(select(Opd.kind).where(Opd.slug == "kec-bekasi-utara")) == "kecamatan"
        screen = session.scalar(select(Screen).where(Screen.slug == "alun-alun"))
        assert screen is not None and (screen.width, screen.height) == (504, 336)
    assert "504×336" in visible_text(at)


def test_accounts_take_credentials_in_password_fields_and_never_show_them(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = admin(sign_in, app_world)
    fields = {w.key: w for w in at.text_input if w.key and w.key.startswith("adm_a_cred_")}
    assert set(fields) == {
        "adm_a_cred_consumer_key",
        "adm_a_cred_consumer_secret",
        "adm_a_cred_access_token",
        "adm_a_cred_access_token_secret",
    }
    assert all(w.proto.type == w.proto.PASSWORD for w in fields.values())
    at.text_input(key="adm_a_handle").input("@dinkesbaru")
    at.text_input(key="adm_a_name").input("Dinkes Baru")
    at.selectbox(key="adm_a_opd").set_value("dinkes")
    for key, value in zip(sorted(fields), SECRET_VALUES, strict=True):
        at.text_input(key=key).input(value)
    submit(at, "Tambah akun")
    assert any("'@dinkesbaru' ditambahkan" in m for m in messages(at, "success"))
    shown = visible_text(at)
    assert "kunci tersimpan: access_token, access_token_secret, consumer_key" in shown
    assert not any(secret in shown for secret in SECRET_VALUES)
    assert all(not w.value for w in at.text_input if w.key and w.key.startswith("adm_a_cred_"))
    with app_world.session() as session:
        sealed = session.scalar(
            select(Account.credentials_encrypted).where(Account.handle == "@dinkesbaru")
        )
    assert sealed and not any(secret in sealed for secret in SECRET_VALUES)


def test_token_expiry_is_warned_within_the_configured_days(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    def expire(world: Any) -> None:
        account = world.session.get(Account, world.ig_account)
        account.token_expires_at = utcnow() + timedelta(days=5)

    app_world.run(expire)
    at = admin(sign_in, app_world)
    warned = [w for w in messages(at, "warning") if "@dinkes.ig" in w]
    assert len(warned) == 1 and "perbarui tokennya" in warned[0]


@pytest.fixture(scope="module")
def simulator() -> Iterator[BackgroundServer]:
    with BackgroundServer(create_app(SimState())) as server:
        yield server


@pytest.fixture
def sim_port(simulator: BackgroundServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The world's simulator accounts reach this simulator (settings are read on every run)."""
    monkeypatch.setenv("SIARAN_SIMULATOR_PORT", str(simulator.port))
    requests.post(f"{simulator.url}/_sim/reset", timeout=10).raise_for_status()
    yield simulator.port
    requests.post(f"{simulator.url}/_sim/reset", timeout=10).raise_for_status()


def _health(app_world: AppWorld, account_id: int) -> Account:
    with app_world.session() as session:
        account = session.get(Account, account_id)
        assert account is not None
        return account


def test_connection_test_asks_the_platform_and_stores_the_health(
    app_world: AppWorld, sign_in: SignIn, sim_port: int
) -> None:
    at = admin(sign_in, app_world)
    x_account = app_world.world.x_account
    at.button(key=f"adm_test_{x_account}").click().run()
    assert any(m.startswith("@dinkes: X: terhubung sebagai @sim") for m in messages(at, "success"))
    assert _health(app_world, x_account).health is AccountHealth.OK


def test_an_account_whose_check_failed_is_renewed_from_the_list(
    app_world: AppWorld, sign_in: SignIn, sim_port: int
) -> None:
    fb = app_world.world.fb_account
    app_world.run(
        lambda w: accounts.record_health(
            w.session, fb, AccountHealth.ERROR, "Facebook: token kedaluwarsa.", None
        )
    )
    at = admin(sign_in, app_world)
    listed = [w for w in messages(at, "warning") if "dinkes-fb" in w]
    assert len(listed) == 1 and "tes koneksi terakhir gagal" in listed[0]
    at.button(key=f"adm_renew_due_{fb}").click().run()
    field = at.text_input(key="adm_r_cred_page_access_token")
    assert field.proto.type == field.proto.PASSWORD
    field.input(NEW_TOKEN)
    at = submit(at, "Simpan token baru")

    done = messages(at, "success")
    assert "Token dinkes-fb diperbarui; riwayat akun tetap." in done
    assert any(m.startswith("dinkes-fb: Facebook: terhubung ke") for m in done)
    assert not [w for w in messages(at, "warning") if "dinkes-fb" in w]
    assert NEW_TOKEN not in visible_text(at)
    account = _health(app_world, fb)
    assert account.health is AccountHealth.OK and account.id == fb
    assert app_world.world.box.open(account.credentials_encrypted) == {
        "page_access_token": NEW_TOKEN
    }


def test_unreadable_credentials_are_listed_and_a_refused_renewal_says_why(
    app_world: AppWorld, sign_in: SignIn, sim_port: int
) -> None:
    ig = app_world.world.ig_account

    def lose(world: Any) -> None:
        account = world.session.get(Account, ig)
        account.credentials_encrypted = SecretBox(Fernet.generate_key()).seal({"access_token": "i"})

    app_world.run(lose)
    at = admin(sign_in, app_world)
    listed = [w for w in messages(at, "warning") if "@dinkes.ig" in w]
    assert len(listed) == 1 and "tidak dapat dibuka dengan kunci rahasia" in listed[0]
    at.button(key=f"adm_renew_due_{ig}").click().run()
    at = submit(at, "Simpan token baru")  # nothing typed
    assert any("belum lengkap: access_token" in e for e in messages(at, "error"))
    assert _health(app_world, ig).health is AccountHealth.UNKNOWN


def test_only_the_sysadmin_administers(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.utama)
    assert "Administrasi" not in [t.value for t in at.title]
    assert PASSWORD not in visible_text(at)


def test_an_account_says_which_sign_offs_it_needs(app_world: AppWorld, sign_in: SignIn) -> None:
    at = admin(sign_in, app_world)
    x_id, city_id = app_world.world.x_account, app_world.world.city_x_account
    at.multiselect(key=f"adm_approvals_{x_id}").set_value(list(ApprovalLevel))
    at.button(key=f"adm_save_approvals_{x_id}").click().run()
    with app_world.session() as session:
        account = session.get(Account, x_id)
        assert account is not None
        assert accounts.approval_levels(account) == [ApprovalLevel.OPD, ApprovalLevel.CITY]
    # A city-wide account cannot do without PPID Utama: one sentence, nothing saved.
    at.multiselect(key=f"adm_approvals_{city_id}").set_value([ApprovalLevel.OPD])
    at.button(key=f"adm_save_approvals_{city_id}").click().run()
    assert any("tingkat kota" in m for m in messages(at, "error"))
    with app_world.session() as session:
        city = session.get(Account, city_id)
        assert city is not None and accounts.approval_levels(city) == [ApprovalLevel.CITY]
