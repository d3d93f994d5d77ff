"""Installation and administration: init, demo, users, OPDs, accounts (and their token renewal),
the secret key's rotation, screens, DIK rules."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from content.infra.demo import bulk_posts, has_users, load_demo
from content.infra.errors import ValidationFailed
from content.infra.secrets import SecretBox, read_salt
from content.infra.setup import init as init_installation
from content.labels import APPROVAL_LEVEL_LABELS
from content.models import ApprovalLevel, Role, Severity
from content.models.enums import SOCIAL_CHANNELS
from content.org import accounts, opds, screens, sso, users
from content.org.actors import SYSTEM, Actor
from content.org.administration import account_for_check
from content.playlist import revoke_player_key
from content.playlist.screen_hours import (
    parse_closures,
    parse_span,
    parse_weekly,
    set_screen_schedule,
)
from content.screening import dik_rules
from publishers.social.connection import check_account
from publishers.social.result import ConnectionStatus
from siaran.cli.context import App, as_option, emit, json_option, pass_app
from siaran.cli.errors import fail

# `account renew` saved the new token, but the connection test that followed failed.
CONNECTION_FAILED = 9


@click.command()
@json_option
@pass_app
def init(app: App, as_json: bool) -> None:
    """Create or upgrade the database, the data directory and the secret key."""
    result = init_installation(app.settings, app.engine)
    data = {
        "database": app.engine.url.render_as_string(hide_password=True),
        "created": result.database_created,
        "revision": result.revision,
        "key_file_created": result.key_created,
        "credentials_resealed": result.resealed,
        "modes_tightened": result.tightened,
        "data_dir": str(app.settings.data_dir),
    }
    state = "dibuat" if result.database_created else "diperbarui/sudah terbaru"
    emit(
        data,
        as_json,
        f"Basis data {state} (revisi {result.revision}); data di {app.settings.data_dir}.",
    )


@click.command()
@click.option(
    "--posts", "bulk", type=click.IntRange(0, 1_000_000), default=0, help="Also add N bulk posts."
)
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
@click.option("--password", default=None, help="One password for every demo user (tests).")
@click.option(
    "--history/--no-history",
    default=True,
    help="Also fill three months of history (posts, reviews, publications, metrics, plays).",
)
@json_option
@pass_app
def demo(
    app: App, bulk: int, if_empty: bool, password: str | None, history: bool, as_json: bool
) -> None:
    """Load demo data: Bekasi's OPDs, demo users (passwords printed), simulator accounts,
    a videotron screen and sample posts."""
    with app.transaction() as session:
        if if_empty and has_users(session):
            emit(
                {"skipped": True},
                as_json,
                "Data demo tidak dimuat: basis data sudah berisi pengguna.",
            )
            return
        result = load_demo(session, app.box, app.store, password=password, history=history)
        if bulk:
            bulk_posts(session, bulk)
    data = {
        "opds_added": result.opds_added,
        "users": result.passwords,
        "posts": result.posts,
        "bulk": bulk,
    }
    lines = [f"{result.opds_added} OPD dimuat; {len(result.posts) + bulk} konten contoh."]
    if result.passwords:
        lines.append("Pengguna demo (kata sandi hanya ditampilkan sekali ini):")
        lines += [f"  {name:<14} {secret}" for name, secret in result.passwords.items()]
    emit(data, as_json, "\n".join(lines))


@click.group()
def user() -> None:
    """Users and roles."""


@user.command("add")
@click.argument("username")
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option(
    "--opd", "opd_slug", default=None, help="OPD slug (required for admin_opd and ppid_pembantu)."
)
@click.option(
    "--email", default=None, help="E-mail address (notifications; single sign-on's identity)."
)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@json_option
@pass_app
def user_add(
    app: App,
    username: str,
    display_name: str,
    role: str,
    opd_slug: str | None,
    email: str | None,
    password: str,
    as_json: bool,
) -> None:
    """Add a user (the password is asked for, or read from --password)."""
    with app.transaction() as session:
        created = users.create_user(
            session,
            SYSTEM,
            username=username,
            display_name=display_name,
            password=password,
            role=Role(role),
            opd_slug=opd_slug,
        )
        if email:
            sso.set_email(session, SYSTEM, created.username, email)
        data = {
            "id": created.id,
            "username": created.username,
            "role": role,
            "opd": opd_slug,
            "email": created.email,
        }
    emit(data, as_json, f"Pengguna '{data['username']}' ({role}) ditambahkan.")


@user.command("email")
@click.argument("username")
@click.argument("address", default="")
@json_option
@pass_app
def user_email(app: App, username: str, address: str, as_json: bool) -> None:
    """Set a user's e-mail address (empty: remove it)."""
    with app.transaction() as session:
        changed = sso.set_email(session, SYSTEM, username, address or None)
        data = {"username": changed.username, "email": changed.email}
    shown = data["email"] or "(tanpa e-mail)"
    emit(data, as_json, f"E-mail pengguna '{data['username']}': {shown}.")


@user.command("list")
@json_option
@pass_app
def user_list(app: App, as_json: bool) -> None:
    """List users (never their passwords)."""
    from sqlalchemy import select

    from content.models import User

    with app.transaction() as session:
        rows = [
            {
                "username": u.username,
                "name": u.display_name,
                "role": u.role.value,
                "opd": u.opd.slug if u.opd else None,
                "email": u.email,
                "active": u.active,
            }
            for u in session.scalars(select(User).order_by(User.username))
        ]
    emit(
        rows,
        as_json,
        "\n".join(f"{r['username']:<16} {r['role']:<14} {r['opd'] or '-'}" for r in rows),
    )


@click.group()
def opd() -> None:
    """OPDs (perangkat daerah)."""


@opd.command("add")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--kind", required=True, help="dinas, badan, kecamatan, kelurahan, bagian, bumd, ...")
@click.option("--short", "short_name", default="")
@json_option
@pass_app
def opd_add(app: App, slug: str, name: str, kind: str, short_name: str, as_json: bool) -> None:
    """Add an OPD."""
    with app.transaction() as session:
        created = opds.add_opd(
            session, SYSTEM, slug=slug, name=name, kind=kind, short_name=short_name
        )
        data = {"id": created.id, "slug": created.slug}
    emit(data, as_json, f"OPD '{data['slug']}' ditambahkan.")


@opd.command("list")
@json_option
@pass_app
def opd_list(app: App, as_json: bool) -> None:
    """List OPDs."""
    with app.transaction() as session:
        rows = [
            {"slug": o.slug, "name": o.name, "kind": o.kind.value} for o in opds.list_opds(session)
        ]
    emit(rows, as_json, "\n".join(f"{r['slug']:<22} {r['kind']:<12} {r['name']}" for r in rows))


@click.group()
def account() -> None:
    """Social media accounts."""


def _read_json_stdin() -> dict[str, Any]:
    raw = sys.stdin.read()
    try:
        value = json.loads(raw) if raw.strip() else {}
    except json.JSONDecodeError as exc:
        raise ValidationFailed("Kredensial di stdin harus objek JSON.") from exc
    if not isinstance(value, dict):
        raise ValidationFailed("Kredensial di stdin harus objek JSON.")
    return value


_approval_option = click.option(
    "--approval",
    "approvals",
    multiple=True,
    type=click.Choice([level.value for level in ApprovalLevel]),
    help="A sign-off posts to this account need: opd (its PPID Pembantu), city (PPID Utama); "
    "repeat for both. Default: city.",
)


@account.command("add")
@click.option("--kind", type=click.Choice([c.value for c in SOCIAL_CHANNELS]), required=True)
@click.option("--handle", required=True)
@click.option("--name", "display_name", default="")
@click.option("--opd", "opd_slug", default=None, help="Owner OPD; omit for a city-wide account.")
@click.option("--setting", "settings", multiple=True, metavar="KEY=VALUE", help="e.g. page_id=123.")
@click.option("--simulator", is_flag=True, help="A training account on the bundled simulator.")
@_approval_option
@json_option
@pass_app
def account_add(
    app: App,
    kind: str,
    handle: str,
    display_name: str,
    opd_slug: str | None,
    settings: tuple[str, ...],
    simulator: bool,
    approvals: tuple[str, ...],
    as_json: bool,
) -> None:
    """Add an account; credentials are read from stdin as a JSON object and stored encrypted."""
    credentials = _read_json_stdin()
    parsed = dict(item.split("=", 1) for item in settings if "=" in item)
    with app.transaction() as session:
        created = accounts.add_account(
            session,
            SYSTEM,
            app.box,
            kind=kind,
            handle=handle,
            display_name=display_name,
            credentials=credentials,
            settings=parsed,
            opd_slug=opd_slug,
            is_simulator=simulator,
            approvals=[ApprovalLevel(a) for a in approvals or ("city",)],
        )
        data = {"id": created.id, "kind": kind, "handle": created.handle}
    emit(data, as_json, f"Akun {kind} '{handle}' ditambahkan (kredensial tersimpan terenkripsi).")


@account.command("approvals")
@click.argument("account_id", type=int)
@_approval_option
@json_option
@pass_app
def account_approvals(app: App, account_id: int, approvals: tuple[str, ...], as_json: bool) -> None:
    """Set which sign-offs posts to an account need (--approval opd --approval city)."""
    if not approvals:
        raise ValidationFailed("Sebutkan minimal satu --approval (opd atau city).")
    with app.transaction() as session:
        changed = accounts.set_approvals(
            session, SYSTEM, account_id, [ApprovalLevel(a) for a in approvals]
        )
        levels = accounts.approval_levels(changed)
        data = {"id": changed.id, "approvals": [level.value for level in levels]}
    names = ", ".join(APPROVAL_LEVEL_LABELS[level] for level in levels)
    emit(data, as_json, f"Akun #{account_id} kini memerlukan persetujuan: {names}.")


@account.command("list")
@json_option
@pass_app
def account_list(app: App, as_json: bool) -> None:
    """List accounts (credentials are never shown)."""
    with app.transaction() as session:
        rows = [
            {
                "id": a.id,
                "kind": a.kind.value,
                "handle": a.handle,
                "opd": a.opd.slug if a.opd else None,
                "simulator": a.is_simulator,
                "health": a.health.value,
                "approvals": [level.value for level in accounts.approval_levels(a)],
            }
            for a in accounts.list_accounts(session)
        ]
    emit(
        rows,
        as_json,
        "\n".join(
            f"{r['id']:>4} {r['kind']:<10} {r['handle']:<24} {r['opd'] or 'kota'}"
            f"{' (latihan)' if r['simulator'] else ''}"
            for r in rows
        ),
    )


def _connection_test(app: App, actor: Actor, account_id: int) -> ConnectionStatus:
    """The account check, as the administration page runs it: the stored credentials opened in
    one transaction, the platform asked outside any, the result stored as the account's health."""
    with app.transaction() as session:
        account, credentials = account_for_check(session, actor, app.box, account_id)
    status = check_account(account, credentials, app.settings)
    del credentials
    with app.transaction() as session:
        accounts.record_health(
            session,
            account_id,
            status.health,
            status.message,
            status.token_expires_at,
            platform_ids=status.details,
        )
    return status


@account.command("renew")
@click.argument("account_id", metavar="ID", type=int)
@click.option("--as", "username", default=None, metavar="USER", help="The sysadmin renewing it.")
@json_option
@pass_app
def account_renew(app: App, account_id: int, username: str | None, as_json: bool) -> None:
    """Renew an account's token: new credentials read from stdin as a JSON object (the same keys
    as `account add`), stored encrypted on the same account, so its posts, metrics and costs
    stay. A connection test follows and its result is stored as the account's health; exit
    code 9 when the token was saved but the test failed."""
    credentials = _read_json_stdin()
    with app.transaction() as session:
        actor = app.actor(session, username) if username else SYSTEM
        renewed = accounts.replace_credentials(session, actor, app.box, account_id, credentials)
        kind, handle = renewed.kind.value, renewed.handle
    del credentials
    status = _connection_test(app, actor, account_id)
    data = {
        "id": account_id,
        "kind": kind,
        "handle": handle,
        "health": status.health.value,
        "message": status.message,
        "token_expires_at": status.token_expires_at,
    }
    emit(
        data,
        as_json,
        f"Token akun #{account_id} ({kind} {handle}) diperbarui; riwayat akun tetap.\n"
        f"Tes koneksi: {status.message}",
    )
    if not status.ok:
        fail(f"Token tersimpan, tetapi tes koneksi gagal: {status.message}", CONNECTION_FAILED)


@click.group("secrets")
def secrets_group() -> None:
    """The secret key that seals account credentials."""


def _read_old_key(source: str, salt: bytes | None) -> SecretBox:
    if source != "-":
        path = Path(source).expanduser()
        if not path.is_file():
            raise ValidationFailed(f"Berkas kunci lama tidak ditemukan: {path}.")
        material = path.read_text(encoding="utf-8")
    elif sys.stdin.isatty():
        material = click.prompt("Kunci lama", hide_input=True)
    else:
        material = sys.stdin.read()
    # A passphrase is stretched with this install's salt, as the current key is.
    return SecretBox.from_material(material, salt)


@secrets_group.command("rotate")
@click.option(
    "--old-key-file",
    default="-",
    metavar="FILE",
    help="The old key (a Fernet key or passphrase); '-' (default) reads it from stdin.",
)
@click.option(
    "--skip-unreadable",
    is_flag=True,
    help="Leave credentials that neither key opens as they are (renew them afterwards).",
)
@json_option
@pass_app
def secrets_rotate(app: App, old_key_file: str, skip_unreadable: bool, as_json: bool) -> None:
    """Re-seal every account's credentials under the current key, opening them with the old key,
    given once. The current key is found as always: SIARAN_SECRET_KEY, else
    <data dir>/secret.key. One transaction: all credentials are re-sealed or none; when some
    open with neither key their account ids are named and nothing is written, unless
    --skip-unreadable.

    \b
    With a key file:
      siaran worker/dashboard stopped
      mv data/secret.key data/secret.key.old
      siaran init                      # writes a new data/secret.key
      siaran secrets rotate --old-key-file data/secret.key.old
      then start them again and destroy data/secret.key.old
    With SIARAN_SECRET_KEY: set the new value, pass the old one on stdin."""
    old = _read_old_key(old_key_file, read_salt(app.settings))
    try:
        with app.transaction() as session:
            done = accounts.reseal_all(
                session, SYSTEM, old, app.box, skip_unreadable=skip_unreadable
            )
    except accounts.UnreadableCredentials as exc:
        fail(
            f"{exc.message} Perbarui token akun itu dengan 'siaran account renew', atau "
            "lewati dengan --skip-unreadable.",
            exc.exit_code,
        )
    data = {
        "resealed": done.resealed,
        "already_current": done.already_current,
        "skipped": list(done.skipped),
    }
    lines = [f"Kredensial {done.resealed} akun disegel ulang dengan kunci sekarang."]
    if done.already_current:
        lines.append(f"{done.already_current} akun sudah memakai kunci sekarang.")
    if done.skipped:
        listed = ", ".join(f"#{i}" for i in done.skipped)
        lines.append(f"Dilewati (tidak dapat dibuka): akun {listed}; perbarui tokennya.")
    emit(data, as_json, "\n".join(lines))


@click.group()
def screen() -> None:
    """Videotron screens."""


@screen.command("add")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--size", required=True, help="Pixels, e.g. 1408x400.")
@click.option("--location", default="")
@click.option("--offset", default="0,0", help="x,y offset inside the controller's input.")
@click.option("--seconds", type=int, default=10, help="Default seconds per slide.")
@click.option("--timezone", default="Asia/Jakarta")
@click.option("--hours", default=None, help="Operating hours, e.g. 06:00-22:00.")
@click.option("--viewing-distance", type=float, default=None, help="Metres.")
@json_option
@pass_app
def screen_add(
    app: App,
    slug: str,
    name: str,
    size: str,
    location: str,
    offset: str,
    seconds: int,
    timezone: str,
    hours: str | None,
    viewing_distance: float | None,
    as_json: bool,
) -> None:
    """Add a videotron screen."""
    try:
        ox, oy = (int(v) for v in offset.split(","))
    except ValueError as exc:
        raise ValidationFailed("Offset ditulis x,y dalam piksel, misalnya 0,0.") from exc
    with app.transaction() as session:
        created = screens.add_screen(
            session,
            SYSTEM,
            slug=slug,
            name=name,
            size=size,
            location=location,
            offset=(ox, oy),
            default_seconds=seconds,
            timezone=timezone,
            hours=hours,
            viewing_distance_m=viewing_distance,
        )
        data = {
            "id": created.id,
            "slug": created.slug,
            "width": created.width,
            "height": created.height,
        }
    emit(data, as_json, f"Layar '{slug}' {data['width']}×{data['height']} ditambahkan.")


@screen.command("list")
@json_option
@pass_app
def screen_list(app: App, as_json: bool) -> None:
    """List screens."""
    with app.transaction() as session:
        rows = [
            {"slug": s.slug, "name": s.name, "size": f"{s.width}x{s.height}"}
            for s in screens.list_screens(session)
        ]
    emit(rows, as_json, "\n".join(f"{r['slug']:<16} {r['size']:<10} {r['name']}" for r in rows))


@screen.command("schedule")
@click.argument("slug")
@as_option
@click.option("--hours", default=None, help="Every day, e.g. 06:00-22:00 ('none': always on).")
@click.option(
    "--day", "days", multiple=True, help="Per weekday: 0=06:00-22:00, 6=tutup (0=Monday)."
)
@click.option("--clear-days", is_flag=True, help="Forget the per-weekday hours.")
@click.option("--closed", multiple=True, help="A closure day: 2026-12-25:holiday (repeatable).")
@click.option("--clear-closed", is_flag=True, help="Forget every closure day.")
@click.option(
    "--outside-hours",
    type=click.Choice(["default", "dark"]),
    default=None,
    help="Outside hours: show the default slide, or go dark.",
)
@click.option("--default-text", default=None, help="The default slide's line of text.")
@json_option
@pass_app
def screen_schedule(
    app: App,
    slug: str,
    username: str,
    hours: str | None,
    days: tuple[str, ...],
    clear_days: bool,
    closed: tuple[str, ...],
    clear_closed: bool,
    outside_hours: str | None,
    default_text: str | None,
    as_json: bool,
) -> None:
    """Set a screen's operating hours, weekday hours, closure days and default slide."""
    changes: dict[str, Any] = {}
    if hours is not None:
        changes["everyday"] = None if hours.strip().lower() == "none" else parse_span(hours)
    if days or clear_days:
        changes["weekly_hours"] = None if clear_days else parse_weekly(days)
    if closed or clear_closed:
        changes["closures"] = None if clear_closed else parse_closures(closed)
    if outside_hours is not None:
        changes["default_outside_hours"] = outside_hours == "default"
    if default_text is not None:
        changes["default_text"] = default_text
    with app.transaction() as session:
        found = set_screen_schedule(session, app.actor(session, username), slug, **changes)
        data = {
            "slug": found.slug,
            "hours": [found.opens_at.strftime("%H:%M"), found.closes_at.strftime("%H:%M")]
            if found.opens_at and found.closes_at
            else None,
            "weekly_hours": found.weekly_hours,
            "closures": found.closures,
            "default_outside_hours": found.default_outside_hours,
            "default_text": found.default_text,
        }
    emit(
        data,
        as_json,
        f"Jadwal layar '{slug}' disimpan; pemutar menerimanya di daftar putar berikutnya.",
    )


@screen.command("revoke-key")
@click.argument("key_id", type=int)
@as_option
@json_option
@pass_app
def screen_revoke_key(app: App, key_id: int, username: str, as_json: bool) -> None:
    """Revoke a player key (a PC that left, a key that leaked): its plays are refused from now."""
    with app.transaction() as session:
        row = revoke_player_key(session, app.actor(session, username), key_id)
        data = {"id": row.id, "revoked": True}
    emit(data, as_json, f"Kunci pemutar #{key_id} dicabut.")


@click.group()
def dik() -> None:
    """Exempt-information (DIK) screening rules."""


@dik.command("add")
@click.argument("pattern")
@click.option("--reason", required=True)
@click.option("--warn", is_flag=True, help="Warn instead of block.")
@click.option("--regex", is_flag=True, help="PATTERN is a regular expression.")
@click.option("--as", "username", default=None, metavar="USER", help="The PPID Utama adding it.")
@json_option
@pass_app
def dik_add(
    app: App,
    pattern: str,
    reason: str,
    warn: bool,
    regex: bool,
    username: str | None,
    as_json: bool,
) -> None:
    """Add a DIK rule."""
    with app.transaction() as session:
        actor = app.actor(session, username) if username else SYSTEM
        rule = dik_rules.add_rule(
            session,
            actor,
            pattern=pattern,
            reason=reason,
            severity=Severity.WARN if warn else Severity.BLOCK,
            is_regex=regex,
        )
        data = {"id": rule.id, "pattern": rule.pattern, "severity": rule.severity.value}
    emit(data, as_json, f"Aturan DIK #{data['id']} ditambahkan.")


@dik.command("list")
@json_option
@pass_app
def dik_list(app: App, as_json: bool) -> None:
    """List DIK rules."""
    with app.transaction() as session:
        rows = [
            {
                "id": r.id,
                "pattern": r.pattern,
                "severity": r.severity.value,
                "active": r.active,
                "reason": r.reason,
            }
            for r in dik_rules.list_rules(session)
        ]
    emit(rows, as_json, "\n".join(f"{r['id']:>3} {r['severity']:<6} {r['pattern']}" for r in rows))
