"""Claims on Slack deliveries, so each is acted on once even across restarts.

A key is an Events API `event_id` ("event:Ev123"), a button press ("action:…"), or an
outgoing message's idempotency key ("out:…"). `claim` is atomic: of two processes or
threads claiming the same key, exactly one gets True.
"""
from __future__ import annotations

import datetime as _dt

import sqlite_utils


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def claim(db: sqlite_utils.Database, key: str, kind: str = "event", detail: str = "") -> bool:
    """Record `key`; True if this call is the first to do so."""
    cur = db.execute(
        "INSERT OR IGNORE INTO slack_events (key, kind, detail, received_at) VALUES (?, ?, ?, ?)",
        [key, kind, detail[:200], _now()],
    )
    return cur.rowcount == 1


def release(db: sqlite_utils.Database, key: str) -> None:
    """Forget a claim whose work failed, so a later attempt may try again."""
    db.execute("DELETE FROM slack_events WHERE key = ?", [key])


def seen(db: sqlite_utils.Database, key: str) -> bool:
    return db.execute("SELECT 1 FROM slack_events WHERE key = ?", [key]).fetchone() is not None


def prune(db: sqlite_utils.Database, older_than_days: int = 30) -> int:
    """Drop event claims older than Slack could ever retry (outgoing keys are kept)."""
    cutoff = (_dt.datetime.now(_dt.timezone.utc) - _dt.timedelta(days=older_than_days)).isoformat(timespec="seconds")
    cur = db.execute("DELETE FROM slack_events WHERE kind = 'event' AND received_at < ?", [cutoff])
    return cur.rowcount
