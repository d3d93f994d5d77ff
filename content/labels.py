"""What people read for each stored value: channels, post and target statuses, roles, KIP
categories and audit actions. One home: pages, exports, the CLI and content's own sentences
import from here, so a label is changed once."""

from __future__ import annotations

from content.audit import AuditAction
from content.models import (
    ApprovalLevel,
    Channel,
    CloseReason,
    EmailState,
    InboxKind,
    InboxStatus,
    InboxTopic,
    KipCategory,
    NotificationKind,
    OutgoingOutcome,
    PostStatus,
    Role,
    TargetStatus,
)

CHANNEL_LABELS = {
    Channel.X: "X",
    Channel.FACEBOOK: "Facebook",
    Channel.INSTAGRAM: "Instagram",
    Channel.VIDEOTRON: "Videotron",
    Channel.WEBSITE: "Website",
}

# Monev, for channels whose declared rules say engagement is not read (a website: page views).
UNREAD_METRICS_NOTE = (
    "Tayangan halaman {channels} tidak dibaca Siaran (platformnya tidak menyediakan angka itu): "
    "publikasinya tetap dihitung, keterlibatannya tidak."
)

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
    NotificationKind.SCHEDULED: "Konten #{post} dijadwalkan tayang.",
    NotificationKind.PUBLISHED: "Konten #{post} sudah tayang di {subject}.",
    NotificationKind.PUBLISH_FAILED: "Konten #{post} gagal tayang di {subject}.",
    NotificationKind.SERTA_MERTA: "Konten #{post} bersifat serta-merta dan menunggu keputusan.",
    NotificationKind.TOKEN_EXPIRING: "Akses akun {subject} akan kedaluwarsa; perbarui tokennya.",
    NotificationKind.BUDGET_WARNING: "Anggaran platform {subject} hampir habis.",
    NotificationKind.INBOX_OVERDUE: "Pesan masuk #{subject} melewati batas waktu tanggapan.",
    NotificationKind.PLAYER_SILENT: "Pemutar videotron {subject} tidak terdengar kabarnya.",
}

# Each kind as a person chooses it: bell only, or bell and e-mail ("Pengaturan pemberitahuan").
NOTIFICATION_KIND_LABELS = {
    NotificationKind.AWAITING_APPROVAL: "Konten menunggu persetujuan saya",
    NotificationKind.CHANGES_REQUESTED: "Konten saya dikembalikan untuk perbaikan",
    NotificationKind.APPROVED: "Konten saya disetujui",
    NotificationKind.REJECTED: "Konten saya ditolak",
    NotificationKind.SCHEDULED: "Konten saya dijadwalkan",
    NotificationKind.PUBLISHED: "Konten saya tayang",
    NotificationKind.PUBLISH_FAILED: "Konten saya gagal tayang",
    NotificationKind.SERTA_MERTA: "Konten serta-merta menunggu keputusan",
    NotificationKind.TOKEN_EXPIRING: "Token akun media sosial akan kedaluwarsa",
    NotificationKind.BUDGET_WARNING: "Anggaran platform hampir habis",
    NotificationKind.INBOX_OVERDUE: "Pesan masuk melewati batas waktu",
    NotificationKind.PLAYER_SILENT: "Pemutar videotron tidak terdengar kabarnya",
}

# Where a notification's e-mail is, as the bell shows it.
EMAIL_STATE_LABELS = {
    EmailState.PENDING: "e-mail menunggu dikirim",
    EmailState.SENDING: "e-mail sedang dikirim",
    EmailState.SENT: "e-mail terkirim",
    EmailState.FAILED: "e-mail gagal dikirim",
    # At most once: a send cut short is never repeated, so it may or may not have arrived.
    EmailState.UNKNOWN: "e-mail mungkin tidak sampai",
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

# What each category means when a writer picks it (UU KIP 14/2008 Pasal 9-11), and what
# serta-merta changes in Siaran.
KIP_EXPLANATIONS = {
    KipCategory.BERKALA: "Informasi yang wajib diumumkan secara berkala (UU KIP Pasal 9).",
    KipCategory.SERTA_MERTA: (
        "Informasi yang dapat mengancam hajat hidup orang banyak dan ketertiban umum (UU KIP "
        "Pasal 10): naik ke urutan teratas antrean, PPID Utama langsung diberi tahu, dan setelah "
        "disetujui disarankan terbit sekarang serta ditayangkan darurat di videotron."
    ),
    KipCategory.SETIAP_SAAT: "Informasi yang wajib tersedia setiap saat (UU KIP Pasal 11).",
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

INBOX_STATUS_LABELS = {
    InboxStatus.OPEN: "Menunggu tanggapan",
    InboxStatus.ANSWERED: "Dijawab",
    InboxStatus.CLOSED: "Selesai",
    InboxStatus.HIDDEN: "Disembunyikan",
}

INBOX_KIND_LABELS = {
    InboxKind.COMMENT: "Komentar",
    InboxKind.REPLY: "Balasan komentar",
    InboxKind.MENTION: "Sebutan (mention)",
}

INBOX_TOPIC_LABELS = {
    InboxTopic.PENGADUAN: "Pengaduan",
    InboxTopic.PERMINTAAN_INFORMASI: "Permintaan informasi",
    InboxTopic.PERTANYAAN: "Pertanyaan",
    InboxTopic.APRESIASI: "Apresiasi",
    InboxTopic.SPAM: "Spam / ujaran kebencian",
}

CLOSE_REASON_LABELS = {
    CloseReason.RESOLVED: "Selesai ditangani",
    CloseReason.NO_ACTION: "Tidak perlu tindak lanjut (apresiasi)",
    CloseReason.SPAM: "Spam / ujaran kebencian",
    CloseReason.DUPLICATE: "Duplikat",
    CloseReason.FORWARDED_LAPOR: "Diteruskan ke SP4N-LAPOR!",
}

OUTGOING_OUTCOME_LABELS = {
    OutgoingOutcome.AWAITING_APPROVAL: "Menunggu persetujuan PPID Utama",
    OutgoingOutcome.PENDING: "Menunggu dikirim",
    OutgoingOutcome.SENT: "Terkirim",
    OutgoingOutcome.FAILED: "Gagal dikirim",
    OutgoingOutcome.UNKNOWN: "Hasil belum pasti",
}

ROUTE_REASON_LABELS = {
    "post_opd": "komentar pada posting OPD ini",
    "account_opd": "pesan ke akun OPD ini",
    "city_triage": "akun kota: menunggu penugasan PPID Utama",
    "assigned": "ditugaskan oleh PPID Utama",
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
    AuditAction.DIK_REVIEWED: "meninjau aturan DIK",
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
    AuditAction.USER_SIGNED_OUT: "keluar dari aplikasi",
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
    AuditAction.PPID_REQUEST_RECORDED: "mencatat permohonan informasi",
    AuditAction.PPID_REQUEST_UPDATED: "memperbarui permohonan informasi",
    AuditAction.PPID_EVIDENCE_ADDED: "menambah bukti PPID (DIP/DIK/SOP)",
    AuditAction.INBOX_ASSIGNED: "menugaskan pesan Kotak masuk ke OPD",
    AuditAction.INBOX_REPLIED: "membalas pesan Kotak masuk",
    AuditAction.INBOX_HIDDEN: "menyembunyikan komentar",
    AuditAction.INBOX_CLOSED: "menyelesaikan pesan Kotak masuk",
    AuditAction.INBOX_CLASSIFIED: "menetapkan jenis pesan Kotak masuk",
    AuditAction.INBOX_REPLY_APPROVED: "menyetujui balasan Kotak masuk",
    AuditAction.INBOX_ESCALATED: "meneruskan pesan lewat tenggat ke PPID Utama",
    AuditAction.INBOX_RULE_ADDED: "menambah aturan kata Kotak masuk",
    AuditAction.INBOX_RULE_CHANGED: "mengubah aturan kata Kotak masuk",
    AuditAction.INBOX_SAVED_REPLY_ADDED: "menambah balasan tersimpan",
    AuditAction.INBOX_SAVED_REPLY_CHANGED: "mengubah balasan tersimpan",
    AuditAction.PLAN_IMPORTED: "mengimpor rencana konten",
}


def action_label(action: str) -> str:
    """An audit action as people read it; an action written by an older version that no longer
    exists is shown as "peristiwa lain" rather than as a raw identifier."""
    try:
        return AUDIT_ACTION_LABELS[AuditAction(action)]
    except ValueError:
        return f"peristiwa lain ({action})"


# Monev: the three parts of the yearly Monev of each PPID Pembantu, and their items.
MONEV_SECTION_LABELS = {
    "ppid": "Pengelolaan PPID",
    "pengaduan": "Pengelola Pengaduan Publik",
    "media": "Pengelolaan Media Sosial",
}
PPID_ITEM_LABELS = {
    "dip": "DIP diperbarui tahun ini",
    "dik": "Inventaris DIK ditinjau tahun ini",
    "sop": "SOP pelayanan informasi",
    "requests": "Permohonan dijawab tepat waktu",
    "objections": "Keberatan diputus",
}
NO_DATA_LABEL = "belum ada data"
# Weekdays as Python numbers them (0 = Monday), e.g. a screen's hours per weekday.
WEEKDAY_LABELS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
# The calendar's kinds of entry (content/editorial/calendar.py KINDS) and channels' short names.
CALENDAR_KIND_LABELS = {
    "planned": "rencana",
    "scheduled": "terjadwal",
    "published": "terbit",
    "partial": "terbit sebagian",
    "taken_down": "ditarik",
}
CHANNEL_SHORT_LABELS = {
    Channel.X: "X",
    Channel.FACEBOOK: "FB",
    Channel.INSTAGRAM: "IG",
    Channel.VIDEOTRON: "VT",
    Channel.WEBSITE: "Web",
}
# How a city-wide account (no OPD) is marked where an author picks accounts.
CITY_ACCOUNT = "akun Pemkot"
EVIDENCE_KIND_LABELS = {"dip": "DIP", "dik": "Inventaris DIK", "sop": "SOP"}
# What the answer to a request was (UU KIP Pasal 22 ayat (7)).
REQUEST_OUTCOME_LABELS = {
    "granted": "dipenuhi",
    "partial": "dipenuhi sebagian",
    "refused": "ditolak",
    "not_held": "tidak dikuasai",
}
# What became of an objection (keberatan, UU KIP Pasal 35–36).
OBJECTION_OUTCOME_LABELS = {
    "accepted": "keberatan diterima",
    "rejected": "keberatan ditolak",
    "dispute": "lanjut sengketa ke Komisi Informasi",
}

# What an audit row's entity is, as people read it ("Konten #8", not "post #8").
ENTITY_LABELS = {
    "post": "Konten",
    "post_target": "Kanal konten",
    "user": "Pengguna",
    "account": "Akun media sosial",
    "screen": "Layar videotron",
    "opd": "OPD",
    "budget": "Anggaran",
    "dik_rule": "Aturan DIK",
    "media": "Foto",
    "publication_pause": "Jeda publikasi",
    "slide": "Slide videotron",
    "player_key": "Kunci pemutar",
    "plan_import": "Impor rencana",
}


def entity_label(entity_type: str, entity_id: int | None) -> str:
    """An audit row's entity: its Indonesian name and number; an unknown kind reads "data"."""
    name = ENTITY_LABELS.get(entity_type, "Data")
    return f"{name} #{entity_id}" if entity_id is not None else name


def worker_label(worker_id: str, number: int | None = None, hostname: str = "") -> str:
    """A worker id ("host:pid:random", scheduler/context.py) as people read it:
    "Worker 1 (server bekasi-app)" when the page numbers the workers it lists, else
    "Worker (server bekasi-app, proses 27696)". `hostname`, when known, names the server."""
    parsed, _, rest = worker_id.partition(":")
    host = hostname or parsed
    pid = rest.partition(":")[0]
    if number is not None:
        return f"Worker {number} (server {host})"
    return f"Worker (server {host}, proses {pid})" if pid else f"Worker (server {host})"


def actor_label(label: str) -> str:
    """Who did it, as an audit row names them: a username as it is, the system and the worker
    in words (the row stores "sistem" and "worker:<id>", content/org/actors.py)."""
    if label == "sistem":
        return "Sistem"
    if label.startswith("worker:"):
        return worker_label(label.removeprefix("worker:"))
    return label


# The content-plan spreadsheet ("rencana konten bulanan"): its column headers, in order. Keys
# are the importer's column names; the headers read back through the same aliases.
PLAN_HEADERS = {
    "planned_on": "Tanggal rencana (WIB)",
    "opd": "OPD",
    "caption": "Keterangan",
    "link": "Tautan",
    "headline": "Judul videotron",
    "kip_category": "Kategori KIP",
    "channels": "Kanal",
    "photo": "Foto",
    "alt_text": "Teks alternatif",
    "x": "Teks X",
    "facebook": "Teks Facebook",
    "instagram": "Teks Instagram",
    "website": "Teks Website",
}
PLAN_REASON_HEADER = "Alasan ditolak"
PLAN_FROM_PLAN_LABEL = "dari rencana"
