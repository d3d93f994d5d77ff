"""Reading what an AppTest run shows, as a person would read the page."""

from __future__ import annotations

import re

from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from dashboard.auth import AUTH_KEY, SignedIn

TEXT_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "text",
    "code",
    "html",
    "error",
    "warning",
    "info",
    "success",
)


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_read(markdown: str) -> str:
    """Markdown source as a person reads it: the escapes that keep user text literal vanish."""
    return _ESCAPED.sub(r"\1", markdown).replace("  \n", "\n")


def visible_text(at: AppTest) -> str:
    """Every text element, table and button label of the last run, one per line."""
    parts: list[str] = []
    for name in TEXT_ELEMENTS:
        parts += [as_read(str(element.value)) for element in getattr(at, name)]
    parts += [table.value.to_string() for table in at.dataframe]
    parts += [button.label for button in at.button]
    parts += [expander.label for expander in at.expander]
    return "\n".join(parts)


def messages(at: AppTest, kind: str) -> list[str]:
    return [as_read(str(element.value)) for element in getattr(at, kind)]


def page_titles(at: AppTest) -> list[str]:
    """The pages of the navigation the last run registered (what the menu lists). The hidden
    addresses that only lead elsewhere (dashboard/navigation.py) are functions, not page files;
    before sign-in every address is the sign-in form, listed once."""
    pages = list(at._registered_pages.values())
    files = [str(info.get("page_name")) for info in pages if info.get("script_path")]
    return files or list(dict.fromkeys(str(info.get("page_name")) for info in pages))


def actor_of(at: AppTest) -> SignedIn:
    signed = at.session_state[AUTH_KEY]
    assert isinstance(signed, SignedIn)
    return signed


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    """The one button with this label (a test fails loudly when there are several)."""
    found = [b for b in at.button if b.label == label]
    assert len(found) == 1, f"{len(found)} buttons labelled {label!r}"
    return found[0]


def download(at: AppTest, media: list[MediaFileManager], key: str) -> tuple[str, bytes]:
    """The file name and bytes a click on this download button would fetch (a deferred one is
    generated now, as the browser's click would)."""
    proto = at.download_button(key=key).proto
    manager = media[-1]
    url = manager.execute_deferred(proto.deferred_file_id) if proto.deferred_file_id else proto.url
    assert url, key
    file = manager._storage.get_file(url.rsplit("/", 1)[-1])  # type: ignore[attr-defined]
    return str(file.filename), bytes(file.content)
