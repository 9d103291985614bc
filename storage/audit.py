"""The audit chain: every evidencing record is chained, so an edit or a deletion is detected.

How it works
------------
* `chain_table(db, table)` puts an AFTER INSERT trigger on an evidencing table. The trigger is
  plain SQL (json_object of the row's columns, no custom SQL function), so any tool writing to
  the database (the sqlite3 shell, a script) still chains what it inserts. It appends one row to
  `audit_chain`: (seq, table_name, row_id, payload = the row as JSON, at = when, in UTC).
* Sealing fills `payload_hash`, `prev_hash` and `hash` in seq order, in Python, under the write
  lock. `storage.db.transaction` seals just before every COMMIT, so a record written through it
  is committed already chained. Rows written outside it (autocommit statements, other tools)
  stay pending until the next transaction, `seal(db)`, `mamoru audit verify` or `mamoru backup`;
  their payload was captured at insert time, so an edit of the source row in the meantime is
  still detected.
* `verify(db)` recomputes the chain and compares every payload with the current source row:
  an UPDATE or DELETE of a source row, an edit, deletion or insertion of a chain row, a dropped
  trigger or a row inserted with the trigger dropped all break it. Problems are listed in seq
  order; the first is "the first broken record".

The hash (an auditor can recompute it with any SHA-256 tool)::

    payload_hash = sha256(payload as UTF-8), in hex
    hash         = sha256("{prev_hash}|{seq}|{table_name}|{row_id}|{at}|{payload_hash}" as UTF-8), in hex
    prev_hash of seq 1 = "0" * 64 (GENESIS)

e.g. `printf '%s' "$prev|12|people|5|2026-10-01T00:00:00+00:00|$ph" | sha256sum`. The fields hold no
"|" (table names are identifiers, the hashes hex, `at` ISO 8601), so the joined text is unambiguous.

The hash covers the payload's hash, not the payload itself, so a later lawful purge (第15条:
personal records deleted after export) can blank a payload and delete its source row while the
chain still verifies, provided a chained deletion record says so: `purge(db, rows, …)` writes a
deletion record (`audit_purges`: 日時、実施者名、内容; chained itself, and guarded so it can never be
updated, deleted or purged), lists the chain rows it covers in `audit_purged_rows` (the list's
sha256 is in the deletion record, so a row added to the list later is detected), blanks their
payloads (the only change the audit_chain guard allows, and only for covered rows) and deletes
the source rows. `verify` accepts a covered row whose payload is blank and whose source row is
gone; a blanked payload or a deleted source row not covered, a covered row whose source came
back, or a changed coverage list still break the chain. When a deletion record is changed or deleted,
the rows it covered are reported right after it (each naming it): the record is the first broken one.
Its guards are checked like the chain's.

Evidencing tables must be append-only: no UPDATE, no DELETE, no INSERT OR REPLACE (a
correction is a new row). INSERT OR IGNORE is fine (an ignored row fires no trigger).
Conversation state (sessions, drafts) is not evidence and must not be chained.

Joining the chain (one line in the capability's migration step, after its CREATE TABLEs)::

    from storage import audit; audit.chain_tables(db, "checklist_confirmations", "checklist_reasons")

`chain_table` is idempotent: it creates the audit tables if they do not exist yet (so a
migration numbered before 7 may call it), adopts rows already in the table (chains them, in
rowid order) the first time, and re-creates the trigger when the table has gained columns.
"""
from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import re
import sqlite3
from typing import Iterable, Iterator

import sqlite_utils

from storage.migrations import run_script as _script

GENESIS = "0" * 64
TRIGGER_PREFIX = "audit_chain__"
GUARD_UPDATE = "audit_chain_guard_update"
GUARD_DELETE = "audit_chain_guard_delete"
GUARD_TABLES = "audit_tables_guard_delete"
GUARD_PURGES = ("audit_purges_guard_update", "audit_purges_guard_delete", "audit_purged_rows_guard_update",
                "audit_purged_rows_guard_delete")
PURGE_TABLE = "audit_purges"

# Sealed chain rows never change, except one thing: a purge may blank the payload of a row its
# deletion record covers (same seq, table, row id, time and hashes).
GUARD_UPDATE_SQL = (
    "CREATE TRIGGER IF NOT EXISTS audit_chain_guard_update BEFORE UPDATE ON audit_chain\n"
    "WHEN NEW.seq IS NOT OLD.seq OR NEW.table_name IS NOT OLD.table_name OR NEW.row_id IS NOT OLD.row_id\n"
    "  OR NEW.at IS NOT OLD.at\n"
    "  OR (OLD.hash IS NOT NULL AND (NEW.hash IS NOT OLD.hash OR NEW.prev_hash IS NOT OLD.prev_hash\n"
    "      OR NEW.payload_hash IS NOT OLD.payload_hash))\n"
    "  OR (NEW.payload IS NOT OLD.payload AND NOT (OLD.hash IS NOT NULL AND NEW.payload IS NULL AND EXISTS (\n"
    "      SELECT 1 FROM audit_purged_rows r WHERE r.seq = OLD.seq AND r.table_name = OLD.table_name\n"
    "      AND r.row_id = OLD.row_id)))\n"
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
{GUARD_UPDATE_SQL};
CREATE TRIGGER IF NOT EXISTS {GUARD_DELETE} BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain rows cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS {GUARD_TABLES} BEFORE DELETE ON audit_tables
BEGIN SELECT RAISE(ABORT, 'audit_tables rows cannot be deleted'); END;
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


# ---- schema and triggers --------------------------------------------------------------------

def ensure_schema(db: sqlite_utils.Database) -> None:
    """The chain table, its registry of chained tables, the deletion records and the guards
    (idempotent; an older update guard, which allowed no purge, is replaced)."""
    _script(db, PURGE_SCHEMA)
    have = _trigger_in_db(db, GUARD_UPDATE)
    if have is not None and have != GUARD_UPDATE_SQL:
        db.execute(f"DROP TRIGGER {GUARD_UPDATE}")
    _script(db, SCHEMA)


def ensure_purge(db: sqlite_utils.Database) -> None:
    """The deletion records, and their chaining (migration 8)."""
    ensure_schema(db)
    chain_table(db, PURGE_TABLE)


def ensure_refusals(db: sqlite_utils.Database) -> None:
    _script(db, REFUSALS_SCHEMA)


def _columns(db: sqlite_utils.Database, table: str) -> list[str]:
    return [r[1] for r in db.execute(f"PRAGMA table_info({_q(table)})").fetchall()]


def _json_expr(alias: str, columns: list[str]) -> str:
    """json_object of a row's columns, in table order; a BLOB value is kept as hex text."""
    parts = []
    for c in columns:
        v = f"{alias}.{_q(c)}"
        parts.append(f"'{c}', CASE WHEN typeof({v}) = 'blob' THEN 'hex:' || hex({v}) ELSE {v} END")
    return "json_object(" + ", ".join(parts) + ")"


def trigger_name(table: str) -> str:
    return TRIGGER_PREFIX + table


def trigger_sql(table: str, columns: list[str]) -> str:
    """The AFTER INSERT trigger that chains `table` (pure SQL)."""
    return (f"CREATE TRIGGER {_q(trigger_name(table))} AFTER INSERT ON {_q(table)} BEGIN "
            f"INSERT INTO audit_chain (table_name, row_id, payload, at) VALUES "
            f"('{table}', NEW.rowid, {_json_expr('NEW', columns)}, {_NOW_SQL}); END")


def _trigger_in_db(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", [name]).fetchone()
    return row[0] if row else None


def chain_table(db: sqlite_utils.Database, table: str) -> bool:
    """Chain `table` (idempotent). True when the trigger was created or re-created now.

    The first time, rows already in the table are chained in rowid order (they are adopted as
    they are now). When the table has gained columns, the trigger is re-created to cover them.
    """
    from storage.db import transaction

    _q(table)
    with transaction(db):
        ensure_schema(db)
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
        if have == want:
            return False
        if have is not None:
            db.execute(f"DROP TRIGGER {_q(trigger_name(table))}")
        db.execute(want)
        db.execute("INSERT INTO audit_tables (name, columns, at) VALUES (?, ?, ?)"
                   " ON CONFLICT(name) DO UPDATE SET columns = excluded.columns",
                   [table, json.dumps(columns), _now_utc()])
        if have is None:
            db.execute(
                f"INSERT INTO audit_chain (table_name, row_id, payload, at) "
                f"SELECT '{table}', t.rowid, {_json_expr('t', columns)}, {_NOW_SQL} FROM {_q(table)} t "
                f"WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.table_name = '{table}' AND c.row_id = t.rowid) "
                f"ORDER BY t.rowid")
        seal_pending(db)
    return True


def chain_tables(db: sqlite_utils.Database, *tables: str) -> None:
    """chain_table for each (the one line a capability's migration adds)."""
    for t in tables:
        chain_table(db, t)


def chained_tables(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """Registered tables and the columns their trigger covers."""
    try:
        rows = db.execute("SELECT name, columns FROM audit_tables ORDER BY name").fetchall()
    except sqlite3.OperationalError:
        return {}
    return {r[0]: json.loads(r[1]) for r in rows}


# ---- sealing --------------------------------------------------------------------------------

def payload_hash(payload: str | None) -> str | None:
    return None if payload is None else hashlib.sha256(payload.encode("utf-8")).hexdigest()


def link_hash(prev_hash: str, seq: int, table: str, row_id: int, at: str, p_hash: str | None) -> str:
    return hashlib.sha256(f"{prev_hash}|{seq}|{table}|{row_id}|{at}|{p_hash}".encode("utf-8")).hexdigest()


def seal_pending(db: sqlite_utils.Database) -> int:
    """Seal pending chain rows in seq order; call inside a write transaction. Returns how many.

    Only rows after the last sealed one are sealed (a pending row before a sealed one can only be
    a forgery; verify reports it).
    """
    conn = db.conn
    try:
        first = conn.execute("SELECT MIN(seq) FROM audit_chain WHERE hash IS NULL").fetchone()[0]
    except sqlite3.OperationalError as e:
        if "no such table" in str(e):
            return 0
        raise
    if first is None:
        return 0
    last = conn.execute("SELECT seq, hash FROM audit_chain WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1").fetchone()
    prev, after = (last[1], last[0]) if last else (GENESIS, 0)
    rows = conn.execute("SELECT seq, table_name, row_id, payload, at FROM audit_chain"
                        " WHERE hash IS NULL AND seq > ? ORDER BY seq", [after]).fetchall()
    updates = []
    for seq, table, row_id, payload, at in rows:
        ph = payload_hash(payload)
        h = link_hash(prev, seq, table, row_id, at, ph)
        updates.append((ph, prev, h, seq))
        prev = h
    conn.executemany("UPDATE audit_chain SET payload_hash = ?, prev_hash = ?, hash = ? WHERE seq = ? AND hash IS NULL",
                     updates)
    return len(updates)


def seal(db: sqlite_utils.Database) -> int:
    """Seal what other writers left pending, in its own write transaction."""
    from storage.db import transaction

    with transaction(db):   # the transaction's pre-commit hook seals too; this returns the count
        return seal_pending(db)


def pending_count(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM audit_chain WHERE hash IS NULL").fetchone()[0]


def head(db: sqlite_utils.Database) -> dict | None:
    """The last sealed chain row: {"seq", "hash", "at"} (None for an empty chain)."""
    row = db.execute("SELECT seq, hash, at FROM audit_chain WHERE hash IS NOT NULL ORDER BY seq DESC LIMIT 1").fetchone()
    return {"seq": row[0], "hash": row[1], "at": row[2]} if row else None


def length(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0]


def rows(db: sqlite_utils.Database) -> Iterator[dict]:
    """Every chain row in seq order (streamed)."""
    cur = db.conn.execute("SELECT seq, table_name, row_id, payload, at, payload_hash, prev_hash, hash"
                          " FROM audit_chain ORDER BY seq")
    for r in cur:
        yield {"seq": r[0], "table": r[1], "row_id": r[2], "payload": r[3], "at": r[4], "payload_hash": r[5],
               "prev_hash": r[6], "hash": r[7]}


def rows_with_time(db: sqlite_utils.Database, up_to_seq: int, day_from: str | None = None,
                   day_to: str | None = None) -> Iterator[tuple]:
    """(seq, table, row_id, payload, at, payload_hash, prev_hash, hash, the record's own `at`) up to a
    seq, in seq order, streamed. The record's time is read by SQLite; `day_from`/`day_to` (ISO dates)
    pre-select by its first ten characters, so callers widen them by a day and filter exactly."""
    sql = ("SELECT * FROM (SELECT seq, table_name, row_id, payload, at, payload_hash, prev_hash, hash,"
           " CASE WHEN json_valid(payload) THEN json_extract(payload, '$.at') END AS rec_at"
           " FROM audit_chain WHERE seq <= ?)")
    params: list = [up_to_seq]
    where = []
    if day_from:
        where.append("substr(COALESCE(rec_at, at), 1, 10) >= ?")
        params.append(day_from)
    if day_to:
        where.append("substr(COALESCE(rec_at, at), 1, 10) <= ?")
        params.append(day_to)
    if where:
        sql += " WHERE " + " AND ".join(where)
    return db.conn.execute(sql + " ORDER BY seq", params)


def source_row(db: sqlite_utils.Database, table: str, row_id: int) -> dict | None:
    rs = list(db.query(f"SELECT * FROM {_q(table)} WHERE rowid = ?", [row_id]))
    return rs[0] if rs else None


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
    "source_changed": "the source row differs from what was chained (an UPDATE)",
    "source_missing": "the source row is gone (a DELETE)",
    "payload_edited": "the chain row's payload does not match its payload_hash",
    "hash_mismatch": "the chain row's hash is not the hash of its contents",
    "link_broken": "prev_hash is not the previous row's hash",
    "rewritten": "the row was rewritten with recomputed hashes (the next row still holds its old hash)",
    "gap": "chain rows are missing (deleted) before this seq",
    "truncated": "the chain's last rows were deleted (the sequence went further)",
    "unsealed_before_sealed": "a pending row sits before a sealed one (inserted afterwards)",
    "duplicate": "a second chain row for the same record",
    "unknown_table": "a chain row for a table that is not chained",
    "table_missing": "a chained table no longer exists",
    "unchained": "a source row with no chain row (inserted with the trigger dropped, or its chain row deleted)",
    "trigger_missing": "a chained table's trigger is missing or altered",
    "guard_missing": "a guard trigger of the chain is missing",
    "head_not_found": "the head hash given is not in the chain",
    "purge_list_changed": "the list of rows a deletion record covers no longer matches the record's sha256",
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

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def as_dict(self) -> dict:
        return {"ok": self.ok, "length": self.length, "sealed": self.sealed, "pending": self.pending,
                "head": self.head, "tables": self.tables, "problem_count": self.problem_count,
                "problems": [p.as_dict() for p in self.problems]}


def _diff(old: dict, new: dict) -> dict:
    return {k: {"chained": old.get(k), "now": new.get(k)} for k in old if old.get(k) != new.get(k)}


def _order(p: Problem) -> tuple:
    """Problems in seq order ("the first broken record"), except that the rows a broken deletion
    record listed come right after that record's own problems: the record is what was changed."""
    anchor = p.detail.get("purge_seq") if p.kind == "source_missing" else None
    at = anchor if anchor is not None else p.seq
    return (at is None, at or 0, anchor is not None, p.seq or 0, p.kind == "unchained")


def verify(db: sqlite_utils.Database, *, expect_head: str | None = None, max_problems: int = 200) -> Verification:
    """Check the whole chain and every chained table (read-only: seal first if you can write)."""
    problems: list[Problem] = []
    conn = db.conn
    ensure = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'audit_chain'").fetchone()
    if ensure is None:
        return Verification(False, 0, 0, 0, None, {}, [Problem("table_missing", table="audit_chain")], 1)
    tables = chained_tables(db)
    existing = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    # 1. the chain itself, in seq order
    prev_hash, prev_seq, first_pending, n, sealed = GENESIS, 0, None, 0, 0
    prev_row: tuple | None = None
    for seq, table, row_id, payload, at, p_hash, stored_prev, h in conn.execute(
            "SELECT seq, table_name, row_id, payload, at, payload_hash, prev_hash, hash FROM audit_chain ORDER BY seq"):
        n += 1
        gap = seq != prev_seq + 1
        if gap:
            problems.append(Problem("gap", seq=prev_seq + 1, detail={"missing_from": prev_seq + 1, "missing_to": seq - 1,
                                                                    "next_seq": seq}))
        prev_seq = seq
        if table not in tables:
            problems.append(Problem("unknown_table", seq=seq, table=table, row_id=row_id))
        if h is None:
            if first_pending is None:
                first_pending = (seq, table, row_id)
            continue
        sealed += 1
        if first_pending is not None:
            problems.append(Problem("unsealed_before_sealed", seq=first_pending[0], table=first_pending[1],
                                    row_id=first_pending[2]))
            first_pending = None
        if payload is not None and payload_hash(payload) != p_hash:
            problems.append(Problem("payload_edited", seq=seq, table=table, row_id=row_id))
        self_ok = link_hash(stored_prev or "", seq, table, row_id, at, p_hash) == h
        if stored_prev != prev_hash and not gap:
            if self_ok and prev_row is not None:
                # this row is intact and still holds the previous row's original hash: the previous
                # row was rewritten (and its hash recomputed)
                problems.append(Problem("rewritten", seq=prev_row[0], table=prev_row[1], row_id=prev_row[2],
                                        detail={"next_seq": seq}))
            else:
                problems.append(Problem("link_broken", seq=seq, table=table, row_id=row_id,
                                        detail={"expected_prev": prev_hash, "stored_prev": stored_prev}))
        if not self_ok:
            problems.append(Problem("hash_mismatch", seq=seq, table=table, row_id=row_id))
        prev_hash, prev_row = h, (seq, table, row_id)
    top = conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'audit_chain'").fetchone()
    if top and top[0] > prev_seq:
        problems.append(Problem("truncated", seq=prev_seq + 1, detail={"missing_from": prev_seq + 1,
                                                                      "missing_to": top[0]}))

    # 2. each chain row against its source row; duplicates; source rows left unchained. A row a
    # deletion record covers may have lost its payload and its source row (a lawful purge).
    covered, purge_problems, orphans = _covered(db, existing)
    problems += purge_problems
    counts: dict[str, int] = {}
    for table, columns in tables.items():
        if table not in existing:
            problems.append(Problem("table_missing", table=table))
            continue
        t = _q(table)
        cur_cols = _columns(db, table)
        expr = _json_expr("s", [c for c in columns if c in cur_cols])
        for seq, row_id, payload, present, current in conn.execute(
                f"SELECT c.seq, c.row_id, c.payload, s.rowid IS NOT NULL, {expr} FROM audit_chain c "
                f"LEFT JOIN {t} s ON s.rowid = c.row_id WHERE c.table_name = ? "
                f"AND (s.rowid IS NULL OR c.payload IS NOT {expr}) ORDER BY c.seq", [table]):
            if not present:
                if (seq, table, row_id) not in covered:
                    # listed under a broken deletion record: deleted, and nothing vouches for it any more
                    problems.append(Problem("source_missing", seq=seq, table=table, row_id=row_id,
                                            detail=dict(orphans.get((seq, table, row_id), {}))))
                continue
            old = json.loads(payload) if payload is not None else None
            new = json.loads(current)
            if old is None or {k: new.get(k) for k in old} != old or set(old) - set(new):
                problems.append(Problem("source_changed", seq=seq, table=table, row_id=row_id,
                                        detail={"columns": _diff(old or {}, new)}))
        for row_id, n_rows, first_seq in conn.execute(
                "SELECT row_id, COUNT(*), MIN(seq) FROM audit_chain WHERE table_name = ? GROUP BY row_id"
                " HAVING COUNT(*) > 1", [table]):
            for (seq,) in conn.execute("SELECT seq FROM audit_chain WHERE table_name = ? AND row_id = ? AND seq > ?"
                                       " ORDER BY seq", [table, row_id, first_seq]):
                problems.append(Problem("duplicate", seq=seq, table=table, row_id=row_id,
                                        detail={"first_seq": first_seq}))
        for (row_id,) in conn.execute(
                f"SELECT t.rowid FROM {t} t WHERE NOT EXISTS (SELECT 1 FROM audit_chain c"
                f" WHERE c.table_name = ? AND c.row_id = t.rowid) ORDER BY t.rowid LIMIT ?", [table, max_problems]):
            problems.append(Problem("unchained", table=table, row_id=row_id))
        counts[table] = conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
        have = _trigger_in_db(db, trigger_name(table))
        if have != trigger_sql(table, columns):
            problems.append(Problem("trigger_missing", table=table, detail={"present": have is not None}))
    for g in (GUARD_UPDATE, GUARD_DELETE, GUARD_TABLES) + (GUARD_PURGES if PURGE_TABLE in existing else ()):
        if _trigger_in_db(db, g) is None:
            problems.append(Problem("guard_missing", detail={"trigger": g}))

    # a deleted chain row leaves a gap and an unchained source row: name the record in the gap
    # (in seq order, matched one to one with the source rows left unchained; exact for a single deletion)
    gaps = [p for p in problems if p.kind in ("gap", "truncated")]
    loose = [p for p in problems if p.kind == "unchained"]
    for g, u in zip(gaps, loose):
        g.table, g.row_id = u.table, u.row_id
        g.detail["unchained_row"] = {"table": u.table, "row_id": u.row_id}
    if expect_head:
        want = expect_head.split(":", 1)[-1].strip().lower()
        row = conn.execute("SELECT seq FROM audit_chain WHERE hash = ?", [want]).fetchone()
        if row is None:
            problems.append(Problem("head_not_found", detail={"hash": want}))

    problems.sort(key=_order)
    pending = n - sealed
    return Verification(ok=not problems, length=n, sealed=sealed, pending=pending, head=head(db), tables=counts,
                        problems=problems[:max_problems], problem_count=len(problems))


# ---- purge: a lawful deletion, covered by a chained deletion record ---------------------------

PROTECTED = frozenset({"audit_chain", "audit_tables", PURGE_TABLE, "audit_purged_rows", "sqlite_sequence",
                       "_migrations"})


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
    covers their chain rows, whose payloads are blanked. One transaction. Returns the record."""
    from storage.db import transaction

    bad = sorted(set(rows) & PROTECTED)
    if bad:
        raise ValueError(f"these tables cannot be purged: {', '.join(bad)}")
    for t in rows:
        _q(t)
    conn = db.conn
    with transaction(db):
        ensure_schema(db)
        seal_pending(db)
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
        body = dict(content, deleted=counts, chain_rows_blanked=len(covered))
        cur = conn.execute(
            f"INSERT INTO {PURGE_TABLE} (scope, actor, actor_name, content, covered_count, covered_sha256, via, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [scope, actor, actor_name, json.dumps(body, ensure_ascii=False, sort_keys=True), len(covered),
             covered_digest(covered), via, at])
        pid = cur.lastrowid
        conn.executemany("INSERT INTO audit_purged_rows (purge_id, seq, table_name, row_id) VALUES (?, ?, ?, ?)",
                         [(pid, *r) for r in covered])
        conn.executemany("UPDATE audit_chain SET payload = NULL WHERE seq = ?", [(r[0],) for r in covered])
        for table, ids in rows.items():
            ids = sorted(set(ids))
            for i in range(0, len(ids), 500):
                part = ids[i:i + 500]
                conn.execute(f"DELETE FROM {_q(table)} WHERE rowid IN ({', '.join('?' * len(part))})", part)
    return deletion_record(db, pid)


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


def refusals(db: sqlite_utils.Database, viewer_id: str | None = None) -> list[dict]:
    if viewer_id is None:
        return [dict(r) for r in db.query("SELECT * FROM access_refusals ORDER BY id")]
    return [dict(r) for r in db.query("SELECT * FROM access_refusals WHERE viewer_id = ? ORDER BY id", [viewer_id])]


# ---- backup ---------------------------------------------------------------------------------

def backup(db: sqlite_utils.Database, dest: str, *, verify_copy: bool = True) -> dict:
    """A consistent online copy of the database at `dest`, then the copy checked on its own.

    Pending chain rows are sealed first; the copy is taken with SQLite's backup API in one step
    (one read snapshot: in WAL mode writers carry on meanwhile), written to a temporary file next
    to `dest`, switched to a single-file journal, and moved into place. The copy is then opened
    read-only and checked (PRAGMA quick_check and the whole chain). Returns a summary dict.
    """
    import os
    import time

    t0 = time.perf_counter()
    try:
        sealed = seal(db)
    except sqlite3.OperationalError:
        sealed = 0
    tmp = f"{dest}.part-{os.getpid()}"
    if os.path.exists(tmp):
        os.remove(tmp)
    target = sqlite3.connect(tmp)
    try:
        db.conn.backup(target, pages=-1)
        target.execute("PRAGMA journal_mode = DELETE")
        target.commit()
    finally:
        target.close()
    os.replace(tmp, dest)
    copied = time.perf_counter() - t0
    out = {"path": str(dest), "bytes": os.path.getsize(dest), "sealed_before": sealed, "copy_seconds": copied}
    if not verify_copy:
        return out
    uri = "file:" + os.path.abspath(dest).replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        copy = sqlite_utils.Database(conn)
        out["quick_check"] = conn.execute("PRAGMA quick_check").fetchone()[0]
        out["verification"] = verify(copy)
    finally:
        conn.close()
    out["seconds"] = time.perf_counter() - t0
    return out
