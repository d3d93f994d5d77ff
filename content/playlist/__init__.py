"""Videotron playlists: what each screen shows now, until when, and what its players reported.

A screen's playlist is its slides whose validity window holds at that moment and whose post
target (channel videotron) is published, in their order, inside the screen's operating hours.
An emergency override (informasi serta-merta, UU KIP Pasal 10) pushed by PPID Utama takes the
screen at once, operating hours or not, until its end time or until it is lifted by hand.

Rendering happens in publishers.videotron; this module only records the rendered slides by their
sha256. Times are UTC in the database; days and operating hours are in the screen's time zone.

Players have no login (a browser on the controller PC): their writes (proof of play, heartbeats)
are bounded and checked against the screen's own slides instead of against a role.
"""

from __future__ import annotations

from content.playlist.horizon import DEFAULT_HORIZON_DAYS, Schedule, schedule_ahead
from content.playlist.hours import (
    CLOSURE_REASONS,
    check_closures,
    check_weekly_hours,
    day_bounds,
    hours_on,
    is_open,
    next_hours_change,
    open_intervals,
    screen_zone,
)
from content.playlist.keys import (
    KEY_REFUSED,
    PlayerKeyInfo,
    issue_player_key,
    player_keys,
    require_player_key,
    revoke_player_key,
)
from content.playlist.overrides import lift_override, overrides, push_override
from content.playlist.players import (
    PLAY_REFUSALS,
    HeartbeatInput,
    HeartbeatResult,
    PlayBatchResult,
    PlayInput,
    record_heartbeat,
    record_plays,
)
from content.playlist.proposals import OverrideProposal, override_proposal
from content.playlist.reading import find_screen, playlist_at
from content.playlist.reports import (
    DaySchedule,
    PlayerState,
    ScheduleEntry,
    ScreenStatus,
    SlidePlays,
    day_schedule,
    player_states,
    plays_per_slide,
    screens_overview,
)
from content.playlist.screen_hours import (
    ScheduleForm,
    schedule_from_form,
    set_screen_schedule,
)
from content.playlist.serving import is_public_photo, is_servable_slide
from content.playlist.slides import (
    end_slide,
    record_slide,
    reorder_slides,
    require_videotron_manager,
    set_slide_schedule,
)
from content.playlist.values import (
    MAX_BATCH,
    MAX_HEADLINE,
    MAX_PLAYERS_PER_SCREEN,
    MAX_REASON,
    MAX_SECONDS,
    ORDER_CHANGED,
    PLAY_MAX_AGE,
    PLAY_MAX_AHEAD,
    PLAYER_STALE_AFTER,
    SLIDE_CHANGED,
    SLIDE_MIMES,
    OverrideInfo,
    Playlist,
    PlaylistItem,
    ScreenInfo,
    SlideWindow,
    slide_path,
)
from content.playlist.watch import (
    SilentPlayer,
    minutes_label,
    silent_after,
    silent_players,
    tell_silent,
    watchers,
)

__all__ = [
    "CLOSURE_REASONS",
    "DEFAULT_HORIZON_DAYS",
    "KEY_REFUSED",
    "MAX_BATCH",
    "MAX_HEADLINE",
    "MAX_PLAYERS_PER_SCREEN",
    "MAX_REASON",
    "MAX_SECONDS",
    "ORDER_CHANGED",
    "PLAYER_STALE_AFTER",
    "PLAY_MAX_AGE",
    "PLAY_MAX_AHEAD",
    "PLAY_REFUSALS",
    "SLIDE_CHANGED",
    "SLIDE_MIMES",
    "DaySchedule",
    "HeartbeatInput",
    "HeartbeatResult",
    "OverrideInfo",
    "OverrideProposal",
    "PlayBatchResult",
    "PlayInput",
    "PlayerKeyInfo",
    "PlayerState",
    "Playlist",
    "PlaylistItem",
    "Schedule",
    "ScheduleEntry",
    "ScheduleForm",
    "ScreenInfo",
    "ScreenStatus",
    "SilentPlayer",
    "SlidePlays",
    "SlideWindow",
    "check_closures",
    "check_weekly_hours",
    "day_bounds",
    "day_schedule",
    "end_slide",
    "find_screen",
    "hours_on",
    "is_open",
    "is_public_photo",
    "is_servable_slide",
    "issue_player_key",
    "lift_override",
    "minutes_label",
    "next_hours_change",
    "open_intervals",
    "override_proposal",
    "overrides",
    "player_keys",
    "player_states",
    "playlist_at",
    "plays_per_slide",
    "push_override",
    "record_heartbeat",
    "record_plays",
    "record_slide",
    "reorder_slides",
    "require_player_key",
    "require_videotron_manager",
    "revoke_player_key",
    "schedule_ahead",
    "schedule_from_form",
    "screen_zone",
    "screens_overview",
    "set_screen_schedule",
    "set_slide_schedule",
    "silent_after",
    "silent_players",
    "slide_path",
    "tell_silent",
    "watchers",
]
