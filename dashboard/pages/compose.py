"""Tulis konten, in the order people work: the reviewer's last comment on a returned post, the
photos with their alt text, the caption, link and KIP category, the channels (the OPD's own
accounts first, the city's marked) and one tab per channel for its text (inheriting the caption
until edited; the videotron tab has the headline and the slide preview), what each target's
platform would refuse with the fix the app offers, then the schedule wish and the estimated cost;
save and submit. Each screening finding is shown under the field it concerns, quoting the text.
The channel tabs come from the channel list (`COMPOSE_CHANNELS`), not one block per channel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlalchemy.orm import Session

from content import formats
from content.costs import summary as cost_summary
from content.costs.summary import CostSummary
from content.editorial import workflow
from content.editorial.channels import PAD, RULES, count, hashtags
from content.editorial.headline import suggest_headline
from content.editorial.media import pad_photo, store_upload
from content.editorial.posts import create_draft, update_draft, usable_accounts, usable_screens
from content.editorial.refusals import TargetRefusals, draft_refusals
from content.infra.errors import DomainError
from content.infra.timeutil import WIB, format_wib, utcnow
from content.labels import CHANNEL_LABELS, CITY_ACCOUNT, KIP_EXPLANATIONS, KIP_LABELS
from content.models import Account, Channel, KipCategory, Opd, PostStatus
from content.models.enums import EDITABLE_STATUSES
from content.org.actors import Actor
from content.org.opds import list_opds
from content.org.permissions import Action, can, visible_opd_ids
from content.screening import ScreenedText, active_rules, screen_draft
from content.screening.dik import CompiledRule
from dashboard import auth, channel_extras, compose_state, cost_view, resources, ui
from dashboard.compose_state import ComposeForm, PhotoDraft
from dashboard.highlight import findings_html
from dashboard.slide_preview import slide_preview
from dashboard.ui import TRAINING, attempt, flash, md, read, status_label

ACCEPTED_TYPES = ["jpg", "jpeg", "png", "webp", "heic", "heif"]


@dataclass(frozen=True)
class Choice:
    id: int
    label: str
    channel: Channel
    size: tuple[int, int] | None = None
    city: bool = False  # a city-wide account, not the OPD's own


@dataclass(frozen=True)
class Context:
    opds: dict[int, str]  # the OPDs this person may write for
    accounts: dict[int, Choice]
    screens: dict[int, Choice]
    rules: list[CompiledRule]
    # What each chosen target's platform would refuse in the form as it stands.
    refusals: list[TargetRefusals]

    def label_of(self, target: TargetRefusals) -> str:
        if target.account_id is not None and target.account_id in self.accounts:
            return self.accounts[target.account_id].label
        if target.screen_id is not None and target.screen_id in self.screens:
            return self.screens[target.screen_id].label
        return target.name

    def messages_for(self, channel: Channel) -> list[str]:
        """Each problem of the channel's targets once (two X accounts refuse alike)."""
        found = (p.message for r in self.refusals if r.channel is channel for p in r.problems)
        return list(dict.fromkeys(found))


def account_choice(account: Account) -> str:
    label = ui.account_label(account)
    return f"{label} — {CITY_ACCOUNT}" if account.opd_id is None else label


def load_context(session: Session, actor: Actor, form: ComposeForm) -> Context:
    if visible_opd_ids(actor) is None:
        opds = {o.id: o.short_name for o in list_opds(session)}
    else:
        own = session.get(Opd, actor.opd_id) if actor.opd_id else None
        opds = {own.id: own.short_name} if own else {}
    if form.opd_id not in opds and opds:
        form.opd_id = actor.opd_id if actor.opd_id in opds else next(iter(opds))
    accounts = usable_accounts(session, form.opd_id) if form.opd_id else []
    return Context(
        opds,
        {a.id: Choice(a.id, account_choice(a), a.kind, city=a.opd_id is None) for a in accounts},
        {
            s.id: Choice(s.id, ui.screen_label(s), Channel.VIDEOTRON, (s.width, s.height))
            for s in usable_screens(session)
        },
        active_rules(session, form.opd_id),
        draft_refusals(session, form.opd_id, form.draft_input()) if form.opd_id else [],
    )


# --- widgets bound to the form (callbacks copy each change into it before the page runs) ------


def _copy(form: ComposeForm, name: str, key: str) -> None:
    setattr(form, name, st.session_state[key])


def bound(form: ComposeForm, name: str, widget: Callable[..., Any], label: str, **kw: Any) -> Any:
    key = form.key(name)
    if key not in st.session_state:
        st.session_state[key] = getattr(form, name)
    return widget(label, key=key, on_change=_copy, args=(form, name, key), **kw)


def _channel_text_changed(form: ComposeForm, channel: Channel, key: str) -> None:
    value = st.session_state[key]
    if value == form.caption:
        form.texts.pop(channel, None)
    else:
        form.texts[channel] = value


def _inherit(form: ComposeForm, channel: Channel) -> None:
    form.texts.pop(channel, None)


def _set_alt(photo: PhotoDraft, key: str) -> None:
    photo.alt_text = st.session_state[key]


def _remove_photo(form: ComposeForm, media_id: int) -> None:
    form.photos = [p for p in form.photos if p.media_id != media_id]


def _use_framed(actor: Actor, form: ComposeForm, media_id: int) -> None:
    """The PAD fix: the framed version is stored through intake and takes the photo's place in
    the form, alt text kept; saving the draft makes it the post's photo."""
    store, limits = resources.store(), resources.limits()

    def frame(session: Session) -> PhotoDraft:
        media = pad_photo(session, actor, store, media_id, limits=limits)
        return PhotoDraft(media.id, media.sha256, media.extension, media.original_name)

    framed = attempt(frame)
    if framed is None:
        return
    for index, photo in enumerate(form.photos):
        if photo.media_id == media_id:
            framed.alt_text = photo.alt_text
            form.photos[index] = framed
            flash("success", f"Foto ke-{index + 1} diganti versi berbingkai; simpan draf.")


def _suggest_headline(form: ComposeForm) -> None:
    form.headline = suggest_headline(form.caption)
    st.session_state[form.key("headline")] = form.headline


def _start_new(form: ComposeForm) -> None:
    compose_state.put(compose_state.blank(form.opd_id))


# --- sections ---------------------------------------------------------------------------------

# One tab per channel a post can go to (every channel with publishing rules, in their order); a
# channel whose tab draws more than its text has a drawer in TAB_DRAWERS.
COMPOSE_CHANNELS: tuple[Channel, ...] = tuple(RULES)


@dataclass(frozen=True)
class Screened:
    """The draft's screening, by field as screening names it ("caption", "teks x", ...)."""

    by_field: dict[str, ScreenedText]

    @property
    def flagged(self) -> list[ScreenedText]:
        return [s for s in self.by_field.values() if s.findings]

    def show(self, field: str) -> None:
        """The findings of one field, right under it, quoting the text they concern."""
        item = self.by_field.get(field)
        if item is None or not item.findings:
            return
        with st.container(border=True):
            weight = "menahan pengajuan" if item.blocking else "peringatan"
            st.markdown(f":red[**Temuan penyaringan: {md(item.label)}**] ({weight})")
            st.html(findings_html(item.text, item.findings))


def screen(form: ComposeForm, ctx: Context) -> Screened:
    found = screen_draft(
        form.draft_input(),
        ctx.rules,
        photo_names=[p.name for p in form.photos],
        public_numbers=resources.settings().public_phone_numbers,
    )
    return Screened({s.field: s for s in found})


def review_note(form: ComposeForm) -> None:
    """The reviewer's last comment at the top while a returned post is fixed."""
    review = form.review
    if review is None:
        return
    said = f"“{md(review.comment)}”" if review.comment else "(tanpa komentar)"
    st.warning(
        f"**Perlu perbaikan** — catatan {md(review.reviewer)} ({format_wib(review.at)}): {said}",
        icon=":material/rate_review:",
    )


def header(form: ComposeForm) -> None:
    st.title("Tulis konten")
    if form.post_id is not None and form.status is not None:
        st.caption(
            f"Mengubah konten #{form.post_id} · {status_label(form.status)} · versi {form.version}"
        )
        if form.status not in EDITABLE_STATUSES:
            st.warning(
                "Konten ini sudah diajukan atau disetujui: menyimpan perubahan mengembalikannya "
                "ke draf, dan harus diajukan serta disetujui lagi."
            )
    st.button("Mulai konten baru", key=form.key("new"), on_click=_start_new, args=(form,))


def choose_opd(form: ComposeForm, ctx: Context) -> None:
    if len(ctx.opds) > 1:
        bound(
            form,
            "opd_id",
            st.selectbox,
            "OPD",
            options=list(ctx.opds),
            format_func=lambda i: ctx.opds.get(i, str(i)),
        )
    elif ctx.opds:
        st.caption(f"OPD: **{md(next(iter(ctx.opds.values())))}**")


def counter(channel: Channel, text: str, selected: bool, refused: list[str]) -> None:
    rules = RULES[channel]
    length = count(channel, text)
    line = f"{formats.number(length)} / {formats.number(rules.max_chars)} karakter"
    if rules.weighted:
        line += " (hitungan X: tautan 23, emoji 2)"
    if rules.max_hashtags is not None:
        line += f" · {hashtags(text)} / {rules.max_hashtags} tagar"
    (st.error if length > rules.max_chars else st.caption)(line)
    if not selected:
        st.caption("Kanal ini belum dipilih sebagai tujuan.")
        return
    for message in refused:
        st.warning(message)


def channel_tab(
    form: ComposeForm, ctx: Context, screened: Screened, channel: Channel, selected: bool
) -> None:
    key = form.key(f"text_{channel.value}")
    if channel not in form.texts:
        st.session_state[key] = form.caption  # inherits until edited here
    label = CHANNEL_LABELS[channel]
    channel_extras.title_field(form, channel)
    st.text_area(
        f"Teks untuk {label}",
        key=key,
        height=140,
        on_change=_channel_text_changed,
        args=(form, channel, key),
    )
    if channel in form.texts:
        st.caption(f"Teks khusus {label}.")
        st.button(
            "Kembalikan ke keterangan utama",
            key=form.key(f"inherit_{channel.value}"),
            on_click=_inherit,
            args=(form, channel),
        )
    else:
        st.caption("Mengikuti keterangan utama sampai Anda mengubahnya di sini.")
    text = form.texts.get(channel, form.caption)
    counter(channel, text, selected, ctx.messages_for(channel))
    screened.show(f"teks {channel.value}")
    channel_extras.body_preview(form, channel, text)


def videotron_tab(
    form: ComposeForm, ctx: Context, screened: Screened, channel: Channel, selected: bool
) -> None:
    bound(form, "headline", st.text_input, "Judul slide videotron", max_chars=300)
    screened.show("headline")
    st.button(
        "Sarankan dari keterangan",
        key=form.key("suggest"),
        on_click=_suggest_headline,
        args=(form,),
    )
    words = len(form.headline.split())
    st.caption(f"{words} kata (6–12 kata terbaca sekilas).")
    counter(channel, form.headline, selected, ctx.messages_for(channel))
    preview(form, ctx)


def preview(form: ComposeForm, ctx: Context) -> None:
    screens = [ctx.screens[i] for i in form.screen_ids if i in ctx.screens]
    screens = screens or list(ctx.screens.values())[:1]
    if not screens or not form.photos or not form.headline.strip():
        st.caption("Pilih foto dan isi judul untuk melihat pratinjau slide.")
        return
    photo, store = form.photos[0], resources.store()
    for screen in screens:
        assert screen.size is not None
        shown = slide_preview(
            store,
            sha256=photo.sha256,
            extension=photo.extension,
            headline=form.headline,
            size=screen.size,
            opd=ctx.opds.get(form.opd_id or 0, ""),
            day=utcnow().astimezone(WIB).date(),
        )
        if shown.image is not None:
            st.image(shown.image, caption=f"Pratinjau: {screen.label}")
        else:
            st.info(shown.note or "")


# A channel whose tab draws more than its text (the videotron: headline and slide preview).
TAB_DRAWERS: dict[Channel, Callable[[ComposeForm, Context, Screened, Channel, bool], None]] = {
    Channel.VIDEOTRON: videotron_tab
}


def channel_tabs(form: ComposeForm, ctx: Context, screened: Screened) -> None:
    st.subheader("Teks per kanal")
    chosen = {ctx.accounts[i].channel for i in form.account_ids if i in ctx.accounts}
    if form.screen_ids:
        chosen.add(Channel.VIDEOTRON)
    # Keyed and tracked: the open tab stays open when a photo or finding above changes the page.
    tabs = st.tabs(
        [CHANNEL_LABELS[c] for c in COMPOSE_CHANNELS],
        key=form.key("channel_tabs"),
        on_change="rerun",
    )
    for tab, channel in zip(tabs, COMPOSE_CHANNELS, strict=True):
        with tab:
            TAB_DRAWERS.get(channel, channel_tab)(form, ctx, screened, channel, channel in chosen)


def caption_section(form: ComposeForm, screened: Screened) -> None:
    st.subheader("Keterangan")
    bound(form, "caption", st.text_area, "Keterangan utama", height=180)
    screened.show("caption")
    bound(form, "link", st.text_input, "Tautan (opsional)", placeholder="https://…")
    screened.show("link")
    bound(
        form,
        "kip",
        st.radio,
        "Kategori informasi (UU KIP)",
        options=list(KipCategory),
        format_func=lambda k: KIP_LABELS[k],
        horizontal=True,
    )
    chosen = KipCategory(st.session_state[form.key("kip")])
    if chosen is KipCategory.SERTA_MERTA:
        st.warning(KIP_EXPLANATIONS[chosen], icon=":material/emergency:")
    else:
        st.caption(KIP_EXPLANATIONS[chosen])


def _keep_known(form: ComposeForm, name: str, known: dict[int, Choice]) -> None:
    """Drop choices no longer offered (another OPD picked, an account deactivated)."""
    current: list[int] = getattr(form, name)
    valid = [i for i in current if i in known]
    if valid != current:
        setattr(form, name, valid)
        st.session_state[form.key(name)] = valid


def targets_section(form: ComposeForm, ctx: Context) -> None:
    st.subheader("Kanal tujuan")
    _keep_known(form, "account_ids", ctx.accounts)
    _keep_known(form, "screen_ids", ctx.screens)
    bound(
        form,
        "account_ids",
        st.multiselect,
        "Akun media sosial",
        options=list(ctx.accounts),
        format_func=lambda i: ctx.accounts[i].label,
        placeholder="Pilih akun",
    )
    bound(
        form,
        "screen_ids",
        st.multiselect,
        "Layar videotron",
        options=list(ctx.screens),
        format_func=lambda i: ctx.screens[i].label,
        placeholder="Pilih layar",
    )
    if any(i in ctx.accounts and TRAINING in ctx.accounts[i].label for i in form.account_ids):
        st.info("Akun bertanda *mode latihan* menerbitkan ke simulator, bukan ke platform asli.")
    if any(i in ctx.accounts and ctx.accounts[i].city for i in form.account_ids):
        st.caption(
            f"Akun bertanda *{CITY_ACCOUNT}* milik Pemerintah Kota, bukan OPD ini; "
            "PPID Utama menilai apakah konten ini pantas di sana."
        )


def load_cost(session: Session, actor: Actor, form: ComposeForm) -> CostSummary:
    """The stored draft's estimate while the form equals it; otherwise the form's own values."""
    prices = cost_view.prices()
    if form.post_id is not None and not form.dirty:
        return cost_summary.saved_post_cost(session, actor, form.post_id, prices)
    assert form.opd_id is not None
    return cost_summary.draft_cost(session, actor, form.opd_id, form.draft_input(), prices)


def schedule_and_cost_section(actor: Actor, form: ComposeForm) -> None:
    st.subheader("Jadwal dan biaya")
    bound(
        form,
        "planned_on",
        st.date_input,
        "Tanggal tayang yang diinginkan (WIB, opsional)",
        min_value=utcnow().astimezone(WIB).date() if form.planned_on is None else None,
        format="DD/MM/YYYY",
        help="Usulan untuk PPID Utama, yang menetapkan waktu tayang saat menjadwalkan.",
    )
    with st.container(border=True):
        st.markdown("**Perkiraan biaya platform**")
        if not form.account_ids and not form.screen_ids:
            st.caption("Pilih kanal tujuan untuk melihat perkiraan biayanya.")
            return
        try:
            with resources.transaction() as session:
                summary = load_cost(session, actor, form)
        except DomainError as exc:  # the estimate must not cost the writer their form
            st.caption(f"Perkiraan biaya belum dapat dihitung: {md(exc.message)}")
            return
        cost_view.estimate(summary)


def upload(actor: Actor, form: ComposeForm) -> None:
    file = st.file_uploader(
        "Unggah foto (JPEG, PNG, WebP atau HEIC)",
        type=ACCEPTED_TYPES,
        key=form.key(f"upload_{form.upload_round}"),
        max_upload_size=resources.upload_megabytes(),
    )
    if file is None:
        return
    data, name = file.getvalue(), file.name

    def store(session: Session) -> PhotoDraft:
        media = store_upload(
            session, actor, resources.store(), data, filename=name, limits=resources.limits()
        )
        return PhotoDraft(media.id, media.sha256, media.extension, media.original_name)

    stored = attempt(store)
    form.upload_round += 1  # a fresh uploader: the same file is not stored again on rerun
    if stored is not None and all(p.media_id != stored.media_id for p in form.photos):
        form.photos.append(stored)
    st.rerun()


def photos_section(actor: Actor, form: ComposeForm, screened: Screened) -> None:
    st.subheader("Foto")
    upload(actor, form)
    store = resources.store()
    for index, photo in enumerate(form.photos):
        left, right = st.columns([1, 2])
        left.image(store.get(photo.sha256, photo.extension), width=220)
        with right:
            key = form.key(f"alt_{photo.media_id}")
            if key not in st.session_state:
                st.session_state[key] = photo.alt_text
            st.text_input(
                f"Teks alternatif foto {index + 1} (wajib)",
                key=key,
                on_change=_set_alt,
                args=(photo, key),
                help="Menggambarkan isi foto bagi pembaca layar.",
            )
            if not photo.alt_text.strip():
                st.caption(":orange[Teks alternatif belum diisi.]")
            screened.show(f"alt foto {index + 1}")
            screened.show(f"nama berkas foto {index + 1}")
            st.button(
                "Hapus foto",
                key=form.key(f"remove_{photo.media_id}"),
                on_click=_remove_photo,
                args=(form, photo.media_id),
            )


def refusals_section(actor: Actor, form: ComposeForm, ctx: Context) -> None:
    """Per chosen target, what its platform would refuse; the fix where the app has one."""
    st.subheader("Yang akan ditolak platform")
    if not ctx.refusals:
        st.caption("Pilih kanal tujuan untuk memeriksa aturan tiap platform.")
        return
    refused = [r for r in ctx.refusals if r.problems]
    if not refused:
        st.success("Semua kanal tujuan menerima konten ini.")
        return
    st.caption("PPID Utama tidak dapat menyetujui konten yang akan ditolak platform.")
    offered: set[int] = set()
    for target in refused:
        st.markdown(f"**{md(ctx.label_of(target))}**")
        for problem in target.problems:
            st.warning(problem.message)
            index = problem.photo_index
            if problem.fix != PAD or index is None or index >= len(form.photos):
                continue
            media_id = form.photos[index].media_id
            if media_id in offered:
                continue
            offered.add(media_id)
            st.button(
                "Pakai versi berbingkai",
                key=form.key(f"pad_{media_id}"),
                on_click=_use_framed,
                args=(actor, form, media_id),
                help="Foto diletakkan utuh di atas bingkai dengan rasio yang diterima (JPEG); "
                "tidak ada bagian foto yang terpotong.",
            )


# --- actions ----------------------------------------------------------------------------------


def save(actor: Actor, form: ComposeForm) -> bool:
    def act(session: Session) -> tuple[int, int, PostStatus]:
        if form.post_id is None:
            assert form.opd_id is not None
            post = create_draft(session, actor, form.opd_id, form.draft_input())
        else:
            post = update_draft(session, actor, form.post_id, form.draft_input(), form.version)
        session.flush()
        return post.id, post.version, post.status

    saved = attempt(act)
    if saved is not None:
        form.mark_saved(*saved)
    return saved is not None


def submit(actor: Actor, form: ComposeForm, override: str | None) -> str | None:
    """Submit the form's post; the sentence to show (who signs it off first), or None."""
    if (form.dirty or form.post_id is None) and not save(actor, form):
        return None
    assert form.post_id is not None
    post_id, version = form.post_id, form.version

    def act(session: Session) -> str:
        post = workflow.submit(
            session,
            actor,
            post_id,
            expected_version=version,
            override_reason=override,
            policy=resources.policy(),
        )
        return workflow.submitted_sentence(post)

    return attempt(act)


def actions(actor: Actor, form: ComposeForm, flagged: list[ScreenedText]) -> None:
    if flagged:
        st.caption(
            f"Penyaringan data pribadi dan DIK: temuan pada {len(flagged)} isian, "
            "ditampilkan di bawah isian masing-masing."
        )
    else:
        st.success("Penyaringan data pribadi dan DIK: tidak ada temuan.")
    override = None
    blocking = any(f.blocking for s in flagged for f in s.findings)
    if blocking and can(actor, Action.OVERRIDE_SCREENING):
        override = st.text_input("Alasan mengabaikan temuan (PPID Utama)", key=form.key("override"))
    left, right = st.columns(2)
    if left.button("Simpan draf", key=form.key("save"), icon=":material/save:"):
        if save(actor, form):
            flash("success", f"Draf #{form.post_id} tersimpan.")
        st.rerun()
    if right.button("Ajukan untuk persetujuan", key=form.key("submit"), type="primary"):
        sentence = submit(actor, form, override or None)
        if sentence:
            flash("success", sentence)
            compose_state.put(compose_state.blank(form.opd_id))
        st.rerun()


def main() -> None:
    actor = auth.require_page(Action.WRITE_POST)
    form = compose_state.current() or compose_state.put(compose_state.blank(actor.opd_id))
    ctx = read(lambda session: load_context(session, actor, form))
    if not ctx.opds:
        st.error("Akun Anda belum terikat pada OPD; hubungi administrator sistem.")
        st.stop()
    header(form)
    review_note(form)
    notice = st.empty()
    choose_opd(form, ctx)
    screened = screen(form, ctx)
    photos_section(actor, form, screened)
    caption_section(form, screened)
    targets_section(form, ctx)
    channel_tabs(form, ctx, screened)
    refusals_section(actor, form, ctx)
    schedule_and_cost_section(actor, form)
    actions(actor, form, screened.flagged)
    if form.dirty:
        notice.warning("Ada perubahan belum disimpan.", icon=":material/edit:")
    compose_state.unload_guard(form.dirty)


main()
