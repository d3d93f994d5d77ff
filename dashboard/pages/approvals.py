"""Antrean persetujuan (PPID Utama): filter the queue; per item the channel previews side by
side with each target's estimated platform cost and what its platform would refuse (approval is
then closed and the "Minta perbaikan" comment comes prefilled with the problems and their fix),
screening findings on the text, the author's record; approve, request changes or reject with a
comment; schedule in WIB; approve and schedule several at once (with the batch's estimated
cost).

Every decision passes the version the reviewer saw (bound to the button when it was drawn), so a
decision someone else made in the meantime is reported, never overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial

import streamlit as st
from sqlalchemy.orm import Session

from content import formats, playlist, screening
from content.costs import format_usd
from content.costs import summary as cost_summary
from content.costs.summary import CostLine, CostSummary
from content.editorial import workflow
from content.editorial.channels import RULES, count
from content.editorial.posts import get_post
from content.editorial.refusals import TargetRefusals, change_request
from content.editorial.review_queue import QUEUE_STATUSES, AuthorHistory, QueueFilter, queue_page
from content.infra.errors import DomainError
from content.infra.timeutil import WIB, format_wib, utcnow
from content.labels import (
    APPROVAL_LEVEL_LABELS,
    CHANNEL_LABELS,
    KIP_EXPLANATIONS,
    KIP_LABELS,
    PLAN_FROM_PLAN_LABEL,
)
from content.models import Channel, Decision, Post, PostStatus
from content.org.actors import Actor
from content.org.opds import list_opds
from content.org.permissions import Action, can
from content.org.screens import list_screens
from dashboard import auth, cost_view, resources
from dashboard.highlight import findings_html
from dashboard.slide_preview import slide_preview
from dashboard.ui import (
    ask_first,
    attempt,
    confirmation,
    current_page,
    flash,
    md,
    on_filter_change,
    pager,
    read,
    status_label,
)
from dashboard.views import PostView, TargetView, post_view
from publishers.videotron.publish import push_emergency

PAGE_KEY = "q"
FOLLOW_UP_LIMIT = 5
PAGE_SIZE = 10
SEEN = "q_seen"  # {post id: version} as last drawn: what the reviewer saw
COSTS = "q_costs"  # {post id: estimated cost} as last drawn
VERDICTS = {
    Decision.APPROVE: "disetujui",
    Decision.REQUEST_CHANGES: "dikembalikan untuk perbaikan",
    Decision.REJECT: "ditolak",
}


@dataclass(frozen=True)
class Item:
    post: PostView
    screened: list[screening.ScreenedText]  # the texts with findings
    history: AuthorHistory
    cost: CostSummary
    refusals: list[TargetRefusals]

    @property
    def blocking(self) -> bool:
        return any(s.blocking for s in self.screened)

    @property
    def refused(self) -> bool:
        """A platform would refuse it: approval is refused too (content.editorial.refusals)."""
        return any(r.problems for r in self.refusals)

    def refusals_of(self, target: TargetView) -> list[str]:
        return [
            p.message
            for r in self.refusals
            if (r.account_id, r.screen_id) == (target.account_id, target.screen_id)
            for p in r.problems
        ]


@dataclass(frozen=True)
class Queue:
    items: list[Item]
    has_next: bool
    opds: dict[int, str]


FOLLOW_UP = "q_follow_up"  # ids of posts this reviewer just approved: their next step stays shown
# The queue's ready-made views; "Saringan sendiri" leaves the status filter to the reviewer.
VIEWS = {
    "Menunggu persetujuan": [PostStatus.SUBMITTED],
    "Disetujui, belum dijadwalkan": [PostStatus.APPROVED],
    "Terjadwal": [PostStatus.SCHEDULED],
}
OWN_FILTER = "Saringan sendiri"


def current_filter() -> QueueFilter:
    state = st.session_state
    view = state.get("q_view")
    chosen = VIEWS.get(view) if isinstance(view, str) else None
    statuses = chosen or state.get("q_status") or [PostStatus.SUBMITTED]
    return QueueFilter(
        statuses=list(statuses),
        opd_id=state.get("q_opd"),
        channel=state.get("q_channel"),
        day_from=state.get("q_from"),
        day_until=state.get("q_until"),
        from_plan=bool(state.get("q_from_plan")),
    )


def load_queue(session: Session, actor: Actor) -> Queue:
    page = queue_page(
        session,
        actor,
        current_filter(),
        page=current_page(PAGE_KEY),
        page_size=PAGE_SIZE,
        public_numbers=resources.settings().public_phone_numbers,
    )
    prices = cost_view.prices()
    items = [
        Item(
            post_view(i.post),
            [s for s in i.screened if s.findings],
            i.history,
            cost_summary.post_cost(i.post, prices),
            i.refusals,
        )
        for i in page.items
    ]
    return Queue(items, page.has_next, {o.id: o.short_name for o in list_opds(session)})


def default_slot() -> datetime:
    """The next full hour but one, in WIB, as the picker shows it (naive = WIB)."""
    soon = utcnow().astimezone(WIB) + timedelta(hours=2)
    return soon.replace(minute=0, second=0, microsecond=0, tzinfo=None)


# --- actions (button callbacks: they run before the page is drawn again) ----------------------


def _decide(actor: Actor, post_id: int, version: int, decision: Decision) -> None:
    comment = str(st.session_state.get(f"q_comment_{post_id}", ""))
    override = str(st.session_state.get(f"q_override_{post_id}", "")).strip() or None
    policy = resources.policy()

    def act(session: Session) -> object:
        if decision is Decision.APPROVE:
            return workflow.approve(
                session,
                actor,
                post_id,
                comment=comment,
                expected_version=version,
                override_reason=override,
                policy=policy,
            )
        send_back = (
            workflow.request_changes if decision is Decision.REQUEST_CHANGES else workflow.reject
        )
        return send_back(session, actor, post_id, comment, expected_version=version, policy=policy)

    result = attempt(act, prefix=f"#{post_id}: ")
    if isinstance(result, Post) and result.awaiting_level is not None:
        # The first of two sign-offs: say who decides next.
        waiting = APPROVAL_LEVEL_LABELS[result.awaiting_level]
        flash("success", f"Konten #{post_id} disetujui; kini menunggu persetujuan {waiting}.")
    elif result is not None:
        done = f"Konten #{post_id} {VERDICTS[decision]}."
        if decision is Decision.APPROVE:
            done += " Langkah berikutnya ada di atas antrean: jadwalkan atau terbitkan sekarang."
            follow = [pid for pid in st.session_state.get(FOLLOW_UP, []) if pid != post_id]
            st.session_state[FOLLOW_UP] = [post_id, *follow][:FOLLOW_UP_LIMIT]
        flash("success", done)


def _schedule(actor: Actor, post_id: int, version: int) -> None:
    when = st.session_state.get(f"q_when_{post_id}")
    if not isinstance(when, datetime):
        flash("error", "Pilih tanggal dan jam tayang (WIB).")
        return
    attempt(
        lambda s: workflow.schedule(s, actor, post_id, when, expected_version=version),
        done=f"Konten #{post_id} dijadwalkan {format_wib(when.replace(tzinfo=WIB))}.",
        prefix=f"#{post_id}: ",
    )


def _publish_now(actor: Actor, post_id: int, version: int) -> None:
    attempt(
        lambda s: workflow.publish_now(s, actor, post_id, expected_version=version),
        done=f"Konten #{post_id} masuk antrean terbit sekarang.",
        prefix=f"#{post_id}: ",
    )


def _unschedule(actor: Actor, post_id: int, version: int) -> None:
    attempt(
        lambda s: workflow.unschedule(s, actor, post_id, expected_version=version),
        done=f"Jadwal konten #{post_id} dibatalkan.",
        prefix=f"#{post_id}: ",
    )


def _approve_and_schedule(
    session: Session, *, actor: Actor, post_id: int, version: int, when: datetime
) -> int:
    post = workflow.approve_and_schedule(
        session, actor, post_id, when, expected_version=version, policy=resources.policy()
    )
    return post.id


def _bulk(actor: Actor) -> None:
    seen: dict[int, int] = st.session_state.get(SEEN, {})
    picked = [pid for pid in seen if st.session_state.get(f"q_pick_{pid}")]
    when = st.session_state.get("q_bulk_when")
    if not picked or not isinstance(when, datetime):
        flash("warning", "Pilih minimal satu konten dan waktu tayangnya.")
        return
    done = [
        pid
        for pid in picked
        if attempt(
            partial(_approve_and_schedule, actor=actor, post_id=pid, version=seen[pid], when=when),
            prefix=f"#{pid}: ",
        )
        is not None
    ]
    for pid in done:
        st.session_state[f"q_pick_{pid}"] = False
    if done:
        listed = ", ".join(f"#{pid}" for pid in sorted(done))
        shown = format_wib(when.replace(tzinfo=WIB))
        costs: dict[int, Decimal] = st.session_state.get(COSTS, {})
        total = sum((costs.get(pid, Decimal(0)) for pid in done), Decimal(0))
        spent = format_usd(total, cost_view.prices()) if total else "gratis"
        flash(
            "success",
            f"Disetujui dan dijadwalkan {shown}: {listed}. Perkiraan biaya platform: {md(spent)}",
        )


# --- drawing ----------------------------------------------------------------------------------


def _own_statuses(reset: Callable[[], None]) -> None:
    """Picking statuses by hand is the reviewer's own filter, whatever view was on."""
    st.session_state["q_view"] = OWN_FILTER
    reset()


def filters(opds: dict[int, str]) -> None:
    reset = on_filter_change(PAGE_KEY)
    st.segmented_control(
        "Tampilan",
        options=[*VIEWS, OWN_FILTER],
        key="q_view",
        default="Menunggu persetujuan",
        on_change=reset,
    )
    cols = st.columns([2, 1, 2, 1, 1])
    cols[0].selectbox(
        "OPD",
        options=[None, *opds],
        key="q_opd",
        format_func=lambda i: "Semua OPD" if i is None else opds.get(i, str(i)),
        on_change=reset,
    )
    cols[1].selectbox(
        "Kanal",
        options=[None, *Channel],
        key="q_channel",
        format_func=lambda c: "Semua kanal" if c is None else CHANNEL_LABELS[c],
        on_change=reset,
    )
    if "q_status" not in st.session_state:
        st.session_state["q_status"] = [PostStatus.SUBMITTED]
    cols[2].multiselect(
        "Status",
        options=list(QUEUE_STATUSES),
        key="q_status",
        format_func=status_label,
        on_change=_own_statuses,
        args=(reset,),
        help="Memilih status sendiri berarti tampilan “Saringan sendiri”.",
    )
    cols[3].date_input("Dari (WIB)", value=None, key="q_from", on_change=reset, format="DD/MM/YYYY")
    cols[4].date_input(
        "Sampai (WIB)", value=None, key="q_until", on_change=reset, format="DD/MM/YYYY"
    )
    st.checkbox(f"Hanya {PLAN_FROM_PLAN_LABEL}", key="q_from_plan", on_change=reset)


def batch_total(items: list[Item]) -> str:
    """What the picked items would cost together, as the reviewer has picked them so far."""
    picked = [i for i in items if st.session_state.get(f"q_pick_{i.post.id}")]
    if not picked:
        return "Belum ada konten terpilih."
    total = sum((i.cost.total for i in picked), Decimal(0))
    shown = format_usd(total, cost_view.prices()) if total else "gratis"
    return f"Perkiraan biaya platform {len(picked)} konten terpilih: **{md(shown)}**"


def bulk_bar(actor: Actor, items: list[Item]) -> None:
    with st.container(border=True):
        left, right = st.columns([2, 1])
        left.datetime_input(
            "Waktu tayang untuk konten terpilih (WIB)",
            value=default_slot(),
            key="q_bulk_when",
            format="DD/MM/YYYY",
            step=timedelta(minutes=15),
        )
        right.button(
            "Setujui & jadwalkan terpilih",
            key="q_bulk",
            type="primary",
            on_click=ask_first,
            args=("q_bulk",),
        )
        st.markdown(batch_total(items))
        picked = [i for i in items if st.session_state.get(f"q_pick_{i.post.id}")]
        channels = sorted({CHANNEL_LABELS[c] for i in picked for c in i.post.channels})
        when = st.session_state.get("q_bulk_when")
        shown = format_wib(when.replace(tzinfo=WIB)) if isinstance(when, datetime) else "-"
        confirmation(
            "q_bulk",
            f"{len(picked)} konten ({', '.join(f'#{i.post.id}' for i in picked) or '-'}) akan "
            f"disetujui dan dijadwalkan tayang {shown} ke kanal: {', '.join(channels) or '-'}.",
            "Ya, setujui & jadwalkan",
            _bulk,
            (actor,),
        )


def preview_column(item: Item, target: TargetView, cost: CostLine) -> None:
    post = item.post
    st.markdown(f"**{CHANNEL_LABELS[target.channel]}** · {md(target.label)}")
    if target.is_simulator:
        st.caption("mode latihan")
    store = resources.store()
    if target.channel is Channel.VIDEOTRON and post.photos and target.size:
        photo = post.photos[0]
        shown = slide_preview(
            store,
            sha256=photo.sha256,
            extension=photo.extension,
            headline=post.headline,
            size=target.size,
            opd=post.opd_name,
            day=(post.scheduled_at or utcnow()).astimezone(WIB).date(),
        )
        if shown.image is not None:
            st.image(shown.image)
        else:
            st.caption(shown.note or "")
    elif post.photos:
        photo = post.photos[0]
        st.image(store.get(photo.sha256, photo.extension), width=160)
    st.text(target.text or "(tanpa teks)")
    rules = RULES[target.channel]
    st.caption(
        f"{formats.number(count(target.channel, target.text))} / "
        f"{formats.number(rules.max_chars)} karakter"
    )
    cost_view.target_caption(cost)
    for message in item.refusals_of(target):
        st.warning(message, icon=":material/block:")


def author_record(history: AuthorHistory) -> None:
    with st.expander(f"Riwayat penulis: {md(history.display_name)}"):
        for recent in history.recent_posts:
            st.caption(
                f"#{recent.post_id} · {status_label(recent.status)} · "
                f"{format_wib(recent.updated_at)} · {md(' '.join(recent.caption.split())[:80])}"
            )
        counts = history.decision_counts
        if counts:
            st.markdown(
                "Keputusan terakhir: "
                + ", ".join(f"{VERDICTS[d]} {n}×" for d, n in sorted(counts.items()))
            )
        for decision in history.decisions:
            quote = f" — “{md(decision.comment)}”" if decision.comment else ""
            st.caption(
                f"#{decision.post_id} {VERDICTS[decision.decision]} oleh "
                f"{md(decision.reviewer)} · {format_wib(decision.at)}{quote}"
            )


def decision_box(actor: Actor, item: Item) -> None:
    post = item.post
    comment_key = f"q_comment_{post.id}"
    if item.refused:
        st.error(
            "Platform akan menolak konten ini, sehingga belum dapat disetujui; kembalikan ke "
            "penulis dengan “Minta perbaikan” (komentar sudah diisi, boleh diubah)."
        )
        if comment_key not in st.session_state:
            st.session_state[comment_key] = change_request(item.refusals)
    st.text_area("Komentar untuk penulis", key=comment_key, height=80)
    if item.blocking and can(actor, Action.OVERRIDE_SCREENING):
        st.text_input(
            "Alasan mengabaikan temuan yang menahan (dicatat)", key=f"q_override_{post.id}"
        )
    cols = st.columns(3)
    for col, decision, label, kind in (
        (cols[0], Decision.APPROVE, "Setujui", "primary"),
        (cols[1], Decision.REQUEST_CHANGES, "Minta perbaikan", "secondary"),
        (cols[2], Decision.REJECT, "Tolak", "secondary"),
    ):
        col.button(
            label,
            key=f"q_{decision.value}_{post.id}",
            type=kind,  # type: ignore[arg-type]
            on_click=_decide,
            args=(actor, post.id, post.version, decision),
            disabled=decision is Decision.APPROVE and item.refused,
        )


def _push_proposed(actor: Actor, post: PostView) -> None:
    """PPID Utama confirmed the proposed emergency override: render and push it."""
    state = st.session_state
    screen_id = state.get(f"q_em_screen_{post.id}")
    headline = str(state.get(f"q_em_headline_{post.id}", "")).strip()
    reason = str(state.get(f"q_em_reason_{post.id}", ""))
    if not isinstance(screen_id, int):
        flash("error", "Pilih layar videotron untuk penayangan darurat.")
        return
    store, settings = resources.store(), resources.settings()
    first = post.photos[0] if post.photos else None
    photo = store.get(first.sha256, first.extension) if first else None
    attempt(
        lambda s: (
            push_emergency(
                s, actor, store, settings, screen_id, headline=headline, reason=reason, photo=photo
            ).id
        ),
        done=f"Pesan darurat dari konten #{post.id} tayang di videotron sekarang.",
        prefix=f"#{post.id}: ",
    )


def override_box(actor: Actor, post: PostView) -> None:
    """The videotron emergency override a serta-merta post proposes, pre-filled from the post
    (content.playlist.override_proposal); nothing is pushed until PPID Utama confirms."""
    proposal = playlist.override_proposal(post, post.kip)
    if proposal is None or not can(actor, Action.MANAGE_VIDEOTRON):
        return
    screens = read(lambda s: {sc.id: sc.name for sc in list_screens(s)})
    if not screens:
        return
    with st.expander("Usulan penayangan darurat di videotron (serta-merta)", expanded=True):
        state = st.session_state
        state.setdefault(f"q_em_headline_{post.id}", proposal.headline)
        state.setdefault(f"q_em_reason_{post.id}", proposal.reason)
        st.text_input("Judul pesan darurat", key=f"q_em_headline_{post.id}")
        st.text_input("Alasan (dicatat)", key=f"q_em_reason_{post.id}")
        st.selectbox(
            "Layar",
            options=list(screens),
            key=f"q_em_screen_{post.id}",
            format_func=lambda screen_id: screens.get(screen_id, str(screen_id)),
        )
        st.button(
            "Tayangkan darurat sekarang",
            key=f"q_em_push_{post.id}",
            on_click=_push_proposed,
            args=(actor, post),
        )


def schedule_box(actor: Actor, post: PostView, steps: frozenset[workflow.Step]) -> None:
    if post.scheduled_at:
        st.info(f"Terjadwal tayang {format_wib(post.scheduled_at)}.")
    first = workflow.default_next(post.kip, steps)
    if first is workflow.PUBLISH_NOW:
        st.warning(
            f"{KIP_LABELS[post.kip]}: {KIP_EXPLANATIONS[post.kip]}", icon=":material/emergency:"
        )
    cols = st.columns([2, 1, 1, 1])
    cols[0].datetime_input(
        "Waktu tayang (WIB)",
        value=default_slot(),
        key=f"q_when_{post.id}",
        format="DD/MM/YYYY",
        step=timedelta(minutes=15),
    )
    args = (actor, post.id, post.version)
    # The step offered first is the primary button ("Terbitkan sekarang" for serta-merta).
    cols[1].button(
        "Jadwalkan",
        key=f"q_schedule_{post.id}",
        on_click=_schedule,
        args=args,
        type="primary" if first is workflow.SCHEDULE else "secondary",
    )
    if workflow.PUBLISH_NOW in steps:
        key = f"q_now_{post.id}"
        cols[2].button(
            "Terbitkan sekarang",
            key=key,
            on_click=ask_first,
            args=(key,),
            type="primary" if first is workflow.PUBLISH_NOW else "secondary",
        )
        where = ", ".join(f"{CHANNEL_LABELS[t.channel]} {md(t.label)}" for t in post.targets)
        confirmation(
            key,
            f"Konten #{post.id} akan langsung dikirim ke {len(post.targets)} kanal: {where}. "
            "Yang sudah terbit tidak dapat ditarik kembali dari sini.",
            "Ya, terbitkan sekarang",
            _publish_now,
            args,
        )
    if workflow.UNSCHEDULE in steps:
        cols[3].button(
            "Batalkan jadwal", key=f"q_unschedule_{post.id}", on_click=_unschedule, args=args
        )
    override_box(actor, post)


def wished_day(post: PostView) -> None:
    """The author's wish (or the content plan's day), until a time is set."""
    if post.planned_on and not post.scheduled_at:
        st.caption(f"Penulis mengusulkan tayang {formats.day(post.planned_on)}.")


def item_card(actor: Actor, item: Item) -> None:
    post = item.post
    steps = workflow.available_steps(actor, post, resources.policy())
    with st.container(border=True):
        head, pick = st.columns([6, 1])
        head.markdown(
            f"**#{post.id}** · {md(post.opd_name)} · {md(post.author)} · "
            f"{status_label(post.status)} · diajukan {format_wib(post.submitted_at)} · "
            f"versi {post.version}"
        )
        if steps & {workflow.APPROVE, workflow.SCHEDULE}:
            pick.checkbox("Pilih", key=f"q_pick_{post.id}")
        st.caption(
            f"Perkiraan biaya platform konten ini: {md(item.cost.total_text)} · "
            f"{md(item.cost.checked_text)}"
        )
        wished_day(post)
        columns = st.columns(max(1, len(post.targets)))
        # The estimate lists the targets in the post's order, as the view does.
        for column, target, cost in zip(columns, post.targets, item.cost.lines, strict=False):
            with column:
                preview_column(item, target, cost)
        for screened in item.screened:
            st.markdown(f"**Temuan penyaringan — {md(screened.label)}**")
            st.html(findings_html(screened.text, screened.findings))
        if post.override_reason:
            st.caption(f"Temuan pernah diabaikan: {md(post.override_reason)}")
        author_record(item.history)
        if workflow.APPROVE in steps:
            decision_box(actor, item)
        elif workflow.SCHEDULE in steps:
            schedule_box(actor, post, steps)
        elif post.status is PostStatus.SUBMITTED:
            # Offered to nobody else but not to this reviewer: say why (e.g. four eyes).
            st.info(workflow.refusal(actor, post, workflow.APPROVE, resources.policy()) or "")


def load_follow_up(session: Session, actor: Actor) -> list[PostView]:
    """The posts this reviewer just approved that still wait for their next step (approved,
    not yet scheduled); the others drop out of the list."""
    shown: list[PostView] = []
    for post_id in st.session_state.get(FOLLOW_UP, []):
        try:
            post = get_post(session, actor, post_id)
        except DomainError:
            continue
        if post.status is PostStatus.APPROVED:
            shown.append(post_view(post))
    return shown


def follow_up(actor: Actor, posts: list[PostView]) -> None:
    """Right after approval: the next step for each approved post, one click away (the steps
    come from `workflow.available_steps`, like every button of this page)."""
    st.session_state[FOLLOW_UP] = [p.id for p in posts]
    policy = resources.policy()
    for post in posts:
        steps = workflow.available_steps(actor, post, policy)
        if not steps & {workflow.SCHEDULE, workflow.PUBLISH_NOW}:
            continue
        with st.container(border=True, key=f"q_next_{post.id}"):
            st.markdown(
                f"**Langkah berikutnya untuk #{post.id}** · {md(post.opd_name)} · "
                f"{status_label(post.status)} · "
                f"{md(' '.join(post.caption.split())[:80])}"
            )
            wished_day(post)
            schedule_box(actor, post, steps)


def main() -> None:
    actor = auth.require_page(Action.REVIEW)
    st.title("Antrean persetujuan")
    next_steps = read(lambda s: load_follow_up(s, actor))
    follow_up(actor, next_steps)
    queue = read(lambda s: load_queue(s, actor))
    filters(queue.opds)
    bulk_bar(actor, queue.items)
    st.session_state[SEEN] = {i.post.id: i.post.version for i in queue.items}
    st.session_state[COSTS] = {i.post.id: i.cost.total for i in queue.items}
    if not queue.items:
        st.info("Antrean kosong untuk saringan ini.")
    shown_above = {p.id for p in next_steps}
    for item in queue.items:
        if item.post.id not in shown_above:
            item_card(actor, item)
    pager(PAGE_KEY, queue.has_next)


main()
