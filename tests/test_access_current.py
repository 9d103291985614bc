"""Access follows the CURRENT roster, refusals name nobody and every refusal is recorded.

Through the terminal chat (`mamoru chat --as U…`, the same handlers as Slack) and the command
line, on a real database file; the records are then read with plain sqlite3.
"""
from __future__ import annotations

import re
import sqlite3

from conftest import run_mamoru
from test_incident_cli import register

REPORT = ["メールを誤送信しました", "3", "昨日15時頃", "1", "1", "自席", "hanako@example.org", "見積書（個人情報なし）",
          "2", "1通", "1", "1", "1", "1"]


def _chat(db, user, *lines) -> str:
    r = run_mamoru(["chat", "--as", user], db, input="\n".join(lines) + "\n")
    assert r.returncode == 0, r.stderr
    return r.stdout


def _refusals(db) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute("SELECT viewer_id, what, reason FROM access_refusals ORDER BY id").fetchall()


def test_removed_people_and_moved_leads_lose_access_and_refusals_name_nobody(db_path):
    register(db_path)
    assert run_mamoru(["users", "add", "UW2", "--name", "佐藤次郎", "--contract", "吉川市", "--lead", "ULEAD"],
                      db_path).returncode == 0
    out = _chat(db_path, "UW", *REPORT)
    ref = re.search(r"受付番号は (INC-\d{4}-\d{4})", out).group(1)
    assert ref in _chat(db_path, "ULEAD", f"incident {ref}")          # the lead sees it today

    # another worker of the same contract: refused, and told nothing of who reported it
    refused = _chat(db_path, "UW2", f"incident {ref}")
    assert "ご覧いただけません" in refused and "このお断りは記録されました" in refused
    assert "山田太郎" not in refused and "UW" not in refused.replace("UW2", "")

    # the reporter leaves: no more reading, no more notes
    assert run_mamoru(["users", "remove", "UW"], db_path).returncode == 0
    gone = _chat(db_path, "UW", f"incident {ref}", f"incident {ref} note カードが見つかりました")
    assert "見つかりました" not in gone.split("incident")[0] and gone.count("このお断りは記録されました") >= 1
    with sqlite3.connect(db_path) as c:
        assert c.execute("SELECT COUNT(*) FROM incident_events WHERE kind = 'note'").fetchone()[0] == 0

    # the lead moves to another contract: the old team's incident is no longer theirs
    assert run_mamoru(["contract", "add", "草加市"], db_path).returncode == 0
    move = ["users", "add", "ULEAD", "--name", "佐藤リーダー", "--role", "lead", "--contract", "草加市"]
    refused = run_mamoru(move, db_path)            # not while a worker of 吉川市 still names them
    assert refused.returncode == 1 and "佐藤次郎さん（UW2、吉川市）" in refused.stdout + refused.stderr
    assert run_mamoru(["users", "add", "UW2", "--lead", "UOFF"], db_path).returncode == 0
    assert run_mamoru(move, db_path).returncode == 0
    moved = _chat(db_path, "ULEAD", f"incident {ref}")
    assert "ご覧いただけません" in moved and "山田太郎" not in moved
    listed = _chat(db_path, "ULEAD", "incident list")
    assert ref not in listed

    # team, users and gaps refusals are recorded too
    _chat(db_path, "UW2", "team", "users list", "gaps")
    whats = [w for v, w, _ in _refusals(db_path) if v == "UW2"]
    assert "チームの状況" in whats and "利用者の登録・変更" in whats and "規定の不足の一覧" in whats
    assert {v for v, _, _ in _refusals(db_path)} >= {"UW", "UW2", "ULEAD"}
    assert run_mamoru(["audit", "verify"], db_path).returncode == 0
