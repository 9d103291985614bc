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
from storage.paths import default_path  # noqa: F401  (where the database lives; re-exported)




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


def secure_dir(path: str | os.PathLike) -> None:
    """Create a folder mamoru owns with mode 0700 (whatever the umask); tighten it if it exists."""
    p = Path(path)
    if not p.exists():
        p.mkdir(parents=True, mode=0o700, exist_ok=True)
    try:
        if p.stat().st_mode & 0o077:
            os.chmod(p, 0o700)
    except OSError:
        pass


def secure_file(path: str | os.PathLike, *, create: bool = False) -> None:
    """Mode 0600 for a file holding records (created empty with 0600 when `create`), whatever the umask."""
    p = str(path)
    if create and not os.path.exists(p):
        os.close(os.open(p, os.O_WRONLY | os.O_CREAT, 0o600))
    try:
        if os.stat(p).st_mode & 0o077:
            os.chmod(p, 0o600)
    except FileNotFoundError:
        pass


def secure_db_files(path: str | os.PathLike) -> None:
    """The database and its WAL and shared-memory files: 0600."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        secure_file(f"{path}{suffix}")


def open_db(path: str | os.PathLike | None = None) -> sqlite_utils.Database:
    """A connection usable from any thread (callers serialise writes via transactions).

    The file (and its -wal/-shm) is 0600 and the folder mamoru creates for it 0700, whatever the
    umask: it holds personal records."""
    p = Path(path) if path is not None else default_path()
    if str(p) != ":memory:":
        # A database holds personal records: its folder (when mamoru makes it) and file are the bot
        # user's alone, whatever the umask; an older world-readable file is tightened. `mamoru doctor` checks.
        if not p.parent.exists() or path is None:
            secure_dir(p.parent)
        secure_file(p, create=True)
    conn = sqlite3.connect(str(p), timeout=30, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 30000")
    db = sqlite_utils.Database(conn)
    if str(p) != ":memory:":
        _enable_wal(db)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()   # creates -wal/-shm now, to tighten them
        secure_db_files(p)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")
    from storage import audit

    # Before any migration writes: a database whose sealed records have lost their key is refused
    # with the way to restore it (auditkey.KeyMissing), never given a new key.
    try:
        audit.check_key(db)
    except Exception:
        conn.close()
        raise
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
        start = _chain_top(conn)
        try:
            yield
            _before_commit(db, start)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def _chain_top(conn: sqlite3.Connection) -> int:
    """The audit chain's sequence when the transaction began: only rows queued after it are ours."""
    try:
        row = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_chain'").fetchone()
    except sqlite3.OperationalError:
        return 0
    return row[0] if row else 0


def _before_commit(db: sqlite_utils.Database, start: int) -> None:
    """Hook run inside every write transaction, under its lock, just before COMMIT.

    storage.audit seals the audit-chain rows that this transaction's INSERT triggers queued (never
    rows other writers left: those are not mamoru's): keyed hashes in seq order. So a record
    written through `transaction` is committed already chained. An error here rolls back.
    """
    from storage import audit

    audit.seal_pending(db, after=start)
