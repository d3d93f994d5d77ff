"""Monthly content plans ("rencana konten bulanan") from a spreadsheet: the template, a preview
that writes nothing, the import, the rejected rows, and the same layout the other way (exports).

- `template_bytes`: the XLSX to fill (Indonesian headers from `content.labels.PLAN_HEADERS`,
  drop-down lists for channels and KIP category, dates as WIB days, an example row on its own
  sheet so it is never imported by mistake).
- `preview`: every row parsed and screened without writing: its sheet row number, planned day,
  channels, screening findings and, when it would be refused, one Indonesian sentence.
- `import_plan`: drafts only (never submitted or approved), each row whole or not at all (a
  SAVEPOINT a row). Each draft keeps its planned day, its upload (`PlanImport`) and its row's
  fingerprint (the normalised row and the OPD), unique per OPD: the same file twice creates
  nothing twice. `rejected_bytes` gives the refused rows with a reason column, ready to fix and
  upload again. Both report progress (rows done of total) through a callback.
- Photos come from a folder beside the file (CLI) or from uploaded files and ZIPs
  (`photos_from_uploads`: entry count and unpacked size bounded from the ZIP's directory and
  again while reading, unsafe names refused, each photo through the media intake).

Photos: `content.editorial.plan_photos` (named here too, for callers of the plan).

Rights: writing a post (`Action.WRITE_POST`): an OPD's admin and PPID Pembantu for their own
OPD, PPID Utama for any OPD; checked here for every row, not only in the page.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path, PurePosixPath

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content import audit, screening
from content.audit import AuditAction
from content.editorial import calendar
from content.editorial.importer import ALIASES, ImportLimits, RowError, read_rows, resolve_channels
from content.editorial.media import Limits, clean_image, store_upload
from content.editorial.my_posts import desk_filter
from content.editorial.plan_photos import (
    BundleLimits,
    FolderPhotos,
    PhotoSource,
    UploadedPhotos,
    photos_from_uploads,
)
from content.editorial.posts import DraftInput, PhotoInput, create_draft, validate_draft
from content.editorial.queries import MAX_PAGE_SIZE, list_posts
from content.editorial.review_queue import load_details
from content.infra.errors import DomainError, ValidationFailed
from content.infra.exports import Choices, Sheet, workbook_bytes
from content.infra.store import BlobStore
from content.infra.timeutil import WIB, utcnow
from content.labels import KIP_LABELS, PLAN_HEADERS, PLAN_REASON_HEADER
from content.models import Channel, KipCategory, Opd, PlanImport, Post, PostStatus
from content.models.enums import SOCIAL_CHANNELS
from content.org.actors import Actor, refresh
from content.org.opds import get_opd
from content.org.permissions import Action, require

Progress = Callable[[int, int], None]  # (rows done, rows in all)

# The headers of the template read back through the importer's aliases ("Kategori KIP" ->
# "kategori_kip"); the planned day has its own names.
PLAN_ALIASES: dict[str, tuple[str, ...]] = {
    **ALIASES,
    "planned_on": ("tanggal_rencana_(wib)", "tanggal_rencana", "tanggal", "planned_on"),
}
COLUMNS = tuple(PLAN_HEADERS)
# KIP categories as the template offers them (the importer reads these and a few spellings more).
KIP_CHOICES = {
    KipCategory.BERKALA: "berkala",
    KipCategory.SERTA_MERTA: "serta-merta",
    KipCategory.SETIAP_SAAT: "setiap saat",
}
CHANNEL_CHOICES = tuple(c.value for c in Channel)
ORIGIN_HEADER = "Baris asal"
__all__ = [
    "PLAN_ALIASES",
    "BundleLimits",
    "FolderPhotos",
    "PhotoSource",
    "PlanResult",
    "Preview",
    "PreviewRow",
    "Progress",
    "RejectedRow",
    "UploadedPhotos",
    "calendar_plan_bytes",
    "desk_plan_bytes",
    "export_bytes",
    "fingerprint",
    "import_plan",
    "parse_day",
    "photos_from_uploads",
    "plan_row",
    "preview",
    "rejected_bytes",
    "require_importer",
    "template_bytes",
]
EXPORT_LIMIT = 5_000  # posts in one exported plan, as many as one import takes
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d")


# --- reading a row -------------------------------------------------------------------------


def parse_day(value: str) -> date | None:
    """A planned WIB day as people type it (or as a spreadsheet stores a date cell)."""
    text = value.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00(:00)?", text):
        text = text[:10]  # a date cell read back as a datetime at midnight
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationFailed(
        f"Tanggal rencana '{value}' tidak dapat dibaca; tulis seperti 2026-12-05 "
        "(tahun-bulan-tanggal)."
    )


def _kip(value: str) -> KipCategory:
    wanted = " ".join(value.strip().lower().replace("_", " ").replace("-", " ").split())
    if not wanted:
        return KipCategory.BERKALA
    for kip, shown in KIP_CHOICES.items():
        if wanted in {shown.replace("-", " "), KIP_LABELS[kip].lower().replace("-", " ")}:
            return kip
    raise ValidationFailed(
        f"Kategori '{value}' tidak dikenal; pakai berkala, serta-merta atau setiap saat."
    )


def _names(value: str) -> list[str]:
    return [n.strip() for n in value.split(";") if n.strip()]


def _channels(value: str) -> list[str]:
    return sorted({t.strip().lower() for t in value.split(",") if t.strip()})


@dataclass(frozen=True)
class ParsedRow:
    number: int
    opd_id: int
    opd_name: str
    planned_on: date | None
    data: DraftInput  # photos not stored yet: their names are in `photo_names`
    photo_names: list[str]
    alts: list[str]
    fingerprint: str
    findings: list[str]  # non-blocking screening findings, one sentence each


def fingerprint(row: Mapping[str, str], opd_id: int, planned_on: date | None) -> str:
    """The row as the import understands it (spacing, case of codes and order of channels do
    not matter), with its OPD: the same plan row gives the same fingerprint."""
    body = {key: " ".join(row.get(key, "").split()) for key in COLUMNS if key != "opd"}
    body["planned_on"] = planned_on.isoformat() if planned_on else ""
    body["channels"] = ",".join(_channels(row.get("channels", "")))
    body["kip_category"] = _kip(row.get("kip_category", "")).value
    body["opd"] = str(opd_id)
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


def _field_label(screened: screening.ScreenedText) -> str:
    return screened.label.lower() if screened.label[0].isupper() else screened.label


def _finding_sentence(screened: screening.ScreenedText, finding: screening.Finding) -> str:
    # The matched text is masked: the rejected-rows file and the preview must not spread it.
    what = f"{finding.label} ({finding.masked()}) di {_field_label(screened)}"
    if finding.blocking:
        return f"Baris ini memuat {what}; hapus lalu unggah lagi."
    return f"Periksa {what}: {finding.reason}"


@dataclass
class _Context:
    session: Session
    actor: Actor
    photos: PhotoSource
    public_numbers: Sequence[str]
    media_limits: Limits
    rules: dict[int, list[screening.dik.CompiledRule]] = field(default_factory=dict)
    opds: dict[str, tuple[int, str]] = field(default_factory=dict)
    checked_photos: dict[str, str] = field(default_factory=dict)  # name -> refusal ("" = fine)
    resolved: dict[tuple[int, str], tuple[list[int], list[int]] | DomainError] = field(
        default_factory=dict
    )

    def opd(self, slug: str) -> tuple[int, str]:
        if slug not in self.opds:
            if slug:
                opd = get_opd(self.session, slug)
            else:
                if self.actor.opd_id is None:
                    raise ValidationFailed(
                        "Kolom OPD wajib diisi untuk pengguna yang tidak terikat OPD."
                    )
                found = self.session.get(Opd, self.actor.opd_id)
                assert found is not None  # the actor's own OPD
                opd = found
            self.opds[slug] = (opd.id, opd.short_name)
        return self.opds[slug]

    def channels(self, opd_id: int, value: str) -> tuple[list[int], list[int]]:
        # A plan names the same few channels on every row: resolved once per OPD and wording.
        key = (opd_id, ",".join(_channels(value)))
        if key not in self.resolved:
            try:
                self.resolved[key] = resolve_channels(self.session, opd_id, key[1])
            except DomainError as exc:
                self.resolved[key] = exc
        found = self.resolved[key]
        if isinstance(found, DomainError):
            raise ValidationFailed(found.message)
        return found

    def rules_of(self, opd_id: int) -> list[screening.dik.CompiledRule]:
        if opd_id not in self.rules:
            self.rules[opd_id] = screening.active_rules(self.session, opd_id)
        return self.rules[opd_id]

    def check_photo(self, name: str) -> None:
        """In the preview: the photo exists and the intake would take it (checked once)."""
        if name not in self.checked_photos:
            try:
                clean_image(self.photos.read(name), self.media_limits)
                self.checked_photos[name] = ""
            except DomainError as exc:
                self.checked_photos[name] = exc.message
        if self.checked_photos[name]:
            raise ValidationFailed(self.checked_photos[name])


def _parse(context: _Context, number: int, row: Mapping[str, str]) -> ParsedRow:
    opd_id, opd_name = context.opd(row.get("opd", "").strip().lower())
    require(context.actor, Action.WRITE_POST, opd_id)
    planned_on = parse_day(row.get("planned_on", ""))
    if not row.get("caption", "").strip():
        raise ValidationFailed("Keterangan wajib diisi.")
    if not _channels(row.get("channels", "")):
        raise ValidationFailed("Kanal wajib diisi (x, facebook, instagram atau videotron).")
    kip = _kip(row.get("kip_category", ""))
    account_ids, screen_ids = context.channels(opd_id, row.get("channels", ""))
    names, alts = (
        _names(row.get("photo", "")),
        [a.strip() for a in row.get("alt_text", "").split(";")],
    )
    texts = {c: row[c.value] for c in SOCIAL_CHANNELS if row.get(c.value)}
    data = DraftInput(
        caption=row.get("caption", ""),
        link=row.get("link", "").strip(),
        headline=row.get("headline", ""),
        kip_category=kip,
        account_ids=account_ids,
        screen_ids=screen_ids,
        texts=texts,
        photos=[PhotoInput(0, alts[i] if i < len(alts) else "") for i in range(len(names))],
    )
    validate_draft(data)
    screened = screening.screen_draft(
        data,
        context.rules_of(opd_id),
        photo_names=names,
        public_numbers=context.public_numbers,
    )
    blocking = [(s, f) for s in screened for f in s.findings if f.blocking]
    if blocking:
        raise ValidationFailed(_finding_sentence(*blocking[0]))
    findings = [_finding_sentence(s, f) for s in screened for f in s.findings]
    return ParsedRow(
        number,
        opd_id,
        opd_name,
        planned_on,
        data,
        names,
        alts,
        fingerprint(row, opd_id, planned_on),
        findings,
    )


def _existing(session: Session, parsed: ParsedRow) -> int | None:
    return session.scalar(
        select(Post.id).where(
            Post.opd_id == parsed.opd_id, Post.plan_fingerprint == parsed.fingerprint
        )
    )


def _rows(path: Path, limits: ImportLimits | None) -> list[tuple[int, dict[str, str]]]:
    required = {"caption": "'Keterangan' (atau 'caption')"}
    return list(read_rows(path, limits, aliases=PLAN_ALIASES, required=required))


# --- preview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    row: int  # as the spreadsheet numbers it
    planned_on: date | None
    opd: str
    channels: list[str]
    caption: str
    findings: list[str]
    error: str | None = None
    duplicate: str | None = None  # why importing it creates nothing (imported before)


@dataclass(frozen=True)
class Preview:
    rows: list[PreviewRow]

    @property
    def ready(self) -> int:
        return sum(1 for r in self.rows if r.error is None and r.duplicate is None)

    @property
    def refused(self) -> int:
        return sum(1 for r in self.rows if r.error is not None)

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.rows if r.duplicate is not None)


def require_importer(session: Session, actor: Actor) -> Actor:
    """The actor, refreshed, when they may import a plan at all (rows are checked again)."""
    actor = refresh(session, actor)
    require(actor, Action.WRITE_POST, actor.opd_id)
    require(actor, Action.UPLOAD_MEDIA)
    return actor


def preview(
    session: Session,
    actor: Actor,
    path: Path,
    photos: PhotoSource,
    *,
    progress: Progress | None = None,
    limits: ImportLimits | None = None,
    media_limits: Limits | None = None,
    public_numbers: Sequence[str] = screening.PUBLIC_SERVICE_NUMBERS,
) -> Preview:
    """What importing `path` would do, row by row; nothing is written."""
    actor = require_importer(session, actor)
    context = _Context(session, actor, photos, list(public_numbers), media_limits or Limits())
    rows = _rows(path, limits)
    shown: list[PreviewRow] = []
    seen: dict[tuple[int, str], int] = {}
    for done, (number, row) in enumerate(rows, start=1):
        snippet = " ".join(row.get("caption", "").split())[:120]
        try:
            parsed = _parse(context, number, row)
            key = (parsed.opd_id, parsed.fingerprint)
            existing = _existing(session, parsed)
            duplicate = None
            if existing is not None:
                duplicate = f"Sudah diimpor sebagai draf #{existing}."
            elif key in seen:
                duplicate = f"Sama dengan baris {seen[key]}."
            seen.setdefault(key, number)
            for name in parsed.photo_names if duplicate is None else ():
                context.check_photo(name)  # a row imported before needs its photos no more
        except DomainError as exc:
            day = _day_or_none(row.get("planned_on", ""))
            shown.append(
                PreviewRow(
                    number,
                    day,
                    row.get("opd", ""),
                    _channels(row.get("channels", "")),
                    snippet,
                    [],
                    exc.message,
                )
            )
        else:
            shown.append(
                PreviewRow(
                    number,
                    parsed.planned_on,
                    parsed.opd_name,
                    _channels(row.get("channels", "")),
                    snippet,
                    parsed.findings,
                    duplicate=duplicate,
                )
            )
        if progress is not None:
            progress(done, len(rows))
    return Preview(shown)


def _day_or_none(value: str) -> date | None:
    try:
        return parse_day(value)
    except ValidationFailed:
        return None


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RejectedRow:
    row: int
    values: dict[str, str]
    reason: str


@dataclass
class PlanResult:
    plan_import_id: int
    post_ids: list[int] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # sheet rows already imported before

    @property
    def errors(self) -> list[RowError]:
        return [RowError(r.row, r.reason) for r in self.rejected]

    def summary(self) -> str:
        """ "18 draf dibuat, 2 baris ditolak" (and the rows imported before, when any)."""
        text = f"{len(self.post_ids)} draf dibuat, {len(self.rejected)} baris ditolak"
        if self.skipped:
            text += f", {len(self.skipped)} baris sudah pernah diimpor"
        return text + "."


def _import_row(
    context: _Context, store: BlobStore, plan: PlanImport, number: int, row: Mapping[str, str]
) -> int | None:
    """The new draft's id, or None when this row was imported before."""
    parsed = _parse(context, number, row)
    if _existing(context.session, parsed) is not None:
        return None
    photos = []
    for index, name in enumerate(parsed.photo_names):
        media = store_upload(
            context.session,
            context.actor,
            store,
            context.photos.read(name),
            filename=PurePosixPath(name).name,
            limits=context.media_limits,
        )
        alt = parsed.alts[index] if index < len(parsed.alts) else ""
        photos.append(PhotoInput(media.id, alt))
    data = replace(parsed.data, photos=photos, planned_on=parsed.planned_on)
    post = create_draft(context.session, context.actor, parsed.opd_id, data)
    post.plan_import_id = plan.id
    post.plan_fingerprint = parsed.fingerprint
    context.session.flush()
    return post.id


def import_plan(
    session: Session,
    actor: Actor,
    store: BlobStore,
    path: Path,
    photos: PhotoSource | None = None,
    *,
    file_name: str = "",
    progress: Progress | None = None,
    limits: ImportLimits | None = None,
    media_limits: Limits | None = None,
    public_numbers: Sequence[str] = screening.PUBLIC_SERVICE_NUMBERS,
) -> PlanResult:
    """Good rows become drafts, bad rows are reported, rows imported before are skipped; the
    caller's transaction holds it all (and the audit row of the upload)."""
    actor = require_importer(session, actor)
    context = _Context(
        session,
        actor,
        photos or FolderPhotos(path.parent),
        list(public_numbers),
        media_limits or Limits(),
    )
    rows = _rows(path, limits)
    plan = PlanImport(file_name=(file_name or path.name)[-255:], imported_by_id=actor.user_id)
    session.add(plan)
    session.flush()
    result = PlanResult(plan.id)
    for done, (number, row) in enumerate(rows, start=1):
        try:
            with session.begin_nested():
                post_id = _import_row(context, store, plan, number, row)
        except IntegrityError:  # the same row imported from another session a moment ago
            result.skipped.append(number)
        except DomainError as exc:
            result.rejected.append(RejectedRow(number, dict(row), exc.message))
        else:
            if post_id is None:
                result.skipped.append(number)
            else:
                result.post_ids.append(post_id)
        if progress is not None:
            progress(done, len(rows))
    plan.created_count = len(result.post_ids)
    plan.rejected_count = len(result.rejected)
    plan.skipped_count = len(result.skipped)
    audit.record(
        session,
        actor,
        AuditAction.PLAN_IMPORTED,
        "plan_import",
        plan.id,
        opd_id=actor.opd_id,
        after={
            "file": plan.file_name,
            "created": plan.created_count,
            "rejected": plan.rejected_count,
            "skipped": plan.skipped_count,
        },
    )
    return result


# --- spreadsheets --------------------------------------------------------------------------


def _choices() -> list[Choices]:
    kip = COLUMNS.index("kip_category")
    channels = COLUMNS.index("channels")
    return [
        Choices(kip, list(KIP_CHOICES.values()), "berkala, serta-merta atau setiap saat"),
        Choices(
            channels,
            list(CHANNEL_CHOICES),
            "Satu kanal dari daftar, atau beberapa dipisah koma: x, instagram",
            strict=False,
        ),
    ]


WIDTHS = (20, 14, 60, 36, 30, 16, 28, 24, 30, 30, 30, 30)
HEADER = [PLAN_HEADERS[c] for c in COLUMNS]


def _plan_sheet(rows: Iterable[Sequence[object]], extra: Sequence[str] = ()) -> Sheet:
    return Sheet("Rencana", [*HEADER, *extra], rows, choices=_choices(), widths=WIDTHS)


def template_bytes(session: Session, actor: Actor) -> bytes:
    """The empty plan to fill (first sheet), an example row and how to fill it (second sheet)."""
    actor = require_importer(session, actor)
    opd = session.get(Opd, actor.opd_id) if actor.opd_id is not None else None
    example_day = (utcnow().astimezone(WIB).date().replace(day=1) + timedelta(days=40)).replace(
        day=5
    )
    example = [
        example_day,
        opd.slug if opd else "dinkes",
        "Posyandu serentak di seluruh kelurahan, Sabtu pukul 08.00 WIB. Bawa buku KIA.",
        "https://bekasikota.go.id",
        "Posyandu serentak Sabtu 08.00",
        KIP_CHOICES[KipCategory.BERKALA],
        "x, instagram",
        "posyandu.jpg",
        "Kader posyandu menimbang balita",
        "Posyandu serentak Sabtu 08.00 WIB.",
        "",
        "",
    ]
    notes = [
        ["Tanggal rencana (WIB)", "Hari tayang yang direncanakan, mis. 2026-12-05. Belum jadwal."],
        ["OPD", "Kode OPD; kosongkan untuk OPD Anda sendiri."],
        ["Kanal", "x, facebook, instagram, videotron; beberapa dipisah koma."],
        ["Kategori KIP", "berkala, serta-merta atau setiap saat (kosong = berkala)."],
        ["Foto", "Nama berkas foto yang ikut diunggah (atau di dalam ZIP); beberapa dipisah ;."],
        ["Teks alternatif", "Deskripsi tiap foto, urutan sama dengan Foto, dipisah ;."],
        ["Hasil impor", "Setiap baris menjadi draf; ajukan dari Konten saya setelah diperiksa."],
    ]
    return workbook_bytes(
        [
            _plan_sheet([]),
            Sheet("Contoh", HEADER, [example], widths=WIDTHS),
            Sheet("Petunjuk", ["Kolom", "Cara mengisi"], notes, widths=(24, 90)),
        ],
        title="Rencana konten bulanan",
    )


def _sheet_values(values: Mapping[str, str]) -> list[object]:
    out: list[object] = []
    for column in COLUMNS:
        value = values.get(column, "")
        if column == "planned_on":
            out.append(_day_or_none(value) or value)
        else:
            out.append(value)
    return out


def rejected_bytes(result: PlanResult) -> bytes:
    """The refused rows in the template's layout with their reason: fix and upload again (the
    extra columns are ignored when read back)."""
    rows = [[*_sheet_values(r.values), r.row, r.reason] for r in result.rejected]
    return workbook_bytes(
        [_plan_sheet(rows, (ORIGIN_HEADER, PLAN_REASON_HEADER))], title="Baris ditolak"
    )


def plan_row(post: Post, day: date | None = None) -> list[object]:
    """A post in the template's layout (targets and photos loaded), so a plan round-trips."""
    by_channel = {t.channel: t for t in reversed(post.targets)}
    scheduled = post.scheduled_at.astimezone(WIB).date() if post.scheduled_at else None
    values = {
        "planned_on": day or post.planned_on or scheduled,
        "opd": post.opd.slug,
        "caption": post.caption,
        "link": post.link,
        "headline": post.headline,
        "kip_category": KIP_CHOICES[post.kip_category],
        "channels": ", ".join(c.value for c in Channel if c in by_channel),
        "photo": "; ".join(
            p.media.original_name or f"{p.media.sha256[:12]}.{p.media.extension}"
            for p in post.photos
        ),
        "alt_text": "; ".join(p.alt_text for p in post.photos),
    }
    for channel in SOCIAL_CHANNELS:
        target = by_channel.get(channel)
        values[channel.value] = (target.text_override or "") if target else ""
    return [values[c] if values[c] is not None else "" for c in COLUMNS]


def export_bytes(rows: Iterable[Sequence[object]], *, title: str) -> bytes:
    """Posts as a plan file (see `plan_row`), readable by `import_plan`."""
    return workbook_bytes([_plan_sheet(rows)], title=title)


def _loaded(session: Session, ids: Sequence[int]) -> list[Post]:
    load_details(session, ids)
    return [post for post in (session.get(Post, i) for i in ids) if post is not None]


def desk_plan_bytes(session: Session, actor: Actor, statuses: Sequence[PostStatus] = ()) -> bytes:
    """'Konten saya' (the desk's posts in these statuses, newest first) as a plan file."""
    actor = refresh(session, actor)
    require(actor, Action.WRITE_POST, actor.opd_id)
    rows: list[list[object]] = []
    page = 1
    while len(rows) < EXPORT_LIMIT:
        found = list_posts(
            session, actor, desk_filter(actor, statuses), page=page, page_size=MAX_PAGE_SIZE
        )
        rows += [plan_row(post) for post in _loaded(session, [p.id for p in found.items])]
        if not found.has_next:
            break
        page += 1
    return export_bytes(rows[:EXPORT_LIMIT], title="Konten saya")


def calendar_plan_bytes(
    session: Session,
    actor: Actor,
    first_day: date,
    last_day: date,
    *,
    opd_id: int | None = None,
    channel: Channel | None = None,
) -> bytes:
    """The calendar's posts between two WIB days as a plan file: one row a post and day, the
    day it is planned, scheduled or was published."""
    found = calendar.entries(session, actor, first_day, last_day, opd_id=opd_id, channel=channel)
    days = list(dict.fromkeys((e.post_id, e.day) for e in found if e.post_id is not None))
    posts = {p.id: p for p in _loaded(session, list(dict.fromkeys(i for i, _ in days)))}
    rows = [plan_row(posts[post_id], day) for post_id, day in days if post_id in posts]
    return export_bytes(rows, title=f"Kalender {first_day:%Y-%m-%d} – {last_day:%Y-%m-%d}")
