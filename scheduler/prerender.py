"""Rendering videotron slides for approved posts ahead of their time: the slide is then ready in
the cache, and a headline that cannot fit legibly is reported while there is time to fix it."""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from content.delivery import publishing
from content.delivery.preparation import PrepareCode, PrepareProblem, check_photos, sentence
from content.infra.errors import DomainError
from content.models import PostTarget
from scheduler.context import WorkerContext

log = logging.getLogger("siaran.worker")


def prerender(ctx: WorkerContext) -> int:
    """Render the slide of each videotron target of an approved post, once per content. A
    target whose photo is gone or whose headline cannot be rendered gets its problem noted (code
    and sentence) and the others are rendered all the same. Returns how many were rendered."""
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
            if _render(session, ctx, target):
                rendered += 1
        ctx.prepared.add((target_id, digest))
    return rendered


def _render(session: Session, ctx: WorkerContext, target: PostTarget) -> bool:
    from publishers.videotron.publish import render_target

    try:
        check_photos(target.post, ctx.store)
        render_target(target, ctx.store, ctx.settings)
        return True
    except PrepareProblem as trouble:
        code, message = trouble.code.value, trouble.message
    except DomainError as exc:  # the renderer's refusals: the headline cannot fit, and such
        code, message = "render", exc.message
    except SQLAlchemyError:
        raise  # the database's trouble is every target's: the job runs again next tick
    except Exception:
        log.exception("unexpected error while rendering a slide", extra={"target_id": target.id})
        code = PrepareCode.PREPARE_FAILED.value
        message = sentence(PrepareCode.PREPARE_FAILED)
    publishing.note_problem(session, target.id, message, code)
    log.warning(message, extra={"target_id": target.id, "job": "prerender"})
    return False
