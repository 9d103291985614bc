"""Schema migrations: numbered, applied once each, safe to run on every start.

Later capabilities append their own steps to MIGRATIONS; never edit a step that shipped.
"""
from __future__ import annotations

import datetime as _dt
import sqlite3

import sqlite_utils


def _script(db: sqlite_utils.Database, sql: str) -> None:
    """Run several statements inside the caller's transaction (executescript would COMMIT it)."""
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.execute(buf)
            buf = ""
    if buf.strip():
        db.execute(buf)


def _m001_knowledge(db: sqlite_utils.Database) -> None:
    _script(db, 
        """
        CREATE TABLE IF NOT EXISTS documents (
            slug TEXT PRIMARY KEY,
            municipality TEXT,
            title TEXT NOT NULL,
            file_name TEXT,
            fmt TEXT,
            content_hash TEXT NOT NULL,
            builtin INTEGER NOT NULL DEFAULT 0,
            preamble TEXT NOT NULL DEFAULT '',
            clause_count INTEGER NOT NULL DEFAULT 0,
            loaded_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS clauses (
            id TEXT PRIMARY KEY,
            doc_slug TEXT NOT NULL REFERENCES documents(slug) ON DELETE CASCADE,
            key TEXT NOT NULL,
            parent_id TEXT,
            level TEXT NOT NULL,
            label TEXT NOT NULL,
            heading TEXT NOT NULL,
            text TEXT NOT NULL,
            citation TEXT NOT NULL,
            verdict TEXT NOT NULL,
            ord INTEGER NOT NULL,
            terms TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS clauses_doc ON clauses(doc_slug, ord);
        CREATE TABLE IF NOT EXISTS forms (
            id TEXT PRIMARY KEY,
            doc_slug TEXT NOT NULL REFERENCES documents(slug) ON DELETE CASCADE,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            ord INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS kb_meta (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        """
    )


def _m003_slack_events(db: sqlite_utils.Database) -> None:
    _script(db,
        """
        CREATE TABLE IF NOT EXISTS slack_events (
            key TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '',
            received_at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS slack_events_received ON slack_events(kind, received_at);
        """
    )


def _m002_people_and_notices(db: sqlite_utils.Database) -> None:
    """People, contracts, registration, routed questions, feedback, the notice log.

    Every table is append-only: a change is a new row, the current state is the latest row.
    Each row says who (actor), from where (via) and when (at, ISO 8601 with offset).
    """
    _script(db,
        """
        CREATE TABLE IF NOT EXISTS contracts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            municipality TEXT,
            doc_slugs TEXT,
            actor TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS contracts_name ON contracts(name, id);
        CREATE TABLE IF NOT EXISTS people (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            change TEXT NOT NULL,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('worker', 'lead', 'officer', 'admin')),
            contracts TEXT NOT NULL DEFAULT '[]',
            lead_id TEXT,
            start_date TEXT,
            days_off TEXT NOT NULL DEFAULT '[]',
            active INTEGER NOT NULL,
            actor TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS people_user ON people(user_id, id);
        CREATE VIEW IF NOT EXISTS people_current AS
            SELECT p.* FROM people p WHERE p.id = (SELECT MAX(q.id) FROM people q WHERE q.user_id = p.user_id);
        CREATE TABLE IF NOT EXISTS registration_requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            name TEXT NOT NULL,
            recipients TEXT NOT NULL DEFAULT '[]',
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS registration_requests_user ON registration_requests(user_id, id);
        CREATE TABLE IF NOT EXISTS registration_decisions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            request_id INTEGER NOT NULL UNIQUE REFERENCES registration_requests(id),
            decision TEXT NOT NULL,
            actor TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS routed_questions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            asker_id TEXT NOT NULL,
            question TEXT NOT NULL,
            norm TEXT NOT NULL,
            clause_ids TEXT NOT NULL DEFAULT '[]',
            reason TEXT NOT NULL,
            assignee_id TEXT,
            recipients TEXT NOT NULL DEFAULT '[]',
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS routed_questions_asker ON routed_questions(asker_id, id);
        CREATE TABLE IF NOT EXISTS routed_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            routed_id INTEGER NOT NULL REFERENCES routed_questions(id),
            responder_id TEXT NOT NULL,
            answer TEXT NOT NULL,
            clause_ids TEXT NOT NULL DEFAULT '[]',
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS routed_answers_routed ON routed_answers(routed_id, id);
        CREATE TABLE IF NOT EXISTS feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            question TEXT NOT NULL,
            norm TEXT NOT NULL,
            clause_id TEXT NOT NULL DEFAULT '',
            helpful INTEGER NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS feedback_key ON feedback(user_id, norm, clause_id, id);
        CREATE TABLE IF NOT EXISTS notice_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            key TEXT NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('claimed', 'sent', 'failed', 'dropped')),
            user_id TEXT,
            kind TEXT,
            text TEXT,
            detail TEXT,
            pass_at TEXT,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS notice_log_key ON notice_log(key, id);
        CREATE UNIQUE INDEX IF NOT EXISTS notice_log_sent_once ON notice_log(key) WHERE event = 'sent';
        """
    )


MIGRATIONS = [
    (1, "knowledge base: documents, clauses, forms", _m001_knowledge),
    (2, "people, contracts, routed questions, feedback, notice log", _m002_people_and_notices),
    (3, "slack: claimed event ids and outgoing keys", _m003_slack_events),
]


def apply(db: sqlite_utils.Database) -> list[int]:
    """Apply every migration not yet recorded; returns the ids applied now."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT, applied_at TEXT)"
    )
    done = {r[0] for r in db.execute("SELECT id FROM _migrations").fetchall()}
    applied = []
    for mid, name, step in MIGRATIONS:
        if mid in done:
            continue
        db.execute("BEGIN IMMEDIATE")
        try:
            # Re-check inside the write lock: another process may have just applied it.
            if db.execute("SELECT 1 FROM _migrations WHERE id = ?", [mid]).fetchone():
                db.execute("COMMIT")
                continue
            step(db)
            db.execute(
                "INSERT INTO _migrations (id, name, applied_at) VALUES (?, ?, ?)",
                [mid, name, _dt.datetime.now(_dt.timezone.utc).isoformat()],
            )
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        applied.append(mid)
    return applied
