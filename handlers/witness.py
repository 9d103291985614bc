"""The audit chain's head, witnessed outside the database every day: one line to the officer.

Someone holding the database file AND the audit key could rebuild the chain (docs/audit.md); a
head hash that left the server (a Slack DM, the status report, an auditor's export) still ties
the records to what they were then: `mamoru audit verify --head HASH` says whether the chain still
holds it. Once a working day, from MAMORU_AUDIT_HEAD_TIME (default 17:00; `off` stops it) and
during their working time, each officer (else each admin) gets the current head; the same head is
written to the local witness next to the key (storage.auditkey).
"""
from __future__ import annotations

import datetime as _dt
import os

import sqlite_utils

from handlers import notices, people, workdays
from handlers.replies import Reply
from storage import audit as store
from storage import people as pstore

SOURCE = "audit_head"
TIME_ENV = "MAMORU_AUDIT_HEAD_TIME"


def send_time() -> _dt.time | None:
    raw = (os.environ.get(TIME_ENV) or "17:00").strip().lower()
    if raw == "off":
        return None
    try:
        return _dt.time.fromisoformat(raw)
    except ValueError:
        return _dt.time(17, 0)


def head_line(db: sqlite_utils.Database, why: str, now: _dt.datetime | None = None) -> str | None:
    """「記録の連鎖の先頭: 連番 N、ハッシュ H（… 時点）」, witnessed locally as it is given out (None: empty
    chain). The time is when the head is read (`now`, else the clock every other record uses:
    workdays.now(), which honours MAMORU_NOW), as the report's 作成 time and the notices pass are;
    the chain row's own sealing time is SQLite's, which nothing else shown to people uses."""
    try:
        h = store.witness_head(db, why)
    except OSError:
        h = store.head(db)
    if not h:
        return None
    return f"記録の連鎖の先頭: 連番 {h['seq']}、ハッシュ {h['hash']}（{workdays.format_jst(now or workdays.now())} 時点）"


def _recipients(db) -> list[str]:
    ids = [p["user_id"] for p in pstore.active(db, role="officer")]
    return ids or [p["user_id"] for p in pstore.active(db, role="admin")]


def _due(db: sqlite_utils.Database, now: _dt.datetime):
    at = send_time()
    local = now.astimezone(workdays.JST)
    if at is None or local.time() < at:
        return
    day = local.date().isoformat()
    to = [u for u in _recipients(db)
          if workdays.is_working_time(now, (people.get_person(db, u) or {}).get("days_off"))]
    keys = {u: f"{notices.PREFIX}{SOURCE}:{day}:{u}" for u in to}
    to = [u for u in to if not notices.is_sent(db, keys[u])]
    if not to:
        return
    line = head_line(db, "daily", now)
    if line is None:
        return
    text = (f"本日の記録の連鎖の控えです。\n{line}\n"
            "この値はデータベースの外に残る控えです。記録が後から書き換えられていないかは、"
            "`mamoru audit verify --head ハッシュ` で確認できます。")
    for u in to:
        yield notices.Notice(keys[u], u, Reply(text), "audit_head", f"head {day}")


notices.register_source(SOURCE, _due)
