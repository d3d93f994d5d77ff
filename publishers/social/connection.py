"""The account check: can this account publish with its credentials, and until when?

One path for every caller that tests a connection by hand (the administration page's "Tes
koneksi", the test that follows a token renewal from the page or `siaran account renew`): build
the account's publisher, ask `check_connection`, close it. The caller opens the credentials
before (`content.org.administration.account_for_check`) and stores the result after
(`content.org.accounts.record_health`), each in its own short transaction, so that no database
transaction stays open while the platform answers.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from content.infra.config import Settings
from content.infra.errors import DomainError
from content.models import Account, AccountHealth
from publishers.social.base import failed_connection
from publishers.social.registry import publisher_for
from publishers.social.result import ConnectionStatus, PublishError

log = logging.getLogger("siaran.publishers")
NOT_BUILT = (
    "Akun ini belum dapat dipakai: periksa kredensial dan pengaturannya (page_id, ig_user_id, "
    "site_url) serta bagian [publishers] berkas pengaturan."
)


def check_account(
    account: Account, credentials: Mapping[str, Any], settings: Settings
) -> ConnectionStatus:
    """The account's connection status; never raises for a failure on the way, which becomes an
    ERROR status with one sentence (a missing setting, an unreachable platform, a refusal)."""
    try:
        publisher = publisher_for(account, credentials, settings)
    except DomainError as exc:
        return ConnectionStatus(AccountHealth.ERROR, exc.message)
    except (ValueError, ImportError) as exc:  # a missing account setting, a bad [publishers]
        log.warning("publisher for account %s not built: %s", account.id, type(exc).__name__)
        return ConnectionStatus(AccountHealth.ERROR, NOT_BUILT)
    try:
        return publisher.check_connection()
    except PublishError as exc:
        return failed_connection(exc.receipt)
    except Exception as exc:  # an SDK's message may carry a token: name the type only
        log.warning("connection test of account %s failed: %s", account.id, type(exc).__name__)
        return ConnectionStatus(AccountHealth.ERROR, f"Tes koneksi gagal ({type(exc).__name__}).")
    finally:
        publisher.close()
