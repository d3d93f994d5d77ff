"""Users, sign-in, secrets at rest, OPDs, accounts and screens."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from content.infra.config import Settings
from content.infra.errors import NotFound, PermissionDenied, ValidationFailed
from content.infra.secrets import SecretBox, SecretKeyMissing
from content.models import Account, AuditEvent, Role, User
from content.org import accounts, opds, screens, users
from content.org.actors import SYSTEM
from tests.world import PASSWORD, World


def test_passwords_are_stored_as_argon2_hashes(world: World) -> None:
    stored = world.session.scalar(select(User.password_hash).where(User.username == "dinkes"))
    assert stored is not None and stored.startswith("$argon2id$") and PASSWORD not in stored


def test_only_sysadmin_manages_users_and_role_changes_are_audited(world: World) -> None:
    with pytest.raises(PermissionDenied):
        users.create_user(
            world.session,
            world.utama,
            username="baru",
            display_name="Baru",
            password=PASSWORD,
            role=Role.ANALYST,
        )
    users.set_role(world.session, world.sysadmin, "analis", Role.PPID_PEMBANTU, "dinkes")
    event = world.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.role_changed"))
    assert event is not None and event.before == {"role": "analyst", "opd_id": None}


@pytest.mark.parametrize(
    ("username", "password", "role", "opd", "sentence"),
    [
        ("AB", PASSWORD, Role.ANALYST, None, "Nama pengguna 3–64"),
        ("baru", "pendek", Role.ANALYST, None, "minimal 10"),
        ("baru", PASSWORD, Role.PPID_PEMBANTU, None, "harus terikat pada satu OPD"),
        ("baru", PASSWORD, Role.PPID_PEMBANTU, "tidak-ada", "tidak ditemukan"),
        ("dinkes", PASSWORD, Role.ANALYST, None, "sudah dipakai"),
    ],
)
def test_bad_user_input_gets_one_sentence(
    world: World, username: str, password: str, role: Role, opd: str | None, sentence: str
) -> None:
    with pytest.raises((ValidationFailed, NotFound), match=sentence):
        users.create_user(
            world.session,
            SYSTEM,
            username=username,
            display_name="",
            password=password,
            role=role,
            opd_slug=opd,
        )


def test_credentials_are_encrypted_at_rest_and_never_logged(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = "EAAG-very-secret-page-token"
    account = accounts.add_account(
        world.session,
        SYSTEM,
        world.box,
        kind="facebook",
        handle="dlh-fb",
        display_name="DLH",
        credentials={"page_access_token": secret},
        settings={"page_id": "123"},
    )
    raw = world.session.execute(
        text("SELECT credentials_encrypted FROM account WHERE id=:i"), {"i": account.id}
    ).scalar()
    assert secret not in str(raw)
    assert accounts.credentials(world.box, account)["page_access_token"] == secret
    audit = world.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "account.created", AuditEvent.entity_id == account.id
        )
    )
    assert audit is not None and secret not in str(audit.after)
    assert secret not in caplog.text and secret not in repr(account) and "••••" in repr(world.box)


def test_another_key_cannot_open_the_credentials(world: World) -> None:
    from content.infra.errors import DomainError

    account = world.session.get(Account, world.fb_account)
    assert account is not None
    with pytest.raises(DomainError, match="tidak dapat dibuka"):
        SecretBox(Fernet.generate_key()).open(account.credentials_encrypted)


def test_secret_key_from_a_passphrase_or_missing(tmp_path: object) -> None:
    from pathlib import Path

    base = Path(str(tmp_path))
    box = SecretBox.from_settings(Settings(data_dir=base, secret_key="kalimat rahasia kota bekasi"))
    assert box.open(box.seal({"a": 1})) == {"a": 1}
    with pytest.raises(SecretKeyMissing, match="siaran init"):
        SecretBox.from_settings(Settings(data_dir=base / "kosong"))


def test_account_needs_its_channel_credentials(world: World) -> None:
    with pytest.raises(ValidationFailed, match="belum lengkap: page_id"):
        accounts.add_account(
            world.session,
            SYSTEM,
            world.box,
            kind="facebook",
            handle="x",
            display_name="x",
            credentials={"page_access_token": "t"},
        )
    with pytest.raises(ValidationFailed, match="x, facebook, instagram atau website"):
        accounts.add_account(
            world.session,
            SYSTEM,
            world.box,
            kind="tiktok",
            handle="x",
            display_name="x",
            credentials={},
        )


def test_opds_load_from_the_bekasi_list_once(world: World) -> None:
    rows = opds.read_csv(opds.BEKASI_CSV)
    added = opds.load_opds(world.session, SYSTEM, rows)
    assert added == len(rows) - 3  # the world already has dinkes, disdukcapil, diskominfostandi
    assert opds.load_opds(world.session, SYSTEM, rows) == 0
    kecamatan = [o for o in opds.list_opds(world.session) if o.kind.value == "kecamatan"]
    assert len(kecamatan) == 12


def test_opd_input_is_checked(world: World) -> None:
    with pytest.raises(ValidationFailed, match="Jenis OPD 'kantor' tidak dikenal"):
        opds.add_opd(world.session, SYSTEM, slug="baru", name="Baru", kind="kantor")
    with pytest.raises(PermissionDenied):
        opds.add_opd(world.session, world.analyst, slug="baru", name="Baru", kind="dinas")


@pytest.mark.parametrize(
    ("size", "hours", "sentence"),
    [
        ("1408 x 400", "06:00-22:00", None),
        ("1408", None, "tulis seperti 1408x400"),
        ("0x400", None, "1–8192"),
        ("288x176", "25:00-22:00", "bukan jam yang sah"),
    ],
)
def test_screen_sizes_and_hours(
    world: World, size: str, hours: str | None, sentence: str | None
) -> None:
    call = lambda: screens.add_screen(
        world.session, SYSTEM, slug="alun-alun", name="Alun-alun", size=size, hours=hours
    )
    if sentence is None:
        screen = call()
        assert (screen.width, screen.height) == (1408, 400)
    else:
        with pytest.raises(ValidationFailed, match=sentence):
            call()
