"""Files mamoru writes hold personal records: 0600, and the folders it creates 0700, whatever the umask.

The real `mamoru` command, started from a shell whose umask would make them world-readable.
"""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from conftest import MAMORU, ROOT


def _run(args, db: Path, **env) -> subprocess.CompletedProcess:
    e = dict(os.environ, MAMORU_DB=str(db), PYTHONIOENCODING="utf-8", **env)
    for k in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"):
        e.pop(k, None)
    cmd = "umask 022; exec " + " ".join(f"'{a}'" for a in [MAMORU, *args])
    return subprocess.run(["sh", "-c", cmd], env=e, capture_output=True, text=True, cwd=ROOT, timeout=120)


def _mode(p) -> int:
    return stat.S_IMODE(os.stat(p).st_mode)


def test_database_wal_backups_exports_and_jobs_store_are_owner_only(tmp_path):
    db = tmp_path / "data" / "sub" / "mamoru.db"            # the folders do not exist yet
    r = _run(["contract", "add", "吉川市"], db)
    assert r.returncode == 0, r.stderr
    r = _run(["users", "add", "U1", "--name", "山田太郎", "--role", "officer", "--contract", "吉川市"], db)
    assert r.returncode == 0, r.stderr
    assert _mode(db.parent) == 0o700 and _mode(db) == 0o600
    for suffix in ("-wal", "-shm"):
        if Path(f"{db}{suffix}").exists():
            assert _mode(f"{db}{suffix}") == 0o600, suffix
    backup = tmp_path / "b.db"
    r = _run(["backup", str(backup)], db)
    assert r.returncode == 0, r.stderr + r.stdout
    assert _mode(backup) == 0o600
    export = tmp_path / "audit.jsonl"
    r = _run(["audit", "export", "-o", str(export)], db)
    assert r.returncode == 0, r.stderr
    assert _mode(export) == 0o600
    roster = tmp_path / "名簿.csv"
    r = _run(["export", "roster", "--contract", "吉川市", "--format", "csv", "-o", str(roster)], db)
    assert r.returncode == 0, r.stderr
    assert _mode(roster) == 0o600
    # the jobs store, as `serve` builds the scheduler
    code = ("import os; os.umask(0o022); from bot import scheduler; "
            f"s = scheduler.build_scheduler({str(db)!r}); print(scheduler.jobs_db_path({str(db)!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.returncode == 0, out.stderr
    assert _mode(out.stdout.strip()) == 0o600
    # an older database left world-readable is tightened when mamoru opens it
    os.chmod(db, 0o644)
    assert _run(["users", "list"], db).returncode == 0
    assert _mode(db) == 0o600
    # the key itself
    assert _mode(os.environ["MAMORU_AUDIT_KEY"]) == 0o600
