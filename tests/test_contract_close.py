"""The end of a contract: close removes the workers (recorded), purge leaves nothing personal but the
deletion record, and the audit chain still verifies; a later edit still breaks it."""
from __future__ import annotations

import sqlite3

from conftest import bytes_left_in_files, run_mamoru
from test_report import C, script

from storage.db import open_db


def test_close_then_purge(db_path, tmp_path):
    from knowledge import library

    db = open_db(db_path)
    library.ensure_builtin(db)
    script(db)
    db.conn.close()
    r = run_mamoru(["contract", "close", C], db_path)
    assert r.returncode == 0 and "UW1" in r.stdout and "未完了の事項" in r.stdout
    assert run_mamoru(["contract", "purge", C, "--export-dir", str(tmp_path / "x"), "--yes"], db_path).returncode == 1
    r = run_mamoru(["contract", "close", C, "--yes"], db_path)
    assert r.returncode == 0, r.stderr
    r = run_mamoru(["contract", "purge", C, "--export-dir", str(tmp_path / "x"), "--yes"], db_path)
    assert r.returncode == 0, r.stderr
    assert sorted(p.suffix for p in (tmp_path / "x").iterdir()) == [".csv", ".jsonl"]
    assert "作業UW1" in (tmp_path / "x" / next(p.name for p in (tmp_path / "x").iterdir() if p.suffix == ".csv")).read_text("utf-8-sig")
    v = run_mamoru(["audit", "verify"], db_path)
    assert v.returncode == 0, v.stdout + v.stderr
    raw = bytes_left_in_files(db_path)
    for needle in ["UW1", "UW2", "UW6", "UL1", "作業UW1", "責任UL1"]:
        assert needle.encode("utf-8") not in raw, needle
    conn = sqlite3.connect(db_path)
    rec = conn.execute("SELECT actor_name, content, at FROM audit_purges").fetchall()
    assert len(rec) == 1 and C in rec[0][1]
    for sql in ("DELETE FROM audit_purges", "UPDATE audit_purges SET actor_name = 'x'"):
        try:
            conn.execute(sql)
            raise AssertionError(sql)
        except sqlite3.DatabaseError:
            pass
    # the officer's own record is still there; editing it breaks the chain
    conn.execute("UPDATE people SET name = '改ざん' WHERE user_id = 'UO1'")
    conn.commit()
    conn.close()
    assert run_mamoru(["audit", "verify"], db_path).returncode == 1
