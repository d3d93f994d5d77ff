"""Serta-merta in the dashboard: the composer says what the category means; the approval queue
puts it first, offers "Terbitkan sekarang" as the primary next step and proposes a videotron
emergency override pre-filled from the post, which PPID Utama confirms."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from content.editorial import workflow
from content.editorial.posts import DraftInput, PhotoInput, update_draft
from content.labels import KIP_EXPLANATIONS
from content.models import KipCategory, Post, PostStatus
from content.models.videotron import ScreenOverride
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import messages
from tests.dashboard.test_compose import field
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]
HEADLINE = "AWAS BANJIR JL. CUT MUTIA"


def _serta_merta(world: World) -> Post:
    post = world.draft(caption="Banjir setinggi 1 meter di Jl. Cut Mutia. Hindari jalan.")
    data = DraftInput(
        caption=post.caption,
        headline=HEADLINE,
        kip_category=KipCategory.SERTA_MERTA,
        account_ids=[t.account_id for t in post.targets if t.account_id is not None],
        screen_ids=[world.screen_id],
        photos=[PhotoInput(post.photos[0].media_id, "Genangan di Jl. Cut Mutia")],
    )
    return update_draft(world.session, world.pembantu, post.id, data, post.version)


def _submitted(world: World) -> Post:
    post = _serta_merta(world)
    return workflow.submit(world.session, world.pembantu, post.id)


def test_the_composer_explains_serta_merta(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.COMPOSE.path).run()
    assert KIP_EXPLANATIONS[KipCategory.BERKALA] in [c.value for c in at.caption]
    field(at, "kip").set_value(KipCategory.SERTA_MERTA).run()
    assert KIP_EXPLANATIONS[KipCategory.SERTA_MERTA] in messages(at, "warning")


def test_serta_merta_goes_first_then_publish_now_and_an_override_are_offered(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    urgent = app_world.run(_submitted)
    routine = app_world.run(lambda w: w.post_in(PostStatus.SUBMITTED))
    assert isinstance(urgent, Post) and isinstance(routine, Post)
    at = sign_in(app_world.world.utama)
    approvals = [b.key for b in at.button if b.key and b.key.startswith("q_approve_")]
    assert approvals == [f"q_approve_{urgent.id}", f"q_approve_{routine.id}"]

    at.button(key=f"q_approve_{urgent.id}").click().run()
    assert any("Serta-merta" in w for w in messages(at, "warning"))
    assert at.button(key=f"q_now_{urgent.id}").proto.type == "primary"
    assert at.button(key=f"q_schedule_{urgent.id}").proto.type == "secondary"
    # The override is only proposed: nothing is on a screen until PPID Utama confirms.
    assert at.text_input(key=f"q_em_headline_{urgent.id}").value == HEADLINE
    reason = at.text_input(key=f"q_em_reason_{urgent.id}").value
    assert f"#{urgent.id}" in reason
    with app_world.session() as session:
        assert session.scalars(select(ScreenOverride)).all() == []
    at.button(key=f"q_em_push_{urgent.id}").click().run()
    assert not at.exception, at.exception
    assert any("tayang di videotron sekarang" in m for m in messages(at, "success"))
    with app_world.session() as session:
        (override,) = session.scalars(select(ScreenOverride)).all()
        assert override.headline == HEADLINE and override.reason == reason

    # A routine post keeps scheduling first and proposes no override.
    at.button(key=f"q_approve_{routine.id}").click().run()
    assert at.button(key=f"q_schedule_{routine.id}").proto.type == "primary"
    assert f"q_em_push_{routine.id}" not in [b.key for b in at.button]
