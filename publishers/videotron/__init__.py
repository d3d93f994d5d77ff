"""Videotron slides: rendering (Pillow) and publishing them to a screen's playlist.

from publishers.videotron import render_slide
png_or_jpeg = render_slide(photo_bytes_or_path, "Posyandu serentak pekan ini",
                           size=(1408, 400), opd="Dinas Kesehatan", date=date.today())
"""

from publishers.videotron.cache import (
    DirectoryRenderCache,
    MemoryRenderCache,
    RenderCache,
    Rendered,
    render_cached,
)
from publishers.videotron.errors import (
    HeadlineDoesNotFit,
    PhotoUnreadable,
    QrDoesNotFit,
    SlideError,
    UnsupportedCharacters,
)
from publishers.videotron.layout import DARK, EMERGENCY, Theme, min_cap_rows
from publishers.videotron.publish import (
    feed_base_url,
    publish_slide,
    push_emergency,
    render_target,
    slide_url,
)
from publishers.videotron.render import compose, render_slide

__all__ = [
    "DARK",
    "EMERGENCY",
    "DirectoryRenderCache",
    "HeadlineDoesNotFit",
    "MemoryRenderCache",
    "PhotoUnreadable",
    "QrDoesNotFit",
    "RenderCache",
    "Rendered",
    "SlideError",
    "Theme",
    "UnsupportedCharacters",
    "compose",
    "feed_base_url",
    "min_cap_rows",
    "publish_slide",
    "push_emergency",
    "render_cached",
    "render_slide",
    "render_target",
    "slide_url",
]
