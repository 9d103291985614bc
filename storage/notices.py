"""The notice log: every notice claimed, sent or failed, keyed by its notice key (append-only).

Events: `claimed` (a pass reserved the key for its sender), `sent` (delivered; at most once per
key, enforced by a partial unique index), `failed` (the send failed: the next pass retries),
`dropped` (no longer due when it was about to be sent). A claim older than its lease frees the
key too (a sender that died mid-send). `at` is stored in UTC so claims compare as strings.
"""
from __future__ import annotations

import datetime as _dt

import sqlite_utils

from storage.db import transaction


def status(db: sqlite_utils.Database, key: str) -> dict | None:
    """The latest event for `key` ({"event", "at", ...}), a `sent` one taking precedence."""
    rows = list(db.query("SELECT * FROM notice_log WHERE key = ? AND event = 'sent'", [key]))
    if rows:
        return rows[0]
    rows = list(db.query("SELECT * FROM notice_log WHERE key = ? ORDER BY id DESC LIMIT 1", [key]))
    return rows[0] if rows else None


def is_sent(db: sqlite_utils.Database, key: str) -> bool:
    return db.execute("SELECT 1 FROM notice_log WHERE key = ? AND event = 'sent'", [key]).fetchone() is not None


def claim(db: sqlite_utils.Database, *, key: str, user_id: str, kind: str, text: str, detail: str, pass_at: str,
          via: str, at: str, lease_cutoff: str) -> bool:
    """Reserve `key` unless it was sent or is held by a claim newer than `lease_cutoff`.

    One INSERT … SELECT statement: atomic, so of two concurrent passes exactly one gets the key.
    A pass claims all its keys in one `transaction` (handlers.notices.run_pass): one commit, sealed.
    Times `at` and `lease_cutoff` must be in the same offset (UTC) for the comparison.
    """
    cur = db.execute(
        "INSERT INTO notice_log (key, event, user_id, kind, text, detail, pass_at, via, at)"
        " SELECT ?, 'claimed', ?, ?, ?, ?, ?, ?, ?"
        " WHERE NOT EXISTS (SELECT 1 FROM notice_log WHERE key = ? AND event = 'sent')"
        " AND NOT EXISTS (SELECT 1 FROM notice_log l WHERE l.key = ? AND l.id ="
        "   (SELECT MAX(m.id) FROM notice_log m WHERE m.key = ?) AND l.event = 'claimed' AND l.at > ?)",
        [key, user_id, kind, text, detail, pass_at, via, at, key, key, key, lease_cutoff],
    )
    return cur.rowcount == 1


def held(db: sqlite_utils.Database, key: str, lease_cutoff: str) -> bool:
    """True if `key` was sent or is claimed by a live claim (what `claim` would refuse)."""
    if is_sent(db, key):
        return True
    row = db.execute("SELECT event, at FROM notice_log WHERE key = ? ORDER BY id DESC LIMIT 1", [key]).fetchone()
    return bool(row and row[0] == "claimed" and row[1] > lease_cutoff)


def record(db: sqlite_utils.Database, *, key: str, event: str, user_id: str | None, kind: str | None,
           text: str | None, detail: str, pass_at: str | None, via: str, at: str) -> bool:
    """Append a `sent`, `failed` or `dropped` event; False when `sent` was already recorded for the key."""
    with transaction(db):   # sealed into the audit chain as it is committed
        cur = db.execute(
            "INSERT OR IGNORE INTO notice_log (key, event, user_id, kind, text, detail, pass_at, via, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [key, event, user_id, kind, text, detail, pass_at, via, at],
        )
    return cur.rowcount == 1


def log(db: sqlite_utils.Database, key: str | None = None) -> list[dict]:
    if key is None:
        return [dict(r) for r in db.query("SELECT * FROM notice_log ORDER BY id")]
    return [dict(r) for r in db.query("SELECT * FROM notice_log WHERE key = ? ORDER BY id", [key])]


def utc_iso(dt: _dt.datetime) -> str:
    """Claim times are compared as strings, so they are always stored in UTC."""
    return dt.astimezone(_dt.timezone.utc).isoformat(timespec="seconds")
