"""Which OPD must act on an item, and why (a code, shown with its label).

A comment under one of our posts goes to the post's OPD; anything on an OPD's own account goes
to that OPD; what reaches a city-wide account with no post of ours behind it (X mentions above
all) goes to PPID Utama's triage (no OPD), who assigns it. For those, the OPD Siaran proposes
comes from the phrase rules PPID Utama edits (table `inbox_rule`, read by
`content.inbox.rules.current_rules` when new items are stored).
"""

from __future__ import annotations

from enum import StrEnum


class RouteReason(StrEnum):
    POST_OPD = "post_opd"  # a comment on the OPD's own post
    ACCOUNT_OPD = "account_opd"  # on the OPD's own account
    CITY_TRIAGE = "city_triage"  # a city account: PPID Utama triages
    ASSIGNED = "assigned"  # PPID Utama assigned it by hand


def route(post_opd_id: int | None, account_opd_id: int | None) -> tuple[int | None, RouteReason]:
    """(OPD id or None for PPID Utama's triage, the reason)."""
    if post_opd_id is not None:
        return post_opd_id, RouteReason.POST_OPD
    if account_opd_id is not None:
        return account_opd_id, RouteReason.ACCOUNT_OPD
    return None, RouteReason.CITY_TRIAGE
