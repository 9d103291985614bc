"""Open mamoru's one SQLite database: WAL mode, migrations applied on open."""
from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterator

import sqlite_utils

from storage import migrations


def default_path() -> Path:
    """MAMORU_DB, else the per-user data directory (XDG)."""
    env = os.environ.get("MAMORU_DB")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "mamoru" / "mamoru.db"


_migrate_lock = threading.Lock()


def _enable_wal(db: sqlite_utils.Database, patience: float = 30.0) -> None:
    # Switching a new file to WAL needs an exclusive lock, and SQLite answers "database is
    # locked" at once (no busy handler) when another connection opens it at that moment, as
    # happens when the bot and a command start together: retry until the other one is done.
    deadline = time.monotonic() + patience
    delay = 0.005
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def open_db(path: str | os.PathLike | None = None) -> sqlite_utils.Database:
    """A connection usable from any thread (callers serialise writes via transactions)."""
    p = Path(path) if path is not None else default_path()
    if str(p) != ":memory:":
        # A new database holds personal records: its folder and file are the bot user's alone
        # (SQLite gives the -wal/-shm files the database file's permissions). `mamoru doctor` checks.
        p.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not p.exists():
            p.touch(mode=0o600)
    conn = sqlite3.connect(str(p), timeout=30, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    db = sqlite_utils.Database(conn)
    if str(p) != ":memory:":
        _enable_wal(db)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    with _migrate_lock:
        migrations.apply(db)
    return db


_write_lock = threading.RLock()


@contextlib.contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction (BEGIN IMMEDIATE); nested use joins the outer one.

    The lock serialises threads sharing one connection; BEGIN IMMEDIATE serialises processes.
    Just before COMMIT the outermost transaction runs `_before_commit` (the audit chain's seal).
    """
    with _write_lock:
        conn = db.conn
        if conn.in_transaction:
            yield
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
            _before_commit(db)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _before_commit(db: sqlite_utils.Database) -> None:
    """Hook run inside every write transaction, under its lock, just before COMMIT.

    storage.audit seals the audit-chain rows that the tables' INSERT triggers queued (and any
    left pending by writers outside this helper): prev_hash/hash in seq order. So a record
    written through `transaction` is committed already chained. An error here rolls back.
    """
    from storage import audit

    audit.seal_pending(db)
