"""The workflow from the command line, with the same rules as the dashboard (`--as USER`)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from content import screening
from content.delivery import takedown
from content.editorial import importer, plans, posts, queries, workflow
from content.editorial.media import Limits, store_upload
from content.infra.errors import DomainError, ScreeningBlocked
from content.infra.timeutil import format_wib, parse_wib
from content.models import KipCategory, Post, PostStatus
from content.org.actors import Actor
from siaran.cli.context import App, as_option, emit, json_option, pass_app
from siaran.cli.errors import fail


def post_summary(post: Post) -> dict[str, Any]:
    return {
        "id": post.id,
        "status": post.status.value,
        "version": post.version,
        "opd": post.opd.slug,
        "author": post.author.username,
        "caption": post.caption,
        "headline": post.headline,
        "link": post.link,
        "kip_category": post.kip_category.value,
        "scheduled_at": post.scheduled_at.isoformat() if post.scheduled_at else None,
        "scheduled_at_wib": format_wib(post.scheduled_at) if post.scheduled_at else None,
        "targets": [
            {
                "channel": t.channel.value,
                "target": t.label,
                "status": t.status.value,
                "remote_url": t.remote_url,
                "last_error": t.last_error,
            }
            for t in post.targets
        ],
        "photos": [{"sha256": p.media.sha256, "alt_text": p.alt_text} for p in post.photos],
        "reviews": [
            {
                "decision": r.decision.value,
                "reviewer": r.reviewer.username,
                "comment": r.comment,
                "at": r.created_at.isoformat(),
            }
            for r in post.reviews
        ],
    }


def _line(post: Post) -> str:
    text = " ".join(post.caption.split())
    return f"#{post.id:<6} {post.status.value:<20} {post.opd.slug:<20} {text[:60]}"


@click.group()
def post() -> None:
    """Posts and their workflow."""


@post.command("list")
@as_option
@click.option(
    "--status", "statuses", multiple=True, type=click.Choice([s.value for s in PostStatus])
)
@click.option("--opd", "opd_slug", default=None)
@click.option("--page", type=int, default=1)
@click.option("--page-size", type=int, default=25)
@json_option
@pass_app
def post_list(
    app: App,
    username: str,
    statuses: tuple[str, ...],
    opd_slug: str | None,
    page: int,
    page_size: int,
    as_json: bool,
) -> None:
    """List posts the user may see, newest first."""
    from content.org.opds import get_opd

    with app.transaction() as session:
        actor = app.actor(session, username)
        opd_id = get_opd(session, opd_slug).id if opd_slug else None
        flt = queries.PostFilter(statuses=[PostStatus(s) for s in statuses], opd_id=opd_id)
        result = queries.list_posts(session, actor, flt, page=page, page_size=page_size)
        rows = [post_summary(p) for p in result.items]
        text = "\n".join(_line(p) for p in result.items) or "Tidak ada konten."
    emit({"items": rows, "page": page, "has_next": result.has_next}, as_json, text)


@post.command("show")
@click.argument("post_id", type=int)
@as_option
@json_option
@pass_app
def post_show(app: App, post_id: int, username: str, as_json: bool) -> None:
    """Show one post with its targets, reviews and history."""
    with app.transaction() as session:
        actor = app.actor(session, username)
        data = post_summary(posts.get_post(session, actor, post_id))
        data["history"] = [
            {"at": e.at.isoformat(), "actor": e.actor_label, "action": e.action, "reason": e.reason}
            for e in queries.post_history(session, actor, post_id)
        ]
    lines = [
        f"#{data['id']} [{data['status']}] v{data['version']} {data['opd']} oleh {data['author']}",
        data["caption"],
    ]
    lines += [f"  → {t['target']}: {t['status']}" for t in data["targets"]]
    lines += [
        f"  {h['at'][:16]} {h['actor']}: {h['action']} {h['reason']}" for h in data["history"]
    ]
    emit(data, as_json, "\n".join(lines))


Run = Callable[[Session, Actor], Post]
Decorator = Callable[[Callable[..., Any]], Any]


def _run_step(
    app: App, username: str, post_id: int, as_json: bool, run: Run, step: workflow.Step
) -> None:
    try:
        with app.transaction() as session:
            post = run(session, app.actor(session, username))
            data = post_summary(post)
    except ScreeningBlocked as exc:
        if as_json:
            emit({"error": exc.message, "findings": [f.as_dict() for f in exc.findings]}, True)
        fail(exc.message, exc.exit_code)
    when = f" untuk {data['scheduled_at_wib']}" if step is workflow.SCHEDULE else ""
    emit(data, as_json, f"Konten #{post_id} {step.verb}{when} (status: {data['status']}).")


def transition(step: workflow.Step, *options: Decorator) -> Callable[[Callable[..., Run]], Any]:
    """A `post STEP ID --as USER [--version N]` command: the decorated function turns the
    command's own options into the workflow call; the command is named and its result worded
    by the workflow step itself."""

    def wrap(make: Callable[..., Run]) -> Any:
        def command(
            app: App,
            post_id: int,
            username: str,
            expected_version: int | None,
            as_json: bool,
            **values: Any,
        ) -> None:
            run = make(app, post_id, expected_version, **values)
            _run_step(app, username, post_id, as_json, run, step)

        command.__doc__ = make.__doc__
        for decorate in (*reversed(options), pass_app, json_option, version_option, as_option):
            command = decorate(command)
        return post.command(step.name)(click.argument("post_id", type=int)(command))

    return wrap


version_option = click.option(
    "--version",
    "expected_version",
    type=int,
    default=None,
    help="Refuse if the post changed since this version (optimistic locking).",
)
override_option = click.option(
    "--override",
    "override_reason",
    default=None,
    help="PPID Utama: reason to override blocking screening findings.",
)
comment_option = click.option("--comment", required=True, help="Shown to the author.")


@transition(workflow.SUBMIT, override_option)
def post_submit(app: App, post_id: int, version: int | None, override_reason: str | None) -> Run:
    """Submit a draft for approval (screening runs first)."""
    return lambda s, a: workflow.submit(
        s, a, post_id, expected_version=version, override_reason=override_reason, policy=app.policy
    )


@transition(workflow.WITHDRAW)
def post_withdraw(app: App, post_id: int, version: int | None) -> Run:
    """Withdraw a submitted post back to draft."""
    return lambda s, a: workflow.withdraw(s, a, post_id, expected_version=version)


@transition(workflow.APPROVE, click.option("--comment", default=""), override_option)
def post_approve(
    app: App, post_id: int, version: int | None, comment: str, override_reason: str | None
) -> Run:
    """Approve a submitted post (screening runs again)."""
    return lambda s, a: workflow.approve(
        s,
        a,
        post_id,
        comment=comment,
        expected_version=version,
        override_reason=override_reason,
        policy=app.policy,
    )


@transition(workflow.REQUEST_CHANGES, comment_option)
def post_request_changes(app: App, post_id: int, version: int | None, comment: str) -> Run:
    """Send a submitted post back to its author with a comment."""
    return lambda s, a: workflow.request_changes(
        s, a, post_id, comment, expected_version=version, policy=app.policy
    )


@transition(workflow.REJECT, comment_option)
def post_reject(app: App, post_id: int, version: int | None, comment: str) -> Run:
    """Reject a submitted post with a comment."""
    return lambda s, a: workflow.reject(
        s, a, post_id, comment, expected_version=version, policy=app.policy
    )


@transition(
    workflow.SCHEDULE,
    click.option("--at", "at_text", required=True, help="WIB date-time, e.g. '2026-11-24 09:00'."),
)
def post_schedule(app: App, post_id: int, version: int | None, at_text: str) -> Run:
    """Schedule an approved post (time in WIB)."""
    at = parse_wib(at_text)
    return lambda s, a: workflow.schedule(s, a, post_id, at, expected_version=version)


@transition(workflow.UNSCHEDULE)
def post_unschedule(app: App, post_id: int, version: int | None) -> Run:
    """Take a scheduled post off the schedule (it stays approved)."""
    return lambda s, a: workflow.unschedule(s, a, post_id, expected_version=version)


@transition(workflow.PUBLISH_NOW)
def post_publish_now(app: App, post_id: int, version: int | None) -> Run:
    """Publish an approved post at once (the worker picks it up)."""
    return lambda s, a: workflow.publish_now(s, a, post_id, expected_version=version)


@transition(
    workflow.TAKEDOWN,
    click.option("--reason", required=True, help="Why it is withdrawn (kept in the audit trail)."),
)
def post_takedown(app: App, post_id: int, version: int | None, reason: str) -> Run:
    """PPID Utama: withdraw a published post from every channel ("Tarik publikasi"); the worker
    deletes it from X and Facebook, Instagram is deleted by hand."""

    def run(session: Session, actor: Actor) -> Post:
        takedown.takedown(session, actor, post_id, reason, expected_version=version)
        return posts.load_post(session, post_id)

    return run


@post.command("new")
@as_option
@click.option("--caption", required=True)
@click.option("--opd", "opd_slug", default=None, help="Defaults to the user's OPD.")
@click.option("--link", default="")
@click.option("--headline", default="", help="Videotron headline.")
@click.option("--kip", type=click.Choice([k.value for k in KipCategory]), default="berkala")
@click.option("--channel", "channels", multiple=True, help="x, facebook, instagram or videotron.")
@click.option("--photo", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None)
@click.option("--alt", default="", help="Alt text of the photo.")
@json_option
@pass_app
def post_new(
    app: App,
    username: str,
    caption: str,
    opd_slug: str | None,
    link: str,
    headline: str,
    kip: str,
    channels: tuple[str, ...],
    photo: Path | None,
    alt: str,
    as_json: bool,
) -> None:
    """Write a draft."""
    from content.org.opds import get_opd

    with app.transaction() as session:
        actor = app.actor(session, username)
        opd_id = get_opd(session, opd_slug).id if opd_slug else actor.opd_id
        if opd_id is None:
            fail("Sebutkan OPD dengan --opd.", 2)
        account_ids, screen_ids = importer.resolve_channels(session, opd_id, ",".join(channels))
        photos = []
        if photo is not None:
            media = store_upload(
                session,
                actor,
                app.store,
                photo.read_bytes(),
                filename=photo.name,
                limits=Limits.from_settings(app.settings),
            )
            photos.append(posts.PhotoInput(media.id, alt))
        data = posts.DraftInput(
            caption=caption,
            link=link,
            headline=headline,
            kip_category=KipCategory(kip),
            account_ids=account_ids,
            screen_ids=screen_ids,
            photos=photos,
        )
        created = posts.create_draft(session, actor, opd_id, data)
        summary = post_summary(created)
    emit(summary, as_json, f"Draf #{summary['id']} dibuat.")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
@json_option
@pass_app
def import_(app: App, file: Path, username: str, as_json: bool) -> None:
    """Import a content plan (CSV or XLSX, photos beside it): one draft a row; bad rows
    reported, good rows kept, rows imported before skipped. Progress goes to stderr."""

    def progress(done: int, total: int) -> None:
        # About twenty lines for a long plan, every row for a short one.
        if done == total or done % max(1, total // 20) == 0:
            click.echo(f"Impor: {done}/{total} baris", err=True)

    with app.transaction() as session:
        actor = app.actor(session, username)
        result = plans.import_plan(
            session,
            actor,
            app.store,
            file,
            plans.FolderPhotos(file.parent),
            progress=progress,
            media_limits=Limits.from_settings(app.settings),
            public_numbers=app.settings.public_phone_numbers,
        )
    data = {
        "plan_import_id": result.plan_import_id,
        "imported": result.post_ids,
        "skipped_rows": result.skipped,
        "errors": [{"row": e.row, "message": e.reason} for e in result.rejected],
    }
    lines = [result.summary()]
    lines += [f"  baris {e.row}: {e.reason}" for e in result.rejected]
    emit(data, as_json, "\n".join(lines))
    if result.rejected and not result.post_ids and not result.skipped:
        sys.exit(1)


@click.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@json_option
@pass_app
def check(app: App, file: Any, as_json: bool) -> None:
    """Screen a text (FILE or stdin) for personal data and DIK terms; exit 1 when blocked."""
    text = file.read()
    rules: list[screening.dik.CompiledRule] = []
    try:
        with app.transaction() as session:
            rules = screening.active_rules(session)
    except (DomainError, SQLAlchemyError):
        rules = []  # no database yet: the personal-data checks still work
    findings = screening.screen_text(
        text, rules=rules, public_numbers=app.settings.public_phone_numbers
    )
    blocking = screening.blocking(findings)
    lines = [f"{'BLOKIR' if f.blocking else 'PERINGATAN'}: {f.describe()}" for f in findings]
    emit(
        {"findings": [f.as_dict() for f in findings], "blocking": len(blocking)},
        as_json,
        "\n".join(lines) or "Tidak ada temuan.",
    )
    if blocking:
        sys.exit(1)


@post.command("edit")
@as_option
@click.argument("post_id", type=int)
@click.option("--caption", default=None)
@click.option("--headline", default=None, help="Videotron headline.")
@click.option("--link", default=None)
@click.option("--version", type=int, default=None, help="Refuse if the post changed since.")
@json_option
@pass_app
def post_edit(
    app: App,
    username: str,
    post_id: int,
    caption: str | None,
    headline: str | None,
    link: str | None,
    version: int | None,
    as_json: bool,
) -> None:
    """Change a post's words (the rest stays); a post under review goes back to draft."""
    with app.transaction() as session:
        actor = app.actor(session, username)
        current = posts.as_draft_input(posts.get_post(session, actor, post_id))
        data = posts.DraftInput(
            caption=current.caption if caption is None else caption,
            link=current.link if link is None else link,
            headline=current.headline if headline is None else headline,
            kip_category=current.kip_category,
            account_ids=current.account_ids,
            screen_ids=current.screen_ids,
            texts=current.texts,
            photos=current.photos,
        )
        changed = posts.update_draft(session, actor, post_id, data, version)
        summary = post_summary(changed)
    emit(summary, as_json, f"Konten #{post_id} diubah; status kini {changed.status.value}.")
