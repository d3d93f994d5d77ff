"""Why a due target is held back (`TargetStatus.WAITING`): a code, stored in
`PostTarget.wait_code`, and the Indonesian sentence people read, derived from the code here and
nowhere else (stored in `PostTarget.wait_reason` for display, never searched). Whatever releases
holds of one kind (raising a budget releases `budget` holds) selects them by their code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from content.models import PostTarget


class HoldCode(StrEnum):
    BUDGET = "budget"  # a paid call would exceed a monthly budget; raising it releases the hold
    DAILY_CAP = "daily_cap"  # the account's own daily publication cap; rechecked later


SENTENCES = {
    HoldCode.BUDGET: (
        "Anggaran {platform} {scope} bulan {month} tidak cukup ({used} dari {budget} terpakai); "
        "menunggu anggaran dinaikkan."
    ),
    HoldCode.DAILY_CAP: "Batas harian publikasi akun ini tercapai; menunggu 24 jam bergulir.",
}


@dataclass(frozen=True)
class Hold:
    """A hold's code and the facts its sentence names (for `budget`: platform, scope, month,
    used, budget, already formatted)."""

    code: HoldCode
    facts: Mapping[str, str] = field(default_factory=dict)

    @property
    def sentence(self) -> str:
        return SENTENCES[self.code].format(**self.facts)

    def values(self) -> dict[str, str]:
        """The target's columns while held (for an UPDATE)."""
        return {"wait_code": self.code.value, "wait_reason": self.sentence}


# The target's columns once no longer held (for an UPDATE, or `setattr` on a loaded target).
LIFTED: Mapping[str, str] = {"wait_code": "", "wait_reason": ""}


def lift(target: PostTarget) -> None:
    """Forget a loaded target's hold (its status is the caller's to set)."""
    for column, value in LIFTED.items():
        setattr(target, column, value)
