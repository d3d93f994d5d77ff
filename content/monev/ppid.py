"""The Pengelolaan PPID part, from records: the request register and the DIP/DIK/SOP evidence,
counted per OPD in SQL, then scored item by item with a sentence each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from content import formats
from content.infra.timeutil import WIB, utcnow
from content.models import DikReview, DikRule, InfoRequest, Opd, PpidEvidence
from content.monev.config import MonevConfig
from content.monev.periods import Period


@dataclass
class PpidFacts:
    received: int = 0  # requests received in the period
    settled: int = 0  # ... answered, or past their deadline unanswered (pending ones wait)
    on_time: int = 0  # ... answered on or before their due date
    extended: int = 0  # ... with a notice of extension
    objections: int = 0
    objections_decided: int = 0
    dip_on: date | None = None  # newest DIP dated within the period's year (and before its end)
    dik_on: date | None = None
    sop_on: date | None = None  # newest SOP dated before the period's end
    # The Daftar DIK page's review records of the OPD's own active entries (when any exist,
    # they decide the DIK item; else the uploaded evidence `dik_on` does).
    dik_entries: int = 0  # active, approved entries of the OPD
    dik_recorded: bool = False  # some entry has a review record dated before the period's end
    dik_reviewed: int = 0  # ... entries reviewed within the period's year
    dik_reviewed_on: date | None = None  # the newest such review


def local_dates(period: Period) -> tuple[date, date]:
    """The period's first day and the day after its last, in WIB."""
    return period.start.astimezone(WIB).date(), period.end.astimezone(WIB).date()


def ppid_facts(
    session: Session,
    period: Period,
    opd_ids: Iterable[int],
    *,
    today: date | None = None,
) -> dict[int, PpidFacts]:
    """{opd_id: facts} for the given OPDs. A request still within its deadline on `today`
    (WIB; default now) and unanswered is not counted either way yet."""
    first, after = local_dates(period)
    today = today or utcnow().astimezone(WIB).date()
    facts = {opd_id: PpidFacts() for opd_id in opd_ids}
    answered_in_time = and_(
        InfoRequest.answered_on.is_not(None), InfoRequest.answered_on <= InfoRequest.due_on
    )
    settled = (InfoRequest.answered_on.is_not(None)) | (InfoRequest.due_on < today)

    def counted(condition: ColumnElement[bool]) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))

    query = (
        select(
            InfoRequest.opd_id,
            func.count(InfoRequest.id),
            counted(settled),
            counted(answered_in_time),
            counted(InfoRequest.extended_on.is_not(None)),
            counted(InfoRequest.objection_on.is_not(None)),
            counted(InfoRequest.objection_outcome.is_not(None)),
        )
        .where(
            InfoRequest.opd_id.in_(list(facts)),
            InfoRequest.received_on >= first,
            InfoRequest.received_on < after,
        )
        .group_by(InfoRequest.opd_id)
    )
    for opd_id, received, done, timely, extended, objections, decided in session.execute(query):
        fact = facts[opd_id]
        fact.received, fact.settled, fact.on_time = int(received), int(done or 0), int(timely or 0)
        fact.extended, fact.objections = int(extended or 0), int(objections or 0)
        fact.objections_decided = int(decided or 0)
    year_start = date(first.year, 1, 1)
    newest = (
        select(PpidEvidence.opd_id, PpidEvidence.kind, func.max(PpidEvidence.dated_on))
        .where(PpidEvidence.opd_id.in_(list(facts)), PpidEvidence.dated_on < after)
        .group_by(PpidEvidence.opd_id, PpidEvidence.kind)
    )
    for opd_id, kind, dated in session.execute(newest):
        fact = facts[opd_id]
        if kind == "sop":
            fact.sop_on = dated
        elif dated >= year_start:  # DIP and DIK count when updated within the year
            setattr(fact, f"{kind}_on", dated)
    _dik_reviews(session, facts, year_start, after)
    return facts


def _dik_reviews(
    session: Session, facts: dict[int, PpidFacts], year_start: date, after: date
) -> None:
    """Per OPD: its active entries, whether any has a review record, how many were reviewed
    within [year_start, after) and the newest of those reviews."""
    in_year = and_(DikReview.reviewed_on >= year_start, DikReview.reviewed_on < after)
    per_rule = (
        select(
            DikRule.opd_id,
            DikRule.id,
            func.max(case((DikReview.reviewed_on < after, 1), else_=0)).label("recorded"),
            func.max(case((in_year, DikReview.reviewed_on), else_=None)).label("newest"),
        )
        .outerjoin(DikReview, DikReview.rule_id == DikRule.id)
        .where(DikRule.opd_id.in_(list(facts)), DikRule.active, DikRule.approved)
        .group_by(DikRule.opd_id, DikRule.id)
        .subquery()
    )
    query = select(
        per_rule.c.opd_id,
        func.count(per_rule.c.id),
        func.max(per_rule.c.recorded),
        func.count(per_rule.c.newest),
        func.max(per_rule.c.newest),
    ).group_by(per_rule.c.opd_id)
    for opd_id, entries, recorded, reviewed, newest in session.execute(query):
        fact = facts[opd_id]
        fact.dik_entries, fact.dik_recorded = int(entries), bool(recorded)
        fact.dik_reviewed, fact.dik_reviewed_on = int(reviewed), newest


@dataclass(frozen=True)
class RequestRow:
    """One register row as the lists behind the PPID part show it."""

    opd: str
    number: str
    subject: str
    received_on: date
    due_on: date
    extended_on: date | None
    answered_on: date | None
    outcome: str | None
    objection_on: date | None
    objection_outcome: str | None


@dataclass(frozen=True)
class EvidenceRow:
    opd: str
    kind: str
    dated_on: date
    url: str | None
    file_name: str | None


def register_rows(
    session: Session, period: Period, opd_ids: Iterable[int] | None
) -> list[RequestRow]:
    """The requests received in the period (the OPDs given, or every OPD), oldest first."""
    first, after = local_dates(period)
    query = (
        select(Opd.slug, InfoRequest)
        .join(Opd, Opd.id == InfoRequest.opd_id)
        .where(InfoRequest.received_on >= first, InfoRequest.received_on < after)
        .order_by(Opd.slug, InfoRequest.received_on, InfoRequest.number)
    )
    if opd_ids is not None:
        query = query.where(InfoRequest.opd_id.in_(list(opd_ids)))
    return [
        RequestRow(
            slug,
            r.number,
            r.subject,
            r.received_on,
            r.due_on,
            r.extended_on,
            r.answered_on,
            r.outcome,
            r.objection_on,
            r.objection_outcome,
        )
        for slug, r in session.execute(query)
    ]


def evidence_rows(
    session: Session, period: Period, opd_ids: Iterable[int] | None
) -> list[EvidenceRow]:
    """Every piece of evidence dated before the period's end, newest first."""
    _, after = local_dates(period)
    query = (
        select(Opd.slug, PpidEvidence)
        .join(Opd, Opd.id == PpidEvidence.opd_id)
        .where(PpidEvidence.dated_on < after)
        .order_by(Opd.slug, PpidEvidence.kind, PpidEvidence.dated_on.desc())
    )
    if opd_ids is not None:
        query = query.where(PpidEvidence.opd_id.in_(list(opd_ids)))
    return [
        EvidenceRow(slug, e.kind, e.dated_on, e.url, e.file_name)
        for slug, e in session.execute(query)
    ]


def _day(value: date) -> str:
    return formats.day(value)


def ppid_items(
    facts: PpidFacts, period: Period, config: MonevConfig
) -> list[tuple[str, float | None, str]]:
    """(item, 0–100 or None when there is nothing to judge, why) for each item of the part."""
    year = local_dates(period)[0].year
    items: list[tuple[str, float | None, str]] = []
    items.append(
        ("dip", 100.0, f"DIP bertanggal {_day(facts.dip_on)}.")
        if facts.dip_on
        else ("dip", 0.0, f"Tidak ada DIP bertanggal tahun {year}.")
    )
    items.append(_dik_item(facts, year))
    items.append(
        ("sop", 100.0, f"SOP bertanggal {_day(facts.sop_on)}.")
        if facts.sop_on
        else ("sop", 0.0, "Belum ada SOP pelayanan informasi tercatat.")
    )
    days = int(config.ppid["answer_working_days"])
    extra = int(config.ppid["extension_working_days"])
    if facts.settled:
        pending = facts.received - facts.settled
        items.append(
            (
                "requests",
                100.0 * facts.on_time / facts.settled,
                f"{facts.on_time} dari {facts.settled} permohonan dijawab dalam {days} hari kerja"
                f" (+{extra} dengan pemberitahuan; {facts.extended} diperpanjang)"
                + (f"; {pending} masih dalam tenggat." if pending else "."),
            )
        )
    else:
        why = f"Tidak ada permohonan informasi dalam periode ini ({facts.received} tercatat)."
        items.append(("requests", None, why))
    if facts.objections:
        items.append(
            (
                "objections",
                100.0 * facts.objections_decided / facts.objections,
                f"{facts.objections_decided} dari {facts.objections} keberatan sudah diputus.",
            )
        )
    else:
        items.append(("objections", None, "Tidak ada keberatan dalam periode ini."))
    return items


def _dik_item(facts: PpidFacts, year: int) -> tuple[str, float | None, str]:
    """From the Daftar DIK page's review records when the OPD's entries have any: the share of
    its active entries reviewed within the year; else from the uploaded DIK inventory."""
    if facts.dik_recorded and facts.dik_entries:
        newest = f" (terakhir {_day(facts.dik_reviewed_on)})" if facts.dik_reviewed_on else ""
        return (
            "dik",
            100.0 * facts.dik_reviewed / facts.dik_entries,
            f"{facts.dik_reviewed} dari {facts.dik_entries} entri DIK OPD ditinjau tahun "
            f"{year}{newest}, menurut catatan peninjauan di halaman Daftar DIK.",
        )
    if facts.dik_on:
        return (
            "dik",
            100.0,
            f"Inventaris DIK bertanggal {_day(facts.dik_on)}, menurut bukti yang diunggah "
            "(belum ada catatan peninjauan di halaman Daftar DIK).",
        )
    return (
        "dik",
        0.0,
        f"Tidak ada Inventaris DIK bertanggal tahun {year} dan belum ada catatan peninjauan "
        "di halaman Daftar DIK.",
    )


def weighted(items: Iterable[tuple[str, float | None]], weights: dict[str, float]) -> float | None:
    """The weighted mean of the items that have a value (None when none has)."""
    known = [(weights[name], score) for name, score in items if score is not None]
    total = sum(w for w, _ in known)
    return sum(w * s for w, s in known) / total if total else None


__all__ = [
    "EvidenceRow",
    "PpidFacts",
    "RequestRow",
    "evidence_rows",
    "local_dates",
    "ppid_facts",
    "ppid_items",
    "register_rows",
    "weighted",
]
