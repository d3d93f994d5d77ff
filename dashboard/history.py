"""A post's audit events as lines people read: when (WIB), who, what, why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from content.models import AuditEvent
from content.timeutil import format_wib

ACTION_LABELS = {
    "post.created": "membuat draf",
    "post.edited": "mengubah draf",
    "post.edited_after_review": "mengubah konten yang sudah ditinjau (kembali ke draf)",
    "post.submitted": "mengajukan",
    "post.withdrawn": "menarik pengajuan",
    "post.changes_requested": "meminta perbaikan",
    "post.rejected": "menolak",
    "post.approved": "menyetujui",
    "post.scheduled": "menjadwalkan",
    "post.unscheduled": "membatalkan jadwal",
    "post.publish_now": "menerbitkan sekarang",
    "post.screening_overridden": "mengabaikan temuan penyaringan",
    "target.retried": "mengulang pengiriman",
    "post.taken_down": "menarik publikasi",
    "target.removed": "menghapus dari platform",
    "target.remove_manually": "menyerahkan penghapusan ke petugas (tanpa API hapus)",
    "target.removal_failed": "gagal menghapus dari platform",
    "target.removed_manually": "mencatat penghapusan manual",
    "target.removal_retried": "mengulang penghapusan",
    "publication.paused": "menjeda semua publikasi",
    "publication.resumed": "melanjutkan publikasi",
}


def action_label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str
    action: str
    reason: str

    def row(self) -> dict[str, str]:
        return {
            "Waktu": format_wib(self.at),
            "Oleh": self.actor,
            "Peristiwa": action_label(self.action),
            "Keterangan": self.reason,
        }


def history_lines(events: Sequence[AuditEvent]) -> list[HistoryLine]:
    return [HistoryLine(e.at, e.actor_label, e.action, e.reason) for e in events]
