"""Starting the dashboard: `siaran dashboard` and `siaran up` call `run(settings)`.

The process becomes `streamlit run dashboard/app.py` (exec, not a child; through
dashboard/serve.py), so the signals
`siaran up` sends reach Streamlit itself. The app reads its settings from the environment like
the CLI; the data directory and database chosen here are passed on in it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from content.infra.config import Settings

APP = Path(__file__).with_name("app.py")


def upload_megabytes(settings: Settings) -> int:
    return max(1, -(-settings.max_upload_bytes // (1024 * 1024)))


def command(settings: Settings) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dashboard.serve",  # `streamlit run`, see dashboard/serve.py
        "run",
        str(APP),
        "--server.address",
        settings.host,
        "--server.port",
        str(settings.dashboard_port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--server.maxUploadSize",
        str(upload_megabytes(settings)),
        "--client.toolbarMode",
        "minimal",
        "--client.showErrorDetails",
        "none",
    ]


def environment(settings: Settings, base: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    env["SIARAN_DATA_DIR"] = str(settings.data_dir)
    env["DATABASE_URL"] = settings.database_url
    return env


def run(settings: Settings) -> None:
    argv = command(settings)
    sys.stdout.flush()
    sys.stderr.flush()
    os.execve(sys.executable, argv, environment(settings))  # noqa: S606 - fixed argv, our app
