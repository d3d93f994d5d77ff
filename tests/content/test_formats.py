"""Numbers as an Indonesian office types and reads them: one module for the whole app."""

from __future__ import annotations

from decimal import Decimal

import pytest

from content import formats


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1.234,50", Decimal("1234.50")),
        ("63.206", Decimal("63206")),
        ("12,5", Decimal("12.5")),
        ("12.50", Decimal("12.50")),
        ("0.001", Decimal("0.001")),  # a first group of 0 is a decimal point, not thousands
        ("$ 25,00", Decimal("25.00")),
        (Decimal("3.5"), Decimal("3.5")),
        ("dua puluh", None),
        ("NaN", None),
    ],
)
def test_typed_numbers_are_read_the_indonesian_way(typed: object, meant: Decimal | None) -> None:
    assert formats.parse_number(typed) == meant


def test_numbers_are_written_the_indonesian_way() -> None:
    assert formats.number(63206) == "63.206"
    assert formats.number(1234.5, 1) == "1.234,5"
