"""The launcher runs `streamlit run dashboard/app.py` headless on the configured address."""

from __future__ import annotations

from pathlib import Path

from content.infra.config import load_settings
from dashboard import launch


def test_command_is_headless_on_the_configured_address(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "SIARAN_DATA_DIR": str(tmp_path),
            "SIARAN_HOST": "0.0.0.0",
            "SIARAN_DASHBOARD_PORT": "8999",
        }
    )
    argv = launch.command(settings)
    assert argv[1:5] == ["-m", "dashboard.serve", "run", str(launch.APP)]
    options = dict(zip(argv[5::2], argv[6::2], strict=True))
    assert options["--server.address"] == "0.0.0.0"
    assert options["--server.port"] == "8999"
    assert options["--server.headless"] == "true"
    assert options["--browser.gatherUsageStats"] == "false"
    assert options["--server.maxUploadSize"] == "25"
    assert launch.APP.is_file()


def test_environment_carries_the_data_directory_and_database(tmp_path: Path) -> None:
    settings = load_settings({"SIARAN_DATA_DIR": str(tmp_path)})
    env = launch.environment(settings, {"PATH": "/usr/bin"})
    assert env["SIARAN_DATA_DIR"] == str(tmp_path.resolve())
    assert env["DATABASE_URL"].startswith("sqlite:///") and env["PATH"] == "/usr/bin"
