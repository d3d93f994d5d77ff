"""Demo data: Bekasi's OPDs, one user of each role (passwords printed once), simulator accounts,
the Bekasi Timur videotron, a few DIK rules and sample posts in the workflow's states; plus
Bagian Humas Setda, a BUMD and a party secretariat with their people (`demo_governance`)."""

from __future__ import annotations

import io
import random
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import (
    DraftInput,
    PhotoInput,
    create_draft,
    usable_accounts,
    usable_screens,
)
from content.infra.demo_governance import load_governance
from content.infra.demo_history import load_history
from content.infra.secrets import SecretBox
from content.infra.store import BlobStore
from content.infra.timeutil import utcnow
from content.models import KipCategory, Opd, Post, PostStatus, Role, User
from content.org import accounts, opds, screens, users
from content.org.actors import SYSTEM, Actor
from content.screening import dik_rules

DEMO_USERS = (
    ("admin", "Administrator Sistem", Role.SYSADMIN, None),
    ("utama", "PPID Utama Diskominfostandi", Role.PPID_UTAMA, "diskominfostandi"),
    ("utama2", "Wakil PPID Utama", Role.PPID_UTAMA, "diskominfostandi"),
    ("analis", "Tim Monev", Role.ANALYST, None),
    ("dinkes", "Admin PPID Dinas Kesehatan", Role.PPID_PEMBANTU, "dinkes"),
    ("disdukcapil", "Admin PPID Disdukcapil", Role.PPID_PEMBANTU, "disdukcapil"),
    ("bekasitimur", "Admin PPID Kecamatan Bekasi Timur", Role.PPID_PEMBANTU, "kec-bekasi-timur"),
)

SIM_ACCOUNTS = (
    ("x", "@humaskotabekasi", "Humas Kota Bekasi", None),
    ("facebook", "pemkotbekasi", "Pemerintah Kota Bekasi", None),
    ("instagram", "@pemkotbekasi", "Pemkot Bekasi", None),
    ("x", "@dinkeskotabekasi", "Dinkes Kota Bekasi", "dinkes"),
    ("instagram", "@dinkes.kotabekasi", "Dinkes Kota Bekasi", "dinkes"),
    ("website", "dinkes.bekasikota.go.id", "Website Dinkes Kota Bekasi", "dinkes"),
)

DIK_RULES = (
    ("rahasia negara", "Informasi yang membahayakan negara (UU KIP Pasal 17 huruf c)."),
    ("rekam medis", "Rekam medis pasien adalah rahasia pribadi (UU KIP Pasal 17 huruf h)."),
    ("HPS", "Harga perkiraan sendiri sebelum lelang selesai (DIK Pemkot Bekasi)."),
    ("berita acara pemeriksaan", "Dokumen pemeriksaan yang belum final (UU KIP Pasal 17 huruf a)."),
)

CAPTIONS = (
    (
        "Posyandu serentak di 12 kecamatan pekan ini. Bawa buku KIA ya! #BekasiSehat",
        "Posyandu serentak di 12 kecamatan",
        "dinkes",
    ),
    (
        "Layanan KTP-el keliling hadir di Kelurahan Margahayu, Sabtu 08.00–12.00 WIB.",
        "KTP-el keliling di Margahayu Sabtu pagi",
        "disdukcapil",
    ),
    (
        "Kerja bakti bersihkan saluran air jelang musim hujan. Info: call center 1500-444.",
        "Kerja bakti bersihkan saluran air",
        "kec-bekasi-timur",
    ),
    (
        "Vaksinasi HPV gratis untuk siswi kelas 5 dan 6 SD di seluruh puskesmas.",
        "Vaksinasi HPV gratis untuk siswi SD",
        "dinkes",
    ),
    (
        "Jam layanan Disdukcapil selama libur nasional: tutup, layanan daring tetap buka.",
        "Layanan daring Disdukcapil tetap buka",
        "disdukcapil",
    ),
    (
        "Festival kuliner UMKM di Alun-alun Bekasi Timur, Minggu ini mulai pukul 16.00 WIB.",
        "Festival kuliner UMKM Bekasi Timur",
        "kec-bekasi-timur",
    ),
    (
        "Pemeriksaan kesehatan gratis bagi lansia di Puskesmas Bekasi Jaya setiap Kamis.",
        "Cek kesehatan gratis lansia tiap Kamis",
        "dinkes",
    ),
)


@dataclass
class DemoResult:
    passwords: dict[str, str] = field(default_factory=dict)
    opds_added: int = 0
    posts: dict[str, int] = field(default_factory=dict)


def demo_photo(seed: int, size: tuple[int, int] = (1600, 1200)) -> bytes:
    """A synthetic photo (no network, no stock images): a gradient sky and a few shapes."""
    rng = random.Random(seed)
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    top = (rng.randrange(20, 120), rng.randrange(60, 160), rng.randrange(120, 230))
    bottom = (rng.randrange(150, 250), rng.randrange(120, 220), rng.randrange(60, 160))
    for y in range(size[1]):
        t = y / size[1]
        draw.line(
            [(0, y), (size[0], y)],
            fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)),
        )
    for _ in range(6):
        x, y = rng.randrange(size[0]), rng.randrange(size[1] // 2, size[1])
        r = rng.randrange(40, 220)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _users(session: Session, password: str | None) -> dict[str, str]:
    passwords = {}
    for username, name, role, opd in DEMO_USERS:
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
    return passwords


def _infrastructure(session: Session, box: SecretBox) -> None:
    existing = {a.handle for a in accounts.list_accounts(session)}
    for kind, handle, name, opd in SIM_ACCOUNTS:
        if handle in existing:
            continue
        bare = handle.strip("@")
        settings = {"page_id": f"sim-{bare}", "ig_user_id": f"sim-{bare}"}
        if kind == "website":
            settings = {"site_url": f"https://{handle}"}
        accounts.add_account(
            session,
            SYSTEM,
            box,
            kind=kind,
            handle=handle,
            display_name=name,
            credentials=_sim_credentials(kind, handle),
            settings=settings,
            opd_slug=opd,
            is_simulator=True,
        )
    if not screens.list_screens(session):
        screens.add_screen(
            session,
            SYSTEM,
            slug="bekasi-timur",
            name="Videotron Bekasi Timur",
            location="Simpang Jl. Ir. H. Juanda – Jl. Cut Meutia, Bekasi Timur",
            size="1408x400",
            default_seconds=10,
            hours="06:00-22:00",
            viewing_distance_m=15.0,
        )
    if not dik_rules.list_rules(session):
        for pattern, reason in DIK_RULES:
            dik_rules.add_rule(session, SYSTEM, pattern=pattern, reason=reason)


def _sim_credentials(kind: str, handle: str) -> dict[str, str]:
    token = f"sim-{secrets.token_hex(8)}"
    if kind == "x":
        return {
            "consumer_key": token,
            "consumer_secret": token,
            "access_token": token,
            "access_token_secret": token,
        }
    if kind == "facebook":
        return {"page_access_token": token}
    if kind == "website":
        return {"username": "humas", "application_password": token}
    return {"access_token": token}


def _draft(session: Session, store: BlobStore, author: User, index: int) -> Post:
    caption, headline, _ = CAPTIONS[index % len(CAPTIONS)]
    actor = Actor.of(author)
    assert author.opd_id is not None
    media = store_upload(session, actor, store, demo_photo(index), filename=f"kegiatan-{index}.jpg")
    ids = [a.id for a in usable_accounts(session, author.opd_id) if a.opd_id == author.opd_id]
    ids = ids or [a.id for a in usable_accounts(session, author.opd_id)]
    data = DraftInput(
        caption=caption,
        headline=headline,
        kip_category=KipCategory.BERKALA,
        account_ids=ids,
        screen_ids=[s.id for s in usable_screens(session)],
        photos=[PhotoInput(media.id, f"Foto kegiatan: {headline}")],
    )
    return create_draft(session, actor, author.opd_id, data)


def _samples(session: Session, store: BlobStore) -> dict[str, int]:
    """One post in each state a person can reach; published ones appear once the worker runs."""
    by_opd = {
        u.opd.slug: u
        for u in session.scalars(select(User).where(User.role == Role.PPID_PEMBANTU))
        if u.opd
    }
    reviewer = Actor.of(users.find_user(session, "utama"))
    made: dict[str, int] = {}
    plan = ["draft", "submitted", "changes_requested", "rejected", "approved", "scheduled", "due"]
    for index, state in enumerate(plan):
        author = by_opd[CAPTIONS[index][2]]
        post = _draft(session, store, author, index)
        made[state] = post.id
        if state == "draft":
            continue
        workflow.submit(session, Actor.of(author), post.id)
        if state == "changes_requested":
            workflow.request_changes(session, reviewer, post.id, "Mohon tambahkan jam dan lokasi.")
        elif state == "rejected":
            workflow.reject(session, reviewer, post.id, "Sudah diumumkan kemarin oleh Setda.")
        elif state in {"approved", "scheduled", "due"}:
            workflow.approve(session, reviewer, post.id)
            if state == "scheduled":
                workflow.schedule(session, reviewer, post.id, utcnow() + timedelta(days=1))
            elif state == "due":
                workflow.schedule(session, reviewer, post.id, utcnow() + timedelta(minutes=2))
    return made


def load_demo(
    session: Session,
    box: SecretBox,
    store: BlobStore,
    *,
    password: str | None = None,
    history: bool = True,
) -> DemoResult:
    result = DemoResult()
    result.opds_added = opds.load_opds(session, SYSTEM, opds.read_csv(opds.BEKASI_CSV))
    result.passwords = _users(session, password)
    _infrastructure(session, box)
    result.passwords |= load_governance(session, box, password)
    if session.scalar(select(func.count()).select_from(Post)) == 0:
        # Three months of a working city (tests of other things skip it: it takes seconds).
        past = load_history(session, store).posts if history else 0
        result.posts = _samples(session, store)
        result.posts["history"] = past
    return result


def has_users(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User)) != 0


_BULK_STATUSES = (
    PostStatus.DRAFT,
    PostStatus.SUBMITTED,
    PostStatus.CHANGES_REQUESTED,
    PostStatus.REJECTED,
    PostStatus.APPROVED,
)


def bulk_posts(session: Session, count: int, *, seed: int = 1) -> int:
    """Many posts fast (for load tests and benchmarks): rows written directly, without photos,
    targets or audit events, and in states that need neither."""
    rng = random.Random(seed)
    authors = list(session.scalars(select(User).where(User.role == Role.PPID_PEMBANTU)))
    fallback = users.find_user(session, "utama")
    opd_list = list(session.scalars(select(Opd.id)))
    by_opd = {u.opd_id: u.id for u in authors}
    now = utcnow()
    rows = []
    for n in range(count):
        opd_id = rng.choice(opd_list)
        status = rng.choice(_BULK_STATUSES)
        caption, headline, _ = CAPTIONS[n % len(CAPTIONS)]
        stamp = now - timedelta(minutes=rng.randrange(0, 60 * 24 * 365))
        rows.append(
            {
                "opd_id": opd_id,
                "author_id": by_opd.get(opd_id, fallback.id),
                "caption": f"{caption} (#{n})",
                "headline": headline,
                "status": status,
                "version": 1,
                "content_hash": f"{n:064x}",
                "approved_hash": f"{n:064x}" if status is PostStatus.APPROVED else None,
                "created_at": stamp,
                "updated_at": stamp,
            }
        )
        if len(rows) == 5_000:
            session.execute(insert(Post), rows)
            rows = []
    if rows:
        session.execute(insert(Post), rows)
    return count
