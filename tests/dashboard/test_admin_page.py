"""Administrasi: users and roles, OPDs, accounts (credentials in password fields, never shown
back; only which keys are set; token expiry warnings; connection test), screens."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content.actors import Actor
from content.models import Account, AccountHealth, Opd, Role, Screen, User
from content.timeutil import utcnow
from dashboard import bridge
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import messages, visible_text
from tests.world import PASSWORD

SignIn = Callable[[Actor | str], AppTest]
SECRET_VALUES = ("rahasia-ck-123", "rahasia-cs-456", "rahasia-at-789", "rahasia-ats-000")


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


def test_token_expiry_is_warned_two_weeks_ahead(app_world: AppWorld, sign_in: SignIn) -> None:
    def expire(world: Any) -> None:
        account = world.session.get(Account, world.ig_account)
        account.token_expires_at = utcnow() + timedelta(days=5)

    app_world.run(expire)
    at = admin(sign_in, app_world)
    warned = [w for w in messages(at, "warning") if "@dinkes.ig" in w]
    assert len(warned) == 1 and "perbarui tokennya" in warned[0]


class _Status:
    ok = True
    message = "Terhubung sebagai Dinkes (simulator)."
    health = AccountHealth.OK
    token_expires_at = None


class _Publisher:
    def __init__(self, seen: list[Mapping[str, Any]], credentials: Mapping[str, Any]) -> None:
        seen.append(credentials)

    def check_connection(self) -> _Status:
        return _Status()

    def close(self) -> None:
        pass


def test_connection_test_uses_the_publisher_or_says_it_is_not_there_yet(
    app_world: AppWorld, sign_in: SignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Mapping[str, Any]] = []
    monkeypatch.setattr(
        bridge,
        "_attribute",
        lambda module, name: lambda account, creds, settings: _Publisher(seen, creds),
    )
    at = admin(sign_in, app_world)
    x_account = app_world.world.x_account
    at.button(key=f"adm_test_{x_account}").click().run()
    assert "@dinkes: Terhubung sebagai Dinkes (simulator)." in messages(at, "success")
    assert seen and seen[0]["consumer_key"] == "k"  # the opened credentials went to the publisher
    with app_world.session() as session:
        account = session.get(Account, x_account)
        assert account is not None and account.health is AccountHealth.OK
    monkeypatch.setattr(bridge, "_attribute", lambda module, name: None)
    at.button(key=f"adm_test_{x_account}").click().run()
    assert "@dinkes: Tes koneksi belum tersedia di versi ini." in messages(at, "error")


def test_only_the_sysadmin_administers(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.utama)
    assert "Administrasi" not in [t.value for t in at.title]
    assert PASSWORD not in visible_text(at)
