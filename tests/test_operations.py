"""Running for real: the systemd unit's own command line started against the Slack stand-in and a
temporary database (GET /healthz), and `mamoru doctor` on a healthy and on a broken set-up."""
from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from slack_standin import BOT_TOKEN, SIGNING_SECRET, SlackStandIn, free_port

ROOT = Path(__file__).resolve().parent.parent
MAMORU = str(Path(sys.executable).with_name("mamoru"))
UNIT = ROOT / "docs" / "mamoru.service"


def unit_service() -> tuple[list[str], dict]:
    """(ExecStart argv, Environment=) from docs/mamoru.service."""
    env, exec_start = {}, None
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if line.startswith("Environment="):
            k, _, v = line[len("Environment="):].partition("=")
            env[k] = v
        elif line.startswith("ExecStart="):
            exec_start = line[len("ExecStart="):]
    assert exec_start, "docs/mamoru.service has no ExecStart"
    return shlex.split(exec_start), env


def clean_env(**extra) -> dict:
    # the test run's audit key stays: without it a child would create ~/.config/mamoru/audit.key
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "MAMORU_")) or k == "MAMORU_AUDIT_KEY"}
    env.update(PYTHONIOENCODING="utf-8", **extra)
    return env


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_the_units_command_line_serves_healthz(tmp_path):
    argv, unit_env = unit_service()
    assert argv[0] == "/opt/mamoru/.venv/bin/mamoru" and argv[1:3] == ["serve", "--http"]
    port = free_port()
    # the unit's variables, with this machine's paths; systemd expands ${VAR} in ExecStart the same way
    env = clean_env(**{k: v for k, v in unit_env.items()})
    env.update(MAMORU_DB=str(tmp_path / "mamoru.db"), MAMORU_BACKUP_DIR=str(tmp_path / "backups"),
               MAMORU_PORT=str(port))
    argv = [MAMORU if i == 0 else re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], a) for i, a in enumerate(argv)]
    with SlackStandIn() as slack:
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.api_url)
        log = open(tmp_path / "serve.log", "wb")
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            status, body = None, None
            while time.monotonic() < deadline:
                assert proc.poll() is None, (tmp_path / "serve.log").read_text()
                try:
                    status, body = get(f"http://127.0.0.1:{port}/healthz")
                    if body.get("scheduler") == "running":
                        break
                except (OSError, ValueError):
                    pass
                time.sleep(0.1)
            assert status == 200 and body["status"] == "ok", body
            assert body["scheduler"] == "running" and body["database"] == "writable"
            assert set(body) == {"status", "time", "scheduler", "database"}     # nothing personal
        finally:
            proc.terminate()
            proc.wait(15)
            log.close()
    jobs = tmp_path / "mamoru.db.jobs.sqlite"
    assert jobs.exists()


def test_healthz_says_when_the_scheduler_has_stopped(tmp_path):
    from bot import health
    from storage.db import open_db

    open_db(tmp_path / "m.db")

    class Stopped:
        running = False

    status, body = health.healthz(tmp_path / "m.db", Stopped())
    assert status == 503 and body["scheduler"] == "stopped" and body["status"] == "error"
    status, body = health.healthz(tmp_path / "missing-dir" / "m.db", None)
    assert status == 503 and body["database"] == "error"


def healthy_setup(tmp_path: Path) -> dict:
    """A database, its scheduler jobs and a fresh backup, with the permissions doctor wants."""
    from bot import scheduler
    from handlers import backups
    from storage.db import open_db

    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    db = d / "mamoru.db"
    open_db(db).conn.close()
    os.chmod(db, 0o600)
    env = clean_env(MAMORU_DB=str(db), MAMORU_BACKUP_DIR=str(d / "backups"))
    old = dict(os.environ)
    os.environ.update(env)
    try:
        s = scheduler.start_scheduler(db, sender=None)
        s.shutdown(wait=False)
        assert backups.run(db, d / "backups", 3)["ok"]
    finally:
        os.environ.clear()
        os.environ.update(old)
    return env


def doctor(env) -> subprocess.CompletedProcess:
    return subprocess.run([MAMORU, "doctor"], env=env, capture_output=True, text=True, timeout=60)


def test_doctor_on_a_healthy_setup(tmp_path):
    env = healthy_setup(tmp_path)
    with SlackStandIn() as slack:
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN="xapp-1-test", SLACK_API_URL=slack.api_url)
        r = doctor(env)
        assert slack.find("auth.test") and slack.find("apps.connections.open"), r.stdout + r.stderr
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout
    for title in ("設定", "Slack の設定", "ボットトークン", "権限（スコープ）", "アプリレベルトークン", "データベース",
                  "データベースの権限", "鍵ファイルの権限", "マイグレーション", "スケジューラ", "空き容量", "バックアップ"):
        assert f"[OK]     {title}:" in out, (title, out)
    assert "結果: 問題はありません。" in out


def test_doctor_on_a_broken_setup_says_what_to_fix(tmp_path):
    env = healthy_setup(tmp_path)
    db = Path(env["MAMORU_DB"])
    os.chmod(db, 0o644)
    bk = Path(env["MAMORU_BACKUP_DIR"])
    for f in bk.iterdir():
        f.rename(bk / "mamoru-20200101-030000.db")          # the last backup is years old
    with SlackStandIn() as slack:
        slack.scopes = "chat:write,commands,im:history,im:write,users:read"
        env.update(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET="s", SLACK_API_URL=slack.api_url,
                   MAMORU_BACKUP_KEEP="many")
        r = doctor(env)
        assert r.returncode == 1
        out = r.stdout
        assert "[要対応] 設定: MAMORU_BACKUP_KEEP='many'（バックアップの保持数）は整数ではありません" in out
        assert "[要対応] 権限（スコープ）: 足りない権限があります: app_mentions:read、files:read、files:write、users:read.email" in out
        assert "再インストール" in out
        assert f"[要対応] データベースの権限: データベース {db} は誰でも読める権限です（644）" in out
        assert f"chmod 600 {db}" in out
        assert "[要対応] バックアップ: 最新のバックアップは" in out and "mamoru-20200101-030000.db" in out
        key = tmp_path / "loose.key"
        key.write_bytes(b"k" * 32)
        key.chmod(0o644)
        out = doctor({**env, "MAMORU_AUDIT_KEY": str(key)}).stdout
        assert f"[要対応] 鍵ファイルの権限:" in out and f"chmod 600 {key}" in out
        out = doctor({**env, "MAMORU_AUDIT_KEY": str(tmp_path / "gone.key")}).stdout
        assert f"[要対応] 記録の連鎖の鍵: 鍵ファイル {tmp_path / 'gone.key'} がありません" in out
        slack.fail("auth.test", "invalid_auth")
        out = doctor(env).stdout
        assert "[要対応] ボットトークン: Slack がトークンを受け付けませんでした（auth.test: invalid_auth）" in out
    env["SLACK_API_URL"] = f"http://127.0.0.1:{free_port()}/api/"      # nothing listens there
    env.pop("SLACK_SIGNING_SECRET")
    out = doctor(env).stdout
    assert "[要対応] Slack の設定: SLACK_APP_TOKEN（Socket Mode）も SLACK_SIGNING_SECRET（HTTP モード）もありません" in out
    (Path(str(db) + ".jobs.sqlite")).unlink()
    out = doctor(env).stdout
    assert "[要対応] スケジューラ: ジョブの保存先" in out and "がありません" in out


def test_doctor_on_a_fresh_machine_lists_every_step(tmp_path):
    env = clean_env(HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "share"))
    env.pop("MAMORU_AUDIT_KEY")                     # a fresh machine: the default place, under HOME
    r = doctor(env)
    assert r.returncode == 1
    assert "[要対応] Slack の設定: SLACK_BOT_TOKEN が設定されていません" in r.stdout
    assert "[要対応] データベース:" in r.stdout and "[要対応] バックアップ:" in r.stdout
    assert "[注意]   記録の連鎖の鍵: 鍵ファイル" in r.stdout
    assert not (tmp_path / "share" / "mamoru" / "mamoru.db").exists()        # doctor changed nothing
    assert not (tmp_path / ".config" / "mamoru" / "audit.key").exists()


def test_a_new_database_is_readable_by_its_owner_only(tmp_path):
    import stat

    from storage.db import open_db

    open_db(tmp_path / "fresh" / "m.db").conn.close()
    assert stat.S_IMODE((tmp_path / "fresh" / "m.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "fresh").stat().st_mode) == 0o700
