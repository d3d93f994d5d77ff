"""A small Bekasi for tests: OPDs, a user of each role, accounts, a screen, posts in any state."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

from PIL import Image
from sqlalchemy.orm import Session

from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft
from content.infra.secrets import SecretBox
from content.infra.store import FileBlobStore
from content.infra.timeutil import utcnow
from content.models import KipCategory, Post, PostStatus, Role
from content.models.enums import OPD_ROLES
from content.org import accounts, opds, screens, users
from content.org.actors import SYSTEM, Actor

PASSWORD = "kata-sandi-uji-123"


def _key() -> bytes:
    from cryptography.fernet import Fernet

    return Fernet.generate_key()


def jpeg(size: tuple[int, int] = (800, 600), colour: str = "navy") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


@dataclass
class World:
    session: Session
    box: SecretBox
    secret_key: str
    store: FileBlobStore
    dinkes_id: int
    disdukcapil_id: int
    pembantu: Actor  # Dinkes
    admin_opd: Actor  # Dinkes's OPD admin: drafts only
    pembantu2: Actor  # Dinkes, a colleague
    other_pembantu: Actor  # Disdukcapil
    utama: Actor
    utama2: Actor
    analyst: Actor
    sysadmin: Actor
    x_account: int
    fb_account: int
    ig_account: int
    city_x_account: int
    other_x_account: int
    screen_id: int

    def actor(self, name: str) -> Actor:
        actor: Actor = getattr(self, name)
        return actor

    def draft(
        self, author: Actor | None = None, caption: str = "Posyandu serentak pekan ini."
    ) -> Post:
        author = author or self.pembantu
        media = store_upload(self.session, author, self.store, jpeg(), filename="posyandu.jpg")
        # PPID Pembantu write for their OPD; PPID Utama writes for Dinkes in these tests.
        opd_id = author.opd_id if author.role in OPD_ROLES else self.dinkes_id
        assert opd_id is not None
        accounts = {
            self.dinkes_id: [self.x_account, self.ig_account],
            self.disdukcapil_id: [self.other_x_account],
        }
        data = DraftInput(
            caption=caption,
            headline="Posyandu serentak pekan ini",
            kip_category=KipCategory.BERKALA,
            account_ids=accounts[opd_id],
            screen_ids=[self.screen_id],
            photos=[PhotoInput(media.id, "Kader posyandu menimbang balita")],
        )
        return create_draft(self.session, author, opd_id, data)

    def post_in(self, status: PostStatus, author: Actor | None = None) -> Post:
        """A post brought to `status` through the real workflow."""
        post = self.draft(author)
        if status is PostStatus.DRAFT:
            return post
        workflow.submit(self.session, author or self.pembantu, post.id)
        if status is PostStatus.SUBMITTED:
            return post
        if status is PostStatus.CHANGES_REQUESTED:
            return workflow.request_changes(self.session, self.utama, post.id, "Tambahkan lokasi.")
        if status is PostStatus.REJECTED:
            return workflow.reject(self.session, self.utama, post.id, "Sudah diumumkan.")
        workflow.approve(self.session, self.utama, post.id)
        if status is PostStatus.APPROVED:
            return post
        if status is PostStatus.SCHEDULED:
            return workflow.schedule(
                self.session, self.utama, post.id, utcnow() + timedelta(hours=3)
            )
        raise ValueError(f"the workflow cannot reach {status} by itself")


def build_world(session: Session, store_root: object) -> World:
    from pathlib import Path

    key = _key()
    box = SecretBox(key)
    store = FileBlobStore(Path(str(store_root)))
    dinkes = opds.add_opd(session, SYSTEM, slug="dinkes", name="Dinas Kesehatan", kind="dinas")
    capil = opds.add_opd(
        session,
        SYSTEM,
        slug="disdukcapil",
        name="Dinas Kependudukan dan Pencatatan Sipil",
        kind="dinas",
    )
    opds.add_opd(session, SYSTEM, slug="diskominfostandi", name="Diskominfostandi", kind="dinas")

    def user(name: str, role: Role, opd: str | None = None) -> Actor:
        created = users.create_user(
            session,
            SYSTEM,
            username=name,
            display_name=name.title(),
            password=PASSWORD,
            role=role,
            opd_slug=opd,
        )
        return Actor.of(created)

    def account(kind: str, handle: str, opd: str | None) -> int:
        creds = {
            "x": {
                "consumer_key": "k",
                "consumer_secret": "s",
                "access_token": "t",
                "access_token_secret": "u",
            },
            "facebook": {"page_access_token": "p"},
            "instagram": {"access_token": "i"},
        }[kind]
        created = accounts.add_account(
            session,
            SYSTEM,
            box,
            kind=kind,
            handle=handle,
            display_name=handle,
            credentials=creds,
            settings={"page_id": "1", "ig_user_id": "2"},
            opd_slug=opd,
            is_simulator=True,
        )
        return created.id

    screen = screens.add_screen(
        session, SYSTEM, slug="bekasi-timur", name="Videotron Bekasi Timur", size="1408x400"
    )
    return World(
        session=session,
        box=box,
        secret_key=key.decode(),
        store=store,
        dinkes_id=dinkes.id,
        disdukcapil_id=capil.id,
        pembantu=user("dinkes", Role.PPID_PEMBANTU, "dinkes"),
        admin_opd=user("dinkes-admin", Role.ADMIN_OPD, "dinkes"),
        pembantu2=user("dinkes2", Role.PPID_PEMBANTU, "dinkes"),
        other_pembantu=user("capil", Role.PPID_PEMBANTU, "disdukcapil"),
        utama=user("utama", Role.PPID_UTAMA, "diskominfostandi"),
        utama2=user("utama2", Role.PPID_UTAMA, "diskominfostandi"),
        analyst=user("analis", Role.ANALYST),
        sysadmin=user("admin", Role.SYSADMIN),
        x_account=account("x", "@dinkes", "dinkes"),
        fb_account=account("facebook", "dinkes-fb", "dinkes"),
        ig_account=account("instagram", "@dinkes.ig", "dinkes"),
        city_x_account=account("x", "@humaskota", None),
        other_x_account=account("x", "@capil", "disdukcapil"),
        screen_id=screen.id,
    )
