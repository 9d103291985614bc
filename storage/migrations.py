"""Schema migrations: numbered, applied once each, safe to run on every start.

Later capabilities append their own steps to MIGRATIONS; never edit a step that shipped.
"""
from __future__ import annotations

import datetime as _dt
import sqlite3

import sqlite_utils

from storage.schema import LATEST_MIGRATION


def run_script(db: sqlite_utils.Database, sql: str) -> None:
    """Several statements inside the caller's transaction (executescript would COMMIT it)."""
    buf = ""
    for line in sql.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            db.execute(buf)
            buf = ""
    if buf.strip():
        db.execute(buf)


_script = run_script  # the name the migration steps below use


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


def _m004_checklists(db: sqlite_utils.Database) -> None:
    """Checklist confirmations, the reasons given for "no", leaving-desk records, per-contract settings.

    Append-only like the rest: an answer changed later is a new row (prev_id names the one it follows).
    """
    _script(db,
        """
        CREATE TABLE IF NOT EXISTS checklist_confirmations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            contract TEXT,
            checklist_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'event')),
            needs_reason INTEGER NOT NULL DEFAULT 0,
            work_date TEXT NOT NULL,
            clause_ids TEXT NOT NULL DEFAULT '[]',
            source TEXT NOT NULL DEFAULT '',
            prev_id INTEGER,
            dedupe TEXT NOT NULL UNIQUE,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS checklist_confirmations_day
            ON checklist_confirmations(work_date, user_id, checklist_id, item_id, id);
        CREATE INDEX IF NOT EXISTS checklist_confirmations_user ON checklist_confirmations(user_id, id);
        CREATE TABLE IF NOT EXISTS checklist_reasons (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            confirmation_id INTEGER NOT NULL UNIQUE REFERENCES checklist_confirmations(id),
            user_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            declined INTEGER NOT NULL DEFAULT 0,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS checklist_away (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            event TEXT NOT NULL CHECK (event IN ('start', 'end')),
            start_id INTEGER REFERENCES checklist_away(id),
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS checklist_away_user ON checklist_away(user_id, id);
        CREATE UNIQUE INDEX IF NOT EXISTS checklist_away_end_once ON checklist_away(start_id) WHERE event = 'end';
        CREATE TABLE IF NOT EXISTS checklist_settings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            contract TEXT NOT NULL,
            settings TEXT NOT NULL,
            actor TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS checklist_settings_contract ON checklist_settings(contract, id);
        """
    )


def _m005_training(db: sqlite_utils.Database) -> None:
    """Onboarding training (storage/training.py): assignments, attempts (the questions drawn, in the
    order shown), answers, results, pledges, per-contract settings.

    Append-only: a changed deadline is a new assignment (prev_id), a second try a new attempt. An
    attempt is the quiz's conversation state too: the answers recorded so far say where the person is.
    Every table is evidence and joins the audit chain.
    """
    _script(db,
        """
        CREATE TABLE IF NOT EXISTS training_assignments (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            contract TEXT NOT NULL DEFAULT '',
            course_id TEXT NOT NULL,
            course_version TEXT NOT NULL,
            cycle TEXT NOT NULL,
            basis TEXT NOT NULL DEFAULT '',
            due_date TEXT NOT NULL,
            reason TEXT NOT NULL,
            prev_id INTEGER REFERENCES training_assignments(id),
            actor TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (user_id, course_id, cycle, basis)
        );
        CREATE INDEX IF NOT EXISTS training_assignments_user ON training_assignments(user_id, course_id, id);
        CREATE TABLE IF NOT EXISTS training_attempts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            assignment_id INTEGER NOT NULL REFERENCES training_assignments(id),
            user_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            cycle TEXT NOT NULL,
            number INTEGER NOT NULL,
            questions TEXT NOT NULL,
            total INTEGER NOT NULL,
            pass_percent INTEGER NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (user_id, course_id, cycle, number)
        );
        CREATE TABLE IF NOT EXISTS training_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            attempt_id INTEGER NOT NULL REFERENCES training_attempts(id),
            user_id TEXT NOT NULL,
            idx INTEGER NOT NULL,
            question_id TEXT NOT NULL,
            choice INTEGER NOT NULL,
            choice_text TEXT NOT NULL,
            correct INTEGER NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (attempt_id, idx)
        );
        CREATE TABLE IF NOT EXISTS training_results (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            attempt_id INTEGER NOT NULL UNIQUE REFERENCES training_attempts(id),
            user_id TEXT NOT NULL,
            course_id TEXT NOT NULL,
            cycle TEXT NOT NULL,
            correct INTEGER NOT NULL,
            total INTEGER NOT NULL,
            pass_percent INTEGER NOT NULL,
            passed INTEGER NOT NULL,
            valid_until TEXT,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS training_results_user ON training_results(user_id, course_id, id);
        CREATE TABLE IF NOT EXISTS training_pledges (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            result_id INTEGER NOT NULL UNIQUE REFERENCES training_results(id),
            user_id TEXT NOT NULL,
            pledge_id TEXT NOT NULL,
            pledge_version TEXT NOT NULL,
            text_sha256 TEXT NOT NULL,
            text TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS training_pledges_user ON training_pledges(user_id, id);
        CREATE TABLE IF NOT EXISTS training_settings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            contract TEXT NOT NULL,
            settings TEXT NOT NULL,
            actor TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS training_settings_contract ON training_settings(contract, id);
        """
    )
    from storage import audit

    audit.chain_tables(db, "training_assignments", "training_attempts", "training_answers", "training_results",
                       "training_pledges", "training_settings")


def _m006_incidents(db: sqlite_utils.Database) -> None:
    """Incident reports (storage/incidents.py): conversation steps, incidents, their timeline, settings.

    Append-only. The incidents, their timeline and the settings are evidence and join the audit
    chain; the conversation steps are state (not chained).
    """
    _script(db,
        """
        CREATE TABLE IF NOT EXISTS incident_sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('report', 'entry')),
            incident_id INTEGER,
            preset TEXT NOT NULL DEFAULT '{}',
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS incident_sessions_user ON incident_sessions(user_id, id);
        CREATE TABLE IF NOT EXISTS incident_steps (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES incident_sessions(id),
            seq INTEGER NOT NULL,
            op TEXT NOT NULL,
            question TEXT NOT NULL DEFAULT '',
            value TEXT NOT NULL DEFAULT 'null',
            via TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (session_id, seq)
        );
        CREATE TABLE IF NOT EXISTS incidents (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            ref TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            session_id INTEGER NOT NULL UNIQUE REFERENCES incident_sessions(id),
            reporter_id TEXT NOT NULL,
            lead_ids TEXT NOT NULL DEFAULT '[]',
            notified TEXT NOT NULL DEFAULT '[]',
            type TEXT NOT NULL,
            contract TEXT,
            answers TEXT NOT NULL DEFAULT '{}',
            clause_ids TEXT NOT NULL DEFAULT '[]',
            masked TEXT NOT NULL DEFAULT '[]',
            escalate INTEGER NOT NULL DEFAULT 1,
            flow_version INTEGER NOT NULL DEFAULT 1,
            via TEXT NOT NULL,
            at TEXT NOT NULL,
            UNIQUE (year, seq)
        );
        CREATE INDEX IF NOT EXISTS incidents_reporter ON incidents(reporter_id, id);
        CREATE TABLE IF NOT EXISTS incident_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            incident_id INTEGER NOT NULL REFERENCES incidents(id),
            kind TEXT NOT NULL CHECK (kind IN ('reported', 'acknowledged', 'city_reported', 'measure', 'note', 'closed',
                                               'reopened')),
            actor TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT '{}',
            dedupe TEXT UNIQUE,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS incident_events_incident ON incident_events(incident_id, id);
        CREATE TABLE IF NOT EXISTS incident_settings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            alert_channel TEXT,
            actor TEXT NOT NULL,
            via TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """
    )
    from storage import audit

    audit.chain_tables(db, "incidents", "incident_events", "incident_settings")


def _m007_audit(db: sqlite_utils.Database) -> None:
    """The audit chain (storage/audit.py), access refusals, and the chaining of every evidencing
    table that exists so far (rows already there are adopted in rowid order)."""
    from storage import audit

    audit.ensure_schema(db)
    audit.ensure_refusals(db)
    audit.chain_tables(db, *[t for t in audit.CORE_TABLES
                             if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                           [t]).fetchone()])


def _m009_chain_checklists(db: sqlite_utils.Database) -> None:
    """Checklist records join the audit chain (they evidence compliance like the others)."""
    from storage import audit

    audit.chain_tables(db, "checklist_confirmations", "checklist_reasons", "checklist_away", "checklist_settings")


def _m008_reports(db: sqlite_utils.Database) -> None:
    """Report schedules (storage/reports.py) and deletion records (storage/audit.py purge), both chained."""
    from storage import audit, reports

    reports.ensure_schema(db)
    audit.ensure_purge(db)
    audit.chain_tables(db, "report_schedules")


def _m010_contracts_explicit(db: sqlite_utils.Database) -> None:
    """Contracts become explicit things: a removed (or renamed-away) contract is a row with state
    'removed'; a renamed one names where it came from. People gain their e-mail address (roster
    import and export). Every contract name still in use without a row of its own gets one, so
    nothing on record points at a contract that does not exist."""
    from storage import audit, people

    cols = {r[1] for r in db.execute("PRAGMA table_info(contracts)").fetchall()}
    if "state" not in cols:
        db.execute("ALTER TABLE contracts ADD COLUMN state TEXT NOT NULL DEFAULT 'active'")
    if "renamed_from" not in cols:
        db.execute("ALTER TABLE contracts ADD COLUMN renamed_from TEXT")
    if "email" not in {r[1] for r in db.execute("PRAGMA table_info(people)").fetchall()}:
        db.execute("ALTER TABLE people ADD COLUMN email TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS people_email ON people(email)")
    known = {r[0] for r in db.execute("SELECT DISTINCT name FROM contracts").fetchall()}
    at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    for name in sorted(people.referenced_contract_names(db) - known):
        db.execute("INSERT INTO contracts (name, municipality, doc_slugs, actor, via, at) VALUES (?, ?, NULL,"
                   " 'migration', 'cli', ?)", [name, name, at])
    audit.chain_tables(db, "contracts", "people")


def _m011_clause_versions(db: sqlite_utils.Database) -> None:
    """Every text a clause id has had, so records that cited an older version keep its text."""
    from storage import kb

    kb.ensure_versions(db)


def _m012_document_uploads(db: sqlite_utils.Database) -> None:
    """Documents shared with the bot in Slack, and what became of each (storage/uploads.py)."""
    from storage import audit, uploads

    uploads.ensure_schema(db)
    audit.chain_tables(db, "document_uploads", "document_upload_results")


def _m013_keyed_chain(db: sqlite_utils.Database) -> None:
    """The audit chain becomes keyed (HMAC, key outside the database) and keeps no copy of the
    records (storage/audit.py convert_to_keyed; a new database is keyed from the start)."""
    from storage import audit

    audit.convert_to_keyed(db)


def _m014_routed_contracts(db: sqlite_utils.Database) -> None:
    """Routed questions keep the contracts of the person who asked: a lead's answer is offered again
    only to people of those contracts (handlers/routing.py prior_answer)."""
    from storage import audit

    if "contracts" not in [r[1] for r in db.execute("PRAGMA table_info(routed_questions)").fetchall()]:
        db.execute("ALTER TABLE routed_questions ADD COLUMN contracts TEXT")
    audit.chain_table(db, "routed_questions")


def _m015_notice_texts(db: sqlite_utils.Database) -> None:
    """A notice's text is stored once per distinct text (storage/notices.py notice_texts, chained);
    notice_log rows point at it. Rows already there keep their text as it is (records are never
    rewritten: their digests stay valid)."""
    from storage import audit, notices

    notices.ensure_texts(db)
    audit.chain_tables(db, "notice_texts", "notice_log")


def _m016_audit_blocks(db: sqlite_utils.Database) -> None:
    """Block MACs over the audit chain (storage/audit.py): verify checks N rows with one HMAC.
    Written for an existing chain only when it verifies row by row first."""
    from storage import audit

    audit.ensure_schema(db)
    audit.build_blocks(db)


def _m017_clause_vectors(db: sqlite_utils.Database) -> None:
    """Clause meaning vectors (knowledge/meaning.py); an older database gets them on its first search."""
    from storage import kb

    kb.ensure_vector_table(db)


def _m018_verdict_reasons(db: sqlite_utils.Database) -> None:
    """Why each clause carries its verdict, stored when its document is loaded, so that `kb show`
    (once per clause in a review tool) need not judge the whole document again. Filled here for
    the documents already loaded."""
    from storage import kb

    kb.ensure_verdict_reasons(db)


MIGRATIONS = [
    (1, "knowledge base: documents, clauses, forms", _m001_knowledge),
    (2, "people, contracts, routed questions, feedback, notice log", _m002_people_and_notices),
    (3, "slack: claimed event ids and outgoing keys", _m003_slack_events),
    (4, "checklists", _m004_checklists),
    (5, "training", _m005_training),
    (6, "incidents", _m006_incidents),
    (7, "audit chain", _m007_audit),
    (8, "report schedules, deletion records", _m008_reports),
    (9, "audit chain: checklist records", _m009_chain_checklists),
    (10, "contracts explicit (state, renamed_from); people e-mail", _m010_contracts_explicit),
    (11, "knowledge base: clause text versions", _m011_clause_versions),
    (12, "documents shared in Slack", _m012_document_uploads),
    (13, "audit chain: keyed, no copies of the records", _m013_keyed_chain),
    (14, "routed questions: the asker's contracts", _m014_routed_contracts),
    (15, "notice texts stored once", _m015_notice_texts),
    (16, "audit chain: block MACs", _m016_audit_blocks),
    (17, "knowledge base: clause meaning vectors", _m017_clause_vectors),
    (18, "knowledge base: why each clause carries its verdict", _m018_verdict_reasons),
]
# Read-only fast paths (storage/kb_read.py) trust a file whose newest migration is this one.
assert MIGRATIONS[-1][0] == LATEST_MIGRATION, "raise storage/schema.py LATEST_MIGRATION with each new migration"


def _chain_top(db: sqlite_utils.Database) -> int:
    try:
        row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_chain'").fetchone()
    except sqlite3.OperationalError:
        return 0
    return row[0] if row else 0


def _seal(db: sqlite_utils.Database, start: int) -> None:
    from storage import audit

    audit.seal_pending(db, after=start)


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
            start = _chain_top(db)
            step(db)
            _seal(db, start)   # records a step wrote are chained like any other write
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
