"""Daftar DIK: a Sekretaris proposes its OPD's entry, PPID Utama approves it on the page, and
from then on a post of that OPD with the term is blocked while another OPD's is not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from content.editorial import workflow
from content.infra.errors import ScreeningBlocked
from content.models import DikRule, Post, PostStatus
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import visible_text
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]
TERM = "Zebrakuning"


def dik_page(sign_in: SignIn, who: Actor) -> AppTest:
    at = sign_in(who)
    at.switch_page(navigation.DIK.path).run()
    assert at.title[0].value == "Daftar DIK"
    return at


def test_proposal_approval_and_screening_for_that_opd_only(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    world = app_world.world
    at = dik_page(sign_in, world.pembantu)
    assert len(at.selectbox(key="dik_scope").options) == 1  # its own OPD only
    at.text_input(key="dik_pattern").input(TERM)
    at.text_area(key="dik_reason").input("Rencana operasi penertiban.")
    at.selectbox(key="dik_ground").set_value("a")
    at.text_input(key="dik_number").input("800/12/Dinkes/2026")
    at.date_input(key="dik_date").set_value(date(2026, 1, 5))
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert "Usulan, menunggu PPID Utama" in visible_text(at)
    with app_world.session() as session:
        rule = session.query(DikRule).one()
        assert (rule.opd_id, rule.approved) == (world.dinkes_id, False)

    utama = dik_page(sign_in, world.utama)
    assert "Usulan, menunggu PPID Utama" in visible_text(utama)
    utama.button(key=f"dik_approve_{rule.id}").click().run()
    with app_world.session() as session:
        assert session.get(DikRule, rule.id).approved  # type: ignore[union-attr]

    def submit_both(w: World) -> int:
        capil = w.draft(w.other_pembantu, caption=f"Layanan keliling, {TERM} menyusul.")
        workflow.submit(w.session, w.other_pembantu, capil.id)
        dinkes = w.draft(caption=f"Posyandu pekan ini, {TERM} menyusul.")
        with pytest.raises(ScreeningBlocked, match=TERM):
            workflow.submit(w.session, w.pembantu, dinkes.id)
        return capil.id

    capil_id = app_world.run(submit_both)
    with app_world.session() as session:
        post = session.get(Post, capil_id)
        assert post is not None and post.status is PostStatus.SUBMITTED


def test_another_opd_does_not_see_an_opds_entries(app_world: AppWorld, sign_in: SignIn) -> None:
    from content.screening import dik_rules

    app_world.run(
        lambda w: dik_rules.add_rule(
            w.session, w.pembantu, pattern=TERM, reason="Uji.", opd_id=w.dinkes_id
        )
    )
    at = dik_page(sign_in, app_world.world.other_pembantu)
    assert TERM not in visible_text(at)


def test_the_yearly_review_is_recorded_from_the_page(app_world: AppWorld, sign_in: SignIn) -> None:
    """The Pembantu marks its OPD's approved entry reviewed: a review record of today (what the
    Monev's "Inventaris DIK" item reads) and the next review a year on. The city's entry has no
    button for it; PPID Utama may review any entry."""
    from content.infra.timeutil import WIB, utcnow
    from content.models import DikReview
    from content.screening import dik_rules

    def entries(w: World) -> tuple[int, int]:
        own = dik_rules.add_rule(
            w.session, w.utama, pattern=TERM, reason="Uji.", opd_id=w.dinkes_id
        )
        city = dik_rules.add_rule(w.session, w.utama, pattern="sandi", reason="Keamanan.")
        return own.id, city.id

    own, city = app_world.run(entries)  # type: ignore[misc]
    at = dik_page(sign_in, app_world.world.pembantu)
    keys = {b.key for b in at.button}
    assert f"dik_review_{own}" in keys and f"dik_review_{city}" not in keys
    at.button(key=f"dik_review_{own}").click().run()
    assert "dicatat sudah ditinjau" in visible_text(at)
    today = utcnow().astimezone(WIB).date()
    with app_world.session() as session:
        review = session.query(DikReview).one()
        assert (review.rule_id, review.reviewed_on) == (own, today)
        rule = session.get(DikRule, own)
        assert rule is not None and rule.review_due == today + dik_rules.REVIEW_EVERY
    utama = dik_page(sign_in, app_world.world.utama)
    assert f"dik_review_{city}" in {b.key for b in utama.button}
    other = dik_page(sign_in, app_world.world.other_pembantu)
    assert not [b for b in other.button if str(b.key).startswith("dik_review_")]
