"""Three months of a working city for the demo (`siaran demo`): a handful of OPDs write posts
across channels and KIP categories; PPID Utama reviews them (some go back with a comment and are
fixed); the worker publishes them (attempts, a retry now and then, the platforms' ids and
links); engagement is read over the following days; the videotron plays the slides; X charges
go to the ledger against a monthly budget; a few posts wait scheduled in the coming days.

Everything a person does goes through the services (`posts`, `workflow`, `set_budget`) and
everything the worker does through its own (`claim_due`, `record_success`, `record_failure`,
`store_readings`, `add_charges`, `record_plays`' table), so every invariant and audit row holds;
then the post's timestamps are moved to the day it happened, because the services write "now".
Deterministic (one seeded `random.Random`) and fast: a few hundred rows per post at most.

OPDs not listed in `DESKS` stay without history, so Monev shows what "belum ada data" looks like.
"""

from __future__ import annotations

import hashlib
import io
import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from PIL import Image, ImageDraw
from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from content.costs import budgets
from content.costs.ledger import Charge, add_charges
from content.costs.months import month_of
from content.costs.operations import Operation
from content.costs.prices import Prices, load_prices
from content.delivery import publishing
from content.delivery.metrics import store_readings
from content.editorial import workflow
from content.editorial.media import store_upload
from content.editorial.posts import DraftInput, PhotoInput, create_draft, update_draft
from content.infra.store import BlobStore
from content.infra.timeutil import WIB, utcnow
from content.models import (
    Account,
    AttemptOutcome,
    AuditEvent,
    Channel,
    KipCategory,
    Opd,
    PlayEvent,
    Post,
    PostTarget,
    PublishAttempt,
    Review,
    Role,
    Screen,
    TargetStatus,
    User,
)
from content.org.actors import Actor, worker_actor
from content.playlist.slides import record_slide

HISTORY_DAYS = 91
WORKER = "demo-worker:1:history"
# OPD slug: posts per week. Only OPDs with a desk (a PPID Pembantu, or PPID Utama's own OPD).
DESKS = {"dinkes": 2.5, "disdukcapil": 2, "kec-bekasi-timur": 1, "diskominfostandi": 1.5}
TOPICS = {
    "dinkes": (
        ("Posyandu serentak di {place} pekan ini. Bawa buku KIA ya!", KipCategory.BERKALA),
        ("Vaksinasi HPV gratis untuk siswi SD di puskesmas {place}.", KipCategory.BERKALA),
        ("Waspada DBD: lakukan 3M plus di lingkungan {place}.", KipCategory.SERTA_MERTA),
        (
            "Layanan cek kesehatan gratis di Puskesmas {place} setiap Sabtu.",
            KipCategory.SETIAP_SAAT,
        ),
    ),
    "disdukcapil": (
        ("Layanan KTP-el keliling hadir di {place}, Sabtu 08.00–12.00 WIB.", KipCategory.BERKALA),
        ("Urus akta kelahiran cukup daring, tanpa antre, dari {place}.", KipCategory.SETIAP_SAAT),
        ("Perekaman KTP-el untuk pemilih pemula di SMA {place}.", KipCategory.BERKALA),
    ),
    "kec-bekasi-timur": (
        ("Kerja bakti bersihkan saluran air di {place} jelang musim hujan.", KipCategory.BERKALA),
        ("Musrenbang kelurahan {place}: sampaikan usulan warga.", KipCategory.SETIAP_SAAT),
    ),
    "diskominfostandi": (
        ("Wi-Fi publik gratis kini tersedia di taman {place}.", KipCategory.SETIAP_SAAT),
        ("Pantau informasi resmi Pemkot Bekasi; laporkan hoaks dari {place}.", KipCategory.BERKALA),
        ("Peringatan cuaca ekstrem untuk warga {place} dan sekitarnya.", KipCategory.SERTA_MERTA),
    ),
}
PLACES = (
    "Margahayu",
    "Aren Jaya",
    "Duren Jaya",
    "Bekasi Jaya",
    "Kayuringin",
    "Jatiasih",
    "Pekayon",
    "Harapan Jaya",
    "Mustikajaya",
    "Bintara",
)
COMMENTS = (
    "Mohon tambahkan jam dan lokasi.",
    "Sebutkan nomor layanan resmi, bukan nomor pribadi.",
    "Judul videotron terlalu panjang; ringkas jadi satu frasa.",
    "Tambahkan teks alternatif yang menggambarkan foto.",
)
APPROVAL_NOTES = ("", "", "Sudah baik.", "Terima kasih, jadwal pagi.")
# Audience size per OPD (reach of a typical post) and per channel.
AUDIENCE = {"dinkes": 4000, "disdukcapil": 2500, "kec-bekasi-timur": 900, "diskominfostandi": 6000}
CHANNEL_SHARE = {Channel.X: 0.6, Channel.FACEBOOK: 1.0, Channel.INSTAGRAM: 1.4}
READ_AFTER = (timedelta(hours=1), timedelta(days=1), timedelta(days=3), timedelta(days=7))
X_BUDGET = {None: Decimal("25"), "dinkes": Decimal("8")}  # per month, USD


@dataclass
class History:
    posts: int = 0
    published: int = 0
    readings: int = 0
    plays: int = 0
    spent: Decimal = Decimal(0)
    upcoming: int = 0
    opds: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Office:
    """What every post of the history is made with."""

    rng: random.Random
    reviewers: list[Actor]  # PPID Utama; never the post's own author (four eyes)
    screens: list[Screen]
    photos: list[int]  # media ids, reused across posts

    def reviewer_for(self, author: Actor) -> Actor:
        return next(r for r in self.reviewers if r.user_id != author.user_id)


@dataclass(frozen=True)
class _Desk:
    opd: Opd
    author: Actor
    accounts: list[Account]  # the OPD's own, then the city's


def _photo(seed: int, size: tuple[int, int] = (800, 600)) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", size, (rng.randrange(40, 200), rng.randrange(60, 200), 120))
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y = rng.randrange(size[0]), rng.randrange(size[1])
        r = rng.randrange(40, 160)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _desks(session: Session) -> list[_Desk]:
    utama = session.scalar(select(User).where(User.role == Role.PPID_UTAMA).order_by(User.id))
    desks = []
    for slug in DESKS:
        opd = session.scalar(select(Opd).where(Opd.slug == slug))
        if opd is None:
            continue
        author = session.scalar(
            select(User)
            .where(User.opd_id == opd.id, User.role == Role.PPID_PEMBANTU, User.active)
            .order_by(User.id)
        )
        author = author or (utama if utama and utama.opd_id == opd.id else None)
        if author is None:
            continue
        own_first = select(Account).where(Account.active, Account.opd_id == opd.id)
        city = select(Account).where(Account.active, Account.opd_id.is_(None))
        accounts = list(session.scalars(own_first.order_by(Account.id)))
        accounts += list(session.scalars(city.order_by(Account.id)))
        desks.append(_Desk(opd, Actor.of(author), accounts))
    return desks


def _moments(rng: random.Random, now: datetime) -> list[tuple[str, datetime]]:
    """(OPD slug, publication time) for every post of the history, oldest first: office hours
    on working days, WIB."""
    start = (now - timedelta(days=HISTORY_DAYS)).astimezone(WIB).date()
    found = []
    for day_number in range(HISTORY_DAYS - 1):  # up to yesterday: today is the worker's
        day = start + timedelta(days=day_number)
        if day.weekday() >= 5:
            continue
        for slug, per_week in DESKS.items():
            if rng.random() < per_week / 5:
                clock = time(rng.choice((8, 9, 10, 13, 15, 16)), rng.choice((0, 15, 30)))
                found.append((slug, datetime.combine(day, clock, WIB)))
    return sorted(found, key=lambda item: item[1])


def _choose_targets(
    rng: random.Random, desk: _Desk, screens: list[Screen]
) -> tuple[list[int], list[int]]:
    own = [a for a in desk.accounts if a.opd_id == desk.opd.id]
    city = [a for a in desk.accounts if a.opd_id is None]
    chosen = own or rng.sample(city, k=min(len(city), rng.choice((1, 2, 3))))
    if own and city and rng.random() < 0.3:  # now and then the city's accounts carry it too
        chosen = [*chosen, rng.choice(city)]
    chosen_screens = [s.id for s in screens] if screens and rng.random() < 0.3 else []
    return sorted({a.id for a in chosen}), chosen_screens


def _stamp(session: Session, post: Post, created: datetime, stamps: list[datetime]) -> None:
    """Move what the services wrote "now" to when it happened: the post's own times, its
    reviews and every audit row about it (in the order they were written)."""
    post.created_at = created
    events = list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == "post", AuditEvent.entity_id == post.id)
            .order_by(AuditEvent.id)
        )
    )
    for event, at in zip(events, _spread(stamps, len(events)), strict=True):
        event.at = at
    reviews = list(session.scalars(select(Review).where(Review.post_id == post.id)))
    for review, at in zip(reviews, _spread(stamps[1:-1], len(reviews)), strict=True):
        review.created_at = at


def _spread(stamps: list[datetime], count: int) -> list[datetime]:
    """`count` times along `stamps` (repeating the last one), in order."""
    if not stamps:
        return []
    return [stamps[min(i, len(stamps) - 1)] for i in range(count)]


def _publish(
    session: Session, rng: random.Random, post: Post, when: datetime, store: BlobStore
) -> list[PostTarget]:
    """The worker's part: claim the post's targets at `when`, publish them (a retryable
    failure first, now and then), then date the attempts and publications."""
    claims = publishing.claim_due(session, WORKER, now=when, limit=20)
    for first in claims:
        claim = first
        if rng.random() < 0.08:
            failure = publishing.Failure(
                AttemptOutcome.RETRYABLE, "Platform membatasi laju; dicoba lagi.", "rate_limited"
            )
            publishing.record_failure(session, claim, WORKER, failure, max_attempts=5)
            failed = session.get(PostTarget, claim.target_id)
            assert failed is not None
            failed.due_at = when + timedelta(minutes=30)  # the backoff, on the history's clock
            session.flush()
            again = publishing.claim_due(session, WORKER, now=when + timedelta(hours=1))
            claim = next(c for c in again if c.target_id == first.target_id)
        remote = hashlib.sha256(f"{claim.target_id}-{when.isoformat()}".encode()).hexdigest()[:18]
        target = session.get(PostTarget, claim.target_id)
        assert target is not None
        url = _remote_url(target, remote)
        publishing.record_success(session, claim, WORKER, remote_id=remote, url=url)
    published = [t for t in post.targets if t.status is TargetStatus.PUBLISHED]
    for target in post.targets:
        target.published_at = when + timedelta(minutes=rng.randrange(1, 6))
    post.published_at = when
    session.execute(
        update(PublishAttempt)
        .where(PublishAttempt.target_id.in_([t.id for t in post.targets]))
        .values(started_at=when, finished_at=when + timedelta(seconds=3))
    )
    for target in published:
        if target.channel is Channel.VIDEOTRON and target.screen is not None:
            _slide_and_plays(session, rng, target, when, store)
    return published


def _remote_url(target: PostTarget, remote: str) -> str | None:
    account = target.account
    if account is None:
        return None
    handle = account.handle.lstrip("@")
    return {
        Channel.X: f"https://x.com/{handle}/status/{remote}",
        Channel.FACEBOOK: f"https://www.facebook.com/{handle}/posts/{remote}",
        Channel.INSTAGRAM: f"https://www.instagram.com/p/{remote[:11]}/",
    }.get(target.channel)


def _slide_and_plays(
    session: Session, rng: random.Random, target: PostTarget, when: datetime, store: BlobStore
) -> None:
    screen = target.screen
    assert screen is not None
    image = _photo(target.id, (screen.width, screen.height))
    sha = store.put(image, "jpg")
    until = when + timedelta(days=7)
    record_slide(
        session,
        worker_actor(WORKER),
        target,
        sha256=sha,
        mime="image/jpeg",
        headline=target.post.headline,
        valid_from=when,
        valid_until=until,
    )
    rows = []
    now = utcnow()
    for day in range(7):
        for n in range(rng.randrange(25, 60)):
            at = when + timedelta(days=day, minutes=n * 13 + rng.randrange(0, 5))
            if at >= now:
                break
            rows.append(
                {
                    "screen_id": screen.id,
                    "slide_sha256": sha,
                    "player_id": "demo-player-1",
                    "played_at": at,
                    "seconds": float(screen.default_seconds),
                    "received_at": at + timedelta(seconds=5),
                    "event_id": f"{target.id}-{day}-{n}",
                }
            )
    if rows:
        session.execute(insert(PlayEvent), rows)


def _readings(
    session: Session, rng: random.Random, slug: str, targets: list[PostTarget], when: datetime
) -> int:
    """Engagement read after 1 hour, 1, 3 and 7 days (those already past), growing."""
    now, stored = utcnow(), 0
    for target in targets:
        share = CHANNEL_SHARE.get(target.channel)
        if share is None:
            continue
        reach = int(AUDIENCE[slug] * share * rng.uniform(0.5, 1.6))
        for step, after in enumerate(READ_AFTER, start=1):
            at = when + after
            if at >= now:
                break
            part = step / len(READ_AFTER)
            seen = int(reach * part)
            values = {
                "impressions": int(seen * 1.7),
                "reach": seen,
                "likes": int(seen * 0.035),
                "comments": int(seen * 0.004),
                "shares": int(seen * 0.006),
                "saves": int(seen * 0.003) if target.channel is Channel.INSTAGRAM else None,
            }
            stored += store_readings(session, at, [(target.id, values)])
    return stored


def _charges(session: Session, prices: Prices, post: Post, targets: list[PostTarget]) -> Decimal:
    total = Decimal(0)
    for target in targets:
        if target.channel is not Channel.X or not prices.paid(Channel.X):
            continue
        operation = Operation.POST_WITH_URL if "http" in post.caption else Operation.POST
        charge = Charge(Channel.X, operation, 1, prices.price(Channel.X, operation))
        spent, _ = add_charges(
            session,
            [charge],
            opd_id=post.opd_id,
            account_id=target.account_id,
            post_id=post.id,
            target_id=target.id,
            at=target.published_at or post.published_at or utcnow(),
        )
        total += spent
    return total


def _budgets(session: Session, reviewer: Actor, now: datetime) -> None:
    """X budgets for each month of the history and the current one (city-wide and Dinkes)."""
    opds = {o.slug: o.id for o in session.scalars(select(Opd))}
    months = sorted({month_of(now - timedelta(days=d)) for d in range(0, HISTORY_DAYS + 1, 15)})
    for month in months:
        for slug, amount in X_BUDGET.items():
            if slug is not None and slug not in opds:
                continue
            opd_id = None if slug is None else opds[slug]
            budgets.set_budget(session, reviewer, Channel.X, month, amount, opd_id=opd_id)


def load_history(session: Session, store: BlobStore, *, seed: int = 13) -> History:
    """Fill three months of history (skipped where the demo has no desks or no reviewer)."""
    rng, now, result = random.Random(seed), utcnow(), History()
    desks = {d.opd.slug: d for d in _desks(session)}
    reviewers = [
        Actor.of(u)
        for u in session.scalars(
            select(User).where(User.role == Role.PPID_UTAMA, User.active).order_by(User.id)
        )
    ]
    desks = {
        s: d for s, d in desks.items() if any(r.user_id != d.author.user_id for r in reviewers)
    }
    if not desks:
        return result
    reviewer = reviewers[0]
    result.opds = sorted(desks)
    screens = list(session.scalars(select(Screen).where(Screen.active).order_by(Screen.id)))
    photos = [
        store_upload(session, reviewer, store, _photo(n), filename=f"kegiatan-{n}.jpg").id
        for n in range(6)
    ]
    _budgets(session, reviewer, now)
    prices = load_prices()
    office = _Office(rng, reviewers, screens, photos)
    for number, (slug, when) in enumerate(_moments(rng, now)):
        desk = desks.get(slug)
        if desk is None:
            continue
        post = _one_post(session, office, desk, number, when)
        published = _publish(session, rng, post, when.astimezone(WIB), store)
        result.posts += 1
        result.published += len(published)
        result.readings += _readings(session, rng, slug, published, when)
        result.spent += _charges(session, prices, post, published)
        session.flush()
    result.upcoming = _upcoming(session, office, desks, now)
    result.plays = session.scalar(select(func.count()).select_from(PlayEvent)) or 0
    return result


def _draft_input(office: _Office, desk: _Desk, number: int) -> DraftInput:
    rng, photos = office.rng, office.photos
    text, kip = rng.choice(TOPICS[desk.opd.slug])
    place = rng.choice(PLACES)
    caption = text.format(place=place)
    if rng.random() < 0.3:
        caption += f" Info: https://bekasikota.go.id/{desk.opd.slug}"
    account_ids, screen_ids = _choose_targets(rng, desk, office.screens)
    headline = caption.split(".")[0].split(",")[0][:60]
    return DraftInput(
        caption=caption,
        headline=headline,
        kip_category=kip,
        account_ids=account_ids,
        screen_ids=screen_ids,
        photos=[PhotoInput(photos[number % len(photos)], f"Foto kegiatan di {place}")],
    )


def _one_post(session: Session, office: _Office, desk: _Desk, number: int, when: datetime) -> Post:
    """Written, reviewed (returned once with a comment, now and then), approved and scheduled
    for `when`, through the same services a person uses."""
    rng, reviewer = office.rng, office.reviewer_for(desk.author)
    data = _draft_input(office, desk, number)
    post = create_draft(session, desk.author, desk.opd.id, data)
    created = when - timedelta(days=rng.choice((2, 3, 4)), hours=rng.randrange(0, 5))
    stamps = [created, created + timedelta(hours=1)]
    workflow.submit(session, desk.author, post.id)
    if rng.random() < 0.2:
        workflow.request_changes(session, reviewer, post.id, rng.choice(COMMENTS))
        fixed = DraftInput(**{**data.__dict__, "caption": data.caption + " Terbuka untuk umum."})
        update_draft(session, desk.author, post.id, fixed, post.version)
        workflow.submit(session, desk.author, post.id)
        stamps += [created + timedelta(hours=4), created + timedelta(hours=20)]
        stamps += [created + timedelta(hours=21)]
    workflow.approve(session, reviewer, post.id, comment=rng.choice(APPROVAL_NOTES))
    decided = when - timedelta(hours=rng.choice((6, 12, 20)))
    workflow.schedule(session, reviewer, post.id, when, now=lambda: decided)
    stamps += [decided, decided + timedelta(minutes=2), when]
    post.submitted_at = created + timedelta(hours=1)
    post.decided_at = decided
    post.updated_at = decided
    _stamp(session, post, created, stamps)
    session.flush()
    return post


def _upcoming(session: Session, office: _Office, desks: dict[str, _Desk], now: datetime) -> int:
    """A few approved posts scheduled in the coming days, for the calendar."""
    made = 0
    for offset, slug in enumerate(sorted(desks) * 2, start=1):
        desk = desks[slug]
        data = _draft_input(office, desk, offset)
        post = create_draft(session, desk.author, desk.opd.id, data)
        workflow.submit(session, desk.author, post.id)
        reviewer = office.reviewer_for(desk.author)
        workflow.approve(session, reviewer, post.id)
        day = (now + timedelta(days=offset)).astimezone(WIB).date()
        at = datetime.combine(day, time(9, 0), WIB)
        workflow.schedule(session, reviewer, post.id, at)
        made += 1
    return made
