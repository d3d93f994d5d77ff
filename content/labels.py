"""What people read for each stored value: channels, post and target statuses, roles, KIP
categories and audit actions. One home: pages, exports, the CLI and content's own sentences
import from here, so a label is changed once."""

from __future__ import annotations

from content.audit import AuditAction
from content.models import (
    ApprovalLevel,
    Channel,
    KipCategory,
    NotificationKind,
    PostStatus,
    Role,
    TargetStatus,
)

CHANNEL_LABELS = {
    Channel.X: "X",
    Channel.FACEBOOK: "Facebook",
    Channel.INSTAGRAM: "Instagram",
    Channel.VIDEOTRON: "Videotron",
}

ROLE_LABELS = {
    Role.ADMIN_OPD: "Admin OPD",
    Role.PPID_PEMBANTU: "PPID Pembantu (Sekretaris OPD)",
    Role.PPID_UTAMA: "PPID Utama",
    Role.ANALYST: "Analis / Tim Monev",
    Role.SYSADMIN: "Administrator sistem",
}

# What a notification says; {post} is the post's number (never its words: see notifications).
NOTIFICATION_SENTENCES = {
    NotificationKind.AWAITING_APPROVAL: "Konten #{post} menunggu persetujuan Anda.",
    NotificationKind.CHANGES_REQUESTED: "Konten #{post} dikembalikan untuk perbaikan.",
    NotificationKind.APPROVED: "Konten #{post} disetujui.",
    NotificationKind.REJECTED: "Konten #{post} ditolak.",
}

APPROVAL_LEVEL_LABELS = {
    ApprovalLevel.OPD: "PPID Pembantu (OPD)",
    ApprovalLevel.CITY: "PPID Utama (kota)",
}

# UU KIP 14/2008 Pasal 17: the grounds on which information is exempt (DIK entries carry one).
KIP_17_GROUNDS = {
    "a": "a — menghambat proses penegakan hukum",
    "b": "b — mengganggu hak kekayaan intelektual dan persaingan usaha",
    "c": "c — membahayakan pertahanan dan keamanan negara",
    "d": "d — mengungkap kekayaan alam Indonesia",
    "e": "e — merugikan ketahanan ekonomi nasional",
    "f": "f — merugikan kepentingan hubungan luar negeri",
    "g": "g — mengungkap isi akta otentik pribadi atau wasiat",
    "h": "h — mengungkap rahasia pribadi",
    "i": "i — memorandum atau surat antar badan publik yang dirahasiakan",
    "j": "j — informasi yang tidak boleh diungkap berdasarkan undang-undang",
}

KIP_LABELS = {
    KipCategory.BERKALA: "Berkala",
    KipCategory.SERTA_MERTA: "Serta-merta",
    KipCategory.SETIAP_SAAT: "Tersedia setiap saat",
}

POST_STATUS_LABELS = {
    PostStatus.DRAFT: "Draf",
    PostStatus.SUBMITTED: "Menunggu persetujuan",
    PostStatus.CHANGES_REQUESTED: "Perlu perbaikan",
    PostStatus.REJECTED: "Ditolak",
    PostStatus.APPROVED: "Disetujui",
    PostStatus.SCHEDULED: "Terjadwal",
    PostStatus.PUBLISHING: "Sedang dipublikasikan",
    PostStatus.PUBLISHED: "Terpublikasi",
    PostStatus.PARTIALLY_PUBLISHED: "Terpublikasi sebagian",
    PostStatus.FAILED: "Gagal",
    PostStatus.TAKEN_DOWN: "Ditarik",
}

TARGET_STATUS_LABELS = {
    TargetStatus.PENDING: "Menunggu jadwal",
    TargetStatus.SCHEDULED: "Terjadwal",
    TargetStatus.PUBLISHING: "Sedang dikirim",
    TargetStatus.UNKNOWN: "Hasil belum pasti",
    TargetStatus.WAITING: "Ditahan",
    TargetStatus.PUBLISHED: "Terbit",
    TargetStatus.FAILED: "Gagal",
    TargetStatus.CANCELLED: "Dibatalkan",
    TargetStatus.REMOVAL_DUE: "Menunggu dihapus",
    TargetStatus.REMOVING: "Sedang dihapus",
    TargetStatus.REMOVED: "Dihapus",
    TargetStatus.REMOVAL_FAILED: "Gagal dihapus",
    TargetStatus.REMOVE_MANUALLY: "Hapus manual",
}

AUDIT_ACTION_LABELS: dict[AuditAction, str] = {
    AuditAction.ACCOUNT_CREATED: "menambah akun media sosial",
    AuditAction.ACCOUNT_APPROVALS_CHANGED: "mengubah persetujuan yang diperlukan akun",
    AuditAction.ACCOUNT_CREDENTIALS_CHANGED: "mengganti kredensial akun",
    AuditAction.ACCOUNT_HEALTH_CHANGED: "status koneksi akun berubah",
    AuditAction.BUDGET_SET: "menetapkan anggaran",
    AuditAction.BUDGET_WARNING: "peringatan anggaran",
    AuditAction.DIK_ACTIVATED: "mengaktifkan aturan DIK",
    AuditAction.DIK_APPROVED: "menyetujui usulan DIK OPD",
    AuditAction.DIK_CREATED: "menambah aturan DIK",
    AuditAction.DIK_DEACTIVATED: "menonaktifkan aturan DIK",
    AuditAction.MEDIA_UPLOADED: "mengunggah foto",
    AuditAction.OPD_CREATED: "menambah OPD",
    AuditAction.POST_CREATED: "membuat draf",
    AuditAction.POST_EDITED: "mengubah draf",
    AuditAction.POST_EDITED_AFTER_REVIEW: "mengubah konten yang sudah ditinjau (kembali ke draf)",
    AuditAction.POST_SUBMITTED: "mengajukan",
    AuditAction.POST_WITHDRAWN: "menarik pengajuan",
    AuditAction.POST_CHANGES_REQUESTED: "meminta perbaikan",
    AuditAction.POST_REJECTED: "menolak",
    AuditAction.POST_APPROVED: "menyetujui",
    AuditAction.POST_APPROVED_FOR_OPD: "menyetujui untuk OPD (menunggu PPID Utama)",
    AuditAction.POST_SCHEDULED: "menjadwalkan",
    AuditAction.POST_UNSCHEDULED: "membatalkan jadwal",
    AuditAction.POST_PUBLISH_NOW: "menerbitkan sekarang",
    AuditAction.POST_SCREENING_OVERRIDDEN: "mengabaikan temuan penyaringan",
    AuditAction.POST_PUBLISHING: "mulai dipublikasikan",
    AuditAction.POST_PUBLISHED: "terpublikasi",
    AuditAction.POST_PARTIALLY_PUBLISHED: "terpublikasi sebagian",
    AuditAction.POST_FAILED: "gagal dipublikasikan",
    AuditAction.PUBLICATION_PAUSED: "menjeda semua publikasi",
    AuditAction.PUBLICATION_RESUMED: "melanjutkan publikasi",
    AuditAction.SCREEN_CREATED: "menambah layar videotron",
    AuditAction.TARGET_RETRIED: "mengulang pengiriman",
    AuditAction.USER_ACTIVATED: "mengaktifkan pengguna",
    AuditAction.USER_CREATED: "menambah pengguna",
    AuditAction.USER_DEACTIVATED: "menonaktifkan pengguna",
    AuditAction.USER_EMAIL_CHANGED: "mengganti surel pengguna",
    AuditAction.USER_LOCKED: "akun pengguna dikunci",
    AuditAction.USER_PASSWORD_CHANGED: "mengganti kata sandi",
    AuditAction.USER_ROLE_CHANGED: "mengganti peran pengguna",
    AuditAction.USER_SIGNED_IN: "masuk ke aplikasi",
    AuditAction.VIDEOTRON_OVERRIDE_LIFTED: "mencabut siaran darurat videotron",
    AuditAction.VIDEOTRON_OVERRIDE_PUSHED: "menayangkan siaran darurat videotron",
    AuditAction.VIDEOTRON_SLIDE_ENDED: "menghentikan slide videotron",
    AuditAction.VIDEOTRON_SLIDE_RECORDED: "mencatat slide videotron",
    AuditAction.VIDEOTRON_SLIDE_RERENDERED: "membuat ulang slide videotron",
    AuditAction.VIDEOTRON_SLIDE_SCHEDULED: "menjadwalkan slide videotron",
    AuditAction.VIDEOTRON_SLIDES_REORDERED: "mengubah urutan slide videotron",
    AuditAction.SECRETS_ROTATED: "mengganti kunci rahasia kredensial",
    AuditAction.POST_TAKEN_DOWN: "menarik publikasi",
    AuditAction.TARGET_REMOVED: "menghapus dari platform",
    AuditAction.TARGET_REMOVE_MANUALLY: "menyerahkan penghapusan ke petugas (tanpa API hapus)",
    AuditAction.TARGET_REMOVAL_FAILED: "gagal menghapus dari platform",
    AuditAction.TARGET_REMOVED_MANUALLY: "mencatat penghapusan manual",
    AuditAction.TARGET_REMOVAL_RETRIED: "mengulang penghapusan",
    AuditAction.USER_SIGN_IN_FAILURES: "gagal masuk berulang kali",
    AuditAction.VIDEOTRON_SCREEN_SCHEDULE_SET: "mengatur jam tayang layar videotron",
    AuditAction.VIDEOTRON_PLAYER_KEY_ISSUED: "menerbitkan kunci pemutar videotron",
    AuditAction.VIDEOTRON_PLAYER_KEY_REVOKED: "mencabut kunci pemutar videotron",
}


def action_label(action: str) -> str:
    """An audit action as people read it; an action written by an older version that no longer
    exists is shown as "peristiwa lain" rather than as a raw identifier."""
    try:
        return AUDIT_ACTION_LABELS[AuditAction(action)]
    except ValueError:
        return f"peristiwa lain ({action})"
