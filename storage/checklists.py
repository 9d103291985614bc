"""Checklist records: confirmations, reasons for "no", leaving the desk, per-contract settings.

All append-only. A confirmation is one row per answer (who, contract, checklist, item, answer,
work date, clauses shown, where it came from, when); an answer changed later is a new row whose
`prev_id` names the answer it follows. `dedupe` is unique, so a double tap, a retried event or two
processes pressing at the same moment store one row:

- yes/no items: `<user>|<checklist>|<date>|<item>|<prev_id or 0>|<answer>` — the same answer as
  the latest is no new row, a different one is (a correction);
- events (IC card) and leaving-desk confirmations: a key given by the caller (the message's key,
  the leaving-desk record's id).
"""
from __future__ import annotations

import json
from typing import Iterable

import sqlite_utils

from storage.db import transaction  # noqa: F401  (re-exported for handlers)


def _rows(db: sqlite_utils.Database, sql: str, params: Iterable = ()) -> list[dict]:
    return [dict(r) for r in db.query(sql, list(params))]


def _one(db: sqlite_utils.Database, sql: str, params: Iterable = ()) -> dict | None:
    rows = _rows(db, sql, params)
    return rows[0] if rows else None


def _conf(row: dict) -> dict:
    row = dict(row)
    row["clause_ids"] = json.loads(row.get("clause_ids") or "[]")
    return row


# ---- confirmations ------------------------------------------------------------------------

def latest(db: sqlite_utils.Database, user_id: str, checklist_id: str, item_id: str, work_date: str) -> dict | None:
    row = _one(db, "SELECT * FROM checklist_confirmations WHERE user_id = ? AND checklist_id = ? AND item_id = ?"
                   " AND work_date = ? ORDER BY id DESC LIMIT 1", [user_id, checklist_id, item_id, work_date])
    return _conf(row) if row else None


def answer(db: sqlite_utils.Database, *, user_id: str, contract: str | None, checklist_id: str, item_id: str,
           answer: str, needs_reason: bool, work_date: str, clause_ids: list[str], source: str, via: str,
           at: str) -> int | None:
    """Record a yes/no answer unless it repeats the latest answer for that item and day.

    Returns the new row id, or None when nothing was recorded (a repeat). Call inside
    `transaction(db)` to check and insert atomically; the unique `dedupe` makes a lost race harmless.
    """
    prev = db.execute("SELECT id, answer FROM checklist_confirmations WHERE user_id = ? AND checklist_id = ?"
                      " AND item_id = ? AND work_date = ? ORDER BY id DESC LIMIT 1",
                      [user_id, checklist_id, item_id, work_date]).fetchone()
    if prev and prev[1] == answer:
        return None
    prev_id = prev[0] if prev else None
    dedupe = f"{user_id}|{checklist_id}|{work_date}|{item_id}|{prev_id or 0}|{answer}"
    return _insert(db, user_id=user_id, contract=contract, checklist_id=checklist_id, item_id=item_id,
                   answer=answer, needs_reason=needs_reason, work_date=work_date, clause_ids=clause_ids,
                   source=source, prev_id=prev_id, dedupe=dedupe, via=via, at=at)


def record(db: sqlite_utils.Database, *, user_id: str, contract: str | None, checklist_id: str, item_id: str,
           answer: str, work_date: str, clause_ids: list[str], source: str, dedupe: str, via: str, at: str,
           needs_reason: bool = False) -> int | None:
    """Record an event or a one-off confirmation under the caller's dedupe key; None if already there."""
    return _insert(db, user_id=user_id, contract=contract, checklist_id=checklist_id, item_id=item_id,
                   answer=answer, needs_reason=needs_reason, work_date=work_date, clause_ids=clause_ids,
                   source=source, prev_id=None, dedupe=dedupe, via=via, at=at)


def _insert(db, *, user_id, contract, checklist_id, item_id, answer, needs_reason, work_date, clause_ids, source,
            prev_id, dedupe, via, at) -> int | None:
    cur = db.execute(
        "INSERT OR IGNORE INTO checklist_confirmations (user_id, contract, checklist_id, item_id, answer,"
        " needs_reason, work_date, clause_ids, source, prev_id, dedupe, via, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [user_id, contract, checklist_id, item_id, answer, int(bool(needs_reason)), work_date,
         json.dumps(clause_ids, ensure_ascii=False), source, prev_id, dedupe, via, at])
    return cur.lastrowid if cur.rowcount == 1 else None


def confirmation(db: sqlite_utils.Database, confirmation_id: int) -> dict | None:
    row = _one(db, "SELECT * FROM checklist_confirmations WHERE id = ?", [confirmation_id])
    return _conf(row) if row else None


def day_answers(db: sqlite_utils.Database, work_date: str, user_id: str | None = None) -> list[dict]:
    """Every confirmation of one day (one person, or everyone), oldest first, with its reason if any."""
    sql = ("SELECT c.id, c.user_id, c.contract, c.checklist_id, c.item_id, c.answer, c.needs_reason, c.at, c.via,"
           " c.source, r.reason, r.declined, r.id AS reason_id FROM checklist_confirmations c"
           " LEFT JOIN checklist_reasons r ON r.confirmation_id = c.id WHERE c.work_date = ?")
    params: list = [work_date]
    if user_id is not None:
        sql += " AND c.user_id = ?"
        params.append(user_id)
    return _rows(db, sql + " ORDER BY c.id", params)


def between(db: sqlite_utils.Database, date_from: str, date_to: str, contract: str | None = None) -> list[dict]:
    """Every confirmation with work date in [date_from, date_to], with reason and leaving-desk end."""
    sql = ("SELECT c.*, r.reason, r.declined, r.at AS reason_at, r.via AS reason_via, a.at AS away_start_at,"
           " e.at AS away_end_at FROM checklist_confirmations c"
           " LEFT JOIN checklist_reasons r ON r.confirmation_id = c.id"
           # the away row's id from the source, so the join uses checklist_away's primary key
           " LEFT JOIN checklist_away a ON c.source LIKE 'away:%'"
           "  AND a.id = CAST(substr(c.source, 6) AS INTEGER) AND a.event = 'start'"
           " LEFT JOIN checklist_away e ON e.start_id = a.id AND e.event = 'end'"
           " WHERE c.work_date BETWEEN ? AND ?")
    params: list = [date_from, date_to]
    if contract:    # with the names the contract had before a rename (storage.people.names_of)
        from storage import people

        names = people.names_of(db, contract)
        sql += f" AND c.contract IN ({', '.join('?' * len(names))})"
        params += names
    return [_conf(r) for r in _rows(db, sql + " ORDER BY c.work_date, c.id", params)]


def version(db: sqlite_utils.Database) -> tuple:
    """Changes whenever anything a day's state depends on changes (used to cache within a pass)."""
    row = db.execute(
        "SELECT (SELECT MAX(id) FROM checklist_confirmations), (SELECT MAX(id) FROM checklist_reasons),"
        " (SELECT MAX(id) FROM checklist_away), (SELECT MAX(id) FROM checklist_settings),"
        " (SELECT MAX(id) FROM people), (SELECT MAX(id) FROM contracts)").fetchone()
    return tuple(row)


# ---- reasons ------------------------------------------------------------------------------

def add_reason(db: sqlite_utils.Database, *, confirmation_id: int, user_id: str, reason: str, declined: bool,
               via: str, at: str) -> bool:
    """The reason for a "no"; False if one was already recorded (the first one stands)."""
    cur = db.execute(
        "INSERT OR IGNORE INTO checklist_reasons (confirmation_id, user_id, reason, declined, via, at)"
        " VALUES (?, ?, ?, ?, ?, ?)", [confirmation_id, user_id, reason, int(bool(declined)), via, at])
    return cur.rowcount == 1


def reason(db: sqlite_utils.Database, confirmation_id: int) -> dict | None:
    return _one(db, "SELECT * FROM checklist_reasons WHERE confirmation_id = ?", [confirmation_id])


_AWAITING = ("SELECT c.* FROM checklist_confirmations c WHERE c.answer = 'no' AND c.needs_reason = 1"
             " AND NOT EXISTS (SELECT 1 FROM checklist_reasons r WHERE r.confirmation_id = c.id)"
             " AND NOT EXISTS (SELECT 1 FROM checklist_confirmations d WHERE d.user_id = c.user_id"
             "   AND d.checklist_id = c.checklist_id AND d.item_id = c.item_id AND d.work_date = c.work_date"
             "   AND d.id > c.id)")


def awaiting_reason(db: sqlite_utils.Database, user_id: str | None = None, since_at: str | None = None,
                    work_date: str | None = None) -> list[dict]:
    """"No" answers still waiting for their reason (and not answered differently since), oldest first."""
    sql, params = _AWAITING, []
    if user_id is not None:
        sql += " AND c.user_id = ?"
        params.append(user_id)
    if work_date is not None:
        sql += " AND c.work_date = ?"
        params.append(work_date)
    rows = [_conf(r) for r in _rows(db, sql + " ORDER BY c.id", params)]
    return [r for r in rows if since_at is None or r["at"] >= since_at]


# ---- leaving the desk ----------------------------------------------------------------------

def open_away(db: sqlite_utils.Database, user_id: str | None = None) -> list[dict]:
    """Leaving-desk records not yet closed by 「戻りました」 (one person, or everyone)."""
    sql = ("SELECT a.* FROM checklist_away a WHERE a.event = 'start'"
           " AND NOT EXISTS (SELECT 1 FROM checklist_away e WHERE e.event = 'end' AND e.start_id = a.id)"
           " AND a.id = (SELECT MAX(b.id) FROM checklist_away b WHERE b.user_id = a.user_id AND b.event = 'start')")
    params: list = []
    if user_id is not None:
        sql += " AND a.user_id = ?"
        params.append(user_id)
    return _rows(db, sql + " ORDER BY a.id", params)


def start_away(db: sqlite_utils.Database, *, user_id: str, via: str, at: str) -> int:
    cur = db.execute("INSERT INTO checklist_away (user_id, event, start_id, via, at) VALUES (?, 'start', NULL, ?, ?)",
                     [user_id, via, at])
    return cur.lastrowid


def end_away(db: sqlite_utils.Database, *, user_id: str, start_id: int, via: str, at: str) -> int | None:
    """Close a leaving-desk record; None if it had already been closed."""
    cur = db.execute("INSERT OR IGNORE INTO checklist_away (user_id, event, start_id, via, at) VALUES (?, 'end', ?, ?, ?)",
                     [user_id, start_id, via, at])
    return cur.lastrowid if cur.rowcount == 1 else None


def away_record(db: sqlite_utils.Database, away_id: int) -> dict | None:
    return _one(db, "SELECT * FROM checklist_away WHERE id = ?", [away_id])


def away_end(db: sqlite_utils.Database, start_id: int) -> dict | None:
    return _one(db, "SELECT * FROM checklist_away WHERE event = 'end' AND start_id = ?", [start_id])


def away_between(db: sqlite_utils.Database, user_id: str, start_at: str, end_at: str) -> list[dict]:
    return _rows(db, "SELECT * FROM checklist_away WHERE user_id = ? AND at >= ? AND at < ? ORDER BY id",
                 [user_id, start_at, end_at])


# ---- per-contract settings -------------------------------------------------------------------

def settings(db: sqlite_utils.Database) -> dict[str, dict]:
    """The current settings of every contract that has some: {contract: {...}}."""
    rows = _rows(db, "SELECT s.* FROM checklist_settings s WHERE s.id ="
                     " (SELECT MAX(t.id) FROM checklist_settings t WHERE t.contract = s.contract)")
    return {r["contract"]: dict(json.loads(r["settings"]), _at=r["at"], _actor=r["actor"]) for r in rows}


def append_settings(db: sqlite_utils.Database, *, contract: str, settings: dict, actor: str, via: str, at: str) -> int:
    cur = db.execute("INSERT INTO checklist_settings (contract, settings, actor, via, at) VALUES (?, ?, ?, ?, ?)",
                     [contract, json.dumps(settings, ensure_ascii=False, sort_keys=True), actor, via, at])
    return cur.lastrowid


# ---- the notice log, read for a whole day at once (one query instead of one per person) ----------

def sent_keys(db: sqlite_utils.Database, prefix: str) -> set[str]:
    """Notice keys starting with `prefix` that were sent (reads handlers.notices' log by key range)."""
    return {r[0] for r in db.execute(
        "SELECT key FROM notice_log WHERE key >= ? AND key < ? AND event = 'sent'", [prefix, prefix + "\uffff"])}
