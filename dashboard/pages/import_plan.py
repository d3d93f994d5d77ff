"""Impor rencana: a monthly content plan from a spreadsheet. Download the template, upload the
filled file and its photos (files or a ZIP), read the preview (nothing written yet), import once
confirmed (drafts only) with a progress bar, then the summary and the rejected rows to fix.
Every rule lives in `content.editorial.plans`; this page only shows and asks."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import streamlit as st

from content.editorial import plans
from content.infra.errors import DomainError
from content.infra.timeutil import WIB, utcnow
from content.labels import CHANNEL_LABELS
from content.models import Channel
from content.org.actors import Actor
from content.org.permissions import Action
from dashboard import auth, resources
from dashboard.ui import ask_first, attempt, confirmation, md, read, show_flash

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif", "zip"]
PREVIEW = "ip_preview"  # (signature of the upload, Preview | error sentence)
RESULT = "ip_result"  # (summary, rejected-rows XLSX or None)
RUN = "ip_run"
PROGRESS_STEPS = 50  # progress bar updates in one import, however long the plan


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes
    photos: list[tuple[str, bytes]]

    @property
    def signature(self) -> str:
        digest = hashlib.sha256(self.data)
        for name, data in self.photos:
            digest.update(name.encode() + hashlib.sha256(data).digest())
        return digest.hexdigest()


def _with_file(upload: Upload, use: Any) -> Any:
    """`use(path)` on the uploaded plan written to a private temporary file (the reader streams
    from a file); removed afterwards."""
    suffix = Path(upload.name).suffix.lower() or ".xlsx"
    with tempfile.TemporaryDirectory(prefix="siaran-plan-") as folder:
        path = Path(folder) / f"rencana{suffix}"
        path.write_bytes(upload.data)
        return use(path)


def _bundle(upload: Upload) -> plans.UploadedPhotos:
    limits = plans.BundleLimits(max_photo_bytes=resources.limits().max_bytes)
    return plans.photos_from_uploads(upload.photos, limits)


def _ticker(bar: Any) -> plans.Progress:
    def tick(done: int, total: int) -> None:
        if done == total or done % max(1, total // PROGRESS_STEPS) == 0:
            bar.progress(done / total, text=f"{done} dari {total} baris")

    return tick


def _template(actor: Actor) -> bytes:
    with resources.transaction() as session:
        return plans.template_bytes(session, actor)


def template_section(actor: Actor) -> None:
    st.download_button(
        "Unduh templat XLSX",
        data=lambda: _template(actor),
        file_name="templat-rencana-konten.xlsx",
        mime=XLSX,
        key="ip_template",
        on_click="ignore",
        icon=":material/download:",
    )


def current_upload() -> Upload | None:
    file = st.file_uploader(
        "Berkas rencana (XLSX)",
        type=["xlsx"],
        key="ip_file",
        max_upload_size=20,
    )
    photos = st.file_uploader(
        "Foto (beberapa berkas, atau satu ZIP)",
        type=PHOTO_TYPES,
        accept_multiple_files=True,
        key="ip_photos",
        max_upload_size=resources.upload_megabytes(),
    )
    if file is None:
        return None
    return Upload(file.name, file.getvalue(), [(p.name, p.getvalue()) for p in photos or []])


def _preview(actor: Actor, upload: Upload) -> plans.Preview | str:
    bar = st.progress(0.0, text="Membaca rencana…")
    settings = resources.settings()

    def run(path: Path) -> plans.Preview:
        bundle = _bundle(upload)
        with resources.transaction() as session:
            return plans.preview(
                session,
                actor,
                path,
                bundle,
                progress=_ticker(bar),
                media_limits=resources.limits(),
                public_numbers=settings.public_phone_numbers,
            )

    try:
        shown: plans.Preview | str = _with_file(upload, run)
    except DomainError as exc:
        shown = exc.message
    bar.empty()
    return shown


def _day(value: date | None) -> str:
    return f"{value:%d-%m-%Y}" if value else "—"


def _channel(value: str) -> str:
    known = {c.value: c for c in Channel}
    return CHANNEL_LABELS[known[value]] if value in known else value


def _state(row: plans.PreviewRow) -> str:
    if row.error:
        return f"Ditolak: {row.error}"
    if row.duplicate:
        return f"Dilewati: {row.duplicate}"
    return "Siap diimpor"


def preview_table(shown: plans.Preview) -> None:
    st.markdown(
        f"**Pratinjau:** {shown.ready} baris siap, {shown.refused} baris ditolak, "
        f"{shown.duplicates} baris sudah pernah diimpor. Belum ada yang disimpan."
    )
    rows = [
        {
            "Baris": r.row,
            "Tanggal rencana (WIB)": _day(r.planned_on),
            "OPD": r.opd,
            "Kanal": ", ".join(_channel(c) for c in r.channels),
            "Keterangan": r.caption,
            "Temuan penyaringan": " ".join(r.findings) or "—",
            "Keadaan": _state(r),
        }
        for r in shown.rows
    ]
    st.dataframe(rows, hide_index=True, key="ip_table")


def _request_import() -> None:
    st.session_state[RUN] = True


def _import(actor: Actor, upload: Upload) -> None:
    bar = st.progress(0.0, text="Mengimpor…")
    settings = resources.settings()

    def run(path: Path) -> tuple[str, bytes | None] | None:
        bundle = _bundle(upload)
        result = attempt(
            lambda session: plans.import_plan(
                session,
                actor,
                resources.store(),
                path,
                bundle,
                file_name=upload.name,
                progress=_ticker(bar),
                media_limits=resources.limits(),
                public_numbers=settings.public_phone_numbers,
            )
        )
        if result is None:
            return None
        return result.summary(), plans.rejected_bytes(result) if result.rejected else None

    try:
        done = _with_file(upload, run)
    except DomainError as exc:
        st.error(md(exc.message))
        return
    bar.empty()
    if done is not None:
        st.session_state[RESULT] = done
    st.session_state.pop(PREVIEW, None)  # read again: the rows now exist
    st.rerun()


def result_section() -> None:
    result = st.session_state.get(RESULT)
    if not result:
        return
    summary, rejected = result
    st.success(f"{summary} Draf ada di Konten saya; ajukan setelah diperiksa.")
    if rejected:
        stamp = utcnow().astimezone(WIB)
        st.download_button(
            "Unduh baris yang ditolak (XLSX)",
            data=rejected,
            file_name=f"rencana-ditolak-{stamp:%Y%m%d-%H%M}.xlsx",
            mime=XLSX,
            key="ip_rejected",
            on_click="ignore",
            icon=":material/download:",
        )


def main() -> None:
    actor = auth.require_page(Action.WRITE_POST)
    st.title("Impor rencana")
    show_flash()
    st.caption(
        "Isi templat rencana konten bulanan, unggah bersama fotonya, periksa pratinjau, lalu "
        "impor. Setiap baris menjadi draf (tidak diajukan otomatis); tanggal rencana tampil di "
        "Kalender sebagai rencana."
    )
    read(lambda s: plans.require_importer(s, actor))
    template_section(actor)
    result_section()
    upload = current_upload()
    if upload is None:
        return
    if st.session_state.pop(RUN, False):
        _import(actor, upload)
        return
    cached = st.session_state.get(PREVIEW)
    if not cached or cached[0] != upload.signature:
        cached = (upload.signature, _preview(actor, upload))
        st.session_state[PREVIEW] = cached
    shown = cached[1]
    if isinstance(shown, str):
        st.error(md(shown))
        return
    preview_table(shown)
    if shown.ready == 0:
        st.info("Tidak ada baris baru yang dapat diimpor.")
        return
    st.button("Impor", key="ip_import", type="primary", on_click=ask_first, args=("ip_import",))
    confirmation(
        "ip_import",
        f"Impor {shown.ready} baris menjadi draf? Baris yang ditolak tidak disimpan.",
        "Ya, impor",
        _request_import,
    )


main()
