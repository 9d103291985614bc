"""People, contracts and registration requests (append-only; the latest row is current).

Every change to the roster is a new row in `people` holding the person's whole state after
the change, with who made it (actor), from where (via) and when (at). `people_current` is a
view of the latest row per user. Contracts are versioned the same way.
"""
from __future__ import annotations

import json

import sqlite_utils

from storage.db import transaction  # noqa: F401  (re-exported: handlers use storage.people.transaction)

def _person(row: dict | None) -> dict | None:
    if row is None:
        return None
    r = dict(row)
    r["contracts"] = json.loads(r["contracts"] or "[]")
    r["days_off"] = json.loads(r["days_off"] or "[]")
    r["active"] = bool(r["active"])
    return r


def _one(db: sqlite_utils.Database, sql: str, params: list) -> dict | None:
    rows = list(db.query(sql, params))
    return rows[0] if rows else None


# ---- people -------------------------------------------------------------------------------

def current(db: sqlite_utils.Database, user_id: str) -> dict | None:
    """The latest state of one person (active or removed), or None if never registered."""
    return _person(_one(db, "SELECT * FROM people_current WHERE user_id = ?", [user_id]))


def active(db: sqlite_utils.Database, *, role: str | None = None, lead_id: str | None = None) -> list[dict]:
    sql, params = "SELECT * FROM people_current WHERE active = 1", []
    if role:
        sql += " AND role = ?"
        params.append(role)
    if lead_id:
        sql += " AND lead_id = ?"
        params.append(lead_id)
    return [_person(r) for r in db.query(sql + " ORDER BY user_id", params)]


def everyone(db: sqlite_utils.Database) -> list[dict]:
    """The latest row of everyone ever registered, removed ones included."""
    return [_person(r) for r in db.query("SELECT * FROM people_current ORDER BY active DESC, user_id")]


def led_on(db: sqlite_utils.Database, lead_id: str, contracts: list[str]) -> set[str]:
    """Everyone whose registration named `lead_id` as lead while on one of `contracts` (any row of
    their history); with no contracts given, everyone who ever named them."""
    if not contracts:
        return {r[0] for r in db.execute("SELECT DISTINCT user_id FROM people WHERE lead_id = ?", [lead_id])}
    contracts = sorted(with_earlier_names(db, contracts))     # rows written before a rename count too
    q = ", ".join("?" * len(contracts))
    return {r[0] for r in db.execute(
        f"SELECT DISTINCT p.user_id FROM people p, json_each(p.contracts) c WHERE p.lead_id = ? AND c.value IN ({q})",
        [lead_id, *contracts])}


def history(db: sqlite_utils.Database, user_id: str) -> list[dict]:
    return [_person(r) for r in db.query("SELECT * FROM people WHERE user_id = ? ORDER BY id", [user_id])]


def on_contract_since(db: sqlite_utils.Database, user_id: str | None = None) -> dict[tuple[str, str], str]:
    """(user, contract) -> when the person's current stay on that contract began (the time of the
    first row of their latest unbroken run of active rows naming it), for the people still on it;
    (user, "") -> when their registration in force began. One person's rows, or everyone's."""
    sql, params = "SELECT user_id, contracts, active, at, change FROM people", []
    if user_id is not None:
        sql, params = sql + " WHERE user_id = ?", [user_id]
    runs: dict[str, dict[str, str]] = {}
    for uid, contracts, active_, at, change in db.execute(sql + " ORDER BY id", params).fetchall():
        names = (set(json.loads(contracts or "[]")) | {""}) if active_ else set()
        before = runs.get(uid, {})
        if change == "contract_renamed":       # the same stay under the contract's new name
            gone = [before[c] for c in before if c not in names]
            at = min(gone) if gone else at
        runs[uid] = {c: before.get(c, at) for c in names}
    return {(uid, c): at for uid, run in runs.items() for c, at in run.items()}


_KEEP = object()


def append(db: sqlite_utils.Database, *, user_id: str, change: str, name: str, role: str, contracts: list[str],
           lead_id: str | None, start_date: str | None, days_off: list[str], active: bool, actor: str,
           via: str, at: str, email=_KEEP) -> int:
    """A new state of one person. `email` left out keeps the one on record (callers that never
    heard of e-mail addresses must not erase them)."""
    if email is _KEEP:
        row = _one(db, "SELECT email FROM people WHERE user_id = ? ORDER BY id DESC LIMIT 1", [user_id])
        email = row["email"] if row else None
    cur = db.execute(
        "INSERT INTO people (user_id, change, name, role, contracts, lead_id, start_date, days_off, active,"
        " actor, via, at, email) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [user_id, change, name, role, json.dumps(contracts, ensure_ascii=False), lead_id, start_date,
         json.dumps(days_off), int(active), actor, via, at, email or None],
    )
    return cur.lastrowid


def by_email(db: sqlite_utils.Database, email: str) -> dict | None:
    """The person whose latest record holds this e-mail address (case-insensitive), if any."""
    return _person(_one(db, "SELECT * FROM people_current WHERE lower(email) = lower(?) ORDER BY active DESC,"
                            " id DESC LIMIT 1", [email]))


# ---- contracts ----------------------------------------------------------------------------

def _contract(row: dict | None) -> dict | None:
    if row is None:
        return None
    r = dict(row)
    r["doc_slugs"] = json.loads(r["doc_slugs"]) if r["doc_slugs"] else None
    return r


def contract(db: sqlite_utils.Database, name: str) -> dict | None:
    """The contract's latest state, or None when it was never added or has been removed."""
    c = _contract(_one(db, "SELECT * FROM contracts WHERE name = ? ORDER BY id DESC LIMIT 1", [name]))
    return c if c and c.get("state", "active") == "active" else None


def contracts(db: sqlite_utils.Database) -> list[dict]:
    """Every contract in force (removed and renamed-away ones left out), by name."""
    return [_contract(r) for r in db.query(
        "SELECT c.* FROM contracts c WHERE c.id = (SELECT MAX(d.id) FROM contracts d WHERE d.name = c.name)"
        " AND c.state = 'active' ORDER BY c.name")]


def append_contract(db: sqlite_utils.Database, *, name: str, municipality: str | None, doc_slugs: list[str] | None,
                    actor: str, via: str, at: str, state: str = "active", renamed_from: str | None = None) -> int:
    with transaction(db):   # sealed into the audit chain as it is committed
        cur = db.execute(
            "INSERT INTO contracts (name, municipality, doc_slugs, actor, via, at, state, renamed_from)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [name, municipality, json.dumps(doc_slugs, ensure_ascii=False) if doc_slugs is not None else None,
             actor, via, at, state, renamed_from],
        )
    return cur.lastrowid


# ---- earlier names (renames) ---------------------------------------------------------------
# Records keep the contract name they were written under (they are sealed into the audit chain and
# never rewritten). A rename leaves a row naming where the contract came from, so whatever counts a
# contract's records asks for all of its names. A name once part of a rename is never given to
# another contract (handlers/contracts.py refuses it), so following the rows back is unambiguous.

def earlier_names(db: sqlite_utils.Database, name: str) -> list[str]:
    """Every name the contract `name` had before, nearest first (its renames followed back)."""
    back: dict[str, list[str]] = {}
    for n, old in db.execute("SELECT name, renamed_from FROM contracts WHERE renamed_from IS NOT NULL"
                             " ORDER BY id DESC").fetchall():
        back.setdefault(n, []).append(old)
    out: list[str] = []
    todo = [name]
    while todo:
        for old in back.get(todo.pop(0), []):
            if old != name and old not in out:
                out.append(old)
                todo.append(old)
    return out


def names_of(db: sqlite_utils.Database, name: str) -> list[str]:
    """The contract's name and the names its earlier records were written under."""
    return [name, *earlier_names(db, name)]


def with_earlier_names(db: sqlite_utils.Database, names) -> set[str]:
    """A set of contract names widened by the earlier names of each (a lead's contracts, say)."""
    out: set[str] = set()
    for n in names or []:
        out.update(names_of(db, n))
    return out


def in_renames(db: sqlite_utils.Database, name: str) -> bool:
    """Whether the name ever took part in a rename (as the old name or the new one)."""
    return db.execute("SELECT 1 FROM contracts WHERE renamed_from = ? OR (name = ? AND renamed_from IS NOT NULL)"
                      " LIMIT 1", [name, name]).fetchone() is not None


def renamed_to(db: sqlite_utils.Database, name: str) -> str | None:
    """The contract in force that was once called `name`, if any."""
    for c in contracts(db):
        if name in earlier_names(db, c["name"]):
            return c["name"]
    return None


# Where a contract's name is written down as evidence (records are never rewritten, so a contract
# named in any of them stays) and as configuration (carried over to the new name on a rename).
_EVIDENCE = (("checklist_confirmations", "チェックリストの記録"), ("training_assignments", "研修の割り当て"),
             ("incidents", "事故報告"))
SETTINGS_TABLES = ("checklist_settings", "training_settings", "report_schedules")


def _has_table(db: sqlite_utils.Database, table: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone() is not None


def contract_references(db: sqlite_utils.Database, name: str, *, earlier: bool = True) -> list[tuple[str, int]]:
    """(what, how many) for everything that names the contract now: people on it, and records
    (those written under its earlier names too, unless `earlier` is False)."""
    out = []
    n = sum(1 for p in active(db) if name in p["contracts"])
    if n:
        out.append(("登録されている方", n))
    names = names_of(db, name) if earlier else [name]
    q = ", ".join("?" * len(names))
    for table, label in _EVIDENCE:
        if _has_table(db, table):
            k = db.execute(f"SELECT COUNT(*) FROM {table} WHERE contract IN ({q})", names).fetchone()[0]
            if k:
                out.append((label, k))
    return out


def copy_settings(db: sqlite_utils.Database, old: str, new: str, *, actor: str, via: str, at: str) -> list[str]:
    """The latest settings row of each kind under `old`, appended again under `new` (a rename)."""
    copied = []
    for table in SETTINGS_TABLES:
        if not _has_table(db, table):
            continue
        row = _one(db, f"SELECT * FROM {table} WHERE contract = ? ORDER BY id DESC LIMIT 1", [old])
        if row is None:
            continue
        cols = [c for c in row if c not in ("id", "contract", "actor", "via", "at")]
        db.execute(f"INSERT INTO {table} (contract, {', '.join(cols)}, actor, via, at)"
                   f" VALUES (?, {', '.join('?' for _ in cols)}, ?, ?, ?)",
                   [new, *[row[c] for c in cols], actor, via, at])
        copied.append(table)
    return copied


def referenced_contract_names(db: sqlite_utils.Database) -> set[str]:
    """Every contract name any current person or setting names (the migration's backfill)."""
    names: set[str] = set()
    for r in db.query("SELECT contracts FROM people_current"):
        names.update(json.loads(r["contracts"] or "[]"))
    for table in SETTINGS_TABLES:
        if _has_table(db, table):
            names.update(r[0] for r in db.execute(f"SELECT DISTINCT contract FROM {table}").fetchall())
    return {n for n in names if n}


# ---- registration requests ----------------------------------------------------------------

def _request(row: dict | None) -> dict | None:
    if row is None:
        return None
    r = dict(row)
    r["recipients"] = json.loads(r["recipients"] or "[]")
    return r


_PENDING = ("SELECT r.* FROM registration_requests r"
            " WHERE NOT EXISTS (SELECT 1 FROM registration_decisions d WHERE d.request_id = r.id)"
            " AND NOT EXISTS (SELECT 1 FROM people_current p WHERE p.user_id = r.user_id AND p.active = 1)"
            " AND r.id = (SELECT MAX(s.id) FROM registration_requests s WHERE s.user_id = r.user_id)")


def pending_request(db: sqlite_utils.Database, user_id: str) -> dict | None:
    """The request awaiting a decision for this (still unregistered) person, if any."""
    return _request(_one(db, _PENDING + " AND r.user_id = ?", [user_id]))


def pending_requests(db: sqlite_utils.Database, recipient: str | None = None) -> list[dict]:
    """Requests awaiting a decision; with `recipient`, only those sent to that person."""
    rows = [_request(r) for r in db.query(_PENDING + " ORDER BY r.id")]
    return [r for r in rows if recipient is None or recipient in r["recipients"]]


def append_request(db: sqlite_utils.Database, *, user_id: str, name: str, recipients: list[str], via: str,
                   at: str) -> int:
    cur = db.execute(
        "INSERT INTO registration_requests (user_id, name, recipients, via, at) VALUES (?, ?, ?, ?, ?)",
        [user_id, name, json.dumps(recipients), via, at],
    )
    return cur.lastrowid


def decide(db: sqlite_utils.Database, *, request_id: int, decision: str, actor: str, via: str, at: str) -> bool:
    """Record the decision on a request; False if it was already decided (a double click)."""
    cur = db.execute(
        "INSERT OR IGNORE INTO registration_decisions (request_id, decision, actor, via, at) VALUES (?, ?, ?, ?, ?)",
        [request_id, decision, actor, via, at],
    )
    return cur.rowcount == 1


def decision(db: sqlite_utils.Database, request_id: int) -> dict | None:
    return _one(db, "SELECT * FROM registration_decisions WHERE request_id = ?", [request_id])


def latest_request(db: sqlite_utils.Database, user_id: str) -> dict | None:
    return _request(_one(db, "SELECT * FROM registration_requests WHERE user_id = ? ORDER BY id DESC LIMIT 1",
                         [user_id]))
