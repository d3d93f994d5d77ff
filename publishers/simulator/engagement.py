"""Engagement that grows with a post's age like real posts do: fast in the first hours, then
flattening out over about two days. Deterministic per post, so repeated reads agree."""

from __future__ import annotations

import hashlib
import math
import random


def _rng(seed: str) -> random.Random:
    return random.Random(int(hashlib.sha256(seed.encode()).hexdigest()[:16], 16))


def curve(seed: str, age_seconds: float) -> dict[str, int]:
    """Counts for a post `age_seconds` old; never decreasing in age."""
    rng = _rng(seed)
    audience = rng.randint(400, 6_000)
    like_rate, comment_rate = rng.uniform(0.02, 0.08), rng.uniform(0.002, 0.015)
    share_rate, save_rate = rng.uniform(0.002, 0.02), rng.uniform(0.001, 0.01)
    hours = max(0.0, age_seconds) / 3600
    seen = 1 - math.exp(-hours / 12)
    reach = int(audience * seen)
    views = int(reach * 1.6)
    likes = int(reach * like_rate)
    comments = int(reach * comment_rate)
    shares = int(reach * share_rate)
    saves = int(reach * save_rate)
    return {
        "views": views,
        "reach": reach,
        "likes": likes,
        "comments": comments,
        "shares": shares,
        "saves": saves,
        "quotes": shares // 4,
    }
