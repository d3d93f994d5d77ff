"""Each OPD's own DIK: proposed by its PPID Pembantu, approved by PPID Utama, screening that
OPD's posts only; entries due for the yearly review are listed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from content.editorial import workflow
from content.infra.errors import PermissionDenied, ScreeningBlocked, ValidationFailed
from content.models import PostStatus
from content.screening import dik_rules
from tests.world import World

TERM = "Zebrakuning"


def _propose(world: World, **extra: object) -> int:
    rule = dik_rules.add_rule(
        world.session,
        world.pembantu,
        pattern=TERM,
        reason="Rencana operasi penertiban.",
        opd_id=world.dinkes_id,
        ground="a",
        decision_number="800/12/Dinkes/2026",
        decision_date=date(2026, 1, 5),
        **extra,  # type: ignore[arg-type]
    )
    return rule.id


def test_proposal_then_approval_blocks_the_term_for_that_opd_only(world: World) -> None:
    rule_id = _propose(world)
    # A proposal screens nothing yet.
    early = world.draft(caption=f"Posyandu pekan ini, {TERM} menyusul.")
    workflow.submit(world.session, world.pembantu, early.id)
    assert early.status is PostStatus.SUBMITTED

    dik_rules.approve_rule(world.session, world.utama, rule_id)
    dinkes = world.draft(caption=f"Posyandu pekan ini, {TERM} menyusul.")
    with pytest.raises(ScreeningBlocked, match=TERM):
        workflow.submit(world.session, world.pembantu, dinkes.id)
    # The same words from another OPD: not on its list.
    capil = world.draft(world.other_pembantu, caption=f"Layanan keliling, {TERM} menyusul.")
    workflow.submit(world.session, world.other_pembantu, capil.id)
    assert capil.status is PostStatus.SUBMITTED


def test_who_may_propose_and_approve(world: World) -> None:
    for stranger in (world.other_pembantu, world.admin_opd, world.analyst):
        with pytest.raises(PermissionDenied):
            dik_rules.add_rule(
                world.session,
                stranger,
                pattern="x-rahasia",
                reason="Uji.",
                opd_id=world.dinkes_id,
            )
    with pytest.raises(PermissionDenied):  # the city's list is PPID Utama's
        dik_rules.add_rule(world.session, world.pembantu, pattern="x-kota", reason="Uji.")
    rule_id = _propose(world)
    with pytest.raises(PermissionDenied):
        dik_rules.approve_rule(world.session, world.pembantu, rule_id)
    # PPID Utama's own entry for an OPD holds at once.
    direct = dik_rules.add_rule(
        world.session, world.utama, pattern="x-langsung", reason="Uji.", opd_id=world.dinkes_id
    )
    assert direct.approved


def test_a_ground_outside_pasal_17_is_refused(world: World) -> None:
    with pytest.raises(ValidationFailed, match="Pasal 17"):
        dik_rules.add_rule(
            world.session,
            world.pembantu,
            pattern=TERM,
            reason="Uji.",
            opd_id=world.dinkes_id,
            ground="z",
        )


def test_each_opd_reads_the_city_list_and_its_own(world: World) -> None:
    city = dik_rules.add_rule(world.session, world.utama, pattern="x-kota", reason="Uji.")
    own = _propose(world)
    seen_by = {
        name: {r.id for r in dik_rules.rules_for(world.session, world.actor(name))}
        for name in ("pembantu", "other_pembantu", "utama")
    }
    assert seen_by == {
        "pembantu": {city.id, own},
        "other_pembantu": {city.id},
        "utama": {city.id, own},
    }


def test_entries_due_for_the_yearly_review_are_listed(world: World) -> None:
    today = date(2027, 3, 1)
    due = _propose(world, review_due=today - timedelta(days=1))
    later = _propose(world, review_due=today + timedelta(days=30))
    found = {r.id for r in dik_rules.due_for_review(world.session, world.utama, today)}
    assert due in found and later not in found
    default = dik_rules.add_rule(world.session, world.utama, pattern="x-baru", reason="Uji.")
    assert default.review_due == date.today() + dik_rules.REVIEW_EVERY


def test_a_pattern_that_backtracks_forever_is_cut_off_with_a_warning() -> None:
    from content.models import Severity
    from content.screening.dik import CompiledRule, compile_pattern, find_dik

    rule = CompiledRule(compile_pattern(r"(a|aa)+$", True), Severity.BLOCK, "Uji pola lambat.")
    text = "a" * 60 + "!"
    found = list(find_dik(text, "caption", [rule], seconds=0.05))
    assert len(found) == 1 and found[0].severity is Severity.WARN
    assert "terlalu lama diperiksa" in found[0].reason
    # A fast pattern still finds what it finds.
    quick = CompiledRule(compile_pattern("Zebra", False), Severity.BLOCK, "Uji.")
    assert [f.text for f in find_dik("Ada Zebra di sini.", "caption", [quick])] == ["Zebra"]
