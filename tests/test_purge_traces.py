"""After `mamoru contract purge`, nothing of the purged people can be read back from the files.

The scripted 吉川市 month (tests/test_audit_purge.py) plus what the issue found left behind: a
Slack action key naming a person, another contract's free text naming them, and a reader holding
the database open (the purge must then say it could not finish, not report success).
"""
from __future__ import annotations

import sqlite3

from conftest import bytes_left_in_files, run_mamoru
from test_audit_purge import _build
from test_report import C

from handlers import routing
from storage import slack_events
from storage.db import open_db


def test_purge_leaves_nothing_readable_and_refuses_to_report_success_while_a_reader_holds_the_file(tmp_path):
    path = tmp_path / "p.db"
    _build(path)
    db = open_db(path)
    name = db.execute("SELECT name FROM people WHERE user_id = 'UW1' ORDER BY id DESC LIMIT 1").fetchone()[0]
    slack_events.claim(db, "action:UW1:1700000000.000100:checklist_yes:abcd", kind="action", detail="checklist_yes")
    # another contract's worker writes about the purged person
    routing.record_feedback(db, "US_W", f"{name}さんの端末が開いたままでした", None, False, "slack_button")
    db.conn.close()
    before = bytes_left_in_files(path)      # the helper leaves text alone: the names are there before
    assert name.encode() in before and b"UW1" in before
    assert run_mamoru(["contract", "close", C, "--yes"], path).returncode == 0

    reader = sqlite3.connect(path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM people").fetchone()        # a long read: its snapshot pins the WAL
    r = run_mamoru(["contract", "purge", C, "--export-dir", str(tmp_path / "export"), "--yes"], path)
    assert r.returncode == 1, r.stdout
    assert "消去（チェックポイントとVACUUM）を完了できませんでした" in r.stdout + r.stderr
    reader.execute("ROLLBACK")
    reader.close()

    r = run_mamoru(["contract", "purge", C, "--export-dir", str(tmp_path / "export2"), "--yes"], path)
    assert r.returncode == 0, r.stdout + r.stderr                   # the second run finishes the compaction
    raw = bytes_left_in_files(path)
    assert name.encode() not in raw
    assert b"action:UW1" not in raw and b"UW1" not in raw
    assert run_mamoru(["audit", "verify"], path).returncode == 0


def test_personal_rows_of_a_contract_with_more_records_than_sqlite_takes_parameters(tmp_path):
    """A year of one contract is hundreds of thousands of confirmations: finding what a purge
    deletes must not pass one SQL parameter per row (SQLite stops at its variable limit, here
    lowered to 1,000 to keep the test small)."""
    from storage import reports
    from storage.db import transaction

    db = open_db(tmp_path / "big.db")
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO checklist_confirmations (user_id, contract, checklist_id, item_id, answer, work_date,"
            " dedupe, via, at) VALUES (?, '吉川市', 'start', 'lock', 'yes', '2026-11-02', ?, 'slack', ?)",
            [(f"UW{i % 3}", f"d{i}", "2026-11-02T09:00:00+09:00") for i in range(3_000)])
        db.execute("INSERT INTO checklist_reasons (confirmation_id, user_id, reason, declined, via, at)"
                   " VALUES (3000, 'UW9', '理由', 0, 'slack', '2026-11-02T09:00:00+09:00')")
    db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 1_000)
    rows = reports.personal_rows(db, ["UW0", "UW2"], "吉川市")
    assert len(rows["checklist_confirmations"]) == 2_000
    assert rows["checklist_reasons"] == [1]          # found through its confirmation (id 3000 is UW2's)
