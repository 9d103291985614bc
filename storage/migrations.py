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


MIGRATIONS = [
    (1, "knowledge base: documents, clauses, forms", _m001_knowledge),
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
