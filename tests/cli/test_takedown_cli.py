"""`siaran post takedown` as an operator uses it: the same rules as the dashboard, one sentence
on error, and a second takedown that says it was done already."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from content.delivery import publishing
from content.editorial import workflow
from content.models import PostStatus
from tests.cli.test_cli import Cli, cli  # noqa: F401  (the fixture)
from tests.conftest import Database
from tests.world import build_world

REASON = "Jadwal posyandu keliru; diganti pengumuman baru."


def _published_post(database: Database, tmp_path: Path) -> int:
    """A post the worker published (its own state changes, without platforms)."""
    with Session(database.engine, expire_on_commit=False) as s, s.begin():
        world = build_world(s, tmp_path / "media")
        post = world.post_in(PostStatus.APPROVED)
        workflow.publish_now(s, world.utama, post.id)
        for claim in publishing.claim_due(s, "worker-a"):
            publishing.record_success(
                s, claim, "worker-a", remote_id=f"r{claim.target_id}", url=None
            )
        return post.id


def test_takedown_from_the_command_line(
    cli: Cli,  # noqa: F811
    committed: Database,
    tmp_path: Path,
) -> None:
    post_id = str(_published_post(committed, tmp_path))
    no_reason = cli("post", "takedown", post_id, "--as", "utama", "--reason", " ", code=2)
    assert (
        no_reason.stderr
        == "siaran: Tuliskan alasan penarikan; alasan ini dicatat di jejak audit.\n"
    )
    refused = cli("post", "takedown", post_id, "--as", "dinkes", "--reason", REASON, code=4)
    assert refused.stderr.strip().count("\n") == 0 and "menarik publikasi" in refused.stderr

    done = cli.json("post", "takedown", post_id, "--as", "utama", "--reason", REASON)
    assert done["status"] == "taken_down"  # type: ignore[index]
    statuses = {t["channel"]: t["status"] for t in done["targets"]}  # type: ignore[index]
    assert statuses == {"x": "removal_due", "instagram": "removal_due", "videotron": "removed"}
    shown = cli.json("post", "show", post_id, "--as", "analis")
    last = shown["history"][-1]  # type: ignore[index]
    assert (last["action"], last["actor"], last["reason"]) == ("post.taken_down", "utama", REASON)

    again = cli("post", "takedown", post_id, "--as", "utama2", "--reason", "Lagi", code=5)
    assert again.stderr == "siaran: Konten ini sudah ditarik.\n"
