"""The Monev page's "Register PPID" tab: the information-request register and the DIP/DIK/SOP
evidence behind the Pengelolaan PPID part, entered one by one or imported from CSV/XLSX (row
errors shown with their row number). Rules and rights live in `content.monev.register`."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from sqlalchemy.orm import Session

from content.labels import EVIDENCE_KIND_LABELS, OBJECTION_OUTCOME_LABELS, REQUEST_OUTCOME_LABELS
from content.monev import MonevConfig, MonevReport
from content.monev import register as ppid_register
from content.monev.report import evidence_table, requests_table
from content.org.actors import Actor
from content.org.opds import list_opds
from content.org.permissions import Action, can
from dashboard import resources
from dashboard.ui import attempt, data_table, md, read

NONE = "—"


def _opd_choice(actor: Actor) -> int | None:
    """The OPD the records are for: a PPID Pembantu's own, or one chosen by PPID Utama."""
    if actor.opd_id is not None and not can(actor, Action.REVIEW):
        return actor.opd_id
    opds = read(lambda s: [(o.id, o.name) for o in list_opds(s)])
    names = dict(opds)
    return st.selectbox(
        "OPD", list(names), format_func=lambda i: names[i], key="ppid_opd", index=None
    )


def _optional_date(label: str, key: str) -> date | None:
    value = st.date_input(label, value=None, key=key, format="DD/MM/YYYY")
    return value if isinstance(value, date) else None


def _code(label: str, labels: dict[str, str], key: str) -> str | None:
    choice = st.selectbox(label, [NONE, *labels], format_func=lambda c: labels.get(c, c), key=key)
    return None if choice == NONE else choice


def request_form(actor: Actor, opd_id: int, config: MonevConfig) -> None:
    with st.form("ppid_request", clear_on_submit=True):
        st.markdown("**Catat permohonan informasi**")
        number = st.text_input("Nomor register")
        subject = st.text_input("Informasi yang diminta")
        received = st.date_input("Tanggal permohonan", format="DD/MM/YYYY")
        extended = _optional_date("Tanggal pemberitahuan perpanjangan (+7 hari kerja)", "ppid_ext")
        answered = _optional_date("Tanggal jawaban", "ppid_ans")
        outcome = _code("Hasil", REQUEST_OUTCOME_LABELS, "ppid_outcome")
        objection = _optional_date("Tanggal keberatan", "ppid_obj")
        objection_outcome = _code("Hasil keberatan", OBJECTION_OUTCOME_LABELS, "ppid_obj_out")
        if not st.form_submit_button("Simpan permohonan"):
            return
    data = ppid_register.RequestInput(
        number=number,
        received_on=received if isinstance(received, date) else date.today(),
        subject=subject,
        extended_on=extended,
        answered_on=answered,
        outcome=outcome,
        objection_on=objection,
        objection_outcome=objection_outcome,
    )
    attempt(
        lambda s: ppid_register.record_request(s, actor, opd_id, data, config),
        done=f"Permohonan {number.strip()} tercatat.",
    )
    st.rerun()  # the message (and the register) show on the next render


def evidence_form(actor: Actor, opd_id: int) -> None:
    with st.form("ppid_evidence", clear_on_submit=True):
        st.markdown("**Tambah bukti DIP, DIK atau SOP**")
        kind = st.selectbox(
            "Jenis", list(EVIDENCE_KIND_LABELS), format_func=EVIDENCE_KIND_LABELS.__getitem__
        )
        dated = st.date_input("Tanggal terbit atau tinjauan", format="DD/MM/YYYY")
        url = st.text_input("Tautan (https://…)")
        file = st.file_uploader("…atau berkas (PDF, JPG, PNG)", type=["pdf", "jpg", "jpeg", "png"])
        if not st.form_submit_button("Simpan bukti"):
            return
    upload = (file.name, file.getvalue()) if file is not None else None

    def add(session: Session) -> int:
        return ppid_register.add_evidence(
            session,
            actor,
            opd_id,
            kind,
            dated if isinstance(dated, date) else date.today(),
            url=url.strip() or None,
            file=upload,
            store=resources.store(),
        )

    attempt(add, done=f"Bukti {EVIDENCE_KIND_LABELS[kind]} tersimpan.")
    st.rerun()


def import_form(actor: Actor, config: MonevConfig) -> None:
    file = st.file_uploader(
        "Impor register (CSV atau XLSX: nomor, tanggal_permohonan, perihal, tanggal_perpanjangan,"
        " tanggal_jawaban, hasil, tanggal_keberatan, hasil_keberatan, opd)",
        type=["csv", "xlsx"],
        key="ppid_import",
    )
    if file is None or not st.button("Impor register", key="ppid_import_go"):
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(file.name).name
        path.write_bytes(file.getvalue())
        result = attempt(lambda s: ppid_register.import_register(s, actor, path, config))
    if result is None:
        return
    st.success(
        f"{len(result.request_ids)} permohonan tercatat, {len(result.errors)} baris ditolak."
    )
    for error in result.errors:
        st.error(f"Baris {error.row}: {md(error.message)}")


def register_section(actor: Actor, report: MonevReport) -> None:
    st.caption(
        "Pengelolaan PPID dinilai dari catatan: permohonan informasi dijawab dalam 10 hari kerja "
        "(+7 dengan pemberitahuan, UU KIP Pasal 22), keberatan dan putusannya, serta DIP, "
        "inventaris DIK dan SOP yang bertanggal."
    )
    header, rows = requests_table(report)
    st.markdown(f"#### Permohonan informasi — {report.period.label}")
    if rows:
        data_table(pd.DataFrame(rows, columns=header), hide_index=True)
    else:
        st.info("Belum ada permohonan informasi tercatat pada periode ini.")
    header, rows = evidence_table(report)
    st.markdown("#### Bukti DIP, DIK dan SOP")
    if rows:
        data_table(pd.DataFrame(rows, columns=header), hide_index=True)
    else:
        st.info("Belum ada bukti DIP, DIK atau SOP tercatat.")
    if not can(actor, Action.KEEP_PPID_RECORDS, actor.opd_id):
        return
    opd_id = _opd_choice(actor)
    if opd_id is None:
        st.caption("Pilih OPD untuk mencatat permohonan atau bukti.")
    else:
        left, right = st.columns(2)
        with left:
            request_form(actor, opd_id, report.config)
        with right:
            evidence_form(actor, opd_id)
    import_form(actor, report.config)
