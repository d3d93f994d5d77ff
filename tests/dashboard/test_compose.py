"""Tulis konten: upload with alt text, live counters, channel texts inheriting the caption,
screening findings drawn on the text (escaped), the slide preview, save, submit, and a draft
that is never lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from streamlit.testing.v1 import AppTest

from content import formats
from content.labels import CITY_ACCOUNT
from content.models import Channel, Post, PostStatus
from content.org import screens
from content.org.actors import SYSTEM, Actor
from dashboard import navigation
from dashboard.compose_state import FORM_KEY, ComposeForm
from tests.dashboard.conftest import AppWorld
from tests.dashboard.helpers import button, messages, visible_text
from tests.world import World, jpeg

SignIn = Callable[[Actor | str], AppTest]
PHONE_CAPTION = "Posyandu serentak pekan ini. Info: 0812-3456-7890 <b>tebal</b>"
CLEAN_CAPTION = "Posyandu serentak pekan ini. Info: call center 1500-444."


def form_of(at: AppTest) -> ComposeForm:
    form = at.session_state[FORM_KEY]
    assert isinstance(form, ComposeForm)
    return form


def field(at: AppTest, name: str) -> Any:
    """The widget bound to one form field (keys carry the form's generation)."""
    key = form_of(at).key(name)
    for kind in ("text_area", "text_input", "multiselect", "radio", "selectbox"):
        for widget in getattr(at, kind):
            if widget.key == key:
                return widget
    raise AssertionError(f"no widget for {name}")


def fill_post(at: AppTest, world: World, caption: str) -> AppTest:
    field(at, "caption").input(caption).run()
    field(at, "account_ids").set_value([world.x_account, world.ig_account]).run()
    field(at, "screen_ids").set_value([world.screen_id]).run()
    field(at, "headline").input("Posyandu serentak pekan ini").run()
    at.file_uploader[0].upload("posyandu.jpg", jpeg(), "image/jpeg").run()
    photo = form_of(at).photos[0]
    alt = next(w for w in at.text_input if w.key == form_of(at).key(f"alt_{photo.media_id}"))
    alt.input("Kader posyandu menimbang balita").run()
    return at


def stored(app_world: AppWorld, post_id: int) -> Post:
    with app_world.session() as session:
        post = session.get(Post, post_id)
        assert post is not None
        return post


def test_compose_upload_finding_save_and_submit(app_world: AppWorld, sign_in: SignIn) -> None:
    world = app_world.world
    at = fill_post(sign_in(world.pembantu), world, PHONE_CAPTION)
    assert not at.exception
    form = form_of(at)
    assert [p.alt_text for p in form.photos] == ["Kader posyandu menimbang balita"]
    assert len(at.image) >= 2  # the photo and the slide preview
    # The finding is drawn on the exact span, and the user's own markup stays text.
    drawn = "\n".join(h.value for h in at.html)
    assert ">0812-3456-7890</mark>" in drawn and "&lt;b&gt;tebal&lt;/b&gt;" in drawn
    assert "<b>tebal</b>" not in drawn and "Nomor ponsel adalah data pribadi" in drawn
    assert "Ada perubahan belum disimpan." in messages(at, "warning")
    assert "window.onbeforeunload = function" in drawn

    button(at, "Simpan draf").click().run()
    form = form_of(at)
    assert form.post_id is not None and not form.dirty
    assert f"Draf #{form.post_id} tersimpan." in messages(at, "success")
    assert "window.onbeforeunload = null" in "\n".join(h.value for h in at.html)

    button(at, "Ajukan untuk persetujuan").click().run()
    refused = messages(at, "error")
    assert len(refused) == 1 and refused[0].startswith("Penyaringan menahan konten ini: Nomor")
    assert stored(app_world, form.post_id).status is PostStatus.DRAFT

    field(at, "caption").input(CLEAN_CAPTION).run()
    assert "Penyaringan data pribadi dan DIK: tidak ada temuan." in messages(at, "success")
    button(at, "Ajukan untuk persetujuan").click().run()
    assert f"Konten #{form.post_id} diajukan ke PPID Utama (kota)." in messages(at, "success")
    post = stored(app_world, form.post_id)
    assert post.status is PostStatus.SUBMITTED and post.caption == CLEAN_CAPTION
    assert form_of(at).post_id is None  # a fresh form for the next post


def test_counters_follow_each_platforms_rules(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.pembantu)
    caption = "Info 👍 https://dinkes.bekasikota.go.id/jadwal/posyandu/serentak " + "#Bekasi " * 31
    field(at, "caption").input(caption).run()
    shown = "\n".join(messages(at, "caption") + messages(at, "error"))
    # X: "Info " 5 + emoji 2 + space 1 + URL 23 + the hashtags; Instagram counts characters.
    x_count = 5 + 2 + 1 + 23 + len(" " + "#Bekasi " * 31)
    assert f"{x_count} / 280 karakter (hitungan X" in shown
    assert f"{len(caption)} / 2.200 karakter · 31 / 30 tagar" in shown


def test_channel_texts_inherit_the_caption_until_edited(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = sign_in(app_world.world.pembantu)
    field(at, "caption").input("Teks pertama").run()
    x_text = next(w for w in at.text_area if w.label == "Teks untuk X")
    assert x_text.value == "Teks pertama"
    x_text.input("Khusus X").run()
    field(at, "caption").input("Teks kedua").run()
    texts = {w.label: w.value for w in at.text_area}
    assert texts["Teks untuk X"] == "Khusus X" and texts["Teks untuk Instagram"] == "Teks kedua"
    assert form_of(at).texts == {Channel.X: "Khusus X"}
    button(at, "Kembalikan ke keterangan utama").click().run()
    assert {w.label: w.value for w in at.text_area}["Teks untuk X"] == "Teks kedua"


def test_a_draft_survives_switching_pages(app_world: AppWorld, sign_in: SignIn) -> None:
    at = sign_in(app_world.world.pembantu)
    field(at, "caption").input("Belum disimpan").run()
    at.switch_page(navigation.MY_POSTS.path).run()
    assert any("belum disimpan" in w for w in messages(at, "warning"))
    assert "window.onbeforeunload = function" in "\n".join(h.value for h in at.html)
    at.switch_page(navigation.COMPOSE.path).run()
    assert field(at, "caption").value == "Belum disimpan"
    assert "Ada perubahan belum disimpan." in messages(at, "warning")


def test_an_upload_that_is_not_a_photo_gets_one_sentence(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = sign_in(app_world.world.pembantu)
    at.file_uploader[0].upload("bukan.jpg", b"ini bukan foto sama sekali", "image/jpeg").run()
    errors = messages(at, "error")
    assert len(errors) == 1 and "bukan foto" in errors[0]
    assert form_of(at).photos == []


def test_the_slide_preview_shows_the_renderers_refusal(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    small = app_world.run(
        lambda w: screens.add_screen(w.session, SYSTEM, slug="mini", name="Mini", size="96x32").id
    )
    world = app_world.world
    at = fill_post(sign_in(world.pembantu), world, CLEAN_CAPTION)
    field(at, "screen_ids").set_value([small]).run()
    field(at, "headline").input("Posyandu serentak di dua belas kecamatan pekan ini").run()
    assert any("terlalu panjang untuk lebar teks layar 96×32" in m for m in messages(at, "info"))


def test_editing_from_my_posts_saves_with_the_version_seen(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    post = app_world.run(lambda w: w.post_in(PostStatus.CHANGES_REQUESTED))
    assert isinstance(post, Post)
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.MY_POSTS.path).run()
    button(at, "Buka").click().run()
    assert "Tambahkan lokasi." in visible_text(at)  # the reviewer's comment
    button(at, "Ubah").click().run()
    assert at.title[0].value == "Tulis konten"
    # AppTest keeps requesting the page last named by at.switch_page; a browser stays here.
    at.switch_page(navigation.COMPOSE.path)
    assert field(at, "caption").value == post.caption and form_of(at).post_id == post.id
    field(at, "caption").input("Posyandu serentak di Balai RW 05, Sabtu 08.00 WIB.").run()
    # Someone else saves the same post first: this save must not overwrite it.
    app_world.run(lambda w: _touch(w, post.id))
    button(at, "Simpan draf").click().run()
    assert any("sudah diubah orang lain" in m for m in messages(at, "error"))
    assert stored(app_world, post.id).caption == "Diubah rekan."
    assert form_of(at).dirty  # the typed text is still there


def _touch(world: World, post_id: int) -> None:
    from content.editorial.posts import get_post, update_draft
    from dashboard.compose_state import from_post
    from dashboard.views import post_view

    post = get_post(world.session, world.pembantu2, post_id)
    data = from_post(post_view(post)).draft_input()
    data = type(data)(**{**data.__dict__, "caption": "Diubah rekan."})
    update_draft(world.session, world.pembantu2, post_id, data, post.version)


def test_resubmit_and_withdraw_from_my_posts(app_world: AppWorld, sign_in: SignIn) -> None:
    post = app_world.run(lambda w: w.post_in(PostStatus.CHANGES_REQUESTED))
    assert isinstance(post, Post)
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.MY_POSTS.path).run()
    at.radio(key="mp_group").set_value("Perlu perbaikan").run()
    assert at.radio(key="mp_group").format_func("Perlu perbaikan") == "Perlu perbaikan (1)"
    button(at, "Buka").click().run()
    button(at, "Ajukan ulang").click().run()
    assert f"Konten #{post.id} diajukan ke PPID Utama (kota)." in messages(at, "success")
    assert stored(app_world, post.id).status is PostStatus.SUBMITTED
    button(at, "Tarik pengajuan").click().run()
    assert stored(app_world, post.id).status is PostStatus.DRAFT
    history = at.dataframe[-1].value
    assert list(history["Peristiwa"])[-2:] == ["mengajukan", "menarik pengajuan"]


def test_my_posts_pages_through_the_opds_posts(app_world: AppWorld, sign_in: SignIn) -> None:
    ids = app_world.run(lambda w: [w.post_in(PostStatus.DRAFT).id for _ in range(23)])
    assert isinstance(ids, list)
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.MY_POSTS.path).run()
    first = [b.key for b in at.button if b.key and b.key.startswith("mp_open_")]
    button(at, "Berikutnya →").click().run()
    second = [b.key for b in at.button if b.key and b.key.startswith("mp_open_")]
    assert len(first) == 20 and len(second) == 3 and not set(first) & set(second)
    assert {int(k.removeprefix("mp_open_")) for k in first + second} == set(ids)


def _website(world: World) -> int:
    from content.org import accounts

    created = accounts.add_account(
        world.session,
        SYSTEM,
        world.box,
        kind="website",
        handle="dinkes.bekasikota.go.id",
        display_name="Website Dinkes",
        credentials={"username": "humas", "application_password": "abcd efgh ijkl"},
        settings={"site_url": "https://dinkes.bekasikota.go.id"},
        opd_slug="dinkes",
        is_simulator=True,
    )
    return created.id


def test_the_website_tab_has_a_title_and_shows_the_page_escaped(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    web = app_world.run(_website)
    at = sign_in(app_world.world.pembantu)
    assert "Website" in [tab.label for tab in at.tabs]
    field(at, "caption").input("Vaksin <gratis> & aman\nDatang pagi: https://dinkes.go.id").run()
    field(at, "account_ids").set_value([web]).run()
    assert "Website: judul belum diisi." in messages(at, "warning")
    title = next(w for w in at.text_input if w.label == "Judul untuk Website")
    title.input("Imunisasi <b>gratis</b>").run()
    # One headline: the videotron's field shows what was typed as the website's title.
    assert form_of(at).headline == "Imunisasi <b>gratis</b>"
    assert field(at, "headline").value == "Imunisasi <b>gratis</b>"
    page = "\n".join(h.value for h in at.html if "Imunisasi" in h.value)
    assert "<h3>Imunisasi &lt;b&gt;gratis&lt;/b&gt;</h3>" in page
    assert "Vaksin &lt;gratis&gt; &amp; aman<br />" in page
    assert '<a href="https://dinkes.go.id" rel="noopener">' in page
    assert "Website: judul belum diisi." not in messages(at, "warning")
    assert not at.exception


def _in_order(at: AppTest) -> list[str]:
    """What the page shows, top to bottom: widget labels and text, tabs' contents included."""
    shown: list[str] = []

    def walk(node: Any) -> None:
        label = getattr(node, "label", None)
        if isinstance(label, str) and label:
            shown.append(label)
        elif isinstance(getattr(node, "value", None), str):  # text, headings, alerts, html
            shown.append(node.value)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    return shown


def _index(shown: list[str], part: str) -> int:
    return next(i for i, text in enumerate(shown) if part in text)


def test_compose_follows_the_order_people_work_in(app_world: AppWorld, sign_in: SignIn) -> None:
    """Photo, then caption, then channels and their texts, then schedule and cost; each
    finding right under the field it concerns, quoting the text (no character offsets)."""
    world = app_world.world
    at = fill_post(sign_in(world.pembantu), world, PHONE_CAPTION)
    photo = form_of(at).photos[0]
    alt = next(w for w in at.text_input if w.key == form_of(at).key(f"alt_{photo.media_id}"))
    alt.input("Kader posyandu, hubungi 0813-1111-2222").run()
    assert not at.exception
    shown = _in_order(at)
    order = [
        "Unggah foto",
        "Teks alternatif foto 1",
        "Keterangan utama",
        "Akun media sosial",
        "Teks untuk X",
        "Judul slide videotron",
        "Jadwal dan biaya",
        "Perkiraan biaya platform",
        "Simpan draf",
    ]
    positions = [_index(shown, part) for part in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    # the alt text's finding sits between the alt text and the caption, the caption's between
    # the caption and the link
    alt_finding = _index(shown, ">0813-1111-2222</mark>")
    caption_finding = _index(shown, ">0812-3456-7890</mark>")
    assert positions[1] < alt_finding < positions[2]
    assert positions[2] < caption_finding < _index(shown, "Tautan (opsional)")
    assert "“0812-3456-7890”" in shown[caption_finding] and "karakter" not in shown[caption_finding]


def test_a_returned_post_shows_the_reviewers_comment_on_top(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    post = app_world.run(lambda w: w.post_in(PostStatus.CHANGES_REQUESTED))
    assert isinstance(post, Post)
    at = sign_in(app_world.world.pembantu)
    at.switch_page(navigation.MY_POSTS.path).run()
    button(at, "Buka").click().run()
    button(at, "Ubah").click().run()
    at.switch_page(navigation.COMPOSE.path).run()
    shown = _in_order(at)
    note = _index(shown, "Tambahkan lokasi")
    assert "Perlu perbaikan" in shown[note] and note < _index(shown, "Unggah foto")
    # a new post has no such note
    button(at, "Mulai konten baru").click().run()
    assert not any("Tambahkan lokasi" in text for text in _in_order(at))


def test_the_opds_own_accounts_come_first_and_city_accounts_are_marked(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    at = sign_in(app_world.world.pembantu)
    accounts = field(at, "account_ids")
    labels = list(accounts.options)  # as shown (format_func applied)
    city = [CITY_ACCOUNT in label for label in labels]
    assert any(city) and not all(city)
    assert city == sorted(city)  # own accounts (False) before the city's (True)


def test_the_wished_day_is_saved_and_shown_to_ppid_utama(
    app_world: AppWorld, sign_in: SignIn
) -> None:
    """The author's wish for the day it goes out is kept with the draft (not with its wording:
    the content hash does not change) and PPID Utama reads it where they schedule."""
    from datetime import timedelta

    from content.infra.timeutil import WIB, utcnow

    world = app_world.world
    at = fill_post(sign_in(world.pembantu), world, CLEAN_CAPTION)
    wished = utcnow().astimezone(WIB).date() + timedelta(days=5)
    picker = next(w for w in at.date_input if w.key == form_of(at).key("planned_on"))
    picker.set_value(wished).run()
    button(at, "Simpan draf").click().run()
    form = form_of(at)
    assert form.post_id is not None and not form.dirty
    post = stored(app_world, form.post_id)
    assert post.planned_on == wished
    before = post.content_hash
    picker = next(w for w in at.date_input if w.key == form_of(at).key("planned_on"))
    picker.set_value(wished + timedelta(days=1)).run()
    button(at, "Simpan draf").click().run()
    post = stored(app_world, form.post_id)
    assert post.planned_on == wished + timedelta(days=1) and post.content_hash == before

    button(at, "Ajukan untuk persetujuan").click().run()
    utama = sign_in(world.utama)
    utama.switch_page(navigation.APPROVALS.path).run()
    shown = "\n".join(c.value for c in utama.caption)
    assert f"Penulis mengusulkan tayang {formats.day(wished + timedelta(days=1))}." in shown
