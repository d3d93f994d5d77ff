"""Pengelolaan PPID from records: the register of information requests (UU KIP Pasal 22: an
answer within 10 working days, +7 with a notice of extension; objections and their outcome) and
the OPD's evidence (DIP, DIK inventory, SOP: a link or a file, with its date).

Outcomes and evidence kinds are stored as short codes (see `content.monev.register`)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from content.models.base import Base, created_at_column


class InfoRequest(Base):
    """One request for information, as the OPD's register holds it. `due_on` is computed once
    when the request is recorded (received date + working days), so "answered on time" is a
    plain comparison in SQL."""

    __tablename__ = "info_request"
    __table_args__ = (
        UniqueConstraint("opd_id", "number", name="uq_info_request_opd_number"),
        Index("ix_info_request_opd_received", "opd_id", "received_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(64))  # the register's own number
    subject: Mapped[str] = mapped_column(String(300), default="")
    received_on: Mapped[date] = mapped_column(Date)
    extended_on: Mapped[date | None] = mapped_column(Date)  # notice of extension (+7 days)
    due_on: Mapped[date] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))  # granted/partial/refused/not_held
    objection_on: Mapped[date | None] = mapped_column(Date)  # keberatan filed
    objection_outcome: Mapped[str | None] = mapped_column(String(16))  # upheld/dismissed/…
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = created_at_column()


class PpidEvidence(Base):
    """A piece of evidence for the Komisi Informasi self-assessment: the DIP, the DIK inventory
    or the SOP of an OPD, dated (the Monev counts what is dated within the year)."""

    __tablename__ = "ppid_evidence"
    __table_args__ = (Index("ix_ppid_evidence_opd_kind", "opd_id", "kind", "dated_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opd_id: Mapped[int] = mapped_column(ForeignKey("opd.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # dip / dik / sop
    dated_on: Mapped[date] = mapped_column(Date)
    url: Mapped[str | None] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))  # in the blob store
    file_name: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = created_at_column()
