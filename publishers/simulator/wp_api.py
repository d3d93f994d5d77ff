"""The WordPress REST API subset an OPD website speaks (WordPress >= 5.6, Application Passwords):

- `POST /wp-json/wp/v2/media` (multipart `file`, `alt_text`) -> 201 attachment
- `POST /wp-json/wp/v2/posts` (JSON title, content, status, slug, featured_media, categories,
  tags) -> 201 post with its public `link`; a slug already taken gets "-2" (as WordPress does)
- `GET /wp-json/wp/v2/posts?slug=` (published ones), `GET /wp-json/wp/v2/posts/<id>`
- `DELETE /wp-json/wp/v2/posts/<id>` without `force`: moved to the trash; 410
  `rest_already_trashed` the second time, 404 `rest_post_invalid_id` for an unknown id
- `GET|POST /wp-json/wp/v2/categories` and `/tags` (`?slug=`; a taken slug: 400 `term_exists`)
- `GET /wp-json/wp/v2/users/me?context=edit` with the user's capabilities

Any well-formed Basic header is accepted (as the X part accepts any OAuth header); faults on
platform "wp" give the refusals (401 bad password, 403 capability, 413 too large, 5xx).
Each published post has a public page at `/situs/<slug>/` (its `link`), so a live link opens.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Callable
from typing import Any

from publishers.simulator.calls import Answer, Call, graph_time
from publishers.simulator.state import SimState, WpMedia, WpPost, WpTerm

PREFIX = "/wp-json/wp/v2"
POST_ID_BASE = 5000
MEDIA_ID_BASE = 9000
TERM_ID_BASE = 100
CAPABILITIES = (
    "read",
    "edit_posts",
    "publish_posts",
    "delete_posts",
    "delete_published_posts",
    "upload_files",
    "manage_categories",
)
NO_ROUTE = "No route was found matching the URL and request method."
TAXONOMIES = {"categories": "category", "tags": "post_tag"}


def error(status: int, code: str, message: str, **data: Any) -> Answer:
    return status, {"code": code, "message": message, "data": {"status": status, **data}}, {}


def user_of(call: Call) -> str | None:
    """The user a Basic header names (any non-empty password is accepted)."""
    header = call.headers.get("authorization", "")
    if not header.lower().startswith("basic "):
        return None
    try:
        user, _, password = base64.b64decode(header[6:].strip()).decode().partition(":")
    except ValueError:
        return None
    return user if user and password else None


def public_link(base_url: str, slug: str) -> str:
    return f"{base_url}/situs/{slug}/"


def _post(call: Call, post: WpPost) -> dict[str, Any]:
    return {
        "id": int(post.id),
        "date_gmt": graph_time(post.created_at)[:19],
        "slug": post.slug,
        "status": post.status,
        "link": public_link(call.base_url, post.slug),
        "title": {"raw": post.title, "rendered": html.escape(post.title)},
        "content": {"raw": post.content, "rendered": post.content},
        "featured_media": post.featured_media,
        "categories": post.categories,
        "tags": post.tags,
    }


def _term(term: WpTerm) -> dict[str, Any]:
    return {"id": int(term.id), "name": term.name, "slug": term.slug, "taxonomy": term.taxonomy}


def _int_list(value: Any) -> list[int]:
    return [int(v) for v in value] if isinstance(value, list) else []


def upload_media(state: SimState, call: Call, user: str) -> Answer:
    upload = call.files.get("file")
    if upload is None:
        return error(400, "rest_upload_no_data", "No data supplied.")
    if not upload.content_type.startswith("image/"):
        message = "Sorry, you are not allowed to upload this file type."
        return error(500, "rest_upload_sideload_error", message)
    with state.lock:
        media = WpMedia(
            state.next_id(MEDIA_ID_BASE),
            user,
            upload.filename,
            upload.content_type,
            len(upload.data),
            call.params.get("alt_text", ""),
            state.now(),
        )
        state.wp_media[media.id] = media
        state.save()
    body = {
        "id": int(media.id),
        "media_type": "image",
        "mime_type": media.mime,
        "alt_text": media.alt_text,
        "source_url": f"{call.base_url}/situs/media/{media.filename}",
    }
    return 201, body, {}


def create_post(state: SimState, call: Call, user: str) -> Answer:
    data = call.json if isinstance(call.json, dict) else {}
    title = str(data.get("title") or "")
    content = str(data.get("content") or "")
    if not title and not content:
        return error(400, "empty_content", "Content, title, and excerpt are empty.")
    featured = int(data.get("featured_media") or 0)
    with state.lock:
        if featured and str(featured) not in state.wp_media:
            return error(400, "rest_invalid_featured_media", "Invalid featured media ID.")
        wanted = str(data.get("slug") or f"post-{len(state.wp_posts) + 1}")
        taken = {p.slug for p in state.wp_posts.values()}
        slug, n = wanted, 2
        while slug in taken:  # wp_unique_post_slug
            slug, n = f"{wanted}-{n}", n + 1
        post = WpPost(
            state.next_id(POST_ID_BASE),
            user,
            slug,
            title,
            content,
            str(data.get("status") or "draft"),
            state.now(),
            featured,
            _int_list(data.get("categories")),
            _int_list(data.get("tags")),
        )
        state.wp_posts[post.id] = post
        state.save()
    return 201, _post(call, post), {}


def list_posts(state: SimState, call: Call, user: str) -> Answer:
    slug = call.params.get("slug")
    wanted = set((call.params.get("status") or "publish").split(","))
    with state.lock:
        rows = [
            p
            for p in sorted(state.wp_posts.values(), key=lambda p: -p.created_at)
            if p.status in wanted and (slug is None or p.slug == slug)
        ]
    per_page = int(call.params.get("per_page") or 10)
    return 200, [_post(call, p) for p in rows[:per_page]], {}


def get_post(state: SimState, call: Call, user: str, post_id: str) -> Answer:
    with state.lock:
        post = state.wp_posts.get(post_id)
    if post is None:
        return error(404, "rest_post_invalid_id", "Invalid post ID.")
    return 200, _post(call, post), {}


def trash_post(state: SimState, call: Call, user: str, post_id: str) -> Answer:
    with state.lock:
        post = state.wp_posts.get(post_id)
        if post is None:
            return error(404, "rest_post_invalid_id", "Invalid post ID.")
        if post.status == "trash":
            return error(410, "rest_already_trashed", "The post has already been deleted.")
        post.status = "trash"
        state.save()
    return 200, _post(call, post), {}


def terms(state: SimState, call: Call, user: str, kind: str) -> Answer:
    taxonomy = TAXONOMIES[kind]
    if call.method == "GET":
        slug = call.params.get("slug")
        with state.lock:
            found = [
                _term(t)
                for t in state.wp_terms.values()
                if t.taxonomy == taxonomy and (slug is None or t.slug == slug)
            ]
        return 200, found, {}
    data = call.json if isinstance(call.json, dict) else {}
    name = str(data.get("name") or "").strip()
    if not name:
        return error(400, "rest_missing_callback_param", "Missing parameter(s): name")
    slug = str(data.get("slug") or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-"))
    with state.lock:
        for term in state.wp_terms.values():
            if term.taxonomy == taxonomy and term.slug == slug:
                message = "A term with the name provided already exists in this taxonomy."
                return error(400, "term_exists", message, term_id=int(term.id))
        term = WpTerm(state.next_id(TERM_ID_BASE), taxonomy, name, slug)
        state.wp_terms[term.id] = term
        state.save()
    return 201, _term(term), {}


def me(state: SimState, call: Call, user: str) -> Answer:
    caps = dict.fromkeys(CAPABILITIES, True)
    return 200, {"id": 1, "name": user, "slug": user, "capabilities": caps}, {}


Handler = Callable[..., Answer]
ROUTES: tuple[tuple[str, re.Pattern[str], Handler], ...] = (
    ("POST", re.compile(r"^/media$"), upload_media),
    ("POST", re.compile(r"^/posts$"), create_post),
    ("GET", re.compile(r"^/posts$"), list_posts),
    ("GET", re.compile(r"^/posts/(\d+)$"), get_post),
    ("DELETE", re.compile(r"^/posts/(\d+)$"), trash_post),
    ("GET", re.compile(r"^/(categories|tags)$"), terms),
    ("POST", re.compile(r"^/(categories|tags)$"), terms),
    ("GET", re.compile(r"^/users/me$"), me),
)


def handle(state: SimState, call: Call) -> Answer:
    user = user_of(call)
    if user is None:
        return error(401, "rest_not_logged_in", "You are not currently logged in.")
    path = call.path.rstrip("/")
    if not path.startswith(PREFIX):
        return error(404, "rest_no_route", NO_ROUTE)
    rest = path[len(PREFIX) :]
    for method, pattern, handler in ROUTES:
        found = pattern.match(rest)
        if found and method == call.method:
            return handler(state, call, user, *found.groups())
    return error(404, "rest_no_route", NO_ROUTE)


def page(state: SimState, slug: str) -> tuple[int, str]:
    """The public page of a published post, as a visitor (or the live link) sees it."""
    with state.lock:
        post = next(
            (p for p in state.wp_posts.values() if p.slug == slug and p.status == "publish"), None
        )
    if post is None:
        return 404, "<!doctype html><title>Halaman tidak ditemukan</title><h1>Tidak ditemukan</h1>"
    title = html.escape(post.title)
    # WordPress shows the stored HTML (the publisher escaped the text before sending it).
    return 200, (
        f'<!doctype html><html lang="id"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body><article class="post" id="post-{post.id}"><h1 class="entry-title">'
        f'{title}</h1><div class="entry-content">{post.content}</div></article></body></html>'
    )
