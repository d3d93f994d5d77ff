"""Pengelolaan PPID records: the register of information requests and the OPD's DIP/DIK/SOP
evidence, entered one by one (dashboard, CLI) or imported from CSV/XLSX with row-level errors.

UU KIP Pasal 22: a request is answered within 10 working days of its receipt (ayat 7), and the
PPID may take 7 more with a written notice given before that first deadline (ayat 8). The due
date is computed once, when the request is recorded or its dates change, so that "answered on
time" is a plain comparison in SQL. Working days skip weekends and the configured holidays.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content.audit import AuditAction, record
from content.editorial.importer import ImportLimits, RowError, read_rows
from content.infra.errors import Conflict, DomainError, NotFound, ValidationFailed
from content.infra.store import BlobStore
from content.labels import EVIDENCE_KIND_LABELS, OBJECTION_OUTCOME_LABELS, REQUEST_OUTCOME_LABELS
from content.models import InfoRequest, PpidEvidence
from content.monev.config import MonevConfig
from content.monev.workdays import add_working_days
from content.org.actors import Actor, refresh
from content.org.opds import get_opd
from content.org.permissions import Action, require

EVIDENCE_EXTENSIONS = frozenset({"pdf", "jpg", "jpeg", "png"})
MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


def due_date(received_on: date, extended_on: date | None, config: MonevConfig) -> date:
    """The answer's deadline: 10 working days, or 17 when the notice of extension was given
    on or before the first deadline (a late notice does not extend it)."""
    base = int(config.ppid["answer_working_days"])
    first = add_working_days(received_on, base, config.holidays)
    if extended_on is None or extended_on > first:
        return first
    return add_working_days(
        received_on, base + int(config.ppid["extension_working_days"]), config.holidays
    )


@dataclass(frozen=True)
class RequestInput:
    number: str
    received_on: date
    subject: str = ""
    extended_on: date | None = None
    answered_on: date | None = None
    outcome: str | None = None  # a key of REQUEST_OUTCOME_LABELS
    objection_on: date | None = None
    objection_outcome: str | None = None  # a key of OBJECTION_OUTCOME_LABELS


def _check(data: RequestInput) -> None:
    """One sentence for the first thing that cannot be true of a register row."""
    if not data.number.strip():
        raise ValidationFailed("Nomor register permohonan wajib diisi.")
    if len(data.number) > 64 or len(data.subject) > 300:
        raise ValidationFailed("Nomor register paling panjang 64 dan perihal 300 karakter.")
    for label, moment in (
        ("pemberitahuan perpanjangan", data.extended_on),
        ("jawaban", data.answered_on),
        ("keberatan", data.objection_on),
    ):
        if moment is not None and moment < data.received_on:
            raise ValidationFailed(f"Tanggal {label} tidak boleh sebelum tanggal permohonan.")
    if data.outcome is not None and data.outcome not in REQUEST_OUTCOME_LABELS:
        raise ValidationFailed(
            f"Hasil permohonan '{data.outcome}' tidak dikenal; pilih "
            f"{', '.join(REQUEST_OUTCOME_LABELS.values())}."
        )
    if (data.outcome is None) != (data.answered_on is None):
        raise ValidationFailed("Tanggal jawaban dan hasil permohonan diisi bersama.")
    if data.objection_outcome is not None:
        if data.objection_outcome not in OBJECTION_OUTCOME_LABELS:
            raise ValidationFailed(
                f"Hasil keberatan '{data.objection_outcome}' tidak dikenal; pilih "
                f"{', '.join(OBJECTION_OUTCOME_LABELS.values())}."
            )
        if data.objection_on is None:
            raise ValidationFailed("Hasil keberatan diisi setelah tanggal keberatan.")


def record_request(
    session: Session, actor: Actor, opd_id: int, data: RequestInput, config: MonevConfig
) -> int:
    """Add one request to the OPD's register (a PPID Pembantu: its own OPD only). A number
    already in the register is refused."""
    actor = refresh(session, actor)
    require(actor, Action.KEEP_PPID_RECORDS, opd_id)
    _check(data)
    if session.scalar(
        select(InfoRequest.id).where(
            InfoRequest.opd_id == opd_id, InfoRequest.number == data.number.strip()
        )
    ):
        raise Conflict(f"Nomor register '{data.number.strip()}' sudah tercatat.")
    row = InfoRequest(
        opd_id=opd_id,
        number=data.number.strip(),
        subject=data.subject.strip(),
        received_on=data.received_on,
        extended_on=data.extended_on,
        due_on=due_date(data.received_on, data.extended_on, config),
        answered_on=data.answered_on,
        outcome=data.outcome,
        objection_on=data.objection_on,
        objection_outcome=data.objection_outcome,
        created_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError as exc:  # the same number recorded by someone else just now
        raise Conflict(f"Nomor register '{data.number.strip()}' sudah tercatat.") from exc
    record(
        session,
        actor,
        AuditAction.PPID_REQUEST_RECORDED,
        "info_request",
        row.id,
        opd_id=opd_id,
        after={"number": row.number, "received_on": row.received_on.isoformat()},
    )
    return row.id


def update_request(
    session: Session, actor: Actor, request_id: int, data: RequestInput, config: MonevConfig
) -> None:
    """Record what happened to a request since (answer, extension, objection and outcome)."""
    actor = refresh(session, actor)
    row = session.get(InfoRequest, request_id)
    if row is None:
        raise NotFound("Permohonan tidak ditemukan.")
    require(actor, Action.KEEP_PPID_RECORDS, row.opd_id)
    _check(data)
    before = _snapshot(row)
    row.subject = data.subject.strip()
    row.received_on, row.extended_on = data.received_on, data.extended_on
    row.due_on = due_date(data.received_on, data.extended_on, config)
    row.answered_on, row.outcome = data.answered_on, data.outcome
    row.objection_on, row.objection_outcome = data.objection_on, data.objection_outcome
    record(
        session,
        actor,
        AuditAction.PPID_REQUEST_UPDATED,
        "info_request",
        row.id,
        opd_id=row.opd_id,
        before=before,
        after=_snapshot(row),
    )


def _snapshot(row: InfoRequest) -> dict[str, str | None]:
    def iso(value: date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "answered_on": iso(row.answered_on),
        "outcome": row.outcome,
        "extended_on": iso(row.extended_on),
        "objection_on": iso(row.objection_on),
        "objection_outcome": row.objection_outcome,
    }


def add_evidence(
    session: Session,
    actor: Actor,
    opd_id: int,
    kind: str,
    dated_on: date,
    *,
    url: str | None = None,
    file: tuple[str, bytes] | None = None,
    store: BlobStore | None = None,
) -> int:
    """Record the OPD's DIP, DIK inventory or SOP: a link (http/https) or a file (PDF or
    image, kept in the blob store), with the date it was published or reviewed."""
    actor = refresh(session, actor)
    require(actor, Action.KEEP_PPID_RECORDS, opd_id)
    if kind not in EVIDENCE_KIND_LABELS:
        raise ValidationFailed(f"Jenis bukti '{kind}' tidak dikenal; pilih DIP, DIK atau SOP.")
    if (url is None) == (file is None):
        raise ValidationFailed("Bukti berupa tautan atau berkas (salah satu).")
    sha256 = name = None
    if url is not None:
        url = url.strip()
        if not url.startswith(("https://", "http://")) or len(url) > 500:
            raise ValidationFailed("Tautan bukti harus diawali https:// (paling panjang 500).")
    if file is not None:
        name, data = file
        extension = Path(name).suffix.lower().lstrip(".")
        if extension not in EVIDENCE_EXTENSIONS or store is None:
            raise ValidationFailed("Berkas bukti harus PDF, JPG atau PNG.")
        if not data or len(data) > MAX_EVIDENCE_BYTES:
            raise ValidationFailed("Berkas bukti kosong atau lebih dari 20 MB.")
        sha256, name = store.put(data, extension), Path(name).name[:200]
    row = PpidEvidence(
        opd_id=opd_id,
        kind=kind,
        dated_on=dated_on,
        url=url,
        file_sha256=sha256,
        file_name=name,
        created_by_id=actor.user_id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor,
        AuditAction.PPID_EVIDENCE_ADDED,
        "ppid_evidence",
        row.id,
        opd_id=opd_id,
        after={"kind": kind, "dated_on": dated_on.isoformat(), "url": url, "file": name},
    )
    return row.id


# --- import ----------------------------------------------------------------------------------

ALIASES: Mapping[str, tuple[str, ...]] = {
    "opd": ("opd",),
    "number": ("nomor", "no", "nomor_register", "number"),
    "subject": ("perihal", "informasi_yang_diminta", "subject"),
    "received_on": ("tanggal_permohonan", "diterima", "received_on"),
    "extended_on": ("tanggal_perpanjangan", "perpanjangan", "extended_on"),
    "answered_on": ("tanggal_jawaban", "dijawab", "answered_on"),
    "outcome": ("hasil", "outcome"),
    "objection_on": ("tanggal_keberatan", "keberatan", "objection_on"),
    "objection_outcome": ("hasil_keberatan", "objection_outcome"),
}
REQUIRED = {
    "number": "'nomor'",
    "received_on": "'tanggal_permohonan'",
}


@dataclass
class RegisterImport:
    request_ids: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _date(value: str, column: str) -> date | None:
    """'2026-03-02', '02-03-2026', '02/03/2026' or a spreadsheet's date-time text."""
    text = value.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValidationFailed(f"Kolom {column}: '{text[:40]}' bukan tanggal (tulis 2026-03-02).")


def _code(value: str, labels: Mapping[str, str], column: str) -> str | None:
    """A stored code from its code or its Indonesian label."""
    text = value.strip().lower()
    if not text:
        return None
    for code, label in labels.items():
        if text in (code, label.lower()):
            return code
    raise ValidationFailed(
        f"Kolom {column}: '{value.strip()[:40]}' tidak dikenal; pilih {', '.join(labels.values())}."
    )


def _row_input(row: Mapping[str, str]) -> RequestInput:
    received = _date(row.get("received_on", ""), "tanggal_permohonan")
    if received is None:
        raise ValidationFailed("Kolom tanggal_permohonan wajib diisi.")
    return RequestInput(
        number=row.get("number", ""),
        received_on=received,
        subject=row.get("subject", ""),
        extended_on=_date(row.get("extended_on", ""), "tanggal_perpanjangan"),
        answered_on=_date(row.get("answered_on", ""), "tanggal_jawaban"),
        outcome=_code(row.get("outcome", ""), REQUEST_OUTCOME_LABELS, "hasil"),
        objection_on=_date(row.get("objection_on", ""), "tanggal_keberatan"),
        objection_outcome=_code(
            row.get("objection_outcome", ""), OBJECTION_OUTCOME_LABELS, "hasil_keberatan"
        ),
    )


def import_register(
    session: Session,
    actor: Actor,
    path: Path,
    config: MonevConfig,
    *,
    limits: ImportLimits | None = None,
) -> RegisterImport:
    """Import register rows from CSV/XLSX (streamed and bounded as the content import is).
    Each row is recorded whole or not at all; bad rows come back with their row number and one
    sentence, the good ones are kept. The `opd` column may be left out by a PPID Pembantu
    (its own OPD)."""
    actor = refresh(session, actor)
    result = RegisterImport()
    for number, row in read_rows(path, limits, aliases=ALIASES, required=REQUIRED):
        try:
            with session.begin_nested():
                slug = row.get("opd", "")
                if slug:
                    opd_id = get_opd(session, slug).id
                elif actor.opd_id is not None:
                    opd_id = actor.opd_id
                else:
                    raise ValidationFailed("Kolom opd wajib diisi.")
                request_id = record_request(session, actor, opd_id, _row_input(row), config)
        except DomainError as exc:
            result.errors.append(RowError(number, exc.message))
            continue
        result.request_ids.append(request_id)
    return result
