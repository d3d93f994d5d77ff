"""Kalender: week and month views of scheduled and published posts, per channel and OPD."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from streamlit.testing.v1 import AppTest

from content.editorial import workflow
from content.infra.timeutil import WIB
from content.models import PostStatus, TargetStatus
from content.org.actors import Actor
from dashboard import navigation
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import visible_text
from tests.world import World

SignIn = Callable[[Actor | str], AppTest]


def _scheduled_and_published(world: World) -> tuple[int, int]:
    soon = datetime.now(WIB).replace(hour=23, minute=50, second=0, microsecond=0)
    scheduled = world.post_in(PostStatus.APPROVED)
    workflow.schedule(world.session, world.utama, scheduled.id, soon)
    published = world.post_in(PostStatus.APPROVED, author=world.other_pembantu)
    for target in published.targets:
        target.status, target.published_at = TargetStatus.PUBLISHED, soon - timedelta(hours=14)
    published.status = PostStatus.PUBLISHED
    return scheduled.id, published.id


def test_week_and_month_views(app_world: AppWorld, sign_in: SignIn) -> None:
    ids = app_world.run(_scheduled_and_published)
    assert isinstance(ids, tuple)
    at = sign_in(app_world.world.analyst)
    assert at.title[0].value == "Kalender"
    _, published_id = ids
    # one entry per post: its channels' short names and its kind's colour
    entries = [b for b in at.button if b.key and b.key.startswith("cal_w_")]
    assert len(entries) == 2
    assert any(
        b.label.startswith(":blue[:material/circle:] 23:50 **X IG VT**")
        and "(terjadwal · latihan)" in b.label
        for b in entries
    )
    published = next(b for b in entries if "(terbit · latihan)" in b.label)
    assert published.label.startswith(":green[:material/circle:] 09:50 **X VT**")
    legend = visible_text(at)
    assert "terjadwal" in legend and "terbit sebagian" in legend and "FB = Facebook" in legend
    # an entry opens the post's detail, with each channel's result
    published.click().run()
    shown = visible_text(at)
    assert f"Konten #{published_id}" in shown and "@capil" in shown and "Terbit" in shown
    at.button(key="cal_close").click().run()
    assert f"Konten #{published_id} ·" not in visible_text(at)
    table = at.dataframe[0].value
    assert set(table["Keadaan"]) == {"terjadwal", "terbit"}
    at.segmented_control(key="cal_view").set_value("Bulan").run()
    assert datetime.now(WIB).strftime("%Y") in at.subheader[0].value
    headers = [m.value for m in at.markdown if m.value.startswith("**") and len(m.value) == 7]
    assert headers[:7] == [f"**{d}**" for d in ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")]
    assert len(at.dataframe[0].value) == len(table)
    at.selectbox(key="cal_channel").set_value(at.selectbox(key="cal_channel").options[1]).run()
    assert set(at.dataframe[0].value["Kanal"]) == {"X"}  # the entries' X channels only
    at.selectbox(key="cal_opd").set_value(app_world.world.disdukcapil_id).run()
    assert set(at.dataframe[0].value["Keadaan"]) == {"terbit"}


def test_moving_between_weeks(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.CALENDAR.path).run()
    this_week = at.subheader[0].value
    at.button(key="cal_next").click().run()
    assert at.subheader[0].value != this_week
    at.button(key="cal_today").click().run()
    assert at.subheader[0].value == this_week
    assert not at.selectbox(key="cal_channel").value
    assert all(s.key != "cal_opd" for s in at.selectbox)  # one OPD only: no OPD filter
