"""Files only the service can read: a new install is 0700/0600 whatever the umask of whoever
started it, and an older, looser one is reported and tightened by `siaran init` (#19, point 3)."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from content.infra.config import Settings, load_settings
from content.infra.db import make_engine
from content.infra.filemodes import loose_paths, looseness_warning
from content.infra.setup import init
from content.infra.store import FileBlobStore
from tests.world import jpeg


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)  # what a shell usually has: 0644 files, 0755 folders
    yield
    os.umask(old)


def _settings(tmp_path: Path) -> Settings:
    return load_settings({"SIARAN_DATA_DIR": str(tmp_path / "data")})


def test_a_new_install_is_the_owners_alone(tmp_path: Path, permissive_umask: None) -> None:
    settings = _settings(tmp_path)
    init(settings)
    engine = make_engine(settings.database_url)
    with engine.connect() as conn:  # WAL: -wal and -shm exist while a connection writes
        conn.execute(text("CREATE TABLE uji (x INTEGER)"))
        conn.commit()
        db = settings.data_dir / "siaran.db"
        files = [db, db.with_name("siaran.db-wal"), db.with_name("siaran.db-shm")]
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
    engine.dispose()
    digest = FileBlobStore(settings.media_dir).put(jpeg(), "jpg")
    photo = settings.media_dir / digest[:2] / f"{digest}.jpg"
    assert mode(photo) == 0o600 and mode(photo.parent) == 0o700
    assert mode(settings.data_dir) == mode(settings.media_dir) == 0o700
    assert mode(settings.key_file) == 0o600
    assert looseness_warning(settings) is None


def test_a_loose_install_is_reported_and_init_tightens_it(
    tmp_path: Path, permissive_umask: None
) -> None:
    settings = _settings(tmp_path)
    settings.data_dir.mkdir()  # as an older version left it: 0755, and 0644 files
    sqlite3.connect(settings.data_dir / "siaran.db").close()
    photo = settings.media_dir / "ab" / ("ab" + "0" * 62 + ".jpg")
    photo.parent.mkdir(parents=True)
    photo.write_bytes(jpeg())
    assert mode(settings.data_dir / "siaran.db") == 0o644

    warning = looseness_warning(settings)
    assert warning is not None and warning.startswith("Peringatan:")
    assert "siaran init" in warning and str(settings.data_dir) in warning
    assert settings.data_dir / "siaran.db" in loose_paths(settings)

    result = init(settings)
    assert result.tightened >= 5
    assert mode(settings.data_dir) == mode(photo.parent) == mode(settings.media_dir) == 0o700
    assert mode(settings.data_dir / "siaran.db") == mode(photo) == 0o600
    assert looseness_warning(settings) is None
    assert init(settings).tightened == 0
