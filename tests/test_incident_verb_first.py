"""`/mamoru incident ack INC-…` typed in the command line's word order acts on that incident.

Only `show` was read in either order: `/mamoru incident ack INC-2026-0001` (as `mamoru incident ack …`
is written on the command line) started a NEW incident report for the lead, with 「ack INC-2026-0001」
proposed as what happened, and the report stayed unacknowledged (the escalation went on). Real terminal
chat, real SQLite file.
"""
from __future__ import annotations

import sqlite3

from conftest import register_team, run_mamoru

NOW = {"MAMORU_NOW": "2026-12-01T10:05:00+09:00"}   # a Tuesday
REPORT = "インシデント報告\n3\n1\n1\n自社の作業場所\nexample.jp\n打合せ資料\n2\n1件\n宛先を間違えて送信しました\n1\n1\n1\n"


def _reported(db_path):
    register_team(db_path)
    r = run_mamoru(["chat", "--as", "UW1"], db_path, input=REPORT, env=NOW)
    assert "受付番号は INC-2026-0001" in r.stdout, r.stdout[-1500:]


def _lead(db_path, line: str) -> str:
    r = run_mamoru(["chat", "--as", "ULEAD"], db_path, input=line + "\n", env=NOW)
    assert r.returncode == 0, r.stderr
    return r.stdout


def _drafts(db_path, user: str) -> int:
    with sqlite3.connect(db_path) as c:
        return c.execute("SELECT count(*) FROM incident_sessions WHERE user_id = ?", [user]).fetchone()[0]


def test_ack_note_and_report_file_in_the_command_lines_word_order(db_path):
    _reported(db_path)
    out = _lead(db_path, "/mamoru incident ack INC-2026-0001")
    assert "報告を始めます" not in out and _drafts(db_path, "ULEAD") == 0
    with sqlite3.connect(db_path) as c:
        kinds = [k for (k,) in c.execute("SELECT kind FROM incident_events ORDER BY id")]
    assert "acknowledged" in kinds
    out = _lead(db_path, "/mamoru incident note INC-2026-0001 送信先から削除の連絡がありました")
    assert "報告を始めます" not in out and _drafts(db_path, "ULEAD") == 0
    with sqlite3.connect(db_path) as c:
        notes = [d for (k, d) in c.execute("SELECT kind, detail FROM incident_events") if k == "note"]
    assert len(notes) == 1 and "削除の連絡" in notes[0]
    out = _lead(db_path, "/mamoru incident export INC-2026-0001")
    assert "報告を始めます" not in out and "INC-2026-0001" in out


def test_a_report_started_in_words_still_starts_one(db_path):
    _reported(db_path)
    out = _lead(db_path, "/mamoru incident 市の資料を電車に置き忘れました")
    assert "報告を始めます" in out and _drafts(db_path, "ULEAD") == 1
