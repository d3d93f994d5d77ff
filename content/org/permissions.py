"""Who may do what, on which OPD's content. The one place these rules live.

Every service calls `require` before it writes; pages and CLI commands only ask `can` to decide
what to show. OPD admins and PPID Pembantu act on their own OPD only; the analyst writes nothing.
A decision on a submitted post is taken at its level (`ApprovalLevel`): the OPD's PPID Pembantu
(its Sekretaris) signs off for the OPD, PPID Utama for the city (`require_level`).
"""

from __future__ import annotations

import enum

from content.infra.errors import PermissionDenied
from content.models import ApprovalLevel, Role
from content.models.enums import OPD_ROLES
from content.org.actors import Actor


class Action(enum.StrEnum):
    VIEW_POSTS = "view_posts"
    WRITE_POST = "write_post"  # create, edit, submit, withdraw
    REVIEW = "review"  # approve, request changes, reject
    SCHEDULE = "schedule"  # schedule, unschedule, publish now, retry
    TAKE_DOWN = "take_down"  # "Tarik publikasi": remove a published post from its channels
    OVERRIDE_SCREENING = "override_screening"
    MANAGE_DIK = "manage_dik"  # the city's DIK; approving an OPD's entries
    PROPOSE_DIK = "propose_dik"  # an OPD's own DIK entries, approved by PPID Utama
    EMERGENCY_STOP = "emergency_stop"
    MANAGE_VIDEOTRON = "manage_videotron"
    VIEW_REPORTS = "view_reports"
    VIEW_AUDIT = "view_audit"
    VIEW_OPERATIONS = "view_operations"
    MANAGE_USERS = "manage_users"
    MANAGE_OPDS = "manage_opds"
    MANAGE_ACCOUNTS = "manage_accounts"
    MANAGE_SCREENS = "manage_screens"
    MANAGE_BUDGETS = "manage_budgets"
    UPLOAD_MEDIA = "upload_media"
    KEEP_PPID_RECORDS = "keep_ppid_records"  # the request register and DIP/DIK/SOP evidence


_ADMIN = frozenset(
    {
        Action.MANAGE_USERS,
        Action.MANAGE_OPDS,
        Action.MANAGE_ACCOUNTS,
        Action.MANAGE_SCREENS,
        Action.VIEW_AUDIT,
        Action.VIEW_OPERATIONS,
    }
)

_DRAFTING = frozenset(
    {Action.VIEW_POSTS, Action.WRITE_POST, Action.UPLOAD_MEDIA, Action.VIEW_REPORTS}
)

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN_OPD: _DRAFTING,
    Role.PPID_PEMBANTU: _DRAFTING | {Action.REVIEW, Action.PROPOSE_DIK, Action.KEEP_PPID_RECORDS},
    Role.PPID_UTAMA: frozenset(
        {
            Action.VIEW_POSTS,
            Action.WRITE_POST,
            Action.UPLOAD_MEDIA,
            Action.REVIEW,
            Action.SCHEDULE,
            Action.TAKE_DOWN,
            Action.OVERRIDE_SCREENING,
            Action.MANAGE_DIK,
            Action.PROPOSE_DIK,
            Action.EMERGENCY_STOP,
            Action.MANAGE_VIDEOTRON,
            Action.MANAGE_BUDGETS,
            Action.VIEW_REPORTS,
            Action.VIEW_AUDIT,
            Action.VIEW_OPERATIONS,
            Action.KEEP_PPID_RECORDS,
        }
    ),
    Role.ANALYST: frozenset({Action.VIEW_POSTS, Action.VIEW_REPORTS, Action.VIEW_AUDIT}),
    Role.SYSADMIN: _ADMIN,
}

# The operator at the command line administers the installation; content decisions always
# need a named user (`--as USER`), so that the audit trail says who decided.
SYSTEM_ACTIONS = _ADMIN | {Action.MANAGE_DIK, Action.MANAGE_BUDGETS, Action.VIEW_REPORTS}

_REFUSALS = {
    Action.VIEW_POSTS: "melihat konten ini",
    Action.WRITE_POST: "menulis atau mengubah konten ini",
    Action.REVIEW: "memberi keputusan persetujuan",
    Action.SCHEDULE: "menjadwalkan atau menerbitkan konten",
    Action.TAKE_DOWN: "menarik publikasi konten",
    Action.OVERRIDE_SCREENING: "mengabaikan temuan penyaringan",
    Action.MANAGE_DIK: "mengelola Daftar Informasi yang Dikecualikan",
    Action.PROPOSE_DIK: "mengusulkan Daftar Informasi yang Dikecualikan",
    Action.EMERGENCY_STOP: "menjeda atau melanjutkan publikasi",
    Action.MANAGE_VIDEOTRON: "mengelola playlist videotron",
    Action.VIEW_REPORTS: "melihat laporan",
    Action.VIEW_AUDIT: "melihat jejak audit",
    Action.VIEW_OPERATIONS: "melihat status operasi",
    Action.MANAGE_USERS: "mengelola pengguna",
    Action.MANAGE_OPDS: "mengelola OPD",
    Action.MANAGE_ACCOUNTS: "mengelola akun media sosial",
    Action.MANAGE_SCREENS: "mengelola layar videotron",
    Action.MANAGE_BUDGETS: "mengelola anggaran platform",
    Action.UPLOAD_MEDIA: "mengunggah foto",
    Action.KEEP_PPID_RECORDS: "mengisi register dan bukti PPID",
}


def allowed_actions(actor: Actor) -> frozenset[Action]:
    if actor.is_system:
        return SYSTEM_ACTIONS
    return ROLE_ACTIONS.get(actor.role, frozenset()) if actor.role else frozenset()


# Actions on one OPD's content; the rest are not tied to an OPD (reports are scoped by query).
OPD_SCOPED = frozenset(
    {
        Action.VIEW_POSTS,
        Action.WRITE_POST,
        Action.REVIEW,
        Action.PROPOSE_DIK,
        Action.KEEP_PPID_RECORDS,
    }
)

# Who signs off at each level.
LEVEL_REVIEWERS: dict[ApprovalLevel, Role] = {
    ApprovalLevel.OPD: Role.PPID_PEMBANTU,
    ApprovalLevel.CITY: Role.PPID_UTAMA,
}
_WAITING_FOR = {
    ApprovalLevel.OPD: "Konten ini menunggu persetujuan PPID Pembantu OPD-nya.",
    ApprovalLevel.CITY: "Konten ini menunggu persetujuan PPID Utama.",
}


def in_scope(actor: Actor, opd_id: int | None) -> bool:
    """OPD admins and PPID Pembantu reach their own OPD only; the other roles reach every OPD."""
    if actor.role in OPD_ROLES:
        return opd_id is not None and opd_id == actor.opd_id
    return True


def can(actor: Actor, action: Action, opd_id: int | None = None) -> bool:
    scoped = action not in OPD_SCOPED or in_scope(actor, opd_id)
    return action in allowed_actions(actor) and scoped


def require(actor: Actor, action: Action, opd_id: int | None = None) -> None:
    if action not in allowed_actions(actor):
        raise PermissionDenied(f"Peran Anda tidak berhak {_REFUSALS[action]}.")
    if action in OPD_SCOPED and not in_scope(actor, opd_id):
        raise PermissionDenied(f"Anda hanya berhak {_REFUSALS[action]} untuk OPD Anda sendiri.")


def require_level(actor: Actor, level: ApprovalLevel, opd_id: int) -> None:
    """A decision at `level` on a post of `opd_id`: the review right, in scope, by the role
    that signs off at that level."""
    require(actor, Action.REVIEW, opd_id)
    if actor.role is not LEVEL_REVIEWERS[level]:
        raise PermissionDenied(_WAITING_FOR[level])


def review_levels(actor: Actor) -> frozenset[ApprovalLevel]:
    """The levels this person signs off at (none for a role that does not review)."""
    if Action.REVIEW not in allowed_actions(actor):
        return frozenset()
    return frozenset(level for level, role in LEVEL_REVIEWERS.items() if role is actor.role)


def visible_opd_ids(actor: Actor) -> frozenset[int] | None:
    """None means every OPD."""
    if actor.role in OPD_ROLES:
        return frozenset({actor.opd_id}) if actor.opd_id is not None else frozenset()
    return None
