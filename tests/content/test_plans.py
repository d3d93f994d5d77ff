"""Monthly content plans (issue 21): the template, a preview that writes nothing, drafts with
their planned day, the rejected rows to fix, the same file twice, photos from uploads and ZIPs,
planned days on the calendar, the queue filtered by plan, and the layout exported back."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from content.editorial import calendar, plans, workflow
from content.editorial.importer import ImportLimits, read_rows
from content.editorial.review_queue import QueueFilter, queue_page
from content.infra.errors import PermissionDenied, ValidationFailed
from content.labels import PLAN_HEADERS, PLAN_REASON_HEADER
from content.models import AuditEvent, Channel, Media, PlanImport, Post, PostStatus
from tests.conftest import Database
from tests.world import World, jpeg

NIK = "3275014505900001"  # valid for the screening (tests/content/test_screening.py)
DAY = date(2026, 12, 5)


def _row(
    caption: str,
    day: object = DAY,
    *,
    channels: str = "x, instagram",
    photo: str = "",
    alt: str = "",
    opd: str = "",
) -> list[object]:
    values = {
        "planned_on": day,
        "opd": opd,
        "caption": caption,
        "link": "https://dinkes.bekasikota.go.id",
        "headline": "",
        "kip_category": "berkala",
        "channels": channels,
        "photo": photo,
        "alt_text": alt,
        "x": "",
        "facebook": "",
        "instagram": "",
    }
    return [values.get(c, "") for c in PLAN_HEADERS]


GOOD = _row("Posyandu serentak Sabtu di semua kelurahan.", photo="posyandu.jpg", alt="Kader")
GOOD2 = _row("Vaksinasi HPV untuk siswi kelas 5.", DAY + timedelta(days=3), channels="facebook")
WITH_NIK = _row(f"Selamat kepada warga NIK {NIK} pemenang lomba.")
BAD_DATE = _row("Senam sehat bersama.", "31/02/2026")


def _fill(template: bytes, rows: list[list[object]], path: Path) -> Path:
    book = load_workbook(io.BytesIO(template))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _plan(world: World, tmp_path: Path, rows: list[list[object]]) -> Path:
    template = plans.template_bytes(world.session, world.pembantu)
    return _fill(template, rows, tmp_path / "rencana.xlsx")


def _photos() -> plans.UploadedPhotos:
    return plans.photos_from_uploads([("posyandu.jpg", jpeg())])


def _posts(world: World) -> int:
    return world.session.scalar(select(func.count()).select_from(Post)) or 0


def test_the_template_has_indonesian_headers_lists_and_an_example_apart(
    world: World,
) -> None:
    book = load_workbook(io.BytesIO(plans.template_bytes(world.session, world.pembantu)))
    plan, example = book["Rencana"], book["Contoh"]
    assert book.worksheets[0] is plan  # the sheet that is imported holds no example row
    assert [c.value for c in plan[1]] == list(PLAN_HEADERS.values())
    assert plan.max_row == 1
    lists = {str(v.sqref).split(":")[0]: v.formula1 for v in plan.data_validations.dataValidation}
    assert "serta-merta" in lists["F2"] and "videotron" in lists["G2"]
    first = [c.value for c in example[2]]
    assert first[1] == "dinkes" and first[2] and first[0].date() > date(2026, 1, 1)
    with pytest.raises(PermissionDenied):
        plans.template_bytes(world.session, world.analyst)


def test_preview_writes_nothing_and_says_each_rows_problem(world: World, tmp_path: Path) -> None:
    path = _plan(world, tmp_path, [GOOD, WITH_NIK, BAD_DATE, GOOD2])
    seen: list[tuple[int, int]] = []
    shown = plans.preview(
        world.session, world.pembantu, path, _photos(), progress=lambda *p: seen.append(p)
    )
    assert _posts(world) == 0
    assert seen == [(1, 4), (2, 4), (3, 4), (4, 4)]
    rows = {r.row: r for r in shown.rows}
    assert list(rows) == [2, 3, 4, 5] and (shown.ready, shown.refused) == (2, 2)
    assert rows[2].planned_on == DAY and rows[2].channels == ["instagram", "x"]
    assert rows[2].error is None and rows[5].error is None
    assert rows[3].error is not None and "NIK" in rows[3].error and NIK not in rows[3].error
    assert rows[4].error is not None and "Tanggal rencana '31/02/2026'" in rows[4].error
    for row in (rows[3], rows[4]):
        assert row.error is not None and row.error.count(".") <= 3  # one sentence
        assert row.error.endswith(".")


def test_import_makes_drafts_with_their_day_and_a_file_of_rejected_rows(
    world: World, tmp_path: Path
) -> None:
    path = _plan(world, tmp_path, [GOOD, WITH_NIK, BAD_DATE, GOOD2])
    result = plans.import_plan(
        world.session, world.pembantu, world.store, path, _photos(), file_name="desember.xlsx"
    )
    assert result.summary() == "2 draf dibuat, 2 baris ditolak."
    assert [r.row for r in result.rejected] == [3, 4]
    drafts = [world.session.get(Post, i) for i in result.post_ids]
    assert [(p.status, p.planned_on) for p in drafts if p] == [
        (PostStatus.DRAFT, DAY),
        (PostStatus.DRAFT, DAY + timedelta(days=3)),
    ]
    first = drafts[0]
    assert first is not None and first.photos[0].alt_text == "Kader"
    assert {t.channel for t in first.targets} == {Channel.X, Channel.INSTAGRAM}
    plan = world.session.get(PlanImport, result.plan_import_id)
    assert plan is not None and (plan.file_name, plan.created_count) == ("desember.xlsx", 2)
    event = world.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "plan.imported")
    ).one()
    assert event.entity_id == plan.id

    rejected = tmp_path / "ditolak.xlsx"
    rejected.write_bytes(plans.rejected_bytes(result))
    sheet = load_workbook(rejected).worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[-1] == PLAN_REASON_HEADER and header[: len(PLAN_HEADERS)] == list(
        PLAN_HEADERS.values()
    )
    reasons = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(reasons) == 2 and "NIK" in reasons[0] and "31/02/2026" in reasons[1]
    # Fixed in place and uploaded again: the reason columns are ignored, the rows read back.
    again = [row for _, row in read_rows(rejected, aliases=plans.PLAN_ALIASES)]
    assert [r["caption"] for r in again] == [WITH_NIK[2], BAD_DATE[2]]


def test_the_same_file_twice_creates_nothing_twice(world: World, tmp_path: Path) -> None:
    path = _plan(world, tmp_path, [GOOD, GOOD2, GOOD2])
    first = plans.import_plan(world.session, world.pembantu, world.store, path, _photos())
    assert len(first.post_ids) == 2 and first.skipped == [4]  # the copy in the same file
    shown = plans.preview(world.session, world.pembantu, path, _photos())
    assert shown.ready == 0 and shown.duplicates == 3
    second = plans.import_plan(world.session, world.pembantu, world.store, path, _photos())
    assert second.post_ids == [] and second.skipped == [2, 3, 4]
    assert second.summary() == "0 draf dibuat, 0 baris ditolak, 3 baris sudah pernah diimpor."
    assert _posts(world) == 2


def test_rights_are_checked_for_every_row(world: World, tmp_path: Path) -> None:
    other = _row("Perekaman KTP-el keliling.", opd="disdukcapil", channels="x")
    path = _plan(world, tmp_path, [other])
    refused = plans.import_plan(world.session, world.pembantu, world.store, path, _photos())
    assert refused.post_ids == [] and "OPD Anda sendiri" in refused.rejected[0].reason
    by_utama = plans.import_plan(world.session, world.utama, world.store, path, _photos())
    post = world.session.get(Post, by_utama.post_ids[0])
    assert post is not None and post.opd_id == world.disdukcapil_id
    with pytest.raises(PermissionDenied):
        plans.import_plan(world.session, world.analyst, world.store, path, _photos())


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_photos_come_from_a_zip_and_an_unsafe_zip_is_refused_whole(
    world: World, tmp_path: Path
) -> None:
    bundle = plans.photos_from_uploads([("foto.zip", _zip({"desember/posyandu.jpg": jpeg()}))])
    path = _plan(world, tmp_path, [GOOD])
    result = plans.import_plan(world.session, world.pembantu, world.store, path, bundle)
    assert len(result.post_ids) == 1
    media = world.session.scalars(select(Media)).all()
    assert [m.original_name for m in media] == ["posyandu.jpg"]

    for name in ("../../etc/cron.d/x.jpg", "/etc/passwd", "C:/Windows/x.jpg"):
        with pytest.raises(ValidationFailed, match="nama berkas yang tidak aman"):
            plans.photos_from_uploads([("foto.zip", _zip({"ok.jpg": jpeg(), name: b"x"}))])
    with pytest.raises(ValidationFailed, match="bukan ZIP"):
        plans.photos_from_uploads([("foto.zip", b"bukan zip")])


def test_photo_bundle_limits_hold_before_anything_is_unpacked() -> None:
    many = _zip({f"f{n}.jpg": b"x" for n in range(5)})
    with pytest.raises(ValidationFailed, match="lebih dari 3 berkas"):
        plans.photos_from_uploads([("foto.zip", many)], plans.BundleLimits(max_entries=3))
    # A ZIP of zeros: tiny packed, large unpacked; refused from the directory's sizes.
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.jpg", b"\0" * 3_000_000)
        archive.writestr("b.jpg", b"\0" * 3_000_000)
    assert len(out.getvalue()) < 50_000
    with pytest.raises(ValidationFailed, match="setelah dibuka"):
        plans.photos_from_uploads(
            [("bom.zip", out.getvalue())], plans.BundleLimits(max_unpacked_bytes=4_000_000)
        )
    with pytest.raises(ValidationFailed, match="lebih besar dari batas unggah"):
        plans.photos_from_uploads(
            [("bom.zip", out.getvalue())], plans.BundleLimits(max_photo_bytes=1_000_000)
        )


def test_a_missing_or_broken_photo_refuses_its_row(world: World, tmp_path: Path) -> None:
    broken = _row("Foto rusak.", photo="rusak.jpg", alt="a")
    missing = _row("Foto hilang.", photo="hilang.jpg", alt="a")
    path = _plan(world, tmp_path, [broken, missing])
    bundle = plans.photos_from_uploads([("rusak.jpg", jpeg()[:300])])
    shown = plans.preview(world.session, world.pembantu, path, bundle)
    assert [r.error is not None for r in shown.rows] == [True, True]
    assert "rusak" in (shown.rows[0].error or "") and "hilang.jpg" in (shown.rows[1].error or "")
    result = plans.import_plan(world.session, world.pembantu, world.store, path, bundle)
    assert result.post_ids == [] and len(result.rejected) == 2
    assert world.session.scalar(select(func.count()).select_from(Media)) == 0


def test_planned_days_are_on_the_calendar_until_scheduled(world: World, tmp_path: Path) -> None:
    path = _plan(world, tmp_path, [GOOD, GOOD2])
    result = plans.import_plan(world.session, world.pembantu, world.store, path, _photos())
    found = calendar.entries(world.session, world.utama, DAY, DAY + timedelta(days=6))
    planned = [
        (e.post_id, e.day, mark.channel)
        for e in found
        if e.kind == "planned"
        for mark in e.channels
    ]
    assert sorted(planned) == sorted(
        [
            (result.post_ids[0], DAY, Channel.X),
            (result.post_ids[0], DAY, Channel.INSTAGRAM),
            (result.post_ids[1], DAY + timedelta(days=3), Channel.FACEBOOK),
        ]
    )
    assert not calendar.entries(
        world.session, world.utama, DAY - timedelta(days=7), DAY - timedelta(days=1)
    )
    # Another OPD's PPID Pembantu does not see Dinkes' plan.
    assert not calendar.entries(world.session, world.other_pembantu, DAY, DAY)


def test_the_queue_filters_by_plan(world: World, tmp_path: Path) -> None:
    path = _plan(world, tmp_path, [GOOD2])
    result = plans.import_plan(world.session, world.pembantu, world.store, path, _photos())
    workflow.submit(world.session, world.pembantu, result.post_ids[0])
    other = world.post_in(PostStatus.SUBMITTED)
    reviewer = world.utama
    everything = {i.post.id for i in queue_page(world.session, reviewer).items}
    assert {other.id, result.post_ids[0]} <= everything
    from_plan = queue_page(world.session, reviewer, QueueFilter(from_plan=True)).items
    assert [i.post.id for i in from_plan] == [result.post_ids[0]]
    one_plan = QueueFilter(plan_import_id=result.plan_import_id)
    assert [i.post.id for i in queue_page(world.session, reviewer, one_plan).items] == [
        result.post_ids[0]
    ]


def test_my_posts_export_round_trips(world: World, tmp_path: Path) -> None:
    path = _plan(world, tmp_path, [GOOD, GOOD2])
    plans.import_plan(world.session, world.pembantu, world.store, path, _photos())
    world.draft()  # written by hand: no planned day
    exported = tmp_path / "konten-saya.xlsx"
    exported.write_bytes(plans.desk_plan_bytes(world.session, world.pembantu))
    rows = [row for _, row in read_rows(exported, aliases=plans.PLAN_ALIASES)]
    assert len(rows) == 3
    assert {r["caption"] for r in rows} >= {GOOD[2], GOOD2[2]}
    # Read back as a plan: the imported rows are recognised, nothing is created twice.
    again = plans.import_plan(world.session, world.pembantu, world.store, exported, _photos())
    assert len(again.skipped) == 2  # the hand-written draft's row is new
    month = tmp_path / "kalender.xlsx"
    month.write_bytes(
        plans.calendar_plan_bytes(world.session, world.pembantu, DAY, DAY + timedelta(days=30))
    )
    days = [row["planned_on"][:10] for _, row in read_rows(month, aliases=plans.PLAN_ALIASES)]
    assert days == [DAY.isoformat(), (DAY + timedelta(days=3)).isoformat()]


def test_a_file_over_the_limits_is_refused_while_streaming(world: World, tmp_path: Path) -> None:
    path = _plan(world, tmp_path, [GOOD] * 30)
    with pytest.raises(ValidationFailed, match="Paling banyak 10 baris"):
        plans.preview(
            world.session, world.pembantu, path, _photos(), limits=ImportLimits(max_rows=10)
        )
    assert _posts(world) == 0


def _big(path: Path, rows: int) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(PLAN_HEADERS.values()))
    for number in range(rows):
        sheet.append(_row(f"Rencana ke-{number} untuk warga.", DAY, channels="x"))
    book.save(path)
    return path


def _traced(run: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_five_thousand_rows_preview_with_progress_in_bounded_memory(
    world: World, tmp_path: Path, database: Database
) -> None:
    """Every row of a 5 000-row plan is read, checked and screened, the progress callback
    counts each, and memory stays far below what one photo through the intake may cost
    (25 MB upload, 24 megapixels decoded). The import does the same reading plus the writes;
    its own memory is measured below on fewer rows (each row is a draft with its audit)."""
    if database.backend != "sqlite":
        pytest.skip("the reading does not depend on the database; measured once")
    path = _big(tmp_path / "besar.xlsx", 5_000)
    seen: list[tuple[int, int]] = []
    shown, peak = _traced(
        lambda: plans.preview(
            world.session,
            world.pembantu,
            path,
            plans.UploadedPhotos(),
            progress=lambda done, total: seen.append((done, total)),
        )
    )
    print(f"\npeak traced memory previewing 5000 rows: {peak / 1e6:.1f} MB")
    assert isinstance(shown, plans.Preview) and shown.ready == 5_000
    assert seen == [(n, 5_000) for n in range(1, 5_001)]
    assert peak < 100 * 1024 * 1024


@pytest.mark.timeout(900)
def test_a_long_import_reports_progress_in_bounded_memory(
    world: World, tmp_path: Path, database: Database
) -> None:
    """A 5 000-row plan imports as 5 000 drafts, the progress callback counts each row, and
    memory stays within what one photo through the intake may cost (25 MB upload)."""
    if database.backend != "sqlite":
        pytest.skip("measured once")
    path = _big(tmp_path / "panjang.xlsx", 5_000)
    seen: list[tuple[int, int]] = []
    result, peak = _traced(
        lambda: plans.import_plan(
            world.session,
            world.pembantu,
            world.store,
            path,
            plans.UploadedPhotos(),
            progress=lambda done, total: seen.append((done, total)),
        )
    )
    print(f"\npeak traced memory importing 5000 rows: {peak / 1e6:.1f} MB")
    assert isinstance(result, plans.PlanResult) and len(result.post_ids) == 5_000
    assert seen == [(n, 5_000) for n in range(1, 5_001)]
    assert peak < 100 * 1024 * 1024
