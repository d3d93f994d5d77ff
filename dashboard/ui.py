"""Small pieces every page uses: messages that survive a rerun, domain errors as one sentence,
escaping of user text, labels, and next/previous paging."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any, Literal, TypeVar

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from content.formats import MISSING
from content.infra.errors import DomainError
from content.labels import CHANNEL_LABELS, POST_STATUS_LABELS
from content.models import Account, PostStatus, Screen
from dashboard.resources import transaction

T = TypeVar("T")
Kind = Literal["success", "info", "warning", "error"]
FLASH_KEY = "siaran_flash"
log = logging.getLogger("siaran.dashboard")

TRAINING = "mode latihan"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$:=])")


def md(text: str) -> str:
    """User text made literal inside Markdown: every punctuation mark that Markdown (or
    Streamlit's :color[...] and :emoji: extensions) could read is backslash-escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def status_label(status: PostStatus) -> str:
    return POST_STATUS_LABELS[status]


def account_label(account: Account) -> str:
    label = f"{CHANNEL_LABELS[account.kind]} · {account.display_name} ({account.handle})"
    return f"{label} — {TRAINING}" if account.is_simulator else label


def screen_label(screen: Screen) -> str:
    return f"Videotron · {screen.name} ({screen.width}×{screen.height})"


def without_gaps(data: Any) -> Any:
    """A table's rows with "–" where a value is missing (a table never reads "None" or "nan");
    columns without a gap keep their type. A styled table formats its own cells."""
    if isinstance(data, Styler):
        return data
    frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(data)
    gaps = [c for c in frame.columns if frame[c].isna().any()]
    if not gaps:
        return frame
    frame = frame.copy()
    for column in gaps:
        frame[column] = frame[column].astype(object).where(frame[column].notna(), MISSING)
    return frame


def data_table(data: Any, **kw: Any) -> Any:
    """`st.dataframe` for every page: gaps read "–"."""
    return st.dataframe(without_gaps(data), **kw)


def flash(kind: Kind, message: str) -> None:
    """A message shown at the top of the next render (callbacks run before it)."""
    st.session_state.setdefault(FLASH_KEY, []).append((kind, message))


def show_flash() -> None:
    shown = {"success": st.success, "info": st.info, "warning": st.warning, "error": st.error}
    for kind, message in st.session_state.pop(FLASH_KEY, []):
        shown[kind](message)


def attempt(
    action: Callable[[Session], T], *, done: str | None = None, prefix: str = ""
) -> T | None:
    """Run one user action in its own transaction. A domain error (not allowed, wrong state,
    changed by someone else) becomes its one sentence in a flash message, and nothing lands."""
    try:
        with transaction() as session:
            result = action(session)
    except DomainError as exc:
        # Sentences may quote user text (a headline, a NIK): shown literally, never as Markdown.
        flash("error", prefix + md(exc.message))
        return None
    except OperationalError:
        log.exception("database unavailable")
        flash("error", "Basis data tidak dapat dihubungi; coba lagi sebentar lagi.")
        return None
    except SQLAlchemyError:
        log.exception("database refused an action")
        flash("error", "Basis data menolak perubahan ini; muat ulang halaman lalu coba lagi.")
        return None
    if done:
        flash("success", done)
    return result


def read(loader: Callable[[Session], T]) -> T:
    """Load what a page shows in one short transaction; a refusal stops the page with its
    sentence (nothing else of the page is drawn)."""
    try:
        with transaction() as session:
            return loader(session)
    except DomainError as exc:
        st.error(md(exc.message))
        st.stop()


def pager(key: str, has_next: bool) -> None:
    """Previous / next buttons for a list paged without counting the whole table."""
    page = current_page(key)
    left, middle, right = st.columns([1, 2, 1])
    left.button(
        "← Sebelumnya",
        key=f"{key}_prev",
        disabled=page <= 1,
        on_click=_set_page,
        args=(key, page - 1),
    )
    middle.caption(f"Halaman {page}")
    right.button(
        "Berikutnya →",
        key=f"{key}_next",
        disabled=not has_next,
        on_click=_set_page,
        args=(key, page + 1),
    )


def current_page(key: str) -> int:
    return int(st.session_state.get(f"{key}_page", 1))


def reset_page(key: str) -> None:
    st.session_state[f"{key}_page"] = 1


def _set_page(key: str, page: int) -> None:
    st.session_state[f"{key}_page"] = max(1, page)


def on_filter_change(key: str) -> Callable[[], None]:
    """A callback for filter widgets: a new filter starts at page one."""
    return lambda: reset_page(key)


# --- asking once before what cannot be undone ------------------------------------------------


def _asking_key(key: str) -> str:
    return f"{key}_asking"


def ask_first(key: str) -> None:
    """A button callback: the next render shows `confirmation(key, …)` instead of acting."""
    st.session_state[_asking_key(key)] = True


def _answer(key: str, on_yes: Callable[..., object] | None, args: tuple[object, ...]) -> None:
    st.session_state.pop(_asking_key(key), None)
    if on_yes is not None:
        on_yes(*args)


def confirmation(
    key: str,
    message: str,
    yes_label: str,
    on_yes: Callable[..., object],
    args: tuple[object, ...] = (),
) -> None:
    """Once `ask_first(key)` ran: say what will happen (`message`, markdown) and act only on
    "yes"; "Batal" drops the question. Nothing is drawn while nobody asked."""
    if not st.session_state.get(_asking_key(key)):
        return
    with st.container(border=True, key=f"{key}_confirm"):
        st.warning(message, icon=":material/warning:")
        yes, no = st.columns(2)
        yes.button(
            yes_label, key=f"{key}_yes", type="primary", on_click=_answer, args=(key, on_yes, args)
        )
        no.button("Batal", key=f"{key}_no", on_click=_answer, args=(key, None, ()))
