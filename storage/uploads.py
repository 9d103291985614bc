"""Documents shared with the bot in Slack (handlers/documents.py): the ask, then its outcome.

`document_uploads` is conversation state and evidence both: who shared which file (Slack file id,
name, size as Slack reported it before any download) and when; `document_upload_results` holds the
one outcome per upload (loaded into which contract and document, or refused and why). The UNIQUE
upload_id makes a double click one load. Both join the audit chain.
"""
from __future__ import annotations

import json

import sqlite_utils

from storage.db import transaction

SCHEMA = """
CREATE TABLE IF NOT EXISTS document_uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    file_id TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    filetype TEXT NOT NULL DEFAULT '',
    via TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS document_uploads_user ON document_uploads(user_id, id);
CREATE TABLE IF NOT EXISTS document_upload_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id INTEGER NOT NULL UNIQUE REFERENCES document_uploads(id),
    outcome TEXT NOT NULL CHECK (outcome IN ('loaded', 'refused', 'cancelled')),
    contract TEXT,
    slug TEXT,
    detail TEXT NOT NULL DEFAULT '{}',
    actor TEXT NOT NULL,
    via TEXT NOT NULL,
    at TEXT NOT NULL
);
"""


def ensure_schema(db: sqlite_utils.Database) -> None:
    from storage.migrations import run_script

    run_script(db, SCHEMA)


def add(db: sqlite_utils.Database, *, user_id: str, file_id: str, name: str, size: int, filetype: str, via: str,
        at: str) -> int:
    with transaction(db):
        return db.execute("INSERT INTO document_uploads (user_id, file_id, name, size, filetype, via, at)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)", [user_id, file_id, name, size, filetype, via, at]).lastrowid


def get(db: sqlite_utils.Database, upload_id: int) -> dict | None:
    rows = list(db.query("SELECT u.*, r.outcome, r.contract AS result_contract, r.slug AS result_slug"
                         " FROM document_uploads u LEFT JOIN document_upload_results r ON r.upload_id = u.id"
                         " WHERE u.id = ?", [upload_id]))
    return rows[0] if rows else None


def finish(db: sqlite_utils.Database, *, upload_id: int, outcome: str, contract: str | None, slug: str | None,
           detail: dict, actor: str, via: str, at: str) -> bool:
    """The upload's outcome; False when it already has one (a second press)."""
    with transaction(db):
        cur = db.execute("INSERT OR IGNORE INTO document_upload_results (upload_id, outcome, contract, slug, detail,"
                         " actor, via, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [upload_id, outcome, contract, slug, json.dumps(detail, ensure_ascii=False), actor, via, at])
        return cur.rowcount == 1


def claim(db: sqlite_utils.Database, upload_id: int) -> bool:
    """True when the upload has no outcome yet (checked again by finish's UNIQUE)."""
    return not db.execute("SELECT 1 FROM document_upload_results WHERE upload_id = ?", [upload_id]).fetchone()
