"""What a platform call does, named as the platforms' rate cards price it.

The publishers name each paid call they make (`publishers.social.transport.CallRecord.operation`),
the price table (`data/prices.toml`, `[x]`) prices these names, the ledger stores them
(`SpendEntry.action`) and the simulator's meter counts them. Nothing here knows a URL path.
"""

from __future__ import annotations

from enum import StrEnum


class Operation(StrEnum):
    POST = "post"  # Content: Create
    POST_WITH_URL = "post_with_url"  # Content: Create, the text holds a URL
    READ_POST = "read_post"  # Posts: Read, per post returned (lookup by id)
    # Owned reads (since 2026-04-20): the account's own timeline, mentions, followers…, per
    # resource returned.
    READ_OWNED = "read_owned"
    READ_USER = "read_user"  # User: Read (the connection check)
    MEDIA_METADATA = "media_metadata"  # alt text of a photo
    MEDIA_UPLOAD = "media_upload"
    DELETE_POST = "delete_post"  # Content: Delete (taking a post down)


# Charged per post the answer returns, and each post only once per UTC day.
ONCE_A_DAY_PER_POST = frozenset({Operation.READ_POST, Operation.READ_OWNED})

LABELS = {
    Operation.POST: "Posting",
    Operation.POST_WITH_URL: "Posting bertautan",
    Operation.READ_POST: "Baca posting (metrik)",
    Operation.READ_OWNED: "Baca data akun sendiri (metrik, sebutan Kotak masuk)",
    Operation.READ_USER: "Cek koneksi akun",
    Operation.MEDIA_METADATA: "Teks alternatif foto",
    Operation.MEDIA_UPLOAD: "Unggah media",
    Operation.DELETE_POST: "Hapus posting",
}


def label(operation: str) -> str:
    """The Indonesian name of an operation; an unknown code is shown as it is stored."""
    try:
        return LABELS[Operation(operation)]
    except ValueError:
        return operation


def has_url(text: str) -> bool:
    """Whether X counts a URL in this text (X's own rules: twitter-text)."""
    from twitter_text import extract_urls  # large tables: load on first use

    return bool(extract_urls(text))


def post_operation(text: str) -> Operation:
    """What creating an X post with this text is charged as."""
    return Operation.POST_WITH_URL if has_url(text) else Operation.POST
