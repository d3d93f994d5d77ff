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
