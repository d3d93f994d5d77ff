"""An unchanged slide is never rendered twice; the output lives in the blob store by its hash."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from content.infra.store import FileBlobStore, sha256_hex
from publishers.videotron import (
    DirectoryRenderCache,
    MemoryRenderCache,
    render_cached,
)
from publishers.videotron import render as render_module


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    real: Callable[..., bytes] = render_module.render_slide

    def counting(photo: Any, headline: str, **options: Any) -> bytes:
        calls.append(headline)
        return real(photo, headline, **options)

    monkeypatch.setattr(render_module, "render_slide", counting)
    return calls


def test_identical_input_is_a_cache_hit(photo: bytes, tmp_path: Path, counted: list[str]) -> None:
    store, cache = FileBlobStore(tmp_path / "blobs"), MemoryRenderCache()
    first = render_cached(store, cache, photo, "Posyandu serentak", size=(1408, 400), opd="Dinkes")
    second = render_cached(store, cache, photo, "Posyandu serentak", size=(1408, 400), opd="Dinkes")
    assert counted == ["Posyandu serentak"]  # rendered once
    assert not first.from_cache and second.from_cache
    assert first.sha256 == second.sha256 and first.extension == "jpg"
    assert sha256_hex(store.get(first.sha256, "jpg")) == first.sha256  # stored by its own hash
    render_cached(store, cache, photo, "Posyandu serentak", size=(1408, 400), opd="Disdukcapil")
    render_cached(store, cache, photo, "Posyandu serentak", size=(288, 176), opd="Dinkes")
    assert len(counted) == 3  # any input that changes the pixels renders again


def test_the_cache_survives_a_restart(photo: bytes, tmp_path: Path, counted: list[str]) -> None:
    store = FileBlobStore(tmp_path / "blobs")
    first = render_cached(
        store, DirectoryRenderCache(tmp_path / "cache"), photo, "A", size=(288, 176)
    )
    again = render_cached(
        store, DirectoryRenderCache(tmp_path / "cache"), photo, "A", size=(288, 176)
    )
    assert counted == ["A"] and again.from_cache and again.sha256 == first.sha256
    assert first.mime == "image/png"


def test_a_missing_blob_renders_again(photo: bytes, tmp_path: Path, counted: list[str]) -> None:
    store, cache = FileBlobStore(tmp_path / "blobs"), MemoryRenderCache()
    first = render_cached(store, cache, photo, "A", size=(288, 176))
    store.path(first.sha256, "png").unlink()
    again = render_cached(store, cache, photo, "A", size=(288, 176))
    assert len(counted) == 2 and again.sha256 == first.sha256 and not again.from_cache
    assert store.exists(first.sha256, "png")


def test_a_known_photo_hash_is_not_recomputed(photo: bytes, tmp_path: Path) -> None:
    store, cache = FileBlobStore(tmp_path / "blobs"), MemoryRenderCache()
    known = render_cached(store, cache, photo, "A", size=(288, 176), photo_sha256=sha256_hex(photo))
    computed = render_cached(store, cache, photo, "A", size=(288, 176))
    assert computed.from_cache and computed.sha256 == known.sha256
