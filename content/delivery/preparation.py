"""Why one target (or one account) could not be made ready for its platform.

Before the worker calls a platform it opens the account's credentials, checks the account's
settings, builds the publisher and finds the post's photos. When one of these fails for one
target, that target alone is failed or held (every other due target goes ahead), with a short
code in `PostTarget.last_error_code` and the one sentence below in `last_error`: what is wrong and
who does what about it. The sentences live only here; code branches on the code, never on words.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from typing import Any

from content.editorial.channels import RULES
from content.infra.errors import DomainError
from content.infra.secrets import SecretBox
from content.infra.store import BlobStore
from content.models import Account, Post
from content.org.accounts import credentials, missing_fields


class PrepareCode(enum.StrEnum):
    CREDENTIALS_UNREADABLE = "credentials_unreadable"
    CREDENTIALS_INCOMPLETE = "credentials_incomplete"
    ACCOUNT_SETTING_MISSING = "account_setting_missing"
    PUBLISHER_UNAVAILABLE = "publisher_unavailable"
    PHOTO_MISSING = "photo_missing"
    PREPARE_FAILED = "prepare_failed"


ADMIN_PAGE = "di halaman Administrasi"
_SENTENCES: dict[PrepareCode, str] = {
    PrepareCode.CREDENTIALS_UNREADABLE: (
        "Kredensial akun {account} tidak dapat dibuka dengan kunci rahasia yang sekarang; "
        f"administrator sistem perlu memasukkan ulang token akun ini {ADMIN_PAGE}."
    ),
    PrepareCode.CREDENTIALS_INCOMPLETE: (
        "Kredensial akun {account} belum lengkap ({names} kosong); "
        f"administrator sistem perlu melengkapinya {ADMIN_PAGE}."
    ),
    PrepareCode.ACCOUNT_SETTING_MISSING: (
        "Pengaturan {names} akun {account} belum diisi; "
        f"administrator sistem perlu melengkapinya {ADMIN_PAGE}."
    ),
    PrepareCode.PUBLISHER_UNAVAILABLE: (
        "Sambungan ke akun {account} tidak dapat disiapkan; administrator sistem perlu memeriksa "
        f"data akun ini {ADMIN_PAGE} dan log worker."
    ),
    PrepareCode.PHOTO_MISSING: (
        "Foto {names} tidak ada lagi di penyimpanan media; administrator sistem perlu "
        "memulihkannya dari cadangan, atau penulis mengganti fotonya dan PPID Utama menyetujui "
        "ulang."
    ),
    PrepareCode.PREPARE_FAILED: (
        "Publikasi ini tidak dapat disiapkan karena kesalahan tak terduga di worker; akan dicoba "
        "lagi, dan bila tetap gagal administrator sistem perlu memeriksa log worker."
    ),
}
# Only an unexpected error may pass by itself; the others wait for a person.
_RETRYABLE = frozenset({PrepareCode.PREPARE_FAILED})


class PrepareProblem(DomainError):
    """One target (or account) cannot be prepared; `message` is the sentence to store."""

    def __init__(self, code: PrepareCode, message: str) -> None:
        super().__init__(message)
        self.code = code

    @property
    def retryable(self) -> bool:
        return self.code in _RETRYABLE


def sentence(code: PrepareCode, **details: str) -> str:
    """The one sentence for `code`, with its details (account, names) filled in."""
    return _SENTENCES[code].format(**details)


def problem(code: PrepareCode, account: Account | None = None, **details: str) -> PrepareProblem:
    if account is not None:
        details["account"] = account_label(account)
    return PrepareProblem(code, sentence(code, **details))


def account_label(account: Account) -> str:
    return f"{RULES[account.kind].label} {account.handle}"


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"'{n}'" for n in names)


def open_account(box: SecretBox, account: Account) -> dict[str, Any]:
    """The account's credentials, once it is known that they open and that nothing the channel
    needs (credential or setting) is empty. Raises PrepareProblem with the sentence."""
    try:
        creds = credentials(box, account)
    except (DomainError, ValueError) as exc:  # sealed under another key, or not what we sealed
        raise problem(PrepareCode.CREDENTIALS_UNREADABLE, account) from exc
    missing_creds, missing_settings = missing_fields(account.kind, creds, account.settings or {})
    if missing_settings:
        raise problem(PrepareCode.ACCOUNT_SETTING_MISSING, account, names=_names(missing_settings))
    if missing_creds:
        raise problem(PrepareCode.CREDENTIALS_INCOMPLETE, account, names=_names(missing_creds))
    return creds


def check_photos(post: Post, store: BlobStore) -> None:
    """Every photo of the post is still in the media store (raises PHOTO_MISSING otherwise)."""
    gone = [
        used.media.original_name or used.media.sha256[:12]
        for used in post.photos
        if not store.exists(used.media.sha256, used.media.extension)
    ]
    if gone:
        raise problem(PrepareCode.PHOTO_MISSING, names=_names(gone))
