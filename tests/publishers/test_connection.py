"""The account check that follows a renewal or a click on "Tes koneksi": one status with one
sentence, whatever goes wrong on the way (simulator over real HTTP)."""

from __future__ import annotations

import hashlib

from content.infra.config import Settings
from content.models import Account, AccountHealth, Channel
from publishers.social.connection import NOT_BUILT, check_account
from publishers.social.result import Reason
from tests.publishers.conftest import CREDENTIALS, Sim, account


def test_the_check_reaches_the_platform_with_the_given_token(sim: Sim, settings: Settings) -> None:
    token = "token-yang-baru-diperbarui"
    status = check_account(
        account(Channel.X), CREDENTIALS[Channel.X] | {"access_token": token}, settings
    )
    user = str(int(hashlib.sha256(token.encode()).hexdigest()[:15], 16))
    assert status.health is AccountHealth.OK
    assert status.message == f"X: terhubung sebagai @sim{user[-6:]}."


def test_a_refused_token_is_an_error_with_the_platform_reason(sim: Sim, settings: Settings) -> None:
    sim.fault(kind="expired_token", platform="graph")
    status = check_account(account(Channel.FACEBOOK), CREDENTIALS[Channel.FACEBOOK], settings)
    assert status.health is AccountHealth.ERROR and not status.ok
    assert status.failure is not None and status.failure.reason is Reason.AUTH


def test_an_account_that_cannot_be_built_is_an_error_not_an_exception(
    sim: Sim, settings: Settings
) -> None:
    no_page = Account(
        kind=Channel.FACEBOOK, handle="dlh", display_name="DLH", settings={}, is_simulator=True
    )
    status = check_account(no_page, CREDENTIALS[Channel.FACEBOOK], settings)
    assert (status.health, status.message) == (AccountHealth.ERROR, NOT_BUILT)
    assert sim.calls() == 0
