"""What screening reports: the exact span, its kind, severity and reason."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from content.models import Severity

KIND_LABELS = {
    "nik": "NIK",
    "no_kk": "Nomor Kartu Keluarga",
    "phone": "Nomor telepon",
    "email": "Alamat e-mail",
    "npwp": "NPWP",
    "bank_account": "Nomor rekening bank",
    "payment_card": "Nomor kartu pembayaran",
    "dik": "Informasi yang dikecualikan",
}


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    text: str
    severity: Severity
    reason: str
    field: str = "caption"

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.BLOCK

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def masked(self) -> str:
        """The matched text with all but its last four characters hidden, for logs and audit."""
        keep = self.text[-4:] if len(self.text) > 6 else ""
        return "•" * max(len(self.text) - len(keep), 1) + keep

    def describe(self) -> str:
        where = f"{self.field} [{self.start}:{self.end}]"
        return f"{self.label} '{self.text}' di {where}: {self.reason}"

    def as_dict(self, *, mask: bool = False) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        if mask:
            data["text"] = self.masked()
        return data


def overlaps(a: Finding, b: Finding) -> bool:
    return a.field == b.field and a.start < b.end and b.start < a.end
