"""Files only the service account can read: the data directory 0700, everything in it 0600.

The database holds password hashes and sealed credentials, the media store unpublished photos,
the key file the key to the credentials. Three layers keep them private:

- every Siaran process runs with umask 077 (`private_umask`, called first by the CLI), so what
  it creates — exports, renders, SQLite's -wal and -shm — is the owner's alone;
- the places that create files do so with explicit modes (the SQLite file, the blob store's
  directories, the key and salt files), whatever the umask of whoever started the process;
- `siaran init` tightens an existing installation (`tighten`), and the long-running parts warn at
  start-up while anything is looser (`looseness_warning`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import suppress
from pathlib import Path

from sqlalchemy.engine import make_url

from content.infra.config import Settings

PRIVATE_UMASK = 0o077
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_umask() -> None:
    os.umask(PRIVATE_UMASK)


def sqlite_path(database_url: str) -> Path | None:
    """The database file of a SQLite URL (None for other databases and in-memory SQLite)."""
    url = make_url(database_url)
    if not url.drivername.startswith("sqlite") or not url.database:
        return None
    if url.database == ":memory:" or url.database.startswith("file:"):
        return None
    return Path(url.database)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, when it does not exist yet."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))


def _sqlite_files(settings: Settings) -> list[Path]:
    db = sqlite_path(settings.database_url)
    if db is None:
        return []
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def _is_loose(path: Path) -> bool:
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return False
    return not stat.S_ISLNK(mode) and bool(stat.S_IMODE(mode) & 0o077)


def _top(settings: Settings) -> Iterator[Path]:
    """What start-up looks at: the data directory, what is directly in it, the media store's
    fan-out directories and the SQLite files (wherever the URL puts them). Not every photo:
    `siaran init` walks the whole tree."""
    root = settings.data_dir
    if root.is_dir():
        yield root
        yield from root.iterdir()
    if settings.media_dir.is_dir():
        yield from settings.media_dir.iterdir()
    yield from _sqlite_files(settings)


def loose_paths(settings: Settings) -> list[Path]:
    return sorted({p for p in _top(settings) if _is_loose(p)})


def looseness_warning(settings: Settings) -> str | None:
    """One sentence for the operator when data files can be read by others, else None."""
    loose = loose_paths(settings)
    if not loose:
        return None
    return (
        f"Peringatan: {len(loose)} berkas atau folder data Siaran dapat dibaca pengguna lain di "
        f"mesin ini (misalnya {loose[0]}); jalankan 'siaran init' untuk membatasinya ke pemilik."
    )


def _walk(root: Path) -> Iterator[Path]:
    if not root.is_dir() or root.is_symlink():
        return
    yield root
    for folder, dirs, files in os.walk(root):
        for name in (*dirs, *files):
            yield Path(folder) / name


def tighten(settings: Settings) -> int:
    """Make the data directory and everything in it (and the SQLite files) the owner's alone;
    returns how many modes changed. Symbolic links are left as they are."""
    changed = 0
    for path in (*_walk(settings.data_dir), *_sqlite_files(settings)):
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(mode) or not stat.S_IMODE(mode) & 0o077:
            continue
        wanted = PRIVATE_DIR if stat.S_ISDIR(mode) else PRIVATE_FILE
        path.chmod(stat.S_IMODE(mode) & wanted)
        changed += 1
    return changed
