"""Incident reports: conversation state, submitted incidents, their timeline, the alert channel.

Everything is append-only:
- `incident_sessions` + `incident_steps`: a conversation (a report being written, or a lead's
  timeline entry being typed). Each answer, 「戻る」, 「修正」, cancel or submit is a step
  (seq 1, 2, …; UNIQUE(session_id, seq)); the state is the replay of the steps, so a restart
  resumes exactly where the person was. Conversation state, not evidence: not chained.
- `incidents`: one row per report sent, with its number INC-YYYY-NNNN (year, seq unique: the
  sequence is taken inside the write transaction, so concurrent submissions never share one),
  the answers as JSON (already masked), the clauses cited, the leads told.
- `incident_events`: the timeline (reported, acknowledged, city_reported, measure, note,
  closed, reopened), each with who, when, from where and a dedupe key (a double tap is one).
- `incident_settings`: the officer's optional alert channel (latest row wins).
"""
from __future__ import annotations

import json

import sqlite_utils

from storage.db import transaction  # noqa: F401  (re-exported for the handlers)

TERMINAL_OPS = ("submit", "cancel", "done")
STATUS_OPS = ("submit", "cancel", "done", "reopen")
EVENT_KINDS = ("reported", "acknowledged", "city_reported", "measure", "note", "closed", "reopened")

# The evidencing tables (storage.audit chains them; migration 6 creates them).
CHAINED = ("incidents", "incident_events", "incident_settings")


def _one(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


def _json(v) -> str:
    return json.dumps(v, ensure_ascii=False, separators=(",", ":"))


# ---- sessions -------------------------------------------------------------------------------

def _session(r: dict | None) -> dict | None:
    if r is None:
        return None
    r = dict(r)
    r["preset"] = json.loads(r["preset"] or "{}")
    return r


def new_session(db: sqlite_utils.Database, *, user_id: str, kind: str, incident_id: int | None, preset: dict,
                via: str, at: str) -> int:
    cur = db.execute("INSERT INTO incident_sessions (user_id, kind, incident_id, preset, via, at) VALUES (?, ?, ?, ?, ?, ?)",
                     [user_id, kind, incident_id, _json(preset or {}), via, at])
    return cur.lastrowid


def session(db: sqlite_utils.Database, session_id: int) -> dict | None:
    return _session(_one(db, "SELECT * FROM incident_sessions WHERE id = ?", [session_id]))


_STATUS = ("(SELECT st.op FROM incident_steps st WHERE st.session_id = s.id AND st.op IN ('submit', 'cancel', 'done',"
           " 'reopen') ORDER BY st.seq DESC LIMIT 1)")
_LAST_AT = "(SELECT MAX(st.at) FROM incident_steps st WHERE st.session_id = s.id)"


def open_sessions(db: sqlite_utils.Database, user_id: str, kind: str | None = None) -> list[dict]:
    """The person's sessions still in progress, newest first, each with `last_at` (last step or start)."""
    sql = (f"SELECT s.*, {_STATUS} AS status, COALESCE({_LAST_AT}, s.at) AS last_at FROM incident_sessions s"
           " WHERE s.user_id = ?")
    params: list = [user_id]
    if kind:
        sql += " AND s.kind = ?"
        params.append(kind)
    rows = [_session(r) for r in db.query(sql + " ORDER BY s.id DESC LIMIT 50", params)]
    return [r for r in rows if r["status"] in (None, "reopen")]


def status(db: sqlite_utils.Database, session_id: int) -> str | None:
    row = db.execute("SELECT op FROM incident_steps WHERE session_id = ? AND op IN ('submit', 'cancel', 'done', 'reopen')"
                     " ORDER BY seq DESC LIMIT 1", [session_id]).fetchone()
    return row[0] if row else None


def steps(db: sqlite_utils.Database, session_id: int) -> list[dict]:
    out = []
    for r in db.query("SELECT * FROM incident_steps WHERE session_id = ? ORDER BY seq", [session_id]):
        r = dict(r)
        r["value"] = json.loads(r["value"])
        out.append(r)
    return out


def append_step(db: sqlite_utils.Database, *, session_id: int, op: str, question: str = "", value=None, via: str,
                at: str) -> int:
    """Append the next step (call inside a transaction); returns its seq."""
    row = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM incident_steps WHERE session_id = ?", [session_id]).fetchone()
    seq = int(row[0])
    db.execute("INSERT INTO incident_steps (session_id, seq, op, question, value, via, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
               [session_id, seq, op, question, _json(value), via, at])
    return seq


def step_count(db: sqlite_utils.Database, session_id: int) -> int:
    return int(db.execute("SELECT COUNT(*) FROM incident_steps WHERE session_id = ?", [session_id]).fetchone()[0])


# ---- incidents ------------------------------------------------------------------------------

def _incident(r: dict | None) -> dict | None:
    if r is None:
        return None
    r = dict(r)
    for k in ("lead_ids", "notified", "clause_ids", "masked"):
        r[k] = json.loads(r[k] or "[]")
    r["answers"] = json.loads(r["answers"] or "{}")
    r["escalate"] = bool(r["escalate"])
    return r


def insert_incident(db: sqlite_utils.Database, *, year: int, session_id: int, reporter_id: str, lead_ids: list[str],
                    notified: list[str], type: str, contract: str | None, answers: dict, clause_ids: list[str],
                    masked: list[str], escalate: bool, flow_version: int, via: str, at: str) -> dict:
    """A new incident with the next number of `year` (call inside a write transaction)."""
    seq = int(db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM incidents WHERE year = ?", [year]).fetchone()[0])
    ref = f"INC-{year}-{seq:04d}"
    cur = db.execute(
        "INSERT INTO incidents (ref, year, seq, session_id, reporter_id, lead_ids, notified, type, contract, answers,"
        " clause_ids, masked, escalate, flow_version, via, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [ref, year, seq, session_id, reporter_id, _json(lead_ids), _json(notified), type, contract, _json(answers),
         _json(clause_ids), _json(masked), int(escalate), flow_version, via, at])
    return incident(db, cur.lastrowid)


def incident(db: sqlite_utils.Database, incident_id: int) -> dict | None:
    return _incident(_one(db, "SELECT * FROM incidents WHERE id = ?", [incident_id]))


def by_ref(db: sqlite_utils.Database, ref: str) -> dict | None:
    return _incident(_one(db, "SELECT * FROM incidents WHERE ref = ?", [ref]))


def by_session(db: sqlite_utils.Database, session_id: int) -> dict | None:
    return _incident(_one(db, "SELECT * FROM incidents WHERE session_id = ?", [session_id]))


def incidents(db: sqlite_utils.Database, reporter_id: str | None = None) -> list[dict]:
    if reporter_id:
        return [_incident(r) for r in db.query("SELECT * FROM incidents WHERE reporter_id = ? ORDER BY id", [reporter_id])]
    return [_incident(r) for r in db.query("SELECT * FROM incidents ORDER BY id")]


def index(db: sqlite_utils.Database, reporter_id: str | None = None) -> list[dict]:
    """Every incident without its answers, with its state from the timeline, in one query (for lists
    and Home): acked_by (the first to acknowledge), acknowledged, city (reported to the city), closed."""
    sql = ("SELECT i.id, i.ref, i.type, i.reporter_id, i.lead_ids, i.contract, i.escalate, i.at,"
           " (SELECT e.actor FROM incident_events e WHERE e.incident_id = i.id AND e.kind = 'acknowledged'"
           "  ORDER BY e.id LIMIT 1) AS acked_by,"
           " EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id AND e.kind IN ('acknowledged', 'closed'))"
           "  AS acknowledged,"
           " EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id AND e.kind = 'city_reported') AS city,"
           " COALESCE((SELECT MAX(e.id) FROM incident_events e WHERE e.incident_id = i.id AND e.kind = 'closed'), 0)"
           "  > COALESCE((SELECT MAX(e.id) FROM incident_events e WHERE e.incident_id = i.id AND e.kind = 'reopened'), 0)"
           "  AS closed"
           " FROM incidents i")
    params: list = []
    if reporter_id:
        sql += " WHERE i.reporter_id = ?"
        params.append(reporter_id)
    out = []
    for r in db.query(sql + " ORDER BY i.id", params):
        r = dict(r)
        r["lead_ids"] = json.loads(r["lead_ids"] or "[]")
        for k in ("escalate", "acknowledged", "city", "closed"):
            r[k] = bool(r[k])
        out.append(r)
    return out


def unacknowledged(db: sqlite_utils.Database) -> list[dict]:
    """Incidents nobody has acknowledged or closed yet (what escalation looks at)."""
    return [_incident(r) for r in db.query(
        "SELECT i.* FROM incidents i WHERE NOT EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = i.id"
        " AND e.kind IN ('acknowledged', 'closed')) ORDER BY i.id")]


# ---- timeline -------------------------------------------------------------------------------

def add_event(db: sqlite_utils.Database, *, incident_id: int, kind: str, actor: str, detail: dict | None = None,
              dedupe: str | None = None, via: str, at: str) -> int | None:
    """Append a timeline entry; None when `dedupe` was already recorded (a double tap)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown incident event kind {kind!r}")
    cur = db.execute(
        "INSERT OR IGNORE INTO incident_events (incident_id, kind, actor, detail, dedupe, via, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [incident_id, kind, actor, _json(detail or {}), dedupe, via, at])
    return cur.lastrowid if cur.rowcount == 1 else None


def events(db: sqlite_utils.Database, incident_id: int) -> list[dict]:
    out = []
    for r in db.query("SELECT * FROM incident_events WHERE incident_id = ? ORDER BY id", [incident_id]):
        r = dict(r)
        r["detail"] = json.loads(r["detail"] or "{}")
        out.append(r)
    return out


def events_by_incident(db: sqlite_utils.Database, incident_ids: list[int] | None = None) -> dict[int, list[dict]]:
    """Every timeline entry grouped by incident (one query), oldest first."""
    out: dict[int, list[dict]] = {}
    for r in db.query("SELECT * FROM incident_events ORDER BY id"):
        if incident_ids is not None and r["incident_id"] not in incident_ids:
            continue
        r = dict(r)
        r["detail"] = json.loads(r["detail"] or "{}")
        out.setdefault(r["incident_id"], []).append(r)
    return out


def escalations(db: sqlite_utils.Database, ref: str) -> list[dict]:
    """Escalation notices sent for an incident (from the notice log): key, user, time."""
    prefix = f"notice:incident:escalate:{ref}:"
    return [dict(r) for r in db.query(
        "SELECT key, user_id, at, via FROM notice_log WHERE event = 'sent' AND substr(key, 1, ?) = ? ORDER BY id",
        [len(prefix), prefix])]


# ---- settings -------------------------------------------------------------------------------

def alert_channel(db: sqlite_utils.Database) -> str | None:
    row = db.execute("SELECT alert_channel FROM incident_settings ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row and row[0] else None


def set_alert_channel(db: sqlite_utils.Database, *, channel: str | None, actor: str, via: str, at: str) -> int:
    cur = db.execute("INSERT INTO incident_settings (alert_channel, actor, via, at) VALUES (?, ?, ?, ?)",
                     [channel, actor, via, at])
    return cur.lastrowid
