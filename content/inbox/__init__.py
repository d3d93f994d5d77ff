"""Kotak masuk: what people say to the city's accounts, routed to the OPD that must act,
answered from the dashboard and measured per OPD.

- `collect`: the worker's idempotent upsert of collected comments and mentions (and cursors).
- `items`: reading the inbox with rights (PPID Utama and analysts see all, an OPD its own).
- `actions`: assign, reply, hide, close (audited, screened) and the worker's settling of them.
- `measures`: the complaint-handling figures per OPD for Monev.
- `rules`, `saved_replies`: the phrase rules and saved replies, edited in the dashboard.
- `escalation`: overdue items told to PPID Utama and the OPD once (the worker's job).
"""

from content.inbox.actions import (
    approve_reply,
    assign,
    claim_outgoing,
    classify,
    close,
    in_doubt,
    queue_hide,
    queue_reply,
    release_outgoing,
    settle_outgoing,
    x_reply_refusal,
)
from content.inbox.collect import Incoming, read_cursor, store_cursor, upsert
from content.inbox.escalation import escalate_overdue
from content.inbox.items import MENU_CAP, InboxFilter, InboxRow, list_items, menu_count, thread
from content.inbox.measures import Measures, measures
from content.inbox.service_levels import ServiceLevels

__all__ = [
    "MENU_CAP",
    "InboxFilter",
    "InboxRow",
    "Incoming",
    "Measures",
    "ServiceLevels",
    "approve_reply",
    "assign",
    "claim_outgoing",
    "classify",
    "close",
    "escalate_overdue",
    "in_doubt",
    "list_items",
    "measures",
    "menu_count",
    "queue_hide",
    "queue_reply",
    "read_cursor",
    "release_outgoing",
    "settle_outgoing",
    "store_cursor",
    "thread",
    "upsert",
    "x_reply_refusal",
]
