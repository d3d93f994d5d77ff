"""The simulator's admin endpoints under /_sim (not subject to faults, not in the request log).

GET  /_sim/health                 liveness
GET  /_sim/posts                  what was posted, with current metrics
POST /_sim/reset                  forget everything (posts, faults, meter, log, clock)
GET  /_sim/meter                  what the same calls would have cost on X
GET|POST|DELETE /_sim/faults      list, add (JSON, see faults.py), clear
GET|DELETE /_sim/requests         the request log (?platform=&method=&path=) and counts
GET|POST /_sim/clock              {"advance": seconds} moves simulated time (metrics grow)
GET|POST /_sim/config             ig_processing_seconds, ig_quota_total, token_expires_in, ...
POST /_sim/seed                   {"platform", "count", "owner", "age_hours"}: bulk posts
GET|POST /_sim/comments           list; a person comments: {"object_id", "message", "from_name",
                                  "from_id"?, "parent_id"?, "age_hours"?} (Facebook post or IG
                                  media; a parent makes it a reply); {"remove": id} deletes one
"""

from __future__ import annotations

import zlib
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from publishers.simulator import comments_api, graph_common, x_api
from publishers.simulator.calls import graph_time, x_time
from publishers.simulator.engagement import curve
from publishers.simulator.faults import FaultError
from publishers.simulator.state import FbPost, IgMedia, SimState, XPost


def _state(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    return state


async def health(request: Request) -> Response:
    state = _state(request)
    return JSONResponse({"ok": True, "now": state.now_dt().isoformat()})


async def posts(request: Request) -> Response:
    state = _state(request)
    return JSONResponse(snapshot(state))


async def reset(request: Request) -> Response:
    state = _state(request)
    state.reset()
    return JSONResponse({"ok": True})


async def meter(request: Request) -> Response:
    state = _state(request)
    with state.lock:
        return JSONResponse(state.meter.snapshot())


async def faults(request: Request) -> Response:
    state = _state(request)
    if request.method == "POST":
        try:
            fault = state.faults.add(await request.json())
        except (FaultError, TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, 400)
        return JSONResponse(fault.public(), 201)
    if request.method == "DELETE":
        state.faults.clear()
    return JSONResponse({"faults": state.faults.list()})


async def requests_log(request: Request) -> Response:
    state = _state(request)
    if request.method == "DELETE":
        state.clear_log()
        return JSONResponse({"ok": True})
    query = request.query_params
    rows = state.requests(query.get("platform"), query.get("method"), query.get("path"))
    with state.lock:
        counts = dict(state.counts)
    return JSONResponse({"count": len(rows), "requests": rows[-1000:], "by_route": counts})


async def clock(request: Request) -> Response:
    state = _state(request)
    if request.method == "POST":
        advance = float((await request.json()).get("advance", 0))
        with state.lock:
            state.offset += advance
    return JSONResponse({"now": state.now_dt().isoformat(), "offset_seconds": state.offset})


async def config(request: Request) -> Response:
    state = _state(request)
    if request.method == "POST":
        try:
            with state.lock:
                state.config.update(await request.json())
        except (AttributeError, TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, 400)
    return JSONResponse(asdict(state.config))


async def seed(request: Request) -> Response:
    state = _state(request)
    raw = await request.json()
    try:
        ids = seed_posts(
            state,
            str(raw["platform"]),
            int(raw.get("count", 1)),
            str(raw.get("owner", "sim-seed")),
            float(raw.get("age_hours", 0)),
        )
    except (KeyError, TypeError, ValueError) as exc:
        return JSONResponse({"error": str(exc)}, 400)
    return JSONResponse({"ids": ids}, 201)


async def comments(request: Request) -> Response:
    state = _state(request)
    if request.method == "POST":
        raw = await request.json()
        try:
            made = person_comments(state, raw)
        except (KeyError, TypeError, ValueError) as exc:
            return JSONResponse({"error": str(exc)}, 400)
        state.save()
        return JSONResponse(made, 201)
    with state.lock:
        return JSONResponse({"comments": [asdict(c) for c in state.comments.values()]})


def person_comments(state: SimState, raw: dict[str, Any]) -> dict[str, Any]:
    """A person's comment (or reply), or the removal of one (`{"remove": id}`)."""
    with state.lock:
        if "remove" in raw:
            state.comments.pop(str(raw["remove"]), None)
            return {"removed": str(raw["remove"])}
        object_id = str(raw["object_id"])
        if object_id in state.fb_posts:
            platform = "facebook"
        elif object_id in state.ig_media:
            platform = "instagram"
        else:
            raise ValueError(f"no Facebook post or Instagram media {object_id}")
        parent = raw.get("parent_id")
        if parent is not None and str(parent) not in state.comments:
            raise ValueError(f"no comment {parent}")
        name = str(raw.get("from_name") or "Warga Bekasi")
        comment = comments_api.add_comment(
            state,
            object_id,
            str(raw["message"]),
            str(raw.get("from_id") or f"person-{zlib.crc32(name.encode())}"),
            name,
            parent_id=None if parent is None else str(parent),
            platform=platform,
            age_seconds=float(raw.get("age_hours", 0)) * 3600,
        )
        return {"id": comment.id}


async def person_mention(request: Request) -> Response:
    """A person's X post; with `mention` false it names the account without mentioning it
    (X's reply rule then refuses a programmatic reply)."""
    state = _state(request)
    raw = await request.json()
    try:
        user_id, text = str(raw["user_id"]), str(raw["text"])
    except (KeyError, TypeError) as exc:
        return JSONResponse({"error": str(exc)}, 400)
    username = str(raw.get("author_username") or "wargabekasi")
    with state.lock:
        post_id = state.next_id(x_api.TWEET_ID_BASE)
        author = f"9{zlib.crc32(username.encode())}"
        mentioned = [user_id] if raw.get("mention", True) else []
        state.x_posts[post_id] = XPost(
            post_id, text, text, author, state.now(), mentions=mentioned, author_username=username
        )
    state.save()
    return JSONResponse({"id": post_id}, 201)


def seed_posts(
    state: SimState, platform: str, count: int, owner: str, age_hours: float
) -> list[str]:
    """Posts made directly (not metered): for metric collection tests and demo volume."""
    if platform not in {"x", "facebook", "instagram"} or not 0 < count <= 10_000:
        raise ValueError("platform must be x, facebook or instagram; count 1..10000")
    made = []
    with state.lock:
        created = state.now() - age_hours * 3600
        for n in range(count):
            text = f"Kabar Kota Bekasi #{n + 1}"
            if platform == "x":
                post_id = state.next_id(x_api.TWEET_ID_BASE)
                state.x_posts[post_id] = XPost(post_id, text, text, owner, created)
            elif platform == "facebook":
                post_id = f"{owner}_{state.next_id(graph_common.PHOTO_ID_BASE)}"
                state.fb_posts[post_id] = FbPost(post_id, owner, text, created)
            else:
                post_id = state.next_id(graph_common.IG_ID_BASE)
                state.ig_media[post_id] = IgMedia(post_id, owner, text, created, shortcode=post_id)
            made.append(post_id)
    state.save()
    return made


def snapshot(state: SimState) -> dict[str, Any]:
    with state.lock:
        now = state.now()
        x = [
            asdict(p)
            | {
                "created_at": x_time(p.created_at),
                "media": [asdict(state.x_media[m]) for m in p.media_ids if m in state.x_media],
                "public_metrics": x_api.public_metrics(p, now),
            }
            for p in state.x_posts.values()
        ]
        facebook = [
            asdict(p)
            | {
                "created_time": graph_time(p.created_at),
                "photos": [asdict(state.fb_photos[i]) for i in p.photo_ids if i in state.fb_photos],
                "metrics": curve(p.id, now - p.created_at),
            }
            for p in state.fb_posts.values()
        ]
        instagram = [
            asdict(m)
            | {
                "timestamp": graph_time(m.created_at),
                "permalink": m.permalink,
                "metrics": curve(m.id, now - m.created_at),
            }
            for m in state.ig_media.values()
        ]
        containers = [asdict(c) for c in state.ig_containers.values()]
        website = [
            asdict(p)
            | {
                "media": [
                    asdict(state.wp_media[str(p.featured_media)])
                    for _ in (1,)
                    if str(p.featured_media) in state.wp_media
                ],
                "terms": [
                    asdict(state.wp_terms[str(i)])
                    for i in (*p.categories, *p.tags)
                    if str(i) in state.wp_terms
                ],
            }
            for p in state.wp_posts.values()
        ]
    return {
        "x": x,
        "facebook": facebook,
        "instagram": instagram,
        "ig_containers": containers,
        "website": website,
    }


ROUTES = [
    Route("/_sim/health", health, methods=["GET"]),
    Route("/_sim/posts", posts, methods=["GET"]),
    Route("/_sim/reset", reset, methods=["POST"]),
    Route("/_sim/meter", meter, methods=["GET"]),
    Route("/_sim/faults", faults, methods=["GET", "POST", "DELETE"]),
    Route("/_sim/requests", requests_log, methods=["GET", "DELETE"]),
    Route("/_sim/clock", clock, methods=["GET", "POST"]),
    Route("/_sim/config", config, methods=["GET", "POST"]),
    Route("/_sim/seed", seed, methods=["POST"]),
    Route("/_sim/comments", comments, methods=["GET", "POST"]),
    Route("/_sim/mentions", person_mention, methods=["POST"]),
]
