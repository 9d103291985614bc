"""The audit chain: every evidencing record is chained with a secret key, so an insider holding the
database file cannot insert, edit, delete or re-chain a record without `verify` noticing.

How it works
------------
* `chain_table(db, table)` puts an AFTER INSERT trigger on an evidencing table. The trigger
  queues one row in `audit_chain`: (seq, table_name, row_id, at = when, in UTC). No copy of the
  record is kept in the chain (the record itself is the source row; the chain holds its MAC).
* Sealing fills `payload_hash` (the record's keyed digest) and `hash` (the link), in seq order, in
  Python, with the key (storage/auditkey.py: a file outside the database, 0600). It happens inside
  `storage.db.transaction`, just before COMMIT, and seals ONLY the rows queued by that transaction:
  a row written by any other means (the sqlite3 shell, a script without the key) stays unsealed
  for ever and `verify` names it ("inserted outside mamoru").
* `verify(db)` reads one consistent snapshot (its own read transaction) and recomputes every link
  and every record's digest from the current source row: an inserted, edited, deleted or
  re-chained record, a dropped trigger, a deleted tail (sqlite_sequence, the local witness of the
  head, a head hash given by hand) all break it. Problems are listed in seq order; the first is
  "the first broken record".

The digests (HMAC-SHA256 with the key; hex shown, 32 bytes stored)::

    payload   = json_object of the record's chained columns (BLOBs as 'hex:…'; a column added after
                the record was chained left out), as SQLite writes it (`source_payload(db, table, row_id)`)
    row_mac   = HMAC(key, "row|{table_name}|{row_id}|" + payload)
    hash      = HMAC(key, prev_hash + row_mac + "|{seq}|{table_name}|{row_id}|{at}")   (raw 32-byte digests)
    prev_hash of the first record = 32 zero bytes; prev_hash = the previous SEALED record's hash

Without the key nobody can recompute them; an auditor checks them with `mamoru audit verify` on the
server (or with the key handed over). The key never enters the database: `audit_meta` holds only
its id (a MAC of a constant), so verify says "wrong key" instead of flagging every record.

A lawful purge (第15条: personal records deleted after export) deletes source rows while the chain
still verifies, provided a chained deletion record says so: `purge(db, rows, …)` writes a deletion
record (`audit_purges`: 日時、実施者名、内容; chained itself, guarded), lists the chain rows it
covers in `audit_purged_rows` (the list's digest is in the record) and deletes the source rows. What
remains of a purged record is its keyed digest, which says nothing without the key.

Evidencing tables must be append-only: no UPDATE, no DELETE, no INSERT OR REPLACE (a
correction is a new row). INSERT OR IGNORE is fine (an ignored row fires no trigger).
Conversation state (sessions, drafts) is not evidence and must not be chained.

Joining the chain (one line in the capability's migration step, after its CREATE TABLEs)::

    from storage import audit; audit.chain_tables(db, "checklist_confirmations", "checklist_reasons")

What someone holding BOTH the database file and the key can still do: see docs/audit.md.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import hmac
import json
import re
import sqlite3
import threading
from typing import Iterable, Iterator

import sqlite_utils

from storage import auditkey
from storage.migrations import run_script as _script

GENESIS = "0" * 64
FORMAT = "hmac-sha256/1"
TRIGGER_PREFIX = "audit_chain__"
GUARD_UPDATE = "audit_chain_guard_update"
GUARD_DELETE = "audit_chain_guard_delete"
GUARD_TABLES = "audit_tables_guard_delete"
GUARD_META = ("audit_meta_guard_update", "audit_meta_guard_delete")
GUARD_PURGES = ("audit_purges_guard_update", "audit_purges_guard_delete", "audit_purged_rows_guard_update",
                "audit_purged_rows_guard_delete")
PURGE_TABLE = "audit_purges"

# Sealed chain rows never change (a speed bump for the sqlite3 shell; the key is the real guard).
GUARD_UPDATE_SQL = (
    "CREATE TRIGGER IF NOT EXISTS audit_chain_guard_update BEFORE UPDATE ON audit_chain\n"
    "WHEN OLD.hash IS NOT NULL\n"
    "BEGIN SELECT RAISE(ABORT, 'audit_chain rows are sealed: they cannot be changed'); END"
)

# The evidencing tables that exist before issue 7 (migration 7 chains them); later capabilities
# chain theirs from their own migrations with chain_tables(...).
CORE_TABLES: tuple[str, ...] = (
    "contracts", "people", "registration_requests", "registration_decisions",
    "routed_questions", "routed_answers", "feedback", "notice_log", "access_refusals",
)

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_NOW_SQL = "strftime('%Y-%m-%dT%H:%M:%S', 'now') || '+00:00'"

PURGE_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_purges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scope TEXT NOT NULL,
    actor TEXT NOT NULL,
    actor_name TEXT NOT NULL,
    content TEXT NOT NULL,
    covered_count INTEGER NOT NULL,
    covered_sha256 TEXT NOT NULL,
    via TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_purged_rows (
    purge_id INTEGER NOT NULL REFERENCES audit_purges(id),
    seq INTEGER NOT NULL,
    table_name TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    PRIMARY KEY (table_name, row_id, seq)
);
CREATE TRIGGER IF NOT EXISTS audit_purges_guard_update BEFORE UPDATE ON audit_purges
BEGIN SELECT RAISE(ABORT, 'deletion records cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_purges_guard_delete BEFORE DELETE ON audit_purges
BEGIN SELECT RAISE(ABORT, 'deletion records cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS audit_purged_rows_guard_update BEFORE UPDATE ON audit_purged_rows
BEGIN SELECT RAISE(ABORT, 'deletion records cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_purged_rows_guard_delete BEFORE DELETE ON audit_purged_rows
BEGIN SELECT RAISE(ABORT, 'deletion records cannot be deleted'); END;
"""

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS audit_chain (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    payload TEXT,
    at TEXT NOT NULL,
    payload_hash TEXT,
    prev_hash TEXT,
    hash TEXT
);
CREATE INDEX IF NOT EXISTS audit_chain_row ON audit_chain(table_name, row_id);
CREATE INDEX IF NOT EXISTS audit_chain_pending ON audit_chain(seq) WHERE hash IS NULL;
CREATE TABLE IF NOT EXISTS audit_tables (
    name TEXT PRIMARY KEY,
    columns TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_meta (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_columns (
    table_name TEXT NOT NULL,
    name TEXT NOT NULL,
    from_seq INTEGER NOT NULL,
    PRIMARY KEY (table_name, name)
);
{GUARD_UPDATE_SQL};
CREATE TRIGGER IF NOT EXISTS {GUARD_DELETE} BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain rows cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS {GUARD_TABLES} BEFORE DELETE ON audit_tables
BEGIN SELECT RAISE(ABORT, 'audit_tables rows cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS audit_meta_guard_update BEFORE UPDATE ON audit_meta
BEGIN SELECT RAISE(ABORT, 'audit_meta rows cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_meta_guard_delete BEFORE DELETE ON audit_meta
BEGIN SELECT RAISE(ABORT, 'audit_meta rows cannot be deleted'); END;
"""

REFUSALS_SCHEMA = """
CREATE TABLE IF NOT EXISTS access_refusals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    viewer_id TEXT NOT NULL,
    subject_id TEXT,
    what TEXT NOT NULL,
    reason TEXT NOT NULL,
    via TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_refusals_viewer ON access_refusals(viewer_id, id);
"""


def _q(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain table or column name: {name!r}")
    return f'"{name}"'


def _now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def _hex(v) -> str | None:
    if v is None:
        return None
    return v.hex() if isinstance(v, (bytes, bytearray, memoryview)) else str(v)


def _bytes(v) -> bytes | None:
    if v is None:
        return None
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v)
    try:
        return bytes.fromhex(v)
    except ValueError:
        return None


# ---- schema and triggers --------------------------------------------------------------------

def ensure_schema(db: sqlite_utils.Database) -> None:
    """The chain table, its registry of chained tables, the key's id, the deletion records and the
    guards (idempotent; an older update guard is replaced)."""
    _script(db, PURGE_SCHEMA)
    have = _trigger_in_db(db, GUARD_UPDATE)
    if have is not None and have != GUARD_UPDATE_SQL:
        db.execute(f"DROP TRIGGER {GUARD_UPDATE}")
    fresh = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'").fetchone() is None
    _script(db, SCHEMA)
    _script(db, BLOCKS_SCHEMA)
    if fresh:   # a new chain is keyed from its first record (an older one is converted by migration 10)
        _set_meta(db)


def _set_meta(db: sqlite_utils.Database) -> None:
    key = auditkey.load_key()   # a new chain: its key is made now if there is none yet
    db.execute("INSERT OR IGNORE INTO audit_meta (name, value) VALUES ('format', ?)", [FORMAT])
    db.execute("INSERT OR IGNORE INTO audit_meta (name, value) VALUES ('key_id', ?)", [auditkey.key_id(key)])
    db.execute("INSERT OR IGNORE INTO audit_meta (name, value) VALUES ('block_size', ?)", [str(_block_size_setting())])


def _sealed_any(db: sqlite_utils.Database) -> bool:
    try:
        return db.execute("SELECT 1 FROM audit_chain WHERE hash IS NOT NULL LIMIT 1").fetchone() is not None
    except sqlite3.OperationalError:
        return False


def check_key(db: sqlite_utils.Database, *, match: bool = False) -> None:
    """Refuse a keyed chain holding sealed records when its key is missing (auditkey.KeyMissing), and
    with `match`, when the key at hand is not the one it was sealed with (auditkey.KeyMismatch).
    Called when the database is opened (storage.db.open_db) and before every seal: a missing key is
    never silently replaced by a new one."""
    m = meta(db)
    if m.get("format") != FORMAT or not m.get("key_id") or not _sealed_any(db):
        return   # no chain yet, an older unkeyed one (migration 10 keys it), or nothing sealed
    if not auditkey.have_key():
        top = db.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_chain").fetchone()[0]
        raise auditkey.KeyMissing(auditkey.missing_message(db_file(db), top))
    if match:
        have = auditkey.key_id(auditkey.load_key(create=False))
        if have != m["key_id"]:
            raise auditkey.KeyMismatch(auditkey.mismatch_message(have, m["key_id"]))


def _sealing_key(db: sqlite_utils.Database) -> bytes:
    """The key to seal with: the chain's own (refused when missing or another one); made only for a
    chain with no sealed record yet, whose key id is then the new key's."""
    check_key(db, match=True)
    key = auditkey.load_key()
    want, have = meta(db).get("key_id"), auditkey.key_id(key)
    if want is not None and want != have:   # nothing sealed yet (check_key passed): key the empty chain anew
        db.execute("DROP TRIGGER IF EXISTS audit_meta_guard_update")
        try:
            db.execute("UPDATE audit_meta SET value = ? WHERE name = 'key_id'", [have])
        finally:
            db.execute("CREATE TRIGGER IF NOT EXISTS audit_meta_guard_update BEFORE UPDATE ON audit_meta"
                       " BEGIN SELECT RAISE(ABORT, 'audit_meta rows cannot be changed'); END")
    return key


def meta(db: sqlite_utils.Database) -> dict[str, str]:
    try:
        return {r[0]: r[1] for r in db.execute("SELECT name, value FROM audit_meta")}
    except sqlite3.OperationalError:
        return {}


def ensure_purge(db: sqlite_utils.Database) -> None:
    """The deletion records, and their chaining (migration 8)."""
    ensure_schema(db)
    chain_table(db, PURGE_TABLE)


def ensure_refusals(db: sqlite_utils.Database) -> None:
    _script(db, REFUSALS_SCHEMA)


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({_q(table)})").fetchall()]


def _json_expr(alias: str, columns: list[str], since: dict[str, int] | None = None, seq: str | None = None,
               array: bool = False, blobs: set[str] | None = None) -> str:
    """json_object of a row's columns, in table order; a BLOB value is kept as hex text. A column
    the chain began to cover after a record was chained (`since`: column -> first seq covering it,
    `seq`: the chain row's seq expression) is left out of that record's object, so adding a column,
    even with a default, leaves older records' digests as they were."""
    def obj(cols: list[str]) -> str:
        parts = []
        for c in cols:
            v = f"{alias}.{_q(c)}"
            if array:   # block MACs: values only; a BLOB where none is declared makes json_array fail (slow path)
                parts.append(f"'hex:' || hex({v})" if c in (blobs or ()) else v)
            else:
                parts.append(f"'{c}', CASE WHEN typeof({v}) = 'blob' THEN 'hex:' || hex({v}) ELSE {v} END")
        return ("json_array(" if array else "json_object(") + ", ".join(parts) + ")"

    firsts = sorted({(since or {}).get(c, 0) for c in columns} - {0}, reverse=True) if seq else []
    if not firsts:
        return obj(columns)
    # newest column set first: CASE WHEN seq >= F_n THEN all … WHEN seq >= F_1 THEN … ELSE the original set END
    out = "CASE"
    for f in firsts:
        out += f" WHEN {seq} >= {int(f)} THEN " + obj([c for c in columns if (since or {}).get(c, 0) <= f])
    return out + " ELSE " + obj([c for c in columns if not (since or {}).get(c, 0)]) + " END"


def column_since(db: sqlite_utils.Database, table: str) -> dict[str, int]:
    """column -> the first chain seq whose digest covers it (0: from the start)."""
    try:
        return {r[0]: r[1] for r in db.execute("SELECT name, from_seq FROM audit_columns WHERE table_name = ?",
                                               [table])}
    except sqlite3.OperationalError:
        return {}


def source_payload(db: sqlite_utils.Database, table: str, row_id: int) -> str | None:
    """The record as the chain digests it (JSON text), or None when the row is gone."""
    cols = chained_tables(db).get(table) or []
    have = set(_columns(db, table))
    expr = _json_expr("s", [c for c in cols if c in have], column_since(db, table), "c.seq")
    row = db.execute(f"SELECT {expr} FROM audit_chain c JOIN {_q(table)} s ON s.rowid = c.row_id"
                     " WHERE c.table_name = ? AND c.row_id = ? ORDER BY c.seq LIMIT 1", [table, row_id]).fetchone()
    return row[0] if row else None


def trigger_name(table: str) -> str:
    return TRIGGER_PREFIX + table


def trigger_sql(table: str, columns: list[str]) -> str:
    """The AFTER INSERT trigger that queues `table`'s new rows in the chain (pure SQL)."""
    return (f"CREATE TRIGGER {_q(trigger_name(table))} AFTER INSERT ON {_q(table)} BEGIN "
            f"INSERT INTO audit_chain (table_name, row_id, at) VALUES ('{table}', NEW.rowid, {_NOW_SQL}); END")


def _trigger_in_db(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]).fetchone()
    return row[0] if row else None


def _top(db: sqlite_utils.Database) -> int:
    try:
        row = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_chain'").fetchone()
    except sqlite3.OperationalError:
        return 0
    return row[0] if row else 0


def chain_table(db: sqlite_utils.Database, table: str) -> bool:
    """Chain `table` (idempotent). True when the trigger was created or re-created now.

    The first time, rows already in the table are chained in rowid order (they are adopted as
    they are now). When the table has gained columns, the trigger is re-created to cover them.
    """
    from storage.db import transaction

    _q(table)
    with transaction(db):
        ensure_schema(db)
        start = _top(db)
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is None:
            raise ValueError(f"no table named {table!r} to chain")
        if db.execute("SELECT 1 FROM pragma_table_info(?) LIMIT 1", [table]).fetchone() is None:
            raise ValueError(f"{table!r} has no columns")
        wr = db.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone()[0]
        if re.search(r"WITHOUT\s+ROWID", wr or "", re.I):
            raise ValueError(f"{table!r} is a WITHOUT ROWID table; the chain needs rowids")
        columns = _columns(db, table)
        want = trigger_sql(table, columns)
        have = _trigger_in_db(db, trigger_name(table))
        registered = chained_tables(db).get(table)
        if have == want and registered == columns:
            return False
        if have is not None:
            db.execute(f"DROP TRIGGER {_q(trigger_name(table))}")
        db.execute(want)
        db.execute("INSERT INTO audit_tables (name, columns, at) VALUES (?, ?, ?)"
                   " ON CONFLICT(name) DO UPDATE SET columns = excluded.columns",
                   [table, json.dumps(columns), _now_utc()])
        # columns covered from now on: records chained before keep the digest they had
        first = 0 if registered is None else start + 1
        db.conn.executemany("INSERT OR IGNORE INTO audit_columns (table_name, name, from_seq) VALUES (?, ?, ?)",
                            [(table, c, first) for c in columns if c not in (registered or [])])
        if have is None:
            db.execute(
                f"INSERT INTO audit_chain (table_name, row_id, at) "
                f"SELECT '{table}', t.rowid, {_NOW_SQL} FROM {_q(table)} t "
                f"WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.table_name = '{table}' AND c.row_id = t.rowid) "
                f"ORDER BY t.rowid")
        if meta(db).get("format") == FORMAT:
            seal_pending(db, after=start)
    return True


def chain_tables(db: sqlite_utils.Database, *tables: str) -> None:
    """chain_table for each (the one line a capability's migration adds)."""
    for t in tables:
        chain_table(db, t)


def chained_tables(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Registered tables and the columns their records' digests cover."""
    try:
        rows = db.execute("SELECT name, columns FROM audit_tables ORDER BY name").fetchall()
    except sqlite3.OperationalError:
        return {}
    return {r[0]: json.loads(r[1]) for r in rows}


# ---- sealing --------------------------------------------------------------------------------

def mac_function(key: bytes):
    """HMAC-SHA256 with `key`, its inner and outer states computed once (verify calls it millions
    of times; same result as hmac.digest(key, msg, "sha256"))."""
    k = hashlib.sha256(key).digest() if len(key) > 64 else key
    inner0 = hashlib.sha256(bytes(b ^ 0x36 for b in k.ljust(64, b"\0")))
    outer0 = hashlib.sha256(bytes(b ^ 0x5C for b in k.ljust(64, b"\0")))

    def mac(msg: bytes, more: bytes = b"", ic=inner0.copy, oc=outer0.copy) -> bytes:
        i = ic()
        i.update(msg)
        if more:   # a second part, hashed without copying both into one buffer
            i.update(more)
        o = oc()
        o.update(i.digest())
        return o.digest()
    return mac


def row_mac(key: bytes, table: str, row_id: int, payload: str | None) -> bytes:
    body = b"\x00missing" if payload is None else payload.encode("utf-8")
    return hmac.digest(key, f"row|{table}|{row_id}|".encode("utf-8") + body, "sha256")


ZERO = bytes(32)


def link_mac(key: bytes, prev: bytes | None, seq: int, table: str, row_id: int, at: str, rmac: bytes) -> bytes:
    return hmac.digest(key, (prev or ZERO) + rmac + f"|{seq}|{table}|{row_id}|{at}".encode("utf-8"), "sha256")


def _payloads(db: sqlite_utils.Database, table: str, ids: list[int]) -> dict[int, str]:
    cols = chained_tables(db).get(table)
    if not cols:
        return {}
    have = set(_columns(db, table))
    expr = _json_expr("s", [c for c in cols if c in have])
    out: dict[int, str] = {}
    for i in range(0, len(ids), 500):
        part = ids[i:i + 500]
        out.update(db.execute(f"SELECT s.rowid, {expr} FROM {_q(table)} s WHERE s.rowid IN"
                              f" ({', '.join('?' * len(part))})", part).fetchall())
    return out


def seal_pending(db: sqlite_utils.Database, after: int | None = None) -> int:
    """Seal, in seq order, the chain rows queued after seq `after` (the sequence's value when this
    write transaction began); call inside that transaction. Returns how many.

    Rows queued before `after` and still unsealed were written by something else than mamoru:
    they are left as they are, and verify reports them.
    """
    conn = db.conn
    try:
        if after is None:
            last_sealed = conn.execute("SELECT MAX(seq) FROM audit_chain WHERE hash IS NOT NULL").fetchone()[0]
            after = last_sealed or 0
        rows = conn.execute("SELECT seq, table_name, row_id, at FROM audit_chain"
                            " WHERE hash IS NULL AND seq > ? ORDER BY seq", [after]).fetchall()
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return 0
        raise
    if not rows:
        return 0
    if meta(db).get("format") != FORMAT:
        return 0   # an older chain, converted by migration 10 (which seals everything)
    key = _sealing_key(db)
    last = conn.execute("SELECT hash FROM audit_chain WHERE hash IS NOT NULL AND seq < ? ORDER BY seq DESC LIMIT 1",
                        [rows[0][0]]).fetchone()
    prev = _bytes(last[0]) if last else None
    by_table: dict[str, list[int]] = {}
    for _, table, row_id, _ in rows:
        by_table.setdefault(table, []).append(row_id)
    payloads = {t: _payloads(db, t, ids) for t, ids in by_table.items()}
    updates = []
    for seq, table, row_id, at in rows:
        rm = row_mac(key, table, row_id, payloads[table].get(row_id))
        h = link_mac(key, prev, seq, table, row_id, at, rm)
        updates.append((rm, h, seq))
        prev = h
    conn.executemany("UPDATE audit_chain SET payload_hash = ?, hash = ? WHERE seq = ? AND hash IS NULL", updates)
    _seal_blocks(db, key, rows[0][0], rows[-1][0])
    return len(updates)


def seal(db: sqlite_utils.Database) -> int:
    """Kept for callers: mamoru seals its own records at COMMIT; nothing else is ever sealed."""
    return 0


def pending_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM audit_chain WHERE hash IS NULL").fetchone()[0]


def head(db: sqlite_utils.Database) -> dict | None:
    """The last sealed chain row: {"seq", "hash" (hex), "at"} (None for an empty chain)."""
    row = db.execute("SELECT seq, hash, at FROM audit_chain WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1").fetchone()
    return {"seq": row[0], "hash": _hex(row[1]), "at": row[2]} if row else None


def db_file(db: sqlite_utils.Database) -> str | None:
    """The main database's file path ('' / None for an in-memory database)."""
    for _, name, path in db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return path or None
    return None


def witness_head(db: sqlite_utils.Database, why: str) -> dict | None:
    """Write the current head to the local witness (next to the key) and return it."""
    h = head(db)
    if h:
        auditkey.witness(db_file(db), h["seq"], h["hash"], why=why)
    return h


def length(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0]


def rows(db: sqlite_utils.Database) -> Iterator[dict]:
    """Every chain row in seq order (streamed; hashes in hex)."""
    cur = db.conn.execute("SELECT seq, table_name, row_id, at, payload_hash, hash FROM audit_chain ORDER BY seq")
    for r in cur:
        yield {"seq": r[0], "table": r[1], "row_id": r[2], "at": r[3], "payload_hash": _hex(r[4]), "hash": _hex(r[5])}


def rows_with_time(db: sqlite_utils.Database, up_to_seq: int) -> Iterator[tuple]:
    """(seq, table, row_id, payload, at, row_mac, prev_hash, hash, the record's own `at`) for every
    chain row up to a seq, in seq order, streamed; payload is the record as JSON (None when the
    record is gone), hashes in hex, prev_hash the previous sealed row's hash."""
    import heapq

    cursors = []
    for table, cols in chained_tables(db).items():
        if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is None:
            continue
        have = set(_columns(db, table))
        expr = _json_expr("s", [c for c in cols if c in have], column_since(db, table), "c.seq")
        at_col = "s.at" if "at" in have else "NULL"
        cursors.append(db.conn.execute(
            f"SELECT c.seq, c.table_name, c.row_id, CASE WHEN s.rowid IS NULL THEN NULL ELSE {expr} END, c.at,"
            f" c.payload_hash, c.hash, {at_col} FROM audit_chain c LEFT JOIN {_q(table)} s ON s.rowid = c.row_id"
            f" WHERE c.table_name = ? AND c.seq <= ? ORDER BY c.seq", [table, up_to_seq]))
    prev = GENESIS
    for seq, table, row_id, payload, at, rm, h, rec_at in heapq.merge(*cursors, key=lambda r: r[0]):
        yield seq, table, row_id, payload, at, _hex(rm), (prev if h is not None else None), _hex(h), rec_at
        if h is not None:
            prev = _hex(h)


def source_row(db: sqlite_utils.Database, table: str, row_id: int) -> dict | None:
    rs = list(db.query(f"SELECT * FROM {_q(table)} WHERE rowid = ?", [row_id]))
    return rs[0] if rs else None


# ---- conversion of an older (unkeyed) chain: migration 10 ---------------------------------------

def convert_to_keyed(db: sqlite_utils.Database) -> dict:
    """Re-seal an unkeyed chain (sha256, with a JSON copy of every record) under the key, dropping
    the copies. Runs inside the migration's transaction. The old head is kept in audit_meta so an
    auditor holding it can tie the old chain to the new one; a record changed BEFORE this
    conversion is adopted as it is now (run `mamoru audit verify` with the old version first)."""
    have_meta = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_meta'").fetchone()
    if have_meta and meta(db).get("format") == FORMAT:
        return {"converted": 0}
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'").fetchone() is None:
        ensure_schema(db)
        return {"converted": 0}
    old = db.execute("SELECT seq, hash FROM audit_chain WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1").fetchone()
    db.execute(f"DROP TRIGGER IF EXISTS {GUARD_UPDATE}")
    ensure_schema(db)
    db.execute(f"DROP TRIGGER IF EXISTS {GUARD_UPDATE}")
    _set_meta(db)
    db.execute("INSERT OR IGNORE INTO audit_meta (name, value) VALUES ('converted_from', ?)",
               [json.dumps({"format": "sha256", "head_seq": old[0] if old else None,
                            "head_hash": _hex(old[1]) if old else None, "at": _now_utc()})])
    key = auditkey.load_key()
    tables = chained_tables(db)
    for t, cols in tables.items():   # every column covered from the start of the converted chain
        db.conn.executemany("INSERT INTO audit_columns (table_name, name, from_seq) VALUES (?, ?, 0)"
                            " ON CONFLICT(table_name, name) DO UPDATE SET from_seq = 0", [(t, c) for c in cols])
    existing = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for t, cols in tables.items():   # the triggers no longer copy the record
        if t in existing:
            db.execute(f"DROP TRIGGER IF EXISTS {_q(trigger_name(t))}")
            db.execute(trigger_sql(t, cols))
    # 1. each record's keyed digest, table by table (seq -> digest; no payload is held in memory)
    macs: dict[int, bytes] = {}
    for t, cols in tables.items():
        if t in existing:
            have = set(_columns(db, t))
            expr = _json_expr("s", [c for c in cols if c in have])
            cur = db.conn.execute(f"SELECT c.seq, c.row_id, CASE WHEN s.rowid IS NULL THEN NULL ELSE {expr} END,"
                                  f" c.payload_hash FROM audit_chain c LEFT JOIN {_q(t)} s ON s.rowid = c.row_id"
                                  " WHERE c.table_name = ?", [t])
        else:
            cur = db.conn.execute("SELECT seq, row_id, NULL, payload_hash FROM audit_chain WHERE table_name = ?", [t])
        for seq, row_id, current, old_ph in cur:
            if current is not None:
                macs[seq] = row_mac(key, t, row_id, current)
            else:   # purged or missing: a keyed digest of the old digest (not guessable without the key)
                macs[seq] = hmac.digest(key, f"legacy|{_hex(old_ph)}".encode(), "sha256")
    # 2. the links, in seq order
    prev, n, batch = None, 0, []
    for seq, table, row_id, at, old_ph in db.conn.execute(
            "SELECT seq, table_name, row_id, at, payload_hash FROM audit_chain ORDER BY seq").fetchall():
        rm = macs.pop(seq, None) or hmac.digest(key, f"legacy|{_hex(old_ph)}".encode(), "sha256")
        h = link_mac(key, prev, seq, table, row_id, at, rm)
        batch.append((rm, h, seq))
        prev, n = h, n + 1
        if len(batch) >= 5000:
            db.conn.executemany("UPDATE audit_chain SET payload = NULL, prev_hash = NULL, payload_hash = ?, hash = ?"
                                " WHERE seq = ?", batch)
            batch = []
    if batch:
        db.conn.executemany("UPDATE audit_chain SET payload = NULL, prev_hash = NULL, payload_hash = ?, hash = ?"
                            " WHERE seq = ?", batch)
    db.execute(GUARD_UPDATE_SQL)
    return {"converted": n}


# ---- verification ---------------------------------------------------------------------------

@dataclasses.dataclass
class Problem:
    kind: str                  # see KINDS
    seq: int | None = None
    table: str | None = None
    row_id: int | None = None
    detail: dict = dataclasses.field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"kind": self.kind, "seq": self.seq, "table": self.table, "row_id": self.row_id, "detail": self.detail}


KINDS = {
    "wrong_key": "the key given is not the key this chain was sealed with",
    "not_keyed": "the chain is not keyed (an older format that was not converted)",
    "source_changed": "the source row differs from what was chained (an UPDATE)",
    "source_missing": "the source row is gone (a DELETE)",
    "hash_mismatch": "the chain row's hash is not the keyed hash of its contents (edited, forged or re-chained)",
    "gap": "chain rows are missing (deleted) before this seq",
    "truncated": "the chain's last rows were deleted (the sequence went further)",
    "witness_missing": "the head witnessed earlier (outside the database) is no longer in the chain",
    "unsealed": "a chain row mamoru never sealed (inserted outside mamoru)",
    "duplicate": "a second chain row for the same record",
    "unknown_table": "a chain row for a table that is not chained",
    "table_missing": "a chained table no longer exists",
    "unchained": "a source row with no chain row (inserted with the trigger dropped, or its chain row deleted)",
    "trigger_missing": "a chained table's trigger is missing or altered",
    "guard_missing": "a guard trigger of the chain is missing",
    "head_not_found": "the head hash given is not in the chain",
    "purge_list_changed": "the list of rows a deletion record covers no longer matches the record's digest",
    "block_changed": "a block MAC no longer matches its rows, though each row checks out (audit_blocks was edited)",
}


@dataclasses.dataclass
class Verification:
    ok: bool
    length: int
    sealed: int
    pending: int
    head: dict | None
    tables: dict[str, int]
    problems: list[Problem]
    problem_count: int
    witnessed: dict | None = None
    checked: str = "rows"      # "blocks": the complete blocks by their MACs, the rows after them one by one

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "length": self.length, "sealed": self.sealed, "pending": self.pending,
                "head": self.head, "tables": self.tables, "problem_count": self.problem_count,
                "witnessed": self.witnessed, "checked": self.checked, "problems": [p.as_dict() for p in self.problems]}


def _order(p: Problem) -> tuple:
    """Problems in seq order ("the first broken record"), except that the rows a broken deletion
    record listed come right after that record's own problems: the record is what was changed."""
    anchor = p.detail.get("purge_seq") if p.kind == "source_missing" else None
    at = anchor if anchor is not None else p.seq
    return (p.kind not in ("wrong_key", "not_keyed"), at is None, at or 0, anchor is not None, p.seq or 0,
            p.kind == "unchained")


def _snapshot(db: sqlite_utils.Database):
    """(db, close): a connection reading ONE consistent snapshot of the file (its own read
    transaction), or the caller's connection for an in-memory database or inside a transaction."""
    path = db_file(db)
    if not path or db.conn.in_transaction:
        return db, (lambda: None)
    uri = "file:" + path.replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 30000")
    conn.execute("BEGIN")
    conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()   # the snapshot starts here

    def close():
        try:
            conn.execute("ROLLBACK")
        finally:
            conn.close()
    return sqlite_utils.Database(conn), close


def verify(db: sqlite_utils.Database, *, expect_head: str | None = None, max_problems: int = 200,
           key: bytes | None = None, witness_file: str | None = "auto") -> Verification:
    """Check the whole chain and every chained table in one snapshot, with the key."""
    snap, close = _snapshot(db)
    second, close2 = _snapshot(db) if snap is not db else (None, lambda: None)
    try:
        wf = db_file(db) if witness_file == "auto" else witness_file
        return _verify(snap, expect_head=expect_head, max_problems=max_problems, key=key, witness_for=wf,
                       second=second, path=db_file(db))
    finally:
        close2()
        close()


def _check_sources(db: sqlite_utils.Database, key: bytes, tables: dict[str, list[str]], existing: set[str],
                   last: int, covered: set, orphans: dict, out: list, lo: int = 1) -> None:
    """Each chain row from seq `lo` up to `last` against its source row: SQL lays out each record's
    digest message ("row|table|row_id|" + the record as JSON), Python checks its HMAC against the
    chain row's."""
    mac = mac_function(key)
    try:
        for table, columns in tables.items():
            if table not in existing:
                continue
            cur_cols = set(_columns(db, table))
            expr = _json_expr("s", [c for c in columns if c in cur_cols], column_since(db, table), "c.seq")
            for seq, row_id, present, msg, ph in db.conn.execute(
                    f"SELECT c.seq, c.row_id, s.rowid IS NOT NULL, CASE WHEN s.rowid IS NULL THEN NULL ELSE"
                    f" CAST('row|{table}|' || c.row_id || '|' || {expr} AS BLOB) END, c.payload_hash"
                    f" FROM audit_chain c LEFT JOIN {_q(table)} s ON s.rowid = c.row_id"
                    f" WHERE c.table_name = ? AND c.seq BETWEEN ? AND ?", [table, lo, last]):
                if not present:
                    if (seq, table, row_id) not in covered:
                        out.append(Problem("source_missing", seq=seq, table=table, row_id=row_id,
                                           detail=dict(orphans.get((seq, table, row_id), {}))))
                elif ph is not None and (type(ph) is not bytes or mac(msg) != ph):
                    out.append(Problem("source_changed", seq=seq, table=table, row_id=row_id))
    except sqlite3.Error as e:   # reported, never swallowed: a check that did not run is not a pass
        out.append(Problem("table_missing", detail={"error": str(e)}))


# ---- block MACs: one keyed digest over each block of N chain rows and their records -----------
#
# Checking each record's digest and each link one by one costs two HMACs, a JSON object and a
# Python round trip per record: ~20 s for a year of 1,000 workers. A block MAC lets verify check
# N rows at once: SQL lays out each row of the block (seq, table, row id, time, its digest and link
# as quote()d blobs, and the record as JSON, as its digest covers it) joined by newlines, Python
# computes one HMAC. Blocks are numbered from 0 and cover seqs [b*N+1, (b+1)*N]; a block gets its
# MAC when its last row is sealed and all its N rows are mamoru's (a row inserted outside mamoru
# leaves its block without one for ever). `verify` takes the fast path only when every complete
# block is there and matches and the rows after them check out one by one; anything else (a
# missing or changed block, a problem in the tail, counts that do not add up) runs the full,
# per-row verification, which says exactly what is wrong. Deleting block MACs only makes verify
# slower; changing one is reported ("block_changed") when the rows themselves are fine.

BLOCK_ENV = "MAMORU_AUDIT_BLOCK"
DEFAULT_BLOCK = 4096

BLOCKS_SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_blocks (
    block INTEGER PRIMARY KEY,
    mac BLOB NOT NULL,
    at TEXT NOT NULL
);
"""


def _block_size_setting() -> int:
    import os

    try:
        n = int(os.environ.get(BLOCK_ENV) or DEFAULT_BLOCK)
    except ValueError:
        n = DEFAULT_BLOCK
    return max(2, n)


def block_size(db: sqlite_utils.Database) -> int | None:
    """Rows per block of this chain (fixed when the chain got blocks), None before migration 16."""
    v = meta(db).get("block_size")
    return int(v) if v and str(v).isdigit() and int(v) >= 2 else None


def _block_query(db: sqlite_utils.Database, tables: dict[str, list[str]], existing: set[str]) -> str:
    """(rows, sealed rows, message) of the block between two seqs; the message as a BLOB."""
    try:   # the busiest tables first in the CASE (their sequence is a cheap size estimate)
        sizes = {r[0]: r[1] for r in db.execute("SELECT name, seq FROM sqlite_sequence")}
    except sqlite3.OperationalError:
        sizes = {}
    parts = []
    for t in sorted((t for t in tables if t in existing), key=lambda t: (-(sizes.get(t) or 0), t)):
        info = db.execute(f"PRAGMA table_info({_q(t)})").fetchall()
        have = {r[1] for r in info}
        blobs = {r[1] for r in info if "BLOB" in (r[2] or "").upper()}
        cols = [c for c in tables[t] if c in have]
        if cols:
            # the record's values as its digest covers them (same columns), without the names
            expr = _json_expr("s", cols, column_since(db, t), "c.seq", array=True, blobs=blobs)
            parts.append(f"WHEN '{t}' THEN (SELECT {expr} FROM {_q(t)} s WHERE s.rowid = c.row_id)")
    record = ("CASE c.table_name " + " ".join(parts) + " END") if parts else "NULL"
    return ("SELECT COUNT(*), COUNT(c.hash), CAST(group_concat(c.seq || '|' || c.table_name || '|' || c.row_id"
            f" || '|' || c.at || '|' || quote(c.payload_hash) || quote(c.hash) || COALESCE({record}, ''),"
            " char(10)) AS BLOB) FROM audit_chain c WHERE c.seq BETWEEN ? AND ?")


def _block_mac(mac, b: int, n: int, msg: bytes | None) -> bytes:
    return mac(f"block|{b}|{n}|".encode("ascii"), msg or b"")


def _write_blocks(db: sqlite_utils.Database, key: bytes, blocks: Iterable[int], *, replace: bool = False) -> int:
    """MACs of the given complete blocks whose N rows are all sealed (inside a write transaction)."""
    n = block_size(db)
    if not n:
        return 0
    tables = chained_tables(db)
    existing = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    sql, mac, done = _block_query(db, tables, existing), mac_function(key), 0
    verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
    for b in blocks:
        try:
            rows, sealed, msg = db.conn.execute(sql, [b * n + 1, (b + 1) * n]).fetchone()
        except sqlite3.Error:   # a record no block can lay out (a BLOB slipped in): no MAC, verify goes row by row
            continue
        if rows == n and sealed == n:
            db.conn.execute(f"{verb} INTO audit_blocks (block, mac, at) VALUES (?, ?, ?)",
                            [b, _block_mac(mac, b, n, msg), _now_utc()])
            done += 1
    return done


def _seal_blocks(db: sqlite_utils.Database, key: bytes, first_seq: int, last_seq: int) -> None:
    """After sealing seqs first_seq..last_seq: the blocks they completed."""
    n = block_size(db)
    if n:
        _write_blocks(db, key, range((first_seq - 1) // n, last_seq // n))


def build_blocks(db: sqlite_utils.Database) -> dict:
    """Migration 16: the block MACs of an existing keyed chain, written only when the whole chain
    verifies row by row first (a block never vouches for rows that did not). Inside the migration's
    transaction."""
    db.execute("INSERT OR IGNORE INTO audit_meta (name, value) VALUES ('block_size', ?)", [str(_block_size_setting())])
    if meta(db).get("format") != FORMAT or not db.execute("SELECT 1 FROM audit_chain LIMIT 1").fetchone():
        return {"blocks": 0}
    try:
        key = auditkey.load_key(create=False)
    except auditkey.KeyError_:   # opened without its key (a copy elsewhere): `audit verify` adds them later
        return {"blocks": 0, "why": "no key"}
    if meta(db).get("key_id") != auditkey.key_id(key):
        return {"blocks": 0, "why": "wrong key"}
    v = _verify(db, expect_head=None, max_problems=1, key=key, witness_for=None, fast=False)
    if not v.ok:
        return {"blocks": 0, "problems": v.problem_count}
    n = block_size(db)
    last = db.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_chain").fetchone()[0]
    return {"blocks": _write_blocks(db, key, range(last // n))}


def blocks_missing(db: sqlite_utils.Database) -> bool:
    """Complete blocks without their MAC (a chain whose migration 16 ran without the key, say)."""
    n = block_size(db)
    if not n:
        return False
    full = db.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_chain").fetchone()[0] // n
    try:
        have = db.execute("SELECT COUNT(*) FROM audit_blocks WHERE block < ?", [full]).fetchone()[0]
    except sqlite3.OperationalError:
        return False
    return have < full


def complete_blocks(db: sqlite_utils.Database) -> dict:
    """The missing block MACs, in a write transaction, after the chain verifies row by row there."""
    from storage.db import transaction

    with transaction(db):
        return build_blocks(db)


def _reseal_blocks_after_purge(db: sqlite_utils.Database, key: bytes, before: dict[int, bool]) -> None:
    """A lawful purge changes the records of the blocks it touched: their MACs are rewritten, but
    only for blocks that matched just before it (a block that did not keeps pointing at its problem)."""
    n = block_size(db)
    if n:
        _write_blocks(db, key, sorted(b for b, ok in before.items() if ok), replace=True)


def _blocks_matching(db: sqlite_utils.Database, key: bytes, blocks: Iterable[int]) -> dict[int, bool]:
    """block -> whether its stored MAC matches the rows now."""
    n = block_size(db)
    if not n:
        return {}
    stored = dict(db.conn.execute("SELECT block, mac FROM audit_blocks"))
    tables = chained_tables(db)
    existing = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    sql, mac, out = _block_query(db, tables, existing), mac_function(key), {}
    for b in blocks:
        if b not in stored:
            out[b] = False
            continue
        try:
            rows, sealed, msg = db.conn.execute(sql, [b * n + 1, (b + 1) * n]).fetchone()
        except sqlite3.Error:
            out[b] = False
            continue
        out[b] = rows == n and sealed == n and hmac.compare_digest(_block_mac(mac, b, n, msg), bytes(stored[b]))
    return out


PARALLEL_FROM = 64     # blocks: below this a second process costs more than it saves


def _blocks_changed(db: sqlite_utils.Database, key: bytes, n: int, blocks: list[int], stored: dict[int, bytes],
                    tables: dict[str, list[str]], existing: set[str]) -> list[int]:
    """The blocks (all with a stored MAC) whose MAC does not match their rows now."""
    sql, mac = _block_query(db, tables, existing), mac_function(key)
    changed: list[int] = []

    def check(b: int, rows: int, sealed: int, msg: bytes | None, m) -> None:
        if rows != n or sealed != n or type(m) is not bytes or not hmac.compare_digest(_block_mac(mac, b, n, msg), m):
            changed.append(b)

    # SQLite lays out the next block while a thread hashes this one (both release the GIL)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1, thread_name_prefix="mamoru-verify") as pool:
        pending = None
        for b in blocks:
            try:
                rows, sealed, msg = db.conn.execute(sql, [b * n + 1, (b + 1) * n]).fetchone()
            except sqlite3.Error:      # e.g. a BLOB where the table declares none: not as sealed
                rows = sealed = -1
                msg = None
            if pending is not None:
                pending.result()
            pending = pool.submit(check, b, rows, sealed, msg, stored[b])
        if pending is not None:
            pending.result()
    return sorted(changed)


def _child_blocks(path: str, key: bytes, n: int, blocks: list[int]) -> list[int]:
    """In a second process (a fresh interpreter: nothing of the parent's threads or connections):
    the same check on its own read-only snapshot of the file."""
    conn = sqlite3.connect("file:" + path.replace("?", "%3f").replace("#", "%23") + "?mode=ro", uri=True,
                           isolation_level=None)
    try:
        conn.execute("PRAGMA busy_timeout = 30000")
        conn.execute("BEGIN")
        db = sqlite_utils.Database(conn)
        stored = {b: bytes(m) for b, m in conn.execute("SELECT block, mac FROM audit_blocks")}
        tables = chained_tables(db)
        existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return _blocks_changed(db, key, n, [b for b in blocks if b in stored], stored, tables, existing) + \
            [b for b in blocks if b not in stored]
    finally:
        conn.close()


def _check_blocks(db: sqlite_utils.Database, key: bytes, tables: dict[str, list[str]], existing: set[str],
                  last: int, path: str | None = None) -> tuple[int, list[int], list[int]]:
    """(lo, changed, missing): lo = the first seq after the complete blocks, the blocks whose MAC
    does not match, the complete blocks with no MAC. With `path` (the file, read by a snapshot of
    its own) and two CPUs, a second process checks the later half of a long chain meanwhile; a
    block it finds changed is checked again here, on this snapshot (a purge may have come between)."""
    import os

    n = block_size(db)
    if not n or "audit_blocks" not in existing:
        return 1, [], []
    full = last // n
    stored = dict(db.conn.execute("SELECT block, mac FROM audit_blocks WHERE block < ?", [full]))
    missing = [b for b in range(full) if b not in stored]
    todo = [b for b in range(full) if b in stored]      # the others are missing: verify goes row by row
    child = None
    half = len(todo) // 2
    if path and not missing and full >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        child = _start_child(path, key, n, todo[half:])
    mine, theirs = (todo[:half], todo[half:]) if child is not None else (todo, [])
    changed = _blocks_changed(db, key, n, mine, stored, tables, existing)
    if child is not None:
        found = _child_result(child)
        theirs = theirs if found is None else found      # failed: its half is checked here
        if theirs:
            changed += _blocks_changed(db, key, n, theirs, stored, tables, existing)
    return full * n + 1, sorted(changed), missing


def _start_child(path: str, key: bytes, n: int, blocks: list[int]):
    """`python -c …` running _child_main on the same tree; the key goes through its stdin (never
    its arguments or environment)."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
    try:
        p = subprocess.Popen([sys.executable, "-c", "from storage.audit import _child_main; _child_main()"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                             cwd=root)
        p.stdin.write(json.dumps({"path": path, "key": key.hex(), "n": n, "blocks": blocks}).encode("utf-8"))
        p.stdin.close()
        return p
    except OSError:
        return None


def _child_result(p) -> list[int] | None:
    try:
        out = p.stdout.read()
        p.wait()
        return [int(b) for b in json.loads(out)] if p.returncode == 0 else None
    except (OSError, ValueError, TypeError):
        return None


def _child_main() -> None:
    import sys

    job = json.loads(sys.stdin.buffer.read())
    changed = _child_blocks(job["path"], bytes.fromhex(job["key"]), int(job["n"]), [int(b) for b in job["blocks"]])
    sys.stdout.write(json.dumps(changed))


def _verify(db: sqlite_utils.Database, *, expect_head: str | None, max_problems: int, key: bytes | None,
            witness_for: str | None, second: sqlite_utils.Database | None = None, fast: bool = True,
            path: str | None = None) -> Verification:
    """The checks, on `db`'s snapshot: the fast path through the block MACs when they all match,
    else every row one by one (see the block MACs above)."""
    conn = db.conn
    ensure = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'").fetchone()
    if ensure is None:
        return Verification(False, 0, 0, 0, None, {}, [Problem("table_missing", table="audit_chain")], 1)
    m = meta(db)
    if m.get("format") != FORMAT:
        return Verification(False, length(db), 0, 0, head(db), {}, [Problem("not_keyed")], 1)
    key = key if key is not None else auditkey.load_key(create=False)
    if m.get("key_id") != auditkey.key_id(key):
        return Verification(False, length(db), 0, 0, head(db), {},
                            [Problem("wrong_key", detail={"key_path": str(auditkey.key_path()),
                                                          "expected_key_id": m.get("key_id"),
                                                          "key_id": auditkey.key_id(key)})], 1)
    tables = chained_tables(db)
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    last = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_chain").fetchone()[0]
    covered, purge_problems, orphans = _covered(db, existing)

    changed: list[int] = []
    if fast:
        lo, changed, missing = _check_blocks(db, key, tables, existing, last, path=path if second is not None else None)
        if lo > 1 and not changed and not missing and not purge_problems:
            v = _checks(db, key, tables, existing, last, covered, orphans, expect_head, witness_for, max_problems,
                        lo=lo)
            if v is not None and v.ok:
                return v
    v = _checks(db, key, tables, existing, last, covered, orphans, expect_head, witness_for, max_problems,
                second=second, purge_problems=purge_problems)
    n = block_size(db)
    if changed and n and v.ok:   # block MACs that no longer match rows that are themselves all fine
        extra = [Problem("block_changed", seq=b * n + 1, detail={"block": b, "seqs": [b * n + 1, (b + 1) * n]})
                 for b in changed]
        v = dataclasses.replace(v, ok=False, problems=extra[:max_problems], problem_count=len(extra))
    return v


def _checks(db: sqlite_utils.Database, key: bytes, tables: dict[str, list[str]], existing: set[str], last: int,
            covered: set, orphans: dict, expect_head: str | None, witness_for: str | None, max_problems: int, *,
            lo: int = 1, second: sqlite_utils.Database | None = None,
            purge_problems: list[Problem] | None = None) -> Verification | None:
    """Every check, row by row from seq `lo` (1: the whole chain). With lo > 1 (the rows before
    it are vouched for by their blocks) it returns None as soon as something does not add up, so
    the caller runs the whole verification and reports exactly."""
    problems: list[Problem] = list(purge_problems or [])
    conn = db.conn
    partial = lo > 1
    unsealed_n = conn.execute("SELECT COUNT(*) FROM audit_chain WHERE hash IS NULL").fetchone()[0]
    if partial:
        n = (lo - 1) + conn.execute("SELECT COUNT(*) FROM audit_chain WHERE seq >= ?", [lo]).fetchone()[0]
    else:
        n = conn.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0]
    sealed = n - unsealed_n

    # 2. (started first, on the other connection) each chain row against its source row
    source_problems: list[Problem] = []
    worker = None
    if second is not None and not partial:
        worker = threading.Thread(target=_check_sources, name="mamoru-verify",
                                  args=(second, key, tables, existing, last, covered, orphans, source_problems))
        worker.start()
    else:
        _check_sources(db, key, tables, existing, last, covered, orphans, source_problems, lo)

    # 1. the links, in seq order: SQL lays each link's message out (the previous sealed row's hash,
    # this row's digest, its seq, table, row id and time), Python checks its HMAC. Unsealed rows
    # are not links: they were never mamoru's. From `lo`, the link before it is read too.
    mac = mac_function(key)
    before = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM audit_chain WHERE hash IS NOT NULL AND seq < ?",
                          [lo]).fetchone()[0] if partial else 0
    for seq, table, row_id, msg, hb in conn.execute(
            "SELECT seq, table_name, row_id, CAST(COALESCE(LAG(hash) OVER (ORDER BY seq), zeroblob(32))"
            " || payload_hash || '|' || seq || '|' || table_name || '|' || row_id || '|' || at AS BLOB), hash"
            " FROM audit_chain WHERE hash IS NOT NULL AND seq >= ? ORDER BY seq", [before]):
        if seq < lo:
            continue
        if type(msg) is not bytes or type(hb) is not bytes or mac(msg) != hb:
            problems.append(Problem("hash_mismatch", seq=seq, table=table, row_id=row_id))
    for seq, prev_seq in conn.execute("SELECT seq, prev FROM (SELECT seq, LAG(seq, 1, ?) OVER (ORDER BY seq) AS prev"
                                      " FROM audit_chain WHERE seq >= ?) WHERE seq != prev + 1",
                                      [max(lo - 2, 0), max(lo - 1, 0)]):
        problems.append(Problem("gap", seq=prev_seq + 1, detail={"missing_from": prev_seq + 1,
                                                                "missing_to": seq - 1, "next_seq": seq}))
    known = list(tables)
    for seq, table, row_id in conn.execute(
            "SELECT seq, table_name, row_id FROM audit_chain WHERE seq >= ? AND table_name NOT IN"
            f" ({', '.join('?' * len(known)) or 'NULL'})", [lo, *known]):
        problems.append(Problem("unknown_table", seq=seq, table=table, row_id=row_id))
    for seq, table, row_id in conn.execute("SELECT seq, table_name, row_id FROM audit_chain WHERE hash IS NULL"):
        problems.append(Problem("unsealed", seq=seq, table=table, row_id=row_id))
    top = _top(db)
    if top > last:
        problems.append(Problem("truncated", seq=last + 1, detail={"missing_from": last + 1, "missing_to": top}))
    if partial and problems:
        return None

    # 3. per table: duplicates, source rows left unchained, triggers
    counts: dict[str, int] = {}
    chained_n: dict[str, int] = {}
    covered_n: dict[str, int] = {}
    if partial:
        chained_n = dict(conn.execute("SELECT table_name, COUNT(*) FROM audit_chain GROUP BY table_name"))
        for _, t, _ in covered:
            covered_n[t] = covered_n.get(t, 0) + 1
        if conn.execute("SELECT 1 FROM audit_chain c WHERE c.seq >= ? AND EXISTS (SELECT 1 FROM audit_chain d"
                        " WHERE d.table_name = c.table_name AND d.row_id = c.row_id AND d.seq != c.seq) LIMIT 1",
                        [lo]).fetchone():
            return None
    for table, columns in tables.items():
        if table not in existing:
            problems.append(Problem("table_missing", table=table))
            continue
        t = _q(table)
        counts[table] = conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        if partial:
            # the blocks vouch for every chain row before lo (no duplicates, each record there or
            # lawfully purged): a source row without a chain row shows as one row too many
            if counts[table] + covered_n.get(table, 0) != chained_n.get(table, 0):
                return None
        else:
            for row_id, n_rows, first_seq in conn.execute(
                    "SELECT row_id, COUNT(*), MIN(seq) FROM audit_chain WHERE table_name = ? GROUP BY row_id"
                    " HAVING COUNT(*) > 1", [table]):
                for (seq,) in conn.execute("SELECT seq FROM audit_chain WHERE table_name = ? AND row_id = ?"
                                           " AND seq > ? ORDER BY seq", [table, row_id, first_seq]):
                    problems.append(Problem("duplicate", seq=seq, table=table, row_id=row_id,
                                            detail={"first_seq": first_seq}))
            for (row_id,) in conn.execute(
                    f"SELECT t.rowid FROM {t} t WHERE NOT EXISTS (SELECT 1 FROM audit_chain c"
                    f" WHERE c.table_name = ? AND c.row_id = t.rowid) ORDER BY t.rowid LIMIT ?",
                    [table, max_problems]):
                problems.append(Problem("unchained", table=table, row_id=row_id))
        have = _trigger_in_db(db, trigger_name(table))
        if have != trigger_sql(table, columns):
            problems.append(Problem("trigger_missing", table=table, detail={"present": have is not None}))
    for g in (GUARD_UPDATE, GUARD_DELETE, GUARD_TABLES) + GUARD_META + (GUARD_PURGES if PURGE_TABLE in existing else ()):
        if _trigger_in_db(db, g) is None:
            problems.append(Problem("guard_missing", detail={"trigger": g}))
    if worker is not None:
        worker.join()
    problems += source_problems

    # a deleted chain row leaves a gap and an unchained source row: name the record in the gap
    gaps = sorted((p for p in problems if p.kind in ("gap", "truncated")), key=lambda p: p.seq or 0)
    loose = [p for p in problems if p.kind == "unchained"]
    for g, u in zip(gaps, loose):
        g.table, g.row_id = u.table, u.row_id
        g.detail["unchained_row"] = {"table": u.table, "row_id": u.row_id}

    def present(hash_hex: str) -> int | None:
        b = _bytes(hash_hex)
        row = conn.execute("SELECT seq FROM audit_chain WHERE hash = ?", [b]).fetchone() if b else None
        return row[0] if row else None

    if expect_head:
        want = expect_head.split(":", 1)[-1].strip().lower()
        if present(want) is None:
            problems.append(Problem("head_not_found", detail={"hash": want}))
    w = auditkey.last_witnessed(witness_for)
    if w is not None:
        row = conn.execute("SELECT hash FROM audit_chain WHERE seq = ?", [w.get("seq")]).fetchone()
        if row is None or _hex(row[0]) != w.get("hash"):
            problems.append(Problem("witness_missing", seq=w.get("seq"),
                                    detail={"hash": w.get("hash"), "at": w.get("at"), "why": w.get("why")}))
    if partial and problems:
        return None

    problems.sort(key=_order)
    return Verification(ok=not problems, length=n, sealed=sealed, pending=n - sealed, head=head(db), tables=counts,
                        problems=problems[:max_problems], problem_count=len(problems), witnessed=w,
                        checked="blocks" if partial else "rows")


# ---- purge: a lawful deletion, covered by a chained deletion record ---------------------------

PROTECTED = frozenset({"audit_chain", "audit_tables", "audit_meta", "audit_columns", "audit_blocks", PURGE_TABLE,
                       "audit_purged_rows",
                       "sqlite_sequence", "_migrations"})


def covered_digest(rows: Iterable[tuple[int, str, int]]) -> str:
    """sha256 of the covered chain rows, one "seq|table|row_id" line each, in seq order."""
    text = "\n".join(f"{seq}|{table}|{row_id}" for seq, table, row_id in sorted(rows))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _covered(db: sqlite_utils.Database, existing: set[str]
             ) -> tuple[set[tuple[int, str, int]], list[Problem], dict[tuple[int, str, int], dict]]:
    """Chain rows covered by an intact deletion record, the problems with deletion records, and the
    rows listed under a broken (changed or deleted) deletion record -> {"purge_id", "purge_seq"}."""
    if PURGE_TABLE not in existing or "audit_purged_rows" not in existing:
        return set(), [], {}
    conn = db.conn
    lists: dict[int, list[tuple[int, str, int]]] = {}
    for pid, seq, table, row_id in conn.execute("SELECT purge_id, seq, table_name, row_id FROM audit_purged_rows"):
        lists.setdefault(pid, []).append((seq, table, row_id))
    out: set[tuple[int, str, int]] = set()
    orphans: dict[tuple[int, str, int], dict] = {}
    problems = []

    def own_seq(pid: int) -> int | None:
        row = conn.execute("SELECT seq FROM audit_chain WHERE table_name = ? AND row_id = ? ORDER BY seq LIMIT 1",
                           [PURGE_TABLE, pid]).fetchone()
        return row[0] if row else None

    for pid, count, digest in conn.execute(f"SELECT id, covered_count, covered_sha256 FROM {PURGE_TABLE}"):
        rows_ = lists.pop(pid, [])
        own = own_seq(pid)
        if len(rows_) != count or covered_digest(rows_) != digest or own is None \
                or any(seq >= own for seq, _, _ in rows_):
            problems.append(Problem("purge_list_changed", seq=own, table=PURGE_TABLE, row_id=pid,
                                    detail={"listed": len(rows_), "covered_count": count}))
            orphans.update({r: {"purge_id": pid, "purge_seq": own} for r in rows_})
            continue
        out.update(rows_)
    for pid, rows_ in lists.items():   # rows listed under a deletion record that does not exist
        own = own_seq(pid)
        problems.append(Problem("purge_list_changed", table=PURGE_TABLE, row_id=pid,
                                detail={"rows": len(rows_), "record_missing": True, "record_seq": own}))
        orphans.update({r: {"purge_id": pid, "purge_seq": own} for r in rows_})
    return out, problems, orphans


def purge(db: sqlite_utils.Database, rows: dict[str, list[int]], *, scope: str, actor: str, actor_name: str,
          content: dict, via: str, at: str) -> dict:
    """Delete the given source rows (table -> rowids, deleted in the dict's order: children first)
    and leave a deletion record (日時 `at`、実施者名 `actor_name`、内容 `content` plus the counts) that
    covers their chain rows. One transaction. Returns the record. Call `compact(db)` afterwards:
    until then the deleted pages may still hold the old text."""
    from storage.db import transaction

    bad = sorted(set(rows) & PROTECTED)
    if bad:
        raise ValueError(f"these tables cannot be purged: {', '.join(bad)}")
    for t in rows:
        _q(t)
    conn = db.conn
    if not conn.in_transaction:
        conn.execute("PRAGMA secure_delete = ON")   # freed pages are zeroed as the rows go
    with transaction(db):
        ensure_schema(db)
        chained = chained_tables(db)
        covered: list[tuple[int, str, int]] = []
        counts: dict[str, int] = {}
        for table, ids in rows.items():
            ids = sorted(set(ids))
            counts[table] = len(ids)
            if table not in chained:
                continue
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                covered += conn.execute(
                    f"SELECT seq, table_name, row_id FROM audit_chain WHERE table_name = ? AND row_id IN"
                    f" ({', '.join('?' * len(part))})", [table, *part]).fetchall()
        covered = [tuple(r) for r in covered]
        body = dict(content, deleted=counts, chain_rows_covered=len(covered))
        cur = conn.execute(
            f"INSERT INTO {PURGE_TABLE} (scope, actor, actor_name, content, covered_count, covered_sha256, via, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [scope, actor, actor_name, json.dumps(body, ensure_ascii=False, sort_keys=True), len(covered),
             covered_digest(covered), via, at])
        pid = cur.lastrowid
        conn.executemany("INSERT INTO audit_purged_rows (purge_id, seq, table_name, row_id) VALUES (?, ?, ?, ?)",
                         [(pid, *r) for r in covered])
        n = block_size(db) if meta(db).get("format") == FORMAT else None
        before: dict[int, bool] = {}
        if n and covered:   # the blocks holding purged records, and whether they matched before
            key = auditkey.load_key(create=False)
            full = _top(db) // n
            before = _blocks_matching(db, key, sorted({(seq - 1) // n for seq, _, _ in covered} & set(range(full))))
        for table, ids in rows.items():
            ids = sorted(set(ids))
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                conn.execute(f"DELETE FROM {_q(table)} WHERE rowid IN ({', '.join('?' * len(part))})", part)
        if before:
            _reseal_blocks_after_purge(db, key, before)
    return deletion_record(db, pid)


class CompactError(RuntimeError):
    """The file could not be rewritten (a reader holds it): deleted text may still be in it."""


def compact(db: sqlite_utils.Database) -> dict:
    """Make deleted data unrecoverable from the files: a checked checkpoint of the WAL into the
    database (TRUNCATE: the WAL is emptied) and a VACUUM (free pages rewritten). Raises
    CompactError when a reader blocks either (nothing is reported done that is not)."""
    from storage.db import _write_lock

    with _write_lock:
        db.conn.execute("PRAGMA secure_delete = ON")
        try:
            busy, log, done = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.OperationalError as e:
            raise CompactError(str(e)) from e
        if busy:
            raise CompactError("another connection is reading the database (checkpoint blocked)")
        try:
            db.conn.execute("VACUUM")
        except sqlite3.OperationalError as e:
            raise CompactError(str(e)) from e
        busy, log, done = db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            raise CompactError("another connection is reading the database (checkpoint blocked)")
        free = db.conn.execute("PRAGMA freelist_count").fetchone()[0]
    return {"wal_frames": log, "freelist": free}


def deletion_record(db: sqlite_utils.Database, purge_id: int) -> dict | None:
    rs = list(db.query(f"SELECT * FROM {PURGE_TABLE} WHERE id = ?", [purge_id]))
    if not rs:
        return None
    r = dict(rs[0])
    r["content"] = json.loads(r["content"])
    return r


def deletion_records(db: sqlite_utils.Database, scope: str | None = None) -> list[dict]:
    try:
        ids = [r[0] for r in db.execute(f"SELECT id FROM {PURGE_TABLE}" + (" WHERE scope = ?" if scope else "")
                                        + " ORDER BY id", [scope] if scope else [])]
    except sqlite3.OperationalError:
        return []
    return [deletion_record(db, i) for i in ids]


# ---- access refusals ------------------------------------------------------------------------

def add_refusal(db: sqlite_utils.Database, *, viewer_id: str, subject_id: str | None, what: str, reason: str,
                via: str, at: str) -> int:
    from storage.db import transaction

    with transaction(db):
        cur = db.execute("INSERT INTO access_refusals (viewer_id, subject_id, what, reason, via, at)"
                         " VALUES (?, ?, ?, ?, ?, ?)", [viewer_id, subject_id, what, reason, via, at])
    return cur.lastrowid


def refusal_count_since(db: sqlite_utils.Database, viewer_id: str, since_at: str) -> int:
    return db.execute("SELECT COUNT(*) FROM access_refusals WHERE viewer_id = ? AND at >= ?",
                      [viewer_id, since_at]).fetchone()[0]


def refusals(db: sqlite_utils.Database, viewer_id: str | None = None) -> list[dict]:
    if viewer_id is None:
        return [dict(r) for r in db.query("SELECT * FROM access_refusals ORDER BY id")]
    return [dict(r) for r in db.query("SELECT * FROM access_refusals WHERE viewer_id = ? ORDER BY id", [viewer_id])]


# ---- backup ---------------------------------------------------------------------------------

def backup(db: sqlite_utils.Database, dest: str, *, verify_copy: bool = True) -> dict:
    """A consistent online copy of the database at `dest` (0600), then the copy checked on its own
    with the key.

    The copy is taken with SQLite's backup API in one step (one read snapshot: in WAL mode writers
    carry on meanwhile), written to a temporary file next to `dest`, switched to a single-file
    journal, and moved into place. The copy is then opened read-only and checked (PRAGMA
    quick_check and the whole chain, with the key). Returns a summary dict.
    """
    import os
    import time

    from storage.db import secure_file

    t0 = time.perf_counter()
    tmp = f"{dest}.part-{os.getpid()}"
    if os.path.exists(tmp):
        os.remove(tmp)
    secure_file(tmp, create=True)
    target = sqlite3.connect(tmp)
    try:
        db.conn.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode = DELETE")
        target.commit()
    finally:
        target.close()
    secure_file(tmp)
    os.replace(tmp, dest)
    copied = time.perf_counter() - t0
    out = {"path": str(dest), "bytes": os.path.getsize(dest), "sealed_before": 0, "copy_seconds": copied}
    if not verify_copy:
        return out
    uri = "file:" + os.path.abspath(dest).replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        copy = sqlite_utils.Database(conn)
        out["quick_check"] = conn.execute("PRAGMA quick_check").fetchone()[0]
        out["verification"] = verify(copy, witness_file=None)
    finally:
        conn.close()
    if out["verification"].ok and out["verification"].head:
        h = out["verification"].head
        auditkey.witness(db_file(db), h["seq"], h["hash"], why="backup")
    out["seconds"] = time.perf_counter() - t0
    return out
