"""The notice log: every notice claimed, sent or failed, keyed by its notice key (append-only).

Events: `claimed` (a pass reserved the key for its sender), `sent` (delivered; at most once per
key, enforced by a partial unique index), `failed` (the send failed: the next pass retries),
`dropped` (no longer due when it was about to be sent). A claim older than its lease frees the
key too (a sender that died mid-send). `at` is stored in UTC so claims compare as strings.

The message itself is stored once per distinct text in `notice_texts` (chained too; the claim row
points at it with `text_id`): the same reminder goes to hundreds of people a day, and a year of
copies was most of the database (benchmarks/oversight_scale.py). Rows written before migration 15
keep their text in `notice_log.text`; readers here see `text` either way.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json

import sqlite_utils

from storage.db import transaction


TEXTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS notice_texts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 BLOB NOT NULL UNIQUE,
    text TEXT NOT NULL,
    at TEXT NOT NULL
);
"""

# notice_log's columns as readers know them: the text from notice_texts when the row points there
_ROW = ("n.id, n.key, n.event, n.user_id, n.kind, COALESCE(n.text, t.text) AS text, n.detail, n.pass_at, n.via,"
        " n.at, n.text_id FROM notice_log n LEFT JOIN notice_texts t ON t.id = n.text_id")


def ensure_texts(db: sqlite_utils.Database) -> None:
    """notice_texts and notice_log.text_id (migration 15)."""
    from storage.migrations import run_script

    run_script(db, TEXTS_SCHEMA)
    if "text_id" not in [r[1] for r in db.execute("PRAGMA table_info(notice_log)").fetchall()]:
        db.execute("ALTER TABLE notice_log ADD COLUMN text_id INTEGER REFERENCES notice_texts(id)")


def text_id(db: sqlite_utils.Database, text: str | None, at: str) -> int | None:
    """The id of `text` in notice_texts, stored now if it is new (call inside the write transaction)."""
    if text is None:
        return None
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    db.execute("INSERT OR IGNORE INTO notice_texts (sha256, text, at) VALUES (?, ?, ?)", [digest, text, at])
    return db.execute("SELECT id FROM notice_texts WHERE sha256 = ?", [digest]).fetchone()[0]


def status(db: sqlite_utils.Database, key: str) -> dict | None:
    """The latest event for `key` ({"event", "at", ...}), a `sent` one taking precedence."""
    rows = list(db.query(f"SELECT {_ROW} WHERE n.key = ? AND n.event = 'sent'", [key]))
    if rows:
        return rows[0]
    rows = list(db.query(f"SELECT {_ROW} WHERE n.key = ? ORDER BY n.id DESC LIMIT 1", [key]))
    return rows[0] if rows else None


def is_sent(db: sqlite_utils.Database, key: str) -> bool:
    return db.execute("SELECT 1 FROM notice_log WHERE key = ? AND event = 'sent'", [key]).fetchone() is not None


def claim(db: sqlite_utils.Database, *, key: str, user_id: str, kind: str, text: str, detail: str, pass_at: str,
          via: str, at: str, lease_cutoff: str) -> bool:
    """Reserve `key` unless it was sent or is held by a claim newer than `lease_cutoff`.

    One INSERT … SELECT statement in a write transaction: of two concurrent passes exactly one gets
    the key (the text is stored first only when the key is free, so a refused claim leaves nothing).
    A pass claims all its keys in one `transaction` (handlers.notices.run_pass): one commit, sealed.
    Times `at` and `lease_cutoff` must be in the same offset (UTC) for the comparison.
    """
    with transaction(db):   # joins the pass's transaction; alone, it is its own (sealed at COMMIT)
        if held(db, key, lease_cutoff):
            return False
        cur = db.execute(
            "INSERT INTO notice_log (key, event, user_id, kind, text, detail, pass_at, via, at, text_id)"
            " SELECT ?, 'claimed', ?, ?, NULL, ?, ?, ?, ?, ?"
            " WHERE NOT EXISTS (SELECT 1 FROM notice_log WHERE key = ? AND event = 'sent')"
            " AND NOT EXISTS (SELECT 1 FROM notice_log l WHERE l.key = ? AND l.id ="
            "   (SELECT MAX(m.id) FROM notice_log m WHERE m.key = ?) AND l.event = 'claimed' AND l.at > ?)",
            [key, user_id, kind, detail, pass_at, via, at, text_id(db, text, at), key, key, key, lease_cutoff],
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
        if event == "sent" and is_sent(db, key):
            return False
        cur = db.execute(
            "INSERT OR IGNORE INTO notice_log (key, event, user_id, kind, text, detail, pass_at, via, at, text_id)"
            " VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)",
            [key, event, user_id, kind, detail, pass_at, via, at, text_id(db, text, at)],
        )
    return cur.rowcount == 1


def log(db: sqlite_utils.Database, key: str | None = None) -> list[dict]:
    if key is None:
        return [dict(r) for r in db.query(f"SELECT {_ROW} ORDER BY n.id")]
    return [dict(r) for r in db.query(f"SELECT {_ROW} WHERE n.key = ? ORDER BY n.id", [key])]


def texts_to_purge(db: sqlite_utils.Database, log_ids: list[int], needles: list[str]) -> list[int]:
    """notice_texts rows a purge takes with it: those naming one of the needles (names, user ids)
    and those only the purged notice_log rows point at. Call before the rows go."""
    out: set[int] = set()
    for n in needles:
        if n:
            out.update(r[0] for r in db.execute("SELECT id FROM notice_texts WHERE instr(text, ?) > 0", [n]))
    if log_ids:   # one pass each (no index on text_id: it would cost more than a purge's scans)
        ids = json.dumps(sorted(set(log_ids)))
        theirs = {r[0] for r in db.execute("SELECT DISTINCT text_id FROM notice_log WHERE text_id IS NOT NULL AND id IN"
                                           " (SELECT value FROM json_each(?))", [ids])}
        shared = {r[0] for r in db.execute("SELECT DISTINCT text_id FROM notice_log WHERE text_id IN"
                                           " (SELECT value FROM json_each(?)) AND id NOT IN"
                                           " (SELECT value FROM json_each(?))", [json.dumps(sorted(theirs)), ids])}
        out |= theirs - shared
    return sorted(out)


def log_rows_with_texts(db: sqlite_utils.Database, text_ids: list[int]) -> list[int]:
    """notice_log rows pointing at these texts (they go with the text: a row never points at nothing)."""
    if not text_ids:
        return []
    return [r[0] for r in db.execute("SELECT id FROM notice_log WHERE text_id IN (SELECT value FROM json_each(?))"
                                     " ORDER BY id", [json.dumps(sorted(set(text_ids)))])]


def utc_iso(dt: _dt.datetime) -> str:
    """Claim times are compared as strings, so they are always stored in UTC."""
    return dt.astimezone(_dt.timezone.utc).isoformat(timespec="seconds")


def sent_with_text(db: sqlite_utils.Database, prefix: str) -> list[dict]:
    """The notices sent whose key starts with `prefix`, each with its text (kept on its claim):
    key, user_id, at (of the sending, UTC), pass_at (the time of the pass that found it due, with
    its offset), text. One row per key."""
    out: dict[str, dict] = {}
    for r in db.query(
            "SELECT s.key, s.user_id, s.at, c.pass_at, COALESCE(c.text, t.text) AS text FROM notice_log s"
            " JOIN notice_log c ON c.key = s.key AND c.event = 'claimed' AND c.id < s.id"
            " LEFT JOIN notice_texts t ON t.id = c.text_id"
            " WHERE s.event = 'sent' AND s.key >= ? AND s.key < ? ORDER BY c.id", [prefix, prefix + "\uffff"]):
        if r["text"] is not None:
            out[r["key"]] = dict(r)
    return list(out.values())
