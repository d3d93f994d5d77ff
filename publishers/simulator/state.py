"""Everything the simulator remembers: posts, media, containers, its clock, the request log.

One lock guards it all (calls are short). Posts survive a restart when `[simulator] state_file`
is set; faults, the log and the meter do not.
"""

from __future__ import annotations

import itertools
import json
import os
import tempfile
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import Collection, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from publishers.simulator.faults import FaultBook
from publishers.simulator.meter import Meter

DAY = 86_400.0


@dataclass
class XPost:
    id: str
    text: str  # as X shows it: URLs as t.co, a t.co link per photo appended
    raw_text: str
    author_id: str
    created_at: float
    media_ids: list[str] = field(default_factory=list)
    has_url: bool = False
    mentions: list[str] = field(default_factory=list)  # user ids it mentions
    author_username: str = ""
    in_reply_to: str | None = None


@dataclass
class XMedia:
    id: str
    media_key: str
    owner: str
    size: int
    mime: str
    width: int
    height: int
    alt_text: str = ""


@dataclass
class FbPost:
    id: str
    page_id: str
    message: str
    created_at: float
    link: str = ""
    photo_ids: list[str] = field(default_factory=list)


@dataclass
class FbPhoto:
    id: str
    page_id: str
    published: bool
    created_at: float
    message: str = ""
    alt_text: str = ""
    post_id: str | None = None
    size: int = 0


@dataclass
class IgContainer:
    id: str
    ig_user_id: str
    created_at: float
    media_type: str = "IMAGE"
    image_url: str = ""
    caption: str = ""
    alt_text: str = ""
    is_carousel_item: bool = False
    children: list[str] = field(default_factory=list)
    status_code: str = "IN_PROGRESS"
    status: str = "In Progress"


@dataclass
class IgMedia:
    id: str
    ig_user_id: str
    caption: str
    created_at: float
    media_type: str = "IMAGE"
    shortcode: str = ""
    children: list[str] = field(default_factory=list)
    alt_texts: list[str] = field(default_factory=list)

    @property
    def permalink(self) -> str:
        return f"https://www.instagram.com/p/{self.shortcode}/"


@dataclass
class FbComment:
    """A comment (or a reply, with `parent_id`) on a Facebook post or Instagram media."""

    id: str
    object_id: str  # the Page post or IG media it is under
    message: str
    from_id: str
    from_name: str
    created_at: float
    parent_id: str | None = None
    is_hidden: bool = False
    platform: str = "facebook"  # or "instagram"


@dataclass
class WpMedia:
    """An attachment uploaded to the WordPress site (`POST /wp-json/wp/v2/media`)."""

    id: str
    user: str
    filename: str
    mime: str
    size: int
    alt_text: str
    created_at: float


@dataclass
class WpPost:
    """A WordPress post; `status` "trash" once withdrawn (moved to the trash, not deleted)."""

    id: str
    user: str
    slug: str
    title: str
    content: str  # HTML as sent
    status: str
    created_at: float
    featured_media: int = 0
    categories: list[int] = field(default_factory=list)
    tags: list[int] = field(default_factory=list)


@dataclass
class WpTerm:
    """A category or tag (`taxonomy` "category" or "post_tag")."""

    id: str
    taxonomy: str
    name: str
    slug: str


@dataclass
class SimConfig:
    ig_processing_seconds: float = 0.05
    ig_quota_total: int = 100
    ig_fetch_timeout: float = 10.0
    token_expires_in: int | None = None  # seconds; None: page tokens that never expire
    # Meta often accepts the same Page message twice (then a blind retry shows as a 2nd post).
    graph_accepts_duplicates: bool = False
    token_scopes: list[str] = field(
        default_factory=lambda: [
            "pages_manage_posts",
            "pages_read_engagement",
            "read_insights",
            "instagram_basic",
            "instagram_content_publish",
            "instagram_manage_insights",
        ]
    )

    def update(self, values: Mapping[str, Any]) -> None:
        for name, value in values.items():
            if name not in self.__dataclass_fields__:
                raise ValueError(f"unknown setting {name}")
            setattr(self, name, value)


@dataclass
class LogEntry:
    seq: int
    at: float
    platform: str
    method: str
    path: str
    route: str
    status: int = 0
    fault: str | None = None
    batch_size: int | None = None


class SimState:
    def __init__(
        self,
        state_file: Path | None = None,
        meter: Meter | None = None,
        image_origins: Collection[str] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        # Where an Instagram container may fetch its image_url from (scheme://host:port);
        # None: loopback addresses only (tests and benches that serve their own photos).
        self.image_origins = None if image_origins is None else frozenset(image_origins)
        self.state_file = state_file
        self.meter = meter or Meter()
        self.faults = FaultBook()
        self.config = SimConfig()
        self.offset = 0.0
        self._ids = itertools.count(1)
        self._seq = itertools.count(1)
        self.log: deque[LogEntry] = deque(maxlen=10_000)
        self.counts: Counter[str] = Counter()
        self.x_posts: dict[str, XPost] = {}
        self.x_media: dict[str, XMedia] = {}
        self.fb_posts: dict[str, FbPost] = {}
        self.fb_photos: dict[str, FbPhoto] = {}
        self.ig_containers: dict[str, IgContainer] = {}
        self.ig_media: dict[str, IgMedia] = {}
        self.comments: dict[str, FbComment] = {}
        self.wp_posts: dict[str, WpPost] = {}
        self.wp_media: dict[str, WpMedia] = {}
        self.wp_terms: dict[str, WpTerm] = {}
        self.load()

    # --- time and ids ---------------------------------------------------------------------

    def now(self) -> float:
        """Simulated epoch seconds: real time plus whatever /_sim/clock advanced."""
        return time.time() + self.offset

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    def followers_of(self, account: str) -> int:
        """An account's followers: a number of its own (from its id) growing by a few a
        simulated day, so a daily reading shows growth."""
        seed = zlib.crc32(account.encode())
        day = int(self.now() // 86_400) - 20_000  # days since mid-2024
        return 1_000 + seed % 9_000 + max(0, day) * (1 + seed % 5)

    def next_id(self, base: int) -> str:
        return str(base + next(self._ids))

    # --- request log ----------------------------------------------------------------------

    def record(self, platform: str, method: str, path: str, route: str) -> LogEntry:
        with self.lock:
            entry = LogEntry(next(self._seq), self.now(), platform, method, path, route)
            self.log.append(entry)
            self.counts[f"{method} {route}"] += 1
            return entry

    def requests(
        self, platform: str | None = None, method: str | None = None, path: str | None = None
    ) -> list[dict[str, Any]]:
        with self.lock:
            return [
                asdict(e)
                for e in self.log
                if (platform is None or e.platform == platform)
                and (method is None or e.method == method.upper())
                and (path is None or path in {e.path, e.route})
            ]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()
            self.counts.clear()

    # --- lifecycle ------------------------------------------------------------------------

    def reset(self) -> None:
        with self.lock:
            for store in self._stores().values():
                store.clear()
            self.faults.clear()
            self.meter.reset()
            self.clear_log()
            self.config = SimConfig()
            self.offset = 0.0
            self.save()

    def _stores(self) -> dict[str, dict[str, Any]]:
        return {
            "x_posts": self.x_posts,
            "x_media": self.x_media,
            "fb_posts": self.fb_posts,
            "fb_photos": self.fb_photos,
            "ig_containers": self.ig_containers,
            "ig_media": self.ig_media,
            "comments": self.comments,
            "wp_posts": self.wp_posts,
            "wp_media": self.wp_media,
            "wp_terms": self.wp_terms,
        }

    def save(self) -> None:
        if self.state_file is None:
            return
        with self.lock:
            data: dict[str, Any] = {
                name: [asdict(item) for item in store.values()]
                for name, store in self._stores().items()
            }
            data["next_id"] = next(self._ids)
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.state_file.parent, prefix=".sim-")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(tmp, self.state_file)

    def load(self) -> None:
        if self.state_file is None or not self.state_file.is_file():
            return
        data = json.loads(self.state_file.read_text(encoding="utf-8"))
        kinds = {
            "x_posts": XPost,
            "x_media": XMedia,
            "fb_posts": FbPost,
            "fb_photos": FbPhoto,
            "ig_containers": IgContainer,
            "ig_media": IgMedia,
            "comments": FbComment,
            "wp_posts": WpPost,
            "wp_media": WpMedia,
            "wp_terms": WpTerm,
        }
        stores = self._stores()
        for name, kind in kinds.items():
            for raw in data.get(name, []):
                item = kind(**raw)
                stores[name][item.id] = item
        start = int(data.get("next_id") or 1)
        self._ids = itertools.count(start)
