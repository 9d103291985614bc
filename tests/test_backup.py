"""`mamoru backup PATH` while another process keeps writing: every copy opens and verifies."""
from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time

from conftest import ROOT, run_mamoru

from handlers import routing
from storage import audit
from storage.db import open_db, transaction
from storage import people as pstore

# A second process writing through the real handlers as fast as it can: roster changes (write
# transactions, sealed at COMMIT) and feedback (autocommit, left pending for the next seal).
WRITER = textwrap.dedent("""
    import os, sys
    from handlers import people, routing
    from storage.db import open_db
    db = open_db(sys.argv[1])
    stop, i = sys.argv[2], 0
    while not os.path.exists(stop):
        status, reply = people.run_users(db, "cli", ["add", f"U{i % 40}", "--name", f"作業者{i}"], "cli")
        assert status == 0, reply.text
        routing.record_feedback(db, f"U{i % 40}", f"質問{i}", None, i % 2 == 0, "slack_button")
        i += 1
    print(i)
""")


def _preload(path, n: int = 4000) -> None:
    db = open_db(path)
    with transaction(db):
        for i in range(n):
            pstore.append(db, user_id=f"P{i}", change="add", name=f"既存{i}", role="worker", contracts=["吉川市"],
                          lead_id=None, start_date=None, days_off=[], active=True, actor="cli", via="cli",
                          at="2026-10-01T09:00:00+09:00")
    for i in range(200):
        routing.record_feedback(db, f"P{i}", f"既存の質問{i}", None, True, "slack_button")
    db.conn.close()


def _chain_length(path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0]
    finally:
        conn.close()


def test_backup_under_load_opens_and_verifies(db_path, tmp_path):
    _preload(db_path)
    stop = tmp_path / "stop"
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=dict(os.environ, PYTHONPATH=str(ROOT)))
    try:
        start = _chain_length(db_path)
        deadline = time.time() + 30
        while _chain_length(db_path) < start + 20 and time.time() < deadline:   # the writer is under way
            time.sleep(0.05)
        lengths = []
        for k in range(3):
            before = _chain_length(db_path)
            dest = tmp_path / f"copy{k}.db"
            r = run_mamoru(["backup", str(dest)], db_path)
            after = _chain_length(db_path)
            assert r.returncode == 0, r.stderr
            assert f"バックアップを作成しました: {dest}" in r.stdout and "quick_check）: ok" in r.stdout
            assert "記録の連鎖: 問題ありません" in r.stdout
            assert not os.path.exists(f"{dest}-wal")                 # one self-contained file
            conn = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)  # opens on its own, plain sqlite3
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            import sqlite_utils

            v = audit.verify(sqlite_utils.Database(conn))
            assert v.ok, [p.as_dict() for p in v.problems]
            n = v.length
            assert before <= n <= after, (before, n, after)          # one consistent snapshot mid-load
            lengths.append(n)
            conn.close()
        assert lengths[0] < lengths[1] < lengths[2]                   # the writer kept writing throughout
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert int(out) > 20
    r = run_mamoru(["audit", "verify"], db_path)
    assert r.returncode == 0, r.stderr


def test_backup_refuses_to_overwrite_and_reports_a_broken_copy(db_path, tmp_path):
    _preload(db_path, n=10)
    dest = tmp_path / "b.db"
    assert run_mamoru(["backup", str(dest)], db_path).returncode == 0
    r = run_mamoru(["backup", str(dest)], db_path)
    assert r.returncode == 1 and "既にあります" in r.stderr
    conn = sqlite3.connect(db_path, isolation_level=None)      # tamper with the live database
    conn.execute("UPDATE people SET name = '改ざん' WHERE id = 3")
    conn.close()
    r = run_mamoru(["backup", str(dest), "--force"], db_path)
    assert r.returncode == 1 and "最初に壊れている記録: 表 people、行ID 3、連番 3" in r.stderr
