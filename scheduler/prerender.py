"""Rendering videotron slides for approved posts ahead of their time: the slide is then ready in
the cache, and a headline that cannot fit legibly is reported while there is time to fix it."""

from __future__ import annotations

import logging

from content import publishing
from content.errors import DomainError
from content.models import PostTarget
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")


def prerender(ctx: WorkerContext) -> int:
    from publishers.videotron.publish import render_target

    with ctx.transaction() as session:
        todo = [
            t for t in publishing.videotron_targets_to_prepare(session) if t not in ctx.prepared
        ]
    rendered = 0
    for target_id, digest in todo:
        if ctx.stopping.is_set():
            break
        with ctx.transaction() as session:
            target = session.get(PostTarget, target_id)
            if target is None:
                continue
            try:
                render_target(target, ctx.store, ctx.settings)
                rendered += 1
            except DomainError as exc:
                publishing.note_problem(session, target_id, exc.message, "render")
                log.warning(exc.message, extra={"target_id": target_id, "job": "prerender"})
        ctx.prepared.add((target_id, digest))
    return rendered
