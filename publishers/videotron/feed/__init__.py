"""The videotron feed (ASGI, starlette): playlists, slides, the player page, proof of play."""

from publishers.videotron.feed.app import FeedOptions, create_app
from publishers.videotron.feed.payloads import PlayerOptions

__all__ = ["FeedOptions", "PlayerOptions", "create_app"]
