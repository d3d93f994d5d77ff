"""Who did what, as people read it (issue #13, point 3): no `worker:` ids, no `post #8`."""

from __future__ import annotations

from content.labels import actor_label, entity_label, worker_label
from content.org.actors import SYSTEM, worker_actor


def test_actors_read_as_words() -> None:
    assert actor_label("dinkes") == "dinkes"
    assert actor_label(SYSTEM.label) == "Sistem"
    worker = worker_actor("bekasi-app:27696:627aa7").label
    assert actor_label(worker) == "Worker (server bekasi-app, proses 27696)"


def test_workers_are_numbered_on_the_status_page() -> None:
    assert worker_label("vm:27696:627aa7", 1) == "Worker 1 (server vm)"
    assert worker_label("vm:27696:627aa7", 2, hostname="app-2") == "Worker 2 (server app-2)"


def test_entities_read_in_indonesian() -> None:
    assert entity_label("post", 8) == "Konten #8"
    assert entity_label("user", None) == "Pengguna"
    assert entity_label("something_new", 3) == "Data #3"
