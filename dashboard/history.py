"""A post's audit events as lines people read: when (WIB), who, what, why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from content.infra.timeutil import format_wib
from content.labels import action_label, actor_label
from content.models import AuditEvent


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str
    action: str
    reason: str

    def row(self) -> dict[str, str]:
        return {
            "Waktu": format_wib(self.at),
            "Oleh": actor_label(self.actor),
            "Peristiwa": action_label(self.action),
            "Keterangan": self.reason,
        }


def history_lines(events: Sequence[AuditEvent]) -> list[HistoryLine]:
    return [HistoryLine(e.at, e.actor_label, e.action, e.reason) for e in events]
