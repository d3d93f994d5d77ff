"""The audit log: filtered, paginated, scoped by permission; CSV without formula injection."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from content import audit
from content.audit import log as audit_log
from content.audit.log import AuditFilter
from content.infra.errors import PermissionDenied
from content.infra.timeutil import WIB, utcnow
from content.models import PostStatus
from tests.world import World


def test_filters_and_pages(world: World) -> None:
    post = world.post_in(PostStatus.SUBMITTED)
    page = audit_log.search(world.session, world.utama, AuditFilter(action="post.submitted"))
    assert [r.entity_id for r in page.items] == [post.id] and not page.has_next
    family = audit_log.search(world.session, world.utama, AuditFilter(action="post."))
    assert {r.action for r in family.items} == {"post.created", "post.submitted"}
    by_actor = audit_log.search(world.session, world.utama, AuditFilter(actor_username="dinkes"))
    assert by_actor.items and {r.actor_label for r in by_actor.items} == {"dinkes"}
    nobody = audit_log.search(world.session, world.utama, AuditFilter(actor_username="tak-ada"))
    assert nobody.items == []
    entity = AuditFilter(entity_type="post", entity_id=post.id, opd_id=world.dinkes_id)
    assert len(audit_log.search(world.session, world.analyst, entity).items) == 2
    today = utcnow().astimezone(WIB).date()
    assert (
        audit_log.search(
            world.session, world.utama, AuditFilter(day_until=today - timedelta(days=1))
        ).items
        == []
    )
    first = audit_log.search(world.session, world.sysadmin, page_size=3)
    second = audit_log.search(world.session, world.sysadmin, page=2, page_size=3)
    assert first.has_next and not {r.id for r in first.items} & {r.id for r in second.items}
    assert "post.submitted" in audit_log.known_actions(world.session, world.utama)
    assert "post" in audit_log.known_entity_types(world.session, world.utama)


def test_pembantu_may_not_read_the_audit_log(world: World) -> None:
    with pytest.raises(PermissionDenied):
        audit_log.search(world.session, world.pembantu)
    with pytest.raises(PermissionDenied):
        audit_log.export_csv(world.session, world.pembantu)


def test_csv_has_a_header_wib_times_and_no_formulas(world: World) -> None:
    audit.record(world.session, world.utama, "test.formula", "post", 1, reason="=HYPERLINK(1)")
    text, count = audit_log.export_csv(
        world.session, world.utama, AuditFilter(action="test.formula")
    )
    rows = list(csv.reader(io.StringIO(text)))
    assert count == 1 and rows[0] == list(audit_log.CSV_HEADER)
    assert rows[1][3] == "test.formula" and rows[1][8] == "'=HYPERLINK(1)"
    assert rows[1][1].endswith("WIB")
