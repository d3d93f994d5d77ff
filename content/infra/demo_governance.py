"""Demo data for governance as Bekasi runs it (issue 15): organisations beyond the dinas and the
people who draft and sign off for them.

- Bagian Humas Setda as an organisation of its own (PPID Utama moved from it to
  Diskominfostandi in 2025, but it still publishes for the Setda);
- one BUMD (Perumda Tirta Patriot) and one party secretariat (kind `partai`, a generic name:
  no real party is named), each with its own PPID Pembantu and a simulator account that needs
  only that Pembantu's sign-off (an OPD-only account: no second approval is asked);
- an OPD admin (`admin_opd`, drafts only) for a few OPDs, so that the two-level journey (admin
  drafts, the Sekretaris signs off, PPID Utama signs off) can be walked through.

Added by `load_demo` after the shipped OPD list, idempotent like the rest of the demo: what is
there already (by slug, username, handle) is left alone.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from content.infra.secrets import SecretBox
from content.models import ApprovalLevel, Role, User
from content.org import accounts, opds, users
from content.org.actors import SYSTEM

# slug, name, kind, short name
ORGANISATIONS = (
    ("humas-setda", "Bagian Hubungan Masyarakat Setda Kota Bekasi", "bagian", "Humas Setda"),
    ("perumda-tirta-patriot", "Perumda Air Minum Tirta Patriot", "bumd", "Tirta Patriot"),
    ("partai-a", "Sekretariat Partai Politik A", "partai", "Partai Politik A"),
)

# username, display name, role, organisation slug
GOVERNANCE_USERS = (
    (
        "tirtapatriot",
        "PPID Pembantu Perumda Tirta Patriot",
        Role.PPID_PEMBANTU,
        "perumda-tirta-patriot",
    ),
    ("partai-a", "PPID Pembantu Sekretariat Partai Politik A", Role.PPID_PEMBANTU, "partai-a"),
    ("dinkes-admin", "Admin OPD Dinas Kesehatan", Role.ADMIN_OPD, "dinkes"),
    ("disdukcapil-admin", "Admin OPD Disdukcapil", Role.ADMIN_OPD, "disdukcapil"),
    ("bekasitimur-admin", "Admin OPD Kecamatan Bekasi Timur", Role.ADMIN_OPD, "kec-bekasi-timur"),
    ("tirtapatriot-admin", "Admin Perumda Tirta Patriot", Role.ADMIN_OPD, "perumda-tirta-patriot"),
)

# kind, handle, display name, organisation slug: each signed off by its own Pembantu only.
GOVERNANCE_ACCOUNTS = (
    ("instagram", "@tirtapatriot.sim", "Perumda Tirta Patriot", "perumda-tirta-patriot"),
    ("x", "@partaipolitika.sim", "Sekretariat Partai Politik A", "partai-a"),
)


def _credentials(kind: str) -> dict[str, str]:
    token = f"sim-{secrets.token_hex(8)}"
    if kind == "x":
        keys = ("consumer_key", "consumer_secret", "access_token", "access_token_secret")
        return dict.fromkeys(keys, token)
    return {"page_access_token": token} if kind == "facebook" else {"access_token": token}


def load_governance(session: Session, box: SecretBox, password: str | None) -> dict[str, str]:
    """Add the organisations, people and accounts above that are missing; the new people's
    passwords (generated unless `password` is given), to be printed once."""
    rows = [{"slug": s, "name": n, "kind": k, "short": sh} for s, n, k, sh in ORGANISATIONS]
    opds.load_opds(session, SYSTEM, rows)
    passwords: dict[str, str] = {}
    for username, name, role, opd in GOVERNANCE_USERS:
        if session.scalar(select(User.id).where(User.username == username)) is not None:
            continue
        secret = password or secrets.token_urlsafe(9)
        users.create_user(
            session,
            SYSTEM,
            username=username,
            display_name=name,
            password=secret,
            role=role,
            opd_slug=opd,
        )
        passwords[username] = secret
    existing = {a.handle for a in accounts.list_accounts(session)}
    for kind, handle, name, opd in GOVERNANCE_ACCOUNTS:
        if handle in existing:
            continue
        slug = handle.strip("@").replace(".", "-")
        account = accounts.add_account(
            session,
            SYSTEM,
            box,
            kind=kind,
            handle=handle,
            display_name=name,
            credentials=_credentials(kind),
            settings={"page_id": f"sim-{slug}", "ig_user_id": f"sim-{slug}"},
            opd_slug=opd,
            is_simulator=True,
        )
        accounts.set_approvals(session, SYSTEM, account.id, [ApprovalLevel.OPD])
    return passwords
