"""Administrasi (sysadmin): users and roles, OPDs, social accounts (credentials typed into
password fields and never shown again: only which keys are set; accounts that need a new token
listed with "Perbarui token", each renewal followed by a connection test), videotron screens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from content.infra.timeutil import format_wib, utcnow
from content.labels import APPROVAL_LEVEL_LABELS, CHANNEL_LABELS, ROLE_LABELS
from content.models import ApprovalLevel, Channel, OpdKind, Role
from content.models.enums import SOCIAL_CHANNELS
from content.org import accounts, opds, screens, sso, users
from content.org.accounts import REQUIRED_CREDENTIALS, REQUIRED_SETTINGS
from content.org.actors import Actor
from content.org.administration import (
    AccountRow,
    RenewalReason,
    UserRow,
    account_for_check,
    account_overview,
    list_users,
    needing_renewal,
)
from content.org.permissions import Action
from dashboard import auth, resources
from dashboard.ui import TRAINING, attempt, data_table, flash, md, read
from publishers.social.config import PublisherSettings
from publishers.social.connection import check_account

KEY_LABELS = {
    "consumer_key": "API key (consumer key)",
    "consumer_secret": "API key secret",
    "access_token": "Access token",
    "access_token_secret": "Access token secret",
    "page_access_token": "Page access token",
    "page_id": "ID halaman Facebook",
    "ig_user_id": "ID pengguna Instagram (ig-user-id)",
    "site_url": "Alamat situs WordPress (https://…)",
    "username": "Nama pengguna WordPress",
    "application_password": "Application Password WordPress",
}


@dataclass(frozen=True)
class Admin:
    users: list[UserRow]
    opds: list[tuple[str, str, str, str, bool]]  # slug, name, short name, kind, active
    accounts: list[AccountRow]
    screens: list[dict[str, Any]]


def load(session: Session, actor: Actor) -> Admin:
    return Admin(
        list_users(session, actor),
        [
            (o.slug, o.name, o.short_name, o.kind.value, o.active)
            for o in opds.list_opds(session, active_only=False)
        ],
        account_overview(
            session,
            actor,
            resources.box(),
            # The warning period the connection check uses to call a token "expiring".
            warn_within=timedelta(
                days=PublisherSettings.from_settings(resources.settings()).expiring_days
            ),
        ),
        [
            {
                "Slug": s.slug,
                "Nama": s.name,
                "Lokasi": s.location,
                "Ukuran (px)": f"{s.width}×{s.height}",
                "Durasi slide (detik)": s.default_seconds,
                "Jam operasi": (
                    f"{s.opens_at:%H:%M}–{s.closes_at:%H:%M}" if s.opens_at and s.closes_at else "-"
                ),
                "Aktif": s.active,
            }
            for s in screens.list_screens(session)
        ],
    )


def _text(key: str) -> str:
    return str(st.session_state.get(key, "") or "").strip()


# --- users ------------------------------------------------------------------------------------


def _add_user(actor: Actor) -> None:
    role = st.session_state.get("adm_u_role") or Role.PPID_PEMBANTU
    name = _text("adm_u_username")
    password = str(st.session_state.pop("adm_u_password", ""))
    attempt(
        lambda s: users.create_user(
            s,
            actor,
            username=name,
            display_name=_text("adm_u_name"),
            password=password,
            role=role,
            opd_slug=st.session_state.get("adm_u_opd") or None,
        ),
        done=f"Pengguna '{name}' ditambahkan.",
    )


def _set_role(actor: Actor, username: str) -> None:
    role = st.session_state[f"adm_role_{username}"]
    opd = st.session_state.get(f"adm_opd_{username}") or None
    attempt(
        lambda s: users.set_role(s, actor, username, role, opd),
        done=f"Peran '{username}' diperbarui.",
    )


def _set_email(actor: Actor, username: str) -> None:
    email = _text(f"adm_email_{username}")
    attempt(
        lambda s: sso.set_email(s, actor, username, email),
        done=f"E-mail '{username}' diperbarui.",
    )


def _set_active(actor: Actor, username: str, active: bool) -> None:
    state = "diaktifkan" if active else "dinonaktifkan"
    attempt(
        lambda s: users.set_active(s, actor, username, active),
        done=f"Pengguna '{username}' {state}.",
    )


def _reset_password(actor: Actor, username: str) -> None:
    password = str(st.session_state.pop(f"adm_pw_{username}", ""))
    attempt(
        lambda s: users.set_password(s, actor, username, password),
        done=f"Kata sandi '{username}' diatur ulang.",
    )


def user_table(rows: list[UserRow]) -> None:
    data_table(
        [
            {
                "Nama pengguna": r.username,
                "Nama": r.display_name,
                "Peran": ROLE_LABELS[r.role],
                "OPD": r.opd_name,
                "E-mail": r.email or "",
                "Aktif": r.active,
                "Masuk terakhir": format_wib(r.last_login_at) if r.last_login_at else "",
            }
            for r in rows
        ],
        hide_index=True,
    )


def opd_choice(key: str, slugs: list[str], label: str, index: int = 0) -> None:
    st.selectbox(
        label,
        options=["", *slugs],
        index=index,
        key=key,
        format_func=lambda s: s or "(tanpa OPD)",
    )


def add_user_form(actor: Actor, slugs: list[str]) -> None:
    with st.form("adm_user_add", clear_on_submit=True):
        st.markdown("**Tambah pengguna**")
        st.text_input("Nama pengguna", key="adm_u_username")
        st.text_input("Nama lengkap", key="adm_u_name")
        st.text_input("Kata sandi awal", type="password", key="adm_u_password")
        st.selectbox(
            "Peran", options=list(Role), key="adm_u_role", format_func=lambda r: ROLE_LABELS[r]
        )
        opd_choice("adm_u_opd", slugs, "OPD (wajib untuk Admin OPD dan PPID Pembantu)")
        st.form_submit_button("Tambah pengguna", on_click=_add_user, args=(actor,))


def edit_user(actor: Actor, rows: list[UserRow], slugs: list[str]) -> None:
    by_name = {r.username: r for r in rows}
    chosen = st.selectbox("Ubah pengguna", options=list(by_name), key="adm_edit_user")
    row = by_name.get(chosen) if chosen else None
    if row is None:
        return
    name, roles = row.username, list(Role)
    st.selectbox(
        "Peran",
        options=roles,
        index=roles.index(row.role),
        key=f"adm_role_{name}",
        format_func=lambda r: ROLE_LABELS[r],
    )
    opd_index = slugs.index(row.opd_slug) + 1 if row.opd_slug in slugs else 0
    opd_choice(f"adm_opd_{name}", slugs, "OPD", opd_index)
    st.button("Simpan peran", key=f"adm_save_role_{name}", on_click=_set_role, args=(actor, name))
    st.text_input("E-mail (pemberitahuan dan SSO)", value=row.email or "", key=f"adm_email_{name}")
    st.button(
        "Simpan e-mail", key=f"adm_save_email_{name}", on_click=_set_email, args=(actor, name)
    )
    st.text_input("Kata sandi baru", type="password", key=f"adm_pw_{name}")
    st.button(
        "Atur ulang kata sandi",
        key=f"adm_save_pw_{name}",
        on_click=_reset_password,
        args=(actor, name),
    )
    st.button(
        "Nonaktifkan" if row.active else "Aktifkan",
        key=f"adm_active_{name}",
        on_click=_set_active,
        args=(actor, name, not row.active),
    )


def users_tab(actor: Actor, admin: Admin) -> None:
    user_table(admin.users)
    slugs = [slug for slug, *_ in admin.opds]
    left, right = st.columns(2)
    with left:
        add_user_form(actor, slugs)
    with right, st.container(border=True):
        edit_user(actor, admin.users, slugs)


# --- OPDs -------------------------------------------------------------------------------------


def _add_opd(actor: Actor) -> None:
    slug = _text("adm_o_slug")
    attempt(
        lambda s: opds.add_opd(
            s,
            actor,
            slug=slug,
            name=_text("adm_o_name"),
            kind=str(st.session_state.get("adm_o_kind") or OpdKind.DINAS.value),
            short_name=_text("adm_o_short"),
        ),
        done=f"OPD '{slug}' ditambahkan.",
    )


def opds_tab(actor: Actor, admin: Admin) -> None:
    data_table(
        [
            {"Slug": slug, "Nama": name, "Singkatan": short, "Jenis": kind, "Aktif": active}
            for slug, name, short, kind, active in admin.opds
        ],
        hide_index=True,
    )
    with st.form("adm_opd_add", clear_on_submit=True):
        st.markdown("**Tambah OPD**")
        st.text_input("Slug (huruf kecil, angka, strip)", key="adm_o_slug")
        st.text_input("Nama", key="adm_o_name")
        st.text_input("Singkatan", key="adm_o_short")
        st.selectbox("Jenis", options=[k.value for k in OpdKind], key="adm_o_kind")
        st.form_submit_button("Tambah OPD", on_click=_add_opd, args=(actor,))


# --- accounts ---------------------------------------------------------------------------------


def _add_account(actor: Actor, kind: Channel) -> None:
    # Taken out of the session at once: the typed secrets do not outlive this call there.
    creds = {
        k: str(st.session_state.pop(f"adm_a_cred_{k}", "")) for k in REQUIRED_CREDENTIALS[kind]
    }
    settings = {k: _text(f"adm_a_set_{k}") for k in REQUIRED_SETTINGS[kind]}
    handle = _text("adm_a_handle")
    attempt(
        lambda s: accounts.add_account(
            s,
            actor,
            resources.box(),
            kind=kind.value,
            handle=handle,
            display_name=_text("adm_a_name"),
            credentials=creds,
            settings=settings,
            opd_slug=st.session_state.get("adm_a_opd") or None,
            is_simulator=bool(st.session_state.get("adm_a_sim")),
        ),
        done=f"Akun {CHANNEL_LABELS[kind]} '{handle}' ditambahkan (kredensial terenkripsi).",
    )


def _test_connection(actor: Actor, account_id: int, handle: str) -> None:
    """The account check: credentials opened in one transaction, the platform asked outside
    any, the result stored as the account's health and shown."""
    opened = attempt(lambda s: account_for_check(s, actor, resources.box(), account_id))
    if opened is None:
        return
    account, credentials = opened
    status = check_account(account, credentials, resources.settings())
    del credentials  # not kept beyond the call
    attempt(
        lambda s: accounts.record_health(
            s,
            account_id,
            status.health,
            status.message,
            status.token_expires_at,
            platform_ids=status.details,
        )
    )
    flash("success" if status.ok else "error", f"{handle}: {status.message}")


def _renew(actor: Actor, account_id: int, kind: Channel, handle: str) -> None:
    # Taken out of the session at once: the typed secrets do not outlive this call there.
    creds = {
        k: str(st.session_state.pop(f"adm_r_cred_{k}", "")) for k in REQUIRED_CREDENTIALS[kind]
    }
    renewed = attempt(
        lambda s: accounts.replace_credentials(s, actor, resources.box(), account_id, creds),
        done=f"Token {handle} diperbarui; riwayat akun tetap.",
    )
    if renewed is not None:
        _test_connection(actor, account_id, handle)


def _pick_for_renewal(account_id: int) -> None:
    st.session_state["adm_r_account"] = account_id


def _expiry(row: AccountRow) -> str:
    if row.token_expires_at is None:
        return "masa berlaku token tidak diketahui"
    days = (row.token_expires_at - utcnow()).days
    when = format_wib(row.token_expires_at)
    return (
        f"token kedaluwarsa {when}"
        if row.token_expired
        else f"token berlaku s.d. {when} ({days} hari)"
    )


def _reasons(row: AccountRow) -> str:
    """Why the account needs a new token, as the sysadmin reads it."""
    said = {
        RenewalReason.UNREADABLE: _keys(row),
        RenewalReason.EXPIRED: _expiry(row),
        RenewalReason.EXPIRING: _expiry(row),
        RenewalReason.CHECK_FAILED: f"tes koneksi terakhir gagal ({row.health_message or '-'})",
    }
    return "; ".join(dict.fromkeys(said[reason] for reason in row.renewal_reasons))


def _keys(row: AccountRow) -> str:
    if row.credential_keys is None:
        return "tidak dapat dibuka dengan kunci rahasia yang sekarang"
    return ", ".join(row.credential_keys) or "tidak ada"


def _set_approvals(actor: Actor, account_id: int, handle: str) -> None:
    chosen = st.session_state.get(f"adm_approvals_{account_id}") or []
    attempt(
        lambda s: accounts.set_approvals(s, actor, account_id, list(chosen)),
        done=f"Persetujuan untuk akun {handle} disimpan.",
    )


def approvals_box(actor: Actor, row: AccountRow) -> None:
    """Which sign-offs a post to this account needs: its OPD's Sekretaris, PPID Utama, both."""
    pick, save = st.columns([3, 1])
    pick.multiselect(
        "Persetujuan yang diperlukan",
        options=list(ApprovalLevel),
        default=list(row.approvals),
        format_func=lambda level: APPROVAL_LEVEL_LABELS[level],
        key=f"adm_approvals_{row.id}",
    )
    save.button(
        "Simpan persetujuan",
        key=f"adm_save_approvals_{row.id}",
        on_click=_set_approvals,
        args=(actor, row.id, row.handle),
    )


def account_card(actor: Actor, row: AccountRow) -> None:
    with st.container(border=True):
        training = f" — {TRAINING}" if row.is_simulator else ""
        st.markdown(
            f"**{CHANNEL_LABELS[row.kind]} · {md(row.display_name)}** ({md(row.handle)}){training}"
            f" · {md(row.opd_name or 'seluruh kota')}{'' if row.active else ' · nonaktif'}"
        )
        keys = _keys(row)
        st.caption(f"Kesehatan: {row.health.value} · {_expiry(row)} · kunci tersimpan: {md(keys)}")
        if row.health_message:
            st.caption(md(row.health_message))
        test, renew = st.columns(2)
        test.button(
            "Tes koneksi",
            key=f"adm_test_{row.id}",
            on_click=_test_connection,
            args=(actor, row.id, row.handle),
        )
        renew.button(
            "Perbarui token",
            key=f"adm_renew_{row.id}",
            on_click=_pick_for_renewal,
            args=(row.id,),
        )
        approvals_box(actor, row)


def renewal_list(rows: list[AccountRow]) -> None:
    """Accounts that need a new token, each with its reasons and the renew action."""
    for row in needing_renewal(rows):
        with st.container(border=True):
            st.warning(
                f"{CHANNEL_LABELS[row.kind]} {md(row.handle)}: {md(_reasons(row))}; "
                "perbarui tokennya."
            )
            st.button(
                "Perbarui token",
                key=f"adm_renew_due_{row.id}",
                on_click=_pick_for_renewal,
                args=(row.id,),
            )


def renew_form(actor: Actor, rows: list[AccountRow]) -> None:
    """New credentials for an existing account: the same account (posts, metrics and costs
    stay), typed into password fields, sealed, then tested at once."""
    by_id = {r.id: r for r in rows}
    if st.session_state.get("adm_r_account") not in by_id:
        st.session_state["adm_r_account"] = None
    chosen = st.selectbox(
        "Perbarui token akun",
        options=[None, *by_id],
        key="adm_r_account",
        format_func=lambda i: (
            "(pilih akun)" if i is None else f"{CHANNEL_LABELS[by_id[i].kind]} {by_id[i].handle}"
        ),
    )
    row = by_id.get(chosen) if chosen is not None else None
    if row is None:
        return
    with st.form("adm_renew", clear_on_submit=True):
        st.markdown(f"**Perbarui token {CHANNEL_LABELS[row.kind]} {md(row.handle)}**")
        st.caption(
            "Akun yang sama: konten, metrik dan biayanya tetap. Setelah disimpan, koneksi "
            "langsung dites."
        )
        for key in REQUIRED_CREDENTIALS[row.kind]:
            st.text_input(KEY_LABELS.get(key, key), type="password", key=f"adm_r_cred_{key}")
        st.form_submit_button(
            "Simpan token baru", on_click=_renew, args=(actor, row.id, row.kind, row.handle)
        )


def add_account_form(actor: Actor, slugs: list[str]) -> None:
    kind = st.selectbox(
        "Jenis akun baru",
        options=list(SOCIAL_CHANNELS),
        key="adm_a_kind",
        format_func=lambda c: CHANNEL_LABELS[c],
    )
    with st.form("adm_account_add", clear_on_submit=True):
        st.markdown(f"**Tambah akun {CHANNEL_LABELS[kind]}**")
        st.text_input("Nama akun (handle)", key="adm_a_handle")
        st.text_input("Nama tampilan", key="adm_a_name")
        opd_choice("adm_a_opd", slugs, "OPD pemilik (kosong: akun seluruh kota)")
        for key in REQUIRED_SETTINGS[kind]:
            st.text_input(KEY_LABELS.get(key, key), key=f"adm_a_set_{key}")
        for key in REQUIRED_CREDENTIALS[kind]:
            # Typed once, sealed with the secret key, never shown again.
            st.text_input(KEY_LABELS.get(key, key), type="password", key=f"adm_a_cred_{key}")
        st.checkbox(f"Akun simulator ({TRAINING})", key="adm_a_sim")
        st.form_submit_button("Tambah akun", on_click=_add_account, args=(actor, kind))


def accounts_tab(actor: Actor, admin: Admin) -> None:
    renewal_list(admin.accounts)
    renew_form(actor, admin.accounts)
    for row in admin.accounts:
        account_card(actor, row)
    add_account_form(actor, [slug for slug, *_ in admin.opds])


# --- screens ----------------------------------------------------------------------------------


def _add_screen(actor: Actor) -> None:
    slug = _text("adm_s_slug")
    distance = float(st.session_state.get("adm_s_distance") or 0)
    attempt(
        lambda s: screens.add_screen(
            s,
            actor,
            slug=slug,
            name=_text("adm_s_name"),
            size=_text("adm_s_size"),
            location=_text("adm_s_location"),
            default_seconds=int(st.session_state.get("adm_s_seconds") or 10),
            hours=_text("adm_s_hours") or None,
            viewing_distance_m=distance or None,
        ),
        done=f"Layar '{slug}' ditambahkan.",
    )


def screens_tab(actor: Actor, admin: Admin) -> None:
    data_table(admin.screens, hide_index=True)
    with st.form("adm_screen_add", clear_on_submit=True):
        st.markdown("**Tambah layar videotron**")
        st.text_input("Slug", key="adm_s_slug")
        st.text_input("Nama", key="adm_s_name")
        st.text_input("Ukuran piksel (mis. 1408x400)", key="adm_s_size")
        st.text_input("Lokasi", key="adm_s_location")
        st.number_input("Durasi slide bawaan (detik)", 1, 3600, 10, key="adm_s_seconds")
        st.text_input("Jam operasi (mis. 06:00-22:00, kosong: sepanjang hari)", key="adm_s_hours")
        st.number_input(
            "Jarak pandang (meter, 0: tidak diketahui)", 0.0, 1000.0, 0.0, key="adm_s_distance"
        )
        st.form_submit_button("Tambah layar", on_click=_add_screen, args=(actor,))


def main() -> None:
    actor = auth.require_page(Action.MANAGE_USERS)
    st.title("Administrasi")
    admin = read(lambda s: load(s, actor))
    tabs = st.tabs(["Pengguna", "OPD", "Akun media sosial", "Layar videotron"])
    with tabs[0]:
        users_tab(actor, admin)
    with tabs[1]:
        opds_tab(actor, admin)
    with tabs[2]:
        accounts_tab(actor, admin)
    with tabs[3]:
        screens_tab(actor, admin)


main()
