"""One publisher per account: the channel's module is `publishers.social.<channel>` and provides
`build(account, credentials, config)`, so adding a channel means adding that one module.

Simulator accounts (demo, training mode) always talk to the bundled simulator at
http://{host}:{simulator_port}, whatever base URLs the settings give for real accounts.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any, cast

from content.infra.config import Settings
from content.models import Account, Channel
from content.models.enums import SOCIAL_CHANNELS
from publishers.social.base import Publisher
from publishers.social.config import PublisherSettings

Builder = Callable[[Account, Mapping[str, Any], PublisherSettings], Publisher]


def builder(channel: Channel) -> Builder:
    if channel not in SOCIAL_CHANNELS:
        raise ValueError(f"no social publisher for {channel.value}")
    module = importlib.import_module(f"publishers.social.{channel.value}")  # imported lazily: SDKs
    return cast(Builder, module.build)


def publisher_config(
    account: Account, settings: Settings, config: PublisherSettings | None = None
) -> PublisherSettings:
    config = config or PublisherSettings.from_settings(settings)
    return config.for_simulator(settings) if account.is_simulator else config


def publisher_for(
    account: Account,
    credentials: Mapping[str, Any],
    settings: Settings,
    config: PublisherSettings | None = None,
) -> Publisher:
    """The publisher for this account, with its (decrypted) credentials kept masked. A
    long-running caller passes `config` (read once from the settings) instead of re-reading."""
    return builder(account.kind)(account, credentials, publisher_config(account, settings, config))
