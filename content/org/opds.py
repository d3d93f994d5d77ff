"""OPDs (perangkat daerah). The list is data: loaded from CSV, extended by the sysadmin."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.infra.errors import NotFound, ValidationFailed
from content.models import Opd, OpdKind
from content.org.actors import Actor, refresh
from content.org.permissions import Action, require

BEKASI_CSV = Path(__file__).parent.parent / "data" / "bekasi-opd.csv"
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


def parse_kind(value: str) -> OpdKind:
    try:
        return OpdKind(value.strip().lower())
    except ValueError as exc:
        kinds = ", ".join(k.value for k in OpdKind)
        raise ValidationFailed(
            f"Jenis OPD '{value}' tidak dikenal; pilih salah satu: {kinds}."
        ) from exc


def add_opd(
    session: Session, actor: Actor, *, slug: str, name: str, kind: str, short_name: str = ""
) -> Opd:
    actor = refresh(session, actor)
    require(actor, Action.MANAGE_OPDS)
    slug = slug.strip().lower()
    if not _SLUG.match(slug):
        raise ValidationFailed("Slug OPD 2–64 karakter: huruf kecil, angka dan strip.")
    if not name.strip():
        raise ValidationFailed("Nama OPD wajib diisi.")
    if session.scalar(select(Opd.id).where(Opd.slug == slug)) is not None:
        raise ValidationFailed(f"OPD '{slug}' sudah ada.")
    opd = Opd(
        slug=slug,
        name=name.strip(),
        short_name=short_name.strip() or name.strip(),
        kind=parse_kind(kind),
    )
    session.add(opd)
    session.flush()
    audit.record(
        session, actor, AuditAction.OPD_CREATED, "opd", opd.id, opd_id=opd.id, after={"slug": slug}
    )
    return opd


def list_opds(session: Session, *, active_only: bool = True) -> list[Opd]:
    query = select(Opd).order_by(Opd.kind, Opd.name)
    if active_only:
        query = query.where(Opd.active)
    return list(session.scalars(query))


def get_opd(session: Session, slug: str) -> Opd:
    opd = session.scalar(select(Opd).where(Opd.slug == slug))
    if opd is None:
        raise NotFound(f"OPD '{slug}' tidak ditemukan.")
    return opd


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_opds(session: Session, actor: Actor, rows: Iterable[dict[str, str]]) -> int:
    """Add the OPDs that are not there yet (by slug); returns how many were added."""
    existing = set(session.scalars(select(Opd.slug)))
    added = 0
    for row in rows:
        if row["slug"] in existing:
            continue
        add_opd(
            session,
            actor,
            slug=row["slug"],
            name=row["name"],
            kind=row["kind"],
            short_name=row.get("short", ""),
        )
        added += 1
    return added
