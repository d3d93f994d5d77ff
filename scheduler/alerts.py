"""Periodic checks that tell people of trouble ahead: tokens about to run out.

Settings (`[notifications]` in the settings file):

[notifications]
token_days = 7        # tell an account's stewards this many days before its token runs out
check_hours = 6       # how often; each account and expiry date is told once however often

Budget warnings are told where the spending is written (content.costs.budgets.warn), and an
account whose connection check fails where its health is recorded (content.org.accounts).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from content.infra.config import Settings
from content.org import notifications
from scheduler.context import WorkerContext


@dataclass(frozen=True)
class AlertSettings:
    token_days: float = 7.0
    check_hours: float = 6.0

    @classmethod
    def from_settings(cls, settings: Settings) -> AlertSettings:
        section = settings.section("notifications")
        known = {k: float(v) for k, v in section.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def tell_expiring_tokens(ctx: WorkerContext, config: AlertSettings | None = None) -> int:
    """Tell the stewards of accounts whose token runs out soon; how many were told."""
    config = config or AlertSettings.from_settings(ctx.settings)
    with ctx.transaction() as session:
        return notifications.tokens_expiring(session, within=timedelta(days=config.token_days))
