"""`siaran` as an operator uses it: real processes, a real database, one sentence on error."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from tests.conftest import Database
from tests.world import jpeg

PASSWORD = "demo-sandi-12345"


class Cli:
    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    def __call__(
        self, *args: str, stdin: str = "", code: int = 0
    ) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [sys.executable, "-m", "siaran", *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.env,
            timeout=120,
            check=False,
        )
        assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result

    def json(self, *args: str, stdin: str = "") -> object:
        return json.loads(self(*args, "--json", stdin=stdin).stdout)


@pytest.fixture
def cli(committed: Database, guarded_env: dict[str, str]) -> Cli:
    env = dict(guarded_env)
    env["DATABASE_URL"] = committed.url
    # The schema already exists (created by the test session), so `init` must find it current.
    return Cli(env)


@pytest.fixture
def demo(cli: Cli) -> Cli:
    cli("init")
    cli("demo", "--no-history", "--password", PASSWORD)
    return cli


def test_init_twice_is_idempotent(cli: Cli) -> None:
    first = cli.json("init")
    second = cli.json("init")
    assert first["revision"] == second["revision"]  # type: ignore[index]
    assert second["created"] is False  # type: ignore[index]


def test_demo_prints_users_once_and_loads_bekasi(cli: Cli) -> None:
    cli("init")
    loaded = cli.json("demo")
    assert set(loaded["users"]) >= {"admin", "utama", "analis", "dinkes"}  # type: ignore[index]
    assert loaded["opds_added"] == 36  # type: ignore[index]
    assert cli.json("demo", "--if-empty") == {"skipped": True}
    states = {p["status"] for p in cli.json("post", "list", "--as", "utama")["items"]}  # type: ignore[index]
    assert {
        "draft",
        "submitted",
        "changes_requested",
        "rejected",
        "approved",
        "scheduled",
    } <= states


def test_the_workflow_from_the_command_line(demo: Cli, tmp_path: Path) -> None:
    photo = tmp_path / "foto.jpg"
    photo.write_bytes(jpeg())
    created = demo.json(
        "post",
        "new",
        "--as",
        "dinkes",
        "--caption",
        "Imunisasi gratis di puskesmas.",
        "--headline",
        "Imunisasi gratis di puskesmas",
        "--channel",
        "x",
        "--channel",
        "videotron",
        "--photo",
        str(photo),
        "--alt",
        "Petugas menyuntik vaksin",
    )
    post_id = str(created["id"])  # type: ignore[index]
    demo("post", "submit", post_id, "--as", "dinkes")
    refused = demo("post", "approve", post_id, "--as", "dinkes", code=4)
    assert refused.stderr.strip().count("\n") == 0
    assert "menunggu persetujuan PPID Utama" in refused.stderr
    hidden = demo("post", "show", post_id, "--as", "disdukcapil", code=3)
    assert "tidak ditemukan" in hidden.stderr
    demo("post", "approve", post_id, "--as", "utama")
    stale = demo(
        "post", "reject", post_id, "--as", "utama2", "--comment", "x", "--version", "1", code=6
    )
    assert "diubah orang lain" in stale.stderr
    scheduled = demo.json("post", "schedule", post_id, "--as", "utama", "--at", "2099-12-31 08:00")
    assert scheduled["status"] == "scheduled"  # type: ignore[index]
    assert scheduled["scheduled_at_wib"] == "31 Des 2099 08:00 WIB"  # type: ignore[index]
    shown = demo.json("post", "show", post_id, "--as", "dinkes")
    actions = [h["action"] for h in shown["history"]]  # type: ignore[index]
    assert actions == ["post.created", "post.submitted", "post.approved", "post.scheduled"]
    wrong = demo("post", "unschedule", post_id, "--as", "utama", "--version", "99", code=6)
    assert wrong.stderr.startswith("siaran: ")


def test_four_eyes_refuses_the_editor_of_the_wording_in_one_sentence(demo: Cli) -> None:
    created = demo.json("post", "new", "--as", "dinkes", "--caption", "Posyandu.", "--channel", "x")
    post_id = str(created["id"])  # type: ignore[index]
    demo("post", "submit", post_id, "--as", "dinkes")
    edited = demo.json("post", "edit", post_id, "--as", "utama", "--caption", "Posyandu Senin.")
    assert edited["status"] == "draft"  # type: ignore[index]
    demo("post", "submit", post_id, "--as", "utama")
    refused = demo("post", "approve", post_id, "--as", "utama", code=4)
    assert refused.stderr.strip().count("\n") == 0 and "pernah Anda ubah" in refused.stderr
    approved = demo.json("post", "approve", post_id, "--as", "utama2")
    assert approved["status"] == "approved"  # type: ignore[index]


def test_bad_time_and_unknown_user_are_one_sentence(demo: Cli) -> None:
    bad_time = demo("post", "schedule", "5", "--as", "utama", "--at", "besok pagi", code=2)
    assert "tidak dikenali" in bad_time.stderr
    nobody = demo("post", "list", "--as", "siapa", code=3)
    assert nobody.stderr == "siaran: Pengguna 'siapa' tidak ditemukan.\n"


def test_account_credentials_come_from_stdin_and_never_come_back(
    demo: Cli, committed: Database
) -> None:
    secret = "EAAB-rahasia-halaman-dlh"
    demo(
        "account",
        "add",
        "--kind",
        "facebook",
        "--handle",
        "dlhkotabekasi",
        "--opd",
        "dlh",
        "--setting",
        "page_id=1234",
        stdin=json.dumps({"page_access_token": secret}),
    )
    listed = demo("account", "list", "--json")
    assert "dlhkotabekasi" in listed.stdout and secret not in listed.stdout
    with committed.engine.connect() as conn:
        dump = " ".join(str(r) for r in conn.execute(text("SELECT * FROM account")))
        audit = " ".join(str(r) for r in conn.execute(text("SELECT * FROM audit_event")))
    assert secret not in dump and secret not in audit
    bad = demo("account", "add", "--kind", "x", "--handle", "@a", stdin="{not json", code=2)
    assert "objek JSON" in bad.stderr


def test_check_exits_1_on_blocking_findings(demo: Cli, tmp_path: Path) -> None:
    clean = demo("check", stdin="Hubungi call center 1500-444 atau 112.")
    assert "Tidak ada temuan" in clean.stdout
    blocked = demo("check", "--json", stdin="Info Pak Budi 0812-3456-7890, rekam medis", code=1)
    kinds = [f["kind"] for f in json.loads(blocked.stdout)["findings"]]
    assert kinds == ["phone", "dik"]
    file = tmp_path / "teks.txt"
    file.write_text("Surel budi@gmail.com", encoding="utf-8")
    warned = demo("check", str(file))
    assert warned.stdout.startswith("PERINGATAN")


def test_import_reports_rows(demo: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.jpg").write_bytes(jpeg())
    plan = tmp_path / "rencana.csv"
    plan.write_text(
        "keterangan,kanal,foto,alt\nPosyandu Sabtu,x,a.jpg,Kader posyandu\nRusak,tiktok,,\n",
        encoding="utf-8",
    )
    result = demo.json("import", str(plan), "--as", "dinkes")
    assert len(result["imported"]) == 1  # type: ignore[index]
    assert result["errors"][0]["row"] == 3  # type: ignore[index]
    again = demo("import", str(plan), "--as", "dinkes")  # the same file: nothing twice
    assert again.stdout.startswith("0 draf dibuat, 1 baris ditolak, 1 baris sudah pernah diimpor.")
    assert "Impor: 1/2 baris" in again.stderr and "Impor: 2/2 baris" in again.stderr


def test_user_and_opd_administration(demo: Cli) -> None:
    demo("opd", "add", "kel-margahayu", "--name", "Kelurahan Margahayu", "--kind", "kelurahan")
    demo(
        "user",
        "add",
        "margahayu",
        "--role",
        "ppid_pembantu",
        "--opd",
        "kel-margahayu",
        "--email",
        "sekretaris@margahayu.example.test",
        "--password",
        "sandi-kelurahan-1",
    )
    users = demo.json("user", "list")
    assert {
        "username": "margahayu",
        "name": "margahayu",
        "role": "ppid_pembantu",
        "opd": "kel-margahayu",
        "email": "sekretaris@margahayu.example.test",
        "active": True,
    } in users  # type: ignore[operator]
    # The address notifications are e-mailed to: changed, refused when malformed.
    demo("user", "email", "margahayu", "humas@margahayu.example.test")
    emails = {u["username"]: u["email"] for u in demo.json("user", "list")}  # type: ignore[union-attr,index]
    assert emails["margahayu"] == "humas@margahayu.example.test"
    bad = demo("user", "email", "margahayu", "bukan-alamat", code=2)
    assert "tidak sah" in bad.stderr
    again = demo("opd", "add", "kel-margahayu", "--name", "X", "--kind", "kelurahan", code=2)
    assert "sudah ada" in again.stderr


def test_commands_refuse_a_database_that_is_not_initialised(
    guarded_env: dict[str, str], tmp_path: Path
) -> None:
    env = dict(guarded_env)
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kosong.db'}"
    result = Cli(env)("post", "list", "--as", "utama", code=1)
    assert "siaran init" in result.stderr


def test_help_is_available_for_every_command(cli: Cli) -> None:
    top = cli("--help").stdout
    for command in [
        "init",
        "demo",
        "user",
        "opd",
        "account",
        "screen",
        "post",
        "import",
        "check",
        "up",
    ]:
        assert command in top
    assert "--as" in cli("post", "approve", "--help").stdout


def test_a_monev_report_is_the_owners_alone_and_holds_no_formula(demo: Cli, tmp_path: Path) -> None:
    out = tmp_path / "monev.xlsx"
    demo("monev", "report", "--period", "2026-11", "--out", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600  # the CLI runs with umask 077
    book = load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]


def test_monev_report_writes_the_pdf_with_the_xlsxs_opds(demo: Cli, tmp_path: Path) -> None:
    from tests.pdfread import need_poppler, pdf_text

    need_poppler()
    out, pdf = tmp_path / "monev.xlsx", tmp_path / "laporan.pdf"
    result = demo.json(
        "monev", "report", "--period", "2026-Q4", "--out", str(out), "--pdf", str(pdf)
    )
    assert result["pdf"] == str(pdf)  # type: ignore[index]
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    text = pdf_text(pdf.read_bytes())
    assert "Laporan Monev" in text and "Triwulan 4 2026" in text
    summary = list(load_workbook(out)["Ringkasan"].iter_rows(values_only=True))[1:]
    names = [str(row[2]) for row in summary]
    assert names and all(name[:30] in text for name in names)


def test_player_key_and_launcher_errors(demo: Cli, tmp_path: Path) -> None:
    issued = demo.json("player-key", "--screen", "bekasi-timur", "--as", "utama")
    assert issued["key"].startswith("spk_") and issued["screen"] == "bekasi-timur"  # type: ignore[index]
    refused = demo("player-key", "--screen", "bekasi-timur", "--as", "admin", code=4)
    assert refused.stderr.count("\n") == 1
    bad_feed = demo("player", "--screen", "bekasi-timur", "--feed", "10.0.0.5:8600", code=2)
    assert "http://" in bad_feed.stderr and bad_feed.stderr.count("\n") == 1
    no_browser = demo(
        "player",
        "--screen=bekasi-timur",
        "--feed=http://127.0.0.1:8600",
        f"--chromium={tmp_path / 'tidak-ada'}",
        code=2,
    )
    assert "Chromium tidak ditemukan" in no_browser.stderr


def test_a_screens_hours_closures_and_keys_are_set_from_the_command_line(demo: Cli) -> None:
    done = demo.json(
        "screen", "schedule", "bekasi-timur", "--as", "utama",
        "--hours", "06:00-22:00", "--day", "6=tutup", "--day", "5=07:00-21:00",
        "--closed", "2099-12-25:holiday", "--outside-hours", "dark",
        "--default-text", "Selamat datang di Bekasi Timur",
    )  # fmt: skip
    assert done == {
        "slug": "bekasi-timur",
        "hours": ["06:00", "22:00"],
        "weekly_hours": {"6": None, "5": ["07:00", "21:00"]},
        "closures": [{"day": "2099-12-25", "reason": "holiday"}],
        "default_outside_hours": False,
        "default_text": "Selamat datang di Bekasi Timur",
    }
    bad = demo("screen", "schedule", "bekasi-timur", "--as", "utama", "--day", "8=06:00-07:00",
               code=2)  # fmt: skip
    assert "0 (Senin) sampai 6" in bad.stderr and bad.stderr.count("\n") == 1
    past = demo("screen", "schedule", "bekasi-timur", "--as", "utama", "--closed", "2020-01-01",
                code=2)  # fmt: skip
    assert "sudah lewat" in past.stderr and past.stderr.count("\n") == 1
    not_utama = demo("screen", "schedule", "bekasi-timur", "--as", "admin", "--hours", "none",
                     code=4)  # fmt: skip
    assert not_utama.stderr.count("\n") == 1
    key = demo.json("player-key", "--screen", "bekasi-timur", "--as", "utama")
    key_id = str(key["id"])  # type: ignore[index]
    assert demo.json("screen", "revoke-key", key_id, "--as", "utama") == {
        "id": int(key_id),
        "revoked": True,
    }
    again = demo("screen", "revoke-key", key_id, "--as", "utama", code=5)
    assert "sudah dicabut" in again.stderr and again.stderr.count("\n") == 1


def test_register_import_and_the_three_parts_in_the_report(demo: Cli, tmp_path: Path) -> None:
    register = tmp_path / "register.csv"
    register.write_text(
        "nomor,tanggal_permohonan,tanggal_jawaban,hasil\n"
        "01/PPID,2026-11-02,2026-11-06,dipenuhi\n"
        "02/PPID,kemarin,,\n",
        encoding="utf-8",
    )
    result = demo.json("monev", "register-import", str(register), "--as", "dinkes")
    assert len(result["imported"]) == 1  # type: ignore[index]
    assert [e["row"] for e in result["errors"]] == [3]  # type: ignore[index]
    report = demo.json("monev", "report", "--period", "2026-11", "--out", str(tmp_path / "m.xlsx"))
    dinkes = next(s for s in report["scores"] if s["opd"] == "dinkes")  # type: ignore[index]
    assert set(dinkes["sections"]) == {"ppid", "pengaduan", "media"}
    assert dinkes["sections"]["pengaduan"] is None  # belum ada data, never a 0


def test_demo_has_humas_setda_a_bumd_and_a_party_secretariat(cli: Cli) -> None:
    cli("init")
    loaded = cli.json("demo")
    people = set(loaded["users"])  # type: ignore[index]
    assert {"tirtapatriot", "partai-a", "dinkes-admin", "disdukcapil-admin"} <= people
    kinds = {o["slug"]: o["kind"] for o in cli.json("opd", "list")}  # type: ignore[union-attr]
    assert kinds["humas-setda"] == "bagian"
    assert kinds["perumda-tirta-patriot"] == "bumd"
    assert kinds["partai-a"] == "partai"
    assert cli.json("demo", "--if-empty") == {"skipped": True}  # and nothing added twice


def test_a_party_secretariat_pembantu_cannot_see_or_act_on_a_dinas_post(demo: Cli) -> None:
    listed = demo.json("post", "list", "--as", "utama", "--status", "submitted")
    dinas = [p for p in listed["items"] if p["opd"] in {"dinkes", "disdukcapil"}]  # type: ignore[index]
    post_id = str(dinas[0]["id"])
    own = demo.json("post", "list", "--as", "partai-a")
    assert own["items"] == []  # type: ignore[index]
    hidden = demo("post", "show", post_id, "--as", "partai-a", code=3)
    assert "tidak ditemukan" in hidden.stderr and hidden.stderr.strip().count("\n") == 0
    for step in (("approve",), ("reject", "--comment", "Bukan urusan kami.")):
        # Refused in one sentence that says nothing of the post (neither its OPD nor its words).
        refused = demo("post", *step[:1], post_id, *step[1:], "--as", "partai-a", code=4)
        assert refused.stderr.strip().count("\n") == 0 and "OPD Anda sendiri" in refused.stderr
        assert dinas[0]["opd"] not in refused.stderr
    after = demo.json("post", "show", post_id, "--as", "utama")
    assert after["status"] == "submitted"  # type: ignore[index]
