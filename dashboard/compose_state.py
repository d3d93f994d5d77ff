"""The compose form as plain data kept in the browser session, so a draft survives switching
pages (Streamlit forgets a widget's value once its page is left), knows whether it differs from
what was last saved, and turns into a `DraftInput` for the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import streamlit as st

from content.editorial.posts import DraftInput, PhotoInput
from content.models import Channel, Decision, KipCategory, PostStatus
from content.models.enums import SOCIAL_CHANNELS
from dashboard.views import PostView, ReviewView

FORM_KEY = "siaran_compose"


@dataclass
class PhotoDraft:
    media_id: int
    sha256: str
    extension: str
    name: str
    alt_text: str = ""


@dataclass
class ComposeForm:
    opd_id: int | None = None
    post_id: int | None = None
    version: int | None = None
    status: PostStatus | None = None
    caption: str = ""
    link: str = ""
    headline: str = ""
    kip: KipCategory = KipCategory.BERKALA
    planned_on: date | None = None  # the day the author wishes it out (WIB)
    account_ids: list[int] = field(default_factory=list)
    screen_ids: list[int] = field(default_factory=list)
    # Per-channel text that replaces the caption; a channel absent here inherits the caption.
    texts: dict[Channel, str] = field(default_factory=dict)
    photos: list[PhotoDraft] = field(default_factory=list)
    # Widget keys carry the generation: a replaced form gets fresh widgets.
    generation: int = 0
    upload_round: int = 0
    saved: tuple[Any, ...] | None = None
    # The reviewer's last word on a returned post ("Perlu perbaikan"), shown while fixing it.
    review: ReviewView | None = None

    def key(self, name: str) -> str:
        return f"cf{self.generation}_{name}"

    def fingerprint(self) -> tuple[Any, ...]:
        """Everything a save would store, normalised as the services normalise it."""
        return (
            self.opd_id,
            self.caption,
            self.link.strip(),
            " ".join(self.headline.split()),
            self.kip,
            self.planned_on,
            tuple(sorted(self.account_ids)),
            tuple(sorted(self.screen_ids)),
            tuple(sorted((c.value, t) for c, t in self.texts.items())),
            tuple((p.media_id, p.alt_text.strip()) for p in self.photos),
        )

    @property
    def dirty(self) -> bool:
        return self.fingerprint() != self.saved

    def mark_saved(self, post_id: int, version: int, status: PostStatus) -> None:
        self.post_id, self.version, self.status = post_id, version, status
        self.saved = self.fingerprint()

    def draft_input(self) -> DraftInput:
        return DraftInput(
            caption=self.caption,
            link=self.link,
            headline=self.headline,
            kip_category=self.kip,
            account_ids=list(self.account_ids),
            screen_ids=list(self.screen_ids),
            texts={c: t for c, t in self.texts.items() if c in SOCIAL_CHANNELS},
            photos=[PhotoInput(p.media_id, p.alt_text) for p in self.photos],
            planned_on=self.planned_on,
        )


def from_post(post: PostView) -> ComposeForm:
    form = ComposeForm(
        opd_id=post.opd_id,
        caption=post.caption,
        link=post.link,
        headline=post.headline,
        kip=post.kip,
        planned_on=post.planned_on,
        account_ids=[t.account_id for t in post.targets if t.account_id is not None],
        screen_ids=[t.screen_id for t in post.targets if t.screen_id is not None],
        texts={
            t.channel: t.text_override
            for t in post.targets
            if t.text_override is not None and t.channel in SOCIAL_CHANNELS
        },
        photos=[
            PhotoDraft(p.media_id, p.sha256, p.extension, p.name, p.alt_text) for p in post.photos
        ],
    )
    last = post.last_review
    if (
        post.status is PostStatus.CHANGES_REQUESTED
        and last
        and last.decision is Decision.REQUEST_CHANGES
    ):
        form.review = last
    form.mark_saved(post.id, post.version, post.status)
    return form


def blank(opd_id: int | None) -> ComposeForm:
    form = ComposeForm(opd_id=opd_id)
    form.saved = form.fingerprint()
    return form


def current() -> ComposeForm | None:
    form = st.session_state.get(FORM_KEY)
    return form if isinstance(form, ComposeForm) else None


def put(form: ComposeForm) -> ComposeForm:
    """Make `form` the one being edited, with widgets of a new generation."""
    previous = current()
    form.generation = (previous.generation + 1) if previous else 0
    st.session_state[FORM_KEY] = form
    return form


def has_unsaved() -> bool:
    form = current()
    return form is not None and form.dirty


_GUARD = """<script>
window.onbeforeunload = %s;
</script>"""
_WARN = 'function (event) { event.preventDefault(); event.returnValue = ""; return ""; }'


def unload_guard(dirty: bool) -> None:
    """While the form has unsaved changes, closing or reloading the tab asks first (the browser's
    own beforeunload dialog). A fixed script: no user text goes into it."""
    st.html(_GUARD % (_WARN if dirty else "null"), unsafe_allow_javascript=True)
