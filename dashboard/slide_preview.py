"""The videotron slide preview in the composer and the queue: the slide exactly as the worker's
renderer will make it (cached by everything that changes the picture), or its sentence why not."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import streamlit as st

from content.infra.errors import DomainError
from content.infra.store import BlobStore
from publishers.videotron import render_slide

log = logging.getLogger("siaran.dashboard")


@dataclass(frozen=True)
class Preview:
    image: bytes | None = None
    note: str | None = None  # why there is no image (one sentence)


@st.cache_data(max_entries=64, show_spinner=False)
def _render(
    _store: BlobStore,
    *,
    sha256: str,
    extension: str,
    headline: str,
    size: tuple[int, int],
    opd: str,
    day: date,
) -> bytes:
    """Cached by everything that changes the picture (the photo by its hash)."""
    # Not part of the cache key (leading underscore): a content address names the same bytes
    # in every store.
    photo = _store.get(sha256, extension)
    result = render_slide(photo, headline, size=size, opd=opd, date=day)
    return bytes(result)


def slide_preview(
    store: BlobStore,
    *,
    sha256: str,
    extension: str,
    headline: str,
    size: tuple[int, int],
    opd: str,
    day: date,
) -> Preview:
    """The slide exactly as the renderer will make it, or the renderer's own sentence why not."""
    try:
        image = _render(
            store,
            sha256=sha256,
            extension=extension,
            headline=headline,
            size=size,
            opd=opd,
            day=day,
        )
        return Preview(image)
    except DomainError as exc:  # the renderer's refusals (headline cannot fit, photo unreadable)
        return Preview(note=exc.message)
    except (TypeError, ValueError, OSError):
        log.exception("slide preview failed")
        return Preview(note="Pratinjau videotron tidak dapat dibuat saat ini.")
