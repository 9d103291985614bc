"""Status reports and the end of a contract: report schedules, the checklist answers a report counts,
the rows a contract purge deletes.

Append-only like the rest: a changed schedule is a new row of `report_schedules` (the latest per
contract is in force); it is chained (storage/audit.py). The purge itself is storage.audit.purge;
this module only finds the rows that hold a set of people's personal records.
"""
from __future__ import annotations

import json

import sqlite_utils

from storage.db import transaction  # noqa: F401  (re-exported for handlers)

SCHEMA = """
CREATE TABLE IF NOT EXISTS report_schedules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    contract TEXT NOT NULL,
    every TEXT NOT NULL CHECK (every IN ('month', 'quarter', 'off')),
    actor TEXT NOT NULL,
    via TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS report_schedules_contract ON report_schedules(contract, id);
"""


def ensure_schema(db: sqlite_utils.Database) -> None:
    from storage.migrations import _script

    _script(db, SCHEMA)


def schedule(db: sqlite_utils.Database, contract: str) -> dict | None:
    rows = list(db.query("SELECT * FROM report_schedules WHERE contract = ? ORDER BY id DESC LIMIT 1", [contract]))
    return dict(rows[0]) if rows else None


def set_schedule(db: sqlite_utils.Database, *, contract: str, every: str, actor: str, via: str, at: str) -> int:
    with transaction(db):
        cur = db.execute("INSERT INTO report_schedules (contract, every, actor, via, at) VALUES (?, ?, ?, ?, ?)",
                         [contract, every, actor, via, at])
    return cur.lastrowid


# ---- what the report counts ----------------------------------------------------------------

def contract_since(db: sqlite_utils.Database, name: str) -> str | None:
    """When the contract was first added (ISO time), or None: no report covers a period before it."""
    from storage import people

    names = people.names_of(db, name)               # a renamed contract began under its first name
    row = db.execute(f"SELECT MIN(at) FROM contracts WHERE name IN {_in(names)}", [_j(names)]).fetchone()
    return row[0] if row and row[0] else None


def checklist_answers_of_day(db: sqlite_utils.Database, work_date: str) -> list[tuple[str, str, str, str]]:
    """(user_id, checklist_id, item_id, answer) of every checklist confirmation of one work date,
    oldest first (so the last one per item is the answer that stands). One day at a time: a year's
    report never holds the whole year in memory."""
    return db.execute("SELECT user_id, checklist_id, item_id, answer FROM checklist_confirmations"
                      " WHERE work_date = ? ORDER BY id", [work_date]).fetchall()


# ---- what a purge deletes -------------------------------------------------------------------

def _ids(db: sqlite_utils.Database, sql: str, params: list) -> list[int]:
    return [r[0] for r in db.execute(sql, params).fetchall()]


def _in(values) -> str:
    """One parameter for a whole list (its JSON, passed with _j): a contract's confirmations are
    hundreds of thousands of ids, far beyond SQLite's limit on parameters."""
    return "(SELECT value FROM json_each(?))"


def _j(values) -> str:
    return json.dumps(list(values), ensure_ascii=False)


def personal_rows(db: sqlite_utils.Database, user_ids: list[str], contract: str) -> dict[str, list[int]]:
    """Every row holding these people's personal records (and the contract's incidents), table ->
    rowids, children before parents (the order a purge deletes them in)."""
    u = list(user_ids)
    if not u:
        return {}
    q = _in(u)
    out: dict[str, list[int]] = {}
    from storage import people

    names = people.names_of(db, contract)           # the contract's incidents under earlier names too
    incidents = _ids(db, f"SELECT id FROM incidents WHERE reporter_id IN {q} OR contract IN {_in(names)}",
                     [_j(u), _j(names)])
    iq = _in(incidents)
    sessions = _ids(db, f"SELECT id FROM incident_sessions WHERE user_id IN {q}"
                        f" OR incident_id IN {iq}", [_j(u), _j(incidents)])
    sq = _in(sessions)
    sessions += _ids(db, f"SELECT session_id FROM incidents WHERE id IN {iq} AND session_id NOT IN {sq}",
                     [_j(incidents), _j(sessions)])
    sq = _in(sessions)
    routed = _ids(db, f"SELECT id FROM routed_questions WHERE asker_id IN {q}", [_j(u)])
    rq = _in(routed)
    requests = _ids(db, f"SELECT id FROM registration_requests WHERE user_id IN {q}", [_j(u)])
    reqq = _in(requests)
    attempts = _ids(db, f"SELECT id FROM training_attempts WHERE user_id IN {q}", [_j(u)])
    aq = _in(attempts)
    results = _ids(db, f"SELECT id FROM training_results WHERE user_id IN {q} OR attempt_id IN {aq}",
                   [_j(u), _j(attempts)])
    resq = _in(results)
    confs = _ids(db, f"SELECT id FROM checklist_confirmations WHERE user_id IN {q}", [_j(u)])
    cq = _in(confs)
    plan = [
        ("incident_events", f"SELECT id FROM incident_events WHERE incident_id IN {iq} OR actor IN {q}",
         [_j(incidents), _j(u)]),
        ("incidents", None, incidents),
        ("incident_steps", f"SELECT id FROM incident_steps WHERE session_id IN {sq}", [_j(sessions)]),
        ("incident_sessions", None, sessions),
        ("training_pledges", f"SELECT id FROM training_pledges WHERE user_id IN {q} OR result_id IN {resq}",
         [_j(u), _j(results)]),
        ("training_results", None, results),
        ("training_answers", f"SELECT id FROM training_answers WHERE user_id IN {q} OR attempt_id IN {aq}",
         [_j(u), _j(attempts)]),
        ("training_attempts", None, attempts),
        ("training_assignments", f"SELECT id FROM training_assignments WHERE user_id IN {q}", [_j(u)]),
        ("checklist_reasons", f"SELECT id FROM checklist_reasons WHERE user_id IN {q} OR confirmation_id IN {cq}",
         [_j(u), _j(confs)]),
        ("checklist_confirmations", None, confs),
        ("checklist_away", f"SELECT id FROM checklist_away WHERE user_id IN {q} ORDER BY id DESC", [_j(u)]),
        ("routed_answers", f"SELECT id FROM routed_answers WHERE routed_id IN {rq} OR responder_id IN {q}",
         [_j(routed), _j(u)]),
        ("routed_questions", None, routed),
        ("feedback", f"SELECT id FROM feedback WHERE user_id IN {q}", [_j(u)]),
        ("registration_decisions", f"SELECT id FROM registration_decisions WHERE request_id IN {reqq}"
                                   f" OR actor IN {q}", [_j(requests), _j(u)]),
        ("registration_requests", None, requests),
        ("notice_log", f"SELECT id FROM notice_log WHERE user_id IN {q}", [_j(u)]),
        ("access_refusals", f"SELECT id FROM access_refusals WHERE viewer_id IN {q} OR subject_id IN {q}",
         [_j(u), _j(u)]),
        ("slack_events", f"SELECT rowid FROM slack_events WHERE detail IN {q} OR "     # action:U…:… keys too
                         + " OR ".join("instr(key, ?) > 0" for _ in u), [_j(u), *u]),
        ("people", f"SELECT id FROM people WHERE user_id IN {q}", [_j(u)]),
    ]
    for table, sql, params in plan:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone():
            continue
        ids = _ids(db, sql, params) if sql else list(params)
        if ids:
            out[table] = ids
    return out


def notice_keys_naming(db: sqlite_utils.Database, user_ids: list[str]) -> list[int]:
    """notice_log rows whose key names one of these people (a digest sent to their lead, say)."""
    out: list[int] = []
    for u in user_ids:
        out += _ids(db, "SELECT id FROM notice_log WHERE instr(key, ?) > 0 OR instr(COALESCE(text, ''), ?) > 0"
                        " OR instr(COALESCE(detail, ''), ?) > 0", [u, u, u])
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'notice_texts'").fetchone():
        from storage import notices   # texts stored once (migration 15): the rows pointing at a naming text
        out += notices.log_rows_with_texts(db, notices.texts_to_purge(db, [], user_ids))
    return sorted(set(out))


def text_mentions(db: sqlite_utils.Database, table: str, columns: list[str], needles: list[str]) -> list[int]:
    """Rows of `table` whose given text columns mention any of the needles (names, user ids)."""
    out: set[int] = set()
    for n in needles:
        if not n:
            continue
        cond = " OR ".join(f"instr(COALESCE(\"{c}\", ''), ?) > 0" for c in columns)
        out.update(_ids(db, f"SELECT rowid FROM \"{table}\" WHERE {cond}", [n] * len(columns)))
    return sorted(out)
