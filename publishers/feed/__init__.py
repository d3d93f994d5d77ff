"""The videotron feed (ASGI, starlette): playlists, slides, the player page, proof of play."""

from publishers.feed.app import FeedOptions, create_app
from publishers.feed.payloads import PlayerOptions

__all__ = ["FeedOptions", "PlayerOptions", "create_app"]
