"""Monev's three parts on the hand-computed February 2026 dataset (tests/monev_data.py):
Pengelolaan PPID from the register and the evidence, Pengaduan "belum ada data" until the inbox
exists (and counted once it answers), Media Sosial as before, and the weighted total.

Dinkes: PPID 60 (see `_ppid_records`), Pengaduan none, Media 60 → (40·60 + 30·60)/70 = 60,0.
With an inbox answering 3 of 4 complaints in time (75): (40·60 + 30·75 + 30·60)/100 = 64,5.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from content.infra.errors import Conflict, PermissionDenied, ValidationFailed
from content.models import AuditEvent, Channel, InboxItem, InboxKind, InfoRequest
from content.monev import compute, load
from content.monev.register import (
    RequestInput,
    add_evidence,
    due_date,
    import_register,
    record_request,
)
from content.monev.workdays import add_working_days, working_hours
from tests.monev_data import PERIOD, build_dataset, monev_config
from tests.world import World


@pytest.fixture
def dataset(world: World) -> World:
    return build_dataset(world)


def _scores(world: World) -> dict[str, object]:
    report = compute(world.session, world.analyst, PERIOD, monev_config())
    return {s.facts.slug: s for s in report.scores}


def test_ppid_part_hand_computed_with_reasons(dataset: World) -> None:
    dinkes = _scores(dataset)["dinkes"]
    ppid = dinkes.section("ppid")  # type: ignore[attr-defined]
    assert ppid.label == "Pengelolaan PPID"
    assert round(ppid.score, 6) == 60
    items = {p.name: (p.score, p.why) for p in ppid.items}
    assert items["dip"] == (100, "DIP bertanggal 15 Jan 2026.")
    assert items["dik"] == (
        0,
        "Tidak ada Inventaris DIK bertanggal tahun 2026 dan belum ada catatan peninjauan di "
        "halaman Daftar DIK.",
    )
    assert items["sop"][0] == 100
    assert items["requests"][0] == 50
    assert items["requests"][1].startswith("2 dari 4 permohonan dijawab dalam 10 hari kerja")
    assert items["objections"] == (25, "1 dari 4 keberatan sudah diputus.")
    capil = _scores(dataset)["disdukcapil"].section("ppid")  # type: ignore[attr-defined]
    assert capil.score == 100
    objections = next(p for p in capil.items if p.name == "objections")
    assert not objections.counted and "Tidak ada keberatan" in objections.why


def test_pengaduan_shows_no_data_and_is_left_out_of_the_total(dataset: World) -> None:
    scores = _scores(dataset)
    dinkes = scores["dinkes"]
    pengaduan = dinkes.section("pengaduan")  # type: ignore[attr-defined]
    assert pengaduan.score is None and pengaduan.shown == "belum ada data"
    assert dinkes.total == 60.0 and dinkes.qualification == "Cukup Informatif"  # type: ignore[attr-defined]
    assert "Pengelola Pengaduan Publik: belum ada data" in dinkes.total_why  # type: ignore[attr-defined]
    assert scores["disdukcapil"].total == 100.0  # type: ignore[attr-defined]
    assert scores["diskominfostandi"].total == 0.0  # type: ignore[attr-defined]


def test_pengaduan_comes_from_the_inbox(dataset: World) -> None:
    """Four complaints routed to Dinkes in the period, three answered before their due time."""
    s = dataset.session
    due = PERIOD.start + timedelta(days=3)
    answers = [
        PERIOD.start + timedelta(days=1),
        PERIOD.start + timedelta(days=2),
        PERIOD.start + timedelta(days=2, hours=5),
        PERIOD.start + timedelta(days=9),  # late
    ]
    for number, answered_at in enumerate(answers):
        s.add(
            InboxItem(
                account_id=dataset.x_account,
                channel=Channel.X,
                kind=InboxKind.MENTION,
                remote_id=f"m{number}",
                thread_remote_id=f"m{number}",
                text="Jalan berlubang di depan puskesmas.",
                received_at=PERIOD.start + timedelta(hours=number + 1),
                opd_id=dataset.dinkes_id,
                due_at=due,
                first_response_at=answered_at,
            )
        )
    s.flush()
    scores = _scores(dataset)
    dinkes = scores["dinkes"]
    assert dinkes.section("pengaduan").score == 75  # type: ignore[attr-defined]
    assert dinkes.total == 64.5 and dinkes.total_why == ""  # type: ignore[attr-defined]
    assert "3 dari 4 pengaduan dijawab" in dinkes.section("pengaduan").why  # type: ignore[attr-defined]
    # No complaint at all is no data either, not a 0.
    assert scores["disdukcapil"].section("pengaduan").score is None  # type: ignore[attr-defined]


def test_section_weights_and_defaults_are_settings() -> None:
    config = load()
    assert dict(config.section_weights) == {"ppid": 40, "pengaduan": 30, "media": 30}
    assert config.ppid["answer_working_days"] == 10
    assert config.ppid["extension_working_days"] == 7
    with pytest.raises(ValidationFailed, match="bagian Monev"):
        from content.monev.config import parse

        parse({"sections": {"ppid": 0, "pengaduan": 0, "media": 0}})


def test_working_days_skip_weekends_holidays_and_a_late_notice() -> None:
    config = load()
    received = date(2026, 2, 2)  # a Monday
    assert add_working_days(received, 10) == date(2026, 2, 16)
    imlek = frozenset({date(2026, 2, 17)})
    assert add_working_days(received, 17, imlek) == date(2026, 2, 26)
    assert due_date(received, None, config) == date(2026, 2, 16)
    assert due_date(received, date(2026, 2, 16), config) == date(2026, 2, 25)
    # A notice given after the first deadline does not extend it.
    assert due_date(received, date(2026, 2, 17), config) == date(2026, 2, 16)


def test_register_refuses_other_opds_duplicates_and_bad_rows(dataset: World) -> None:
    s, config = dataset.session, load()
    row = RequestInput("R9", date(2026, 3, 2))
    with pytest.raises(PermissionDenied, match="OPD Anda sendiri"):
        record_request(s, dataset.pembantu, dataset.disdukcapil_id, row, config)
    with pytest.raises(PermissionDenied):
        record_request(s, dataset.analyst, dataset.dinkes_id, row, config)
    with pytest.raises(Conflict, match="R1"):
        record_request(
            s, dataset.pembantu, dataset.dinkes_id, RequestInput("R1", date(2026, 3, 2)), config
        )
    with pytest.raises(ValidationFailed, match="sebelum tanggal permohonan"):
        record_request(
            s,
            dataset.pembantu,
            dataset.dinkes_id,
            RequestInput("R10", date(2026, 3, 2), answered_on=date(2026, 3, 1), outcome="granted"),
            config,
        )
    with pytest.raises(ValidationFailed, match="tautan atau berkas"):
        add_evidence(s, dataset.pembantu, dataset.dinkes_id, "dip", date(2026, 3, 1))
    recorded = s.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "ppid.request_recorded")
    )
    assert recorded == 5  # the dataset's five, nothing of the refused ones


def test_register_import_keeps_good_rows_and_names_bad_ones(dataset: World, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        "nomor,tanggal_permohonan,perihal,tanggal_jawaban,hasil,opd\n"
        "I-1,02-03-2026,Data gizi,2026-03-10,dipenuhi,\n"
        "I-2,2026-03-31,Data stunting,,,\n"
        "I-3,kemarin,Data,,,\n"
        "I-4,2026-03-02,Data,2026-03-05,diterima,\n"
        "I-5,2026-03-02,Data,,,disdukcapil\n",
        encoding="utf-8",
    )
    result = import_register(dataset.session, dataset.pembantu, path, load())
    assert len(result.request_ids) == 2
    assert [(e.row, e.message.split(":")[0]) for e in result.errors][:2] == [
        (4, "Kolom tanggal_permohonan"),
        (5, "Kolom hasil"),
    ]
    assert result.errors[2].row == 6 and "OPD Anda sendiri" in result.errors[2].message
    stored = dataset.session.scalars(
        select(InfoRequest).where(InfoRequest.number.in_(["I-1", "I-2"]))
    ).all()
    assert {r.number: r.due_on for r in stored} == {
        "I-1": date(2026, 3, 16),
        "I-2": date(2026, 4, 14),
    }


def test_register_import_needs_its_columns(dataset: World, tmp_path: Path) -> None:
    path = tmp_path / "salah.csv"
    path.write_text("keterangan\nhalo\n", encoding="utf-8")
    with pytest.raises(ValidationFailed, match="'nomor'"):
        import_register(dataset.session, dataset.pembantu, path, load())


def test_pembantu_sees_only_its_own_parts(dataset: World) -> None:
    report = compute(dataset.session, dataset.pembantu, PERIOD, monev_config())
    assert [s.facts.slug for s in report.scores] == ["dinkes"]
    assert [s.name for s in report.scores[0].sections] == ["ppid", "pengaduan", "media"]


def test_review_and_worker_delays_are_ppid_utamas_own_figures(dataset: World) -> None:
    """Dinkes's reviews took 48, 48, 12, 12 hours and Disdukcapil's 30 (eight posts): 30 h on
    average; the worker was 30 minutes late on one of twelve channels: 2,5 minutes."""
    from content.monev.score import utama_figures

    report = compute(dataset.session, dataset.analyst, PERIOD, monev_config())
    figures = utama_figures(report.scores)
    assert round(figures["review_hours"], 6) == 30
    assert round(figures["worker_lag_minutes"], 6) == 2.5
    dinkes = next(s for s in report.scores if s.facts.slug == "dinkes")
    assert dinkes.part("timeliness").score == 75  # neither delay is charged to Dinkes


def test_working_hours_count_office_hours_of_working_days() -> None:
    from content.infra.timeutil import WIB

    friday = datetime(2026, 2, 6, 15, 0, tzinfo=WIB)
    monday = datetime(2026, 2, 9, 10, 30, tzinfo=WIB)
    assert working_hours(friday, monday) == 3.5  # 15–16 on Friday, 8–10:30 on Monday
    assert working_hours(monday, friday) == 0
    assert working_hours(friday, monday, frozenset({date(2026, 2, 9)})) == 1


def test_an_unanswered_request_for_changes_counts_late_once_overdue(dataset: World) -> None:
    """A second request for changes, never answered and long overdue: 1 of 2 in time →
    timeliness ½·50 + ½·50 = 50; one asked a moment ago is still within its time."""
    from datetime import timedelta

    from content.infra.timeutil import utcnow
    from content.models import Decision, Review
    from tests.monev_data import START

    for created in (START + timedelta(days=10), utcnow()):
        post = dataset.draft()
        dataset.session.add(
            Review(
                post_id=post.id,
                reviewer_id=dataset.utama.user_id,
                decision=Decision.REQUEST_CHANGES,
                content_hash="y",
                created_at=created,
            )
        )
    dataset.session.flush()
    dinkes = _scores(dataset)["dinkes"]
    timeliness = dinkes.part("timeliness")  # type: ignore[attr-defined]
    assert timeliness.score == 50
    assert "1 dari 2 permintaan perbaikan" in timeliness.why


def _sheet(data: bytes, title: str) -> list[tuple[object, ...]]:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return list(book[title].iter_rows(values_only=True))


def test_the_workbook_holds_the_three_parts_the_register_and_ppid_utamas_figures(
    dataset: World,
) -> None:
    from content.monev.report import workbook_bytes

    report = compute(dataset.session, dataset.analyst, PERIOD, monev_config())
    data = workbook_bytes(report)
    parts = _sheet(data, "Tiga bagian")
    assert parts[0][2:5] == (
        "Pengelolaan PPID (40.0%)",
        "Pengelola Pengaduan Publik (30.0%)",
        "Pengelolaan Media Sosial (30.0%)",
    )
    dinkes = next(r for r in parts if r[0] == "dinkes")
    assert dinkes[2:7] == (60, "belum ada data", 60, 60, "Cukup Informatif")
    register = _sheet(data, "Register permohonan")
    assert [(r[0], r[1], r[7]) for r in register[1:]] == [
        ("dinkes", "R1", "ya"),
        ("dinkes", "R2", "tidak"),
        ("dinkes", "R3", "ya"),
        ("dinkes", "R4", "tidak (belum dijawab)"),
        ("disdukcapil", "001/PPID", "ya"),
    ]
    utama = _sheet(data, "Kinerja PPID Utama")
    assert utama[1][:2] == ("Rata-rata waktu persetujuan (jam)", 30)
    assert utama[2][:2] == ("Rata-rata keterlambatan terbit (menit)", 2.5)


def test_a_pembantus_workbook_holds_nothing_of_another_opd(dataset: World) -> None:
    from content.monev.report import workbook_bytes

    report = compute(dataset.session, dataset.pembantu, PERIOD, monev_config())
    data = workbook_bytes(report)
    for title in ("Tiga bagian", "Pengelolaan PPID", "Register permohonan", "Bukti DIP DIK SOP"):
        rows = _sheet(data, title)[1:]
        assert rows and {r[0] for r in rows} == {"dinkes"}, title
    text = repr([_sheet(data, t) for t in ("Register permohonan", "Bukti DIP DIK SOP")])
    assert "capil" not in text and "KTP" not in text


def test_a_pembantus_evidence_bundle_holds_its_own_opd_only(dataset: World) -> None:
    import io
    import zipfile

    from content.monev.report import evidence_bundle

    report = compute(dataset.session, dataset.pembantu, PERIOD, monev_config())
    with zipfile.ZipFile(io.BytesIO(evidence_bundle(report))) as archive:
        names = archive.namelist()
        assert "laporan-monev-2026-02.xlsx" in names and "register-permohonan.csv" in names
        texts = {n: archive.read(n).decode("utf-8-sig") for n in names if n.endswith(".csv")}
        xlsx = archive.read("laporan-monev-2026-02.xlsx")
    assert "R4" in texts["register-permohonan.csv"]
    for name, text in texts.items():
        assert "disdukcapil" not in text and "001/PPID" not in text, name
    assert _sheet(xlsx, "Tiga bagian")[1][0] == "dinkes"


def test_answering_a_request_later_moves_the_ppid_part(dataset: World) -> None:
    """R4 (received 27-02, due 13-03) answered on 12-03: 3 of 4 on time → requests 75 →
    PPID (2500 + 1500 + 35·75 + 250) / 100 = 68,75."""
    from content.monev.register import update_request

    s, config = dataset.session, load()
    r4 = s.scalar(select(InfoRequest).where(InfoRequest.number == "R4"))
    assert r4 is not None and r4.due_on == date(2026, 3, 13)
    answer = RequestInput(
        "R4",
        date(2026, 2, 27),
        "Kontrak pengadaan",
        answered_on=date(2026, 3, 12),
        outcome="refused",
        objection_on=date(2026, 3, 20),
    )
    with pytest.raises(PermissionDenied):
        update_request(s, dataset.other_pembantu, r4.id, answer, config)
    update_request(s, dataset.pembantu, r4.id, answer, config)
    ppid = _scores(dataset)["dinkes"].section("ppid")  # type: ignore[attr-defined]
    assert ppid.score == 68.75
    updated = s.scalar(select(AuditEvent).where(AuditEvent.action == "ppid.request_updated"))
    assert updated is not None and updated.after["outcome"] == "refused"
