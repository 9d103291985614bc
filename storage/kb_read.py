"""Reading clauses with the standard sqlite3 module alone.

storage/kb.py reads through these too (one SQL, one row shape). Review tools start
`mamoru kb show ID --json` once per clause; on an up-to-date database that command reads here
without importing sqlite_utils and numpy, about 0.25 s of CPU per process.
"""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from storage.schema import LATEST_MIGRATION

CLAUSE_SQL = ("SELECT c.*, d.municipality, d.title AS doc_title FROM clauses c JOIN documents d ON d.slug = c.doc_slug "
              "WHERE c.id = ?")
CLAUSES_OF_SQL = ("SELECT id, key, parent_id, level, label, heading, text, citation, verdict, ord FROM clauses "
                  "WHERE doc_slug = ? ORDER BY ord")


def clause_row(r: dict) -> dict:
    r = dict(r)
    r["heading"] = json.loads(r["heading"])
    if "terms" in r:
        r["terms"] = json.loads(r["terms"])
    return r


def _rows(conn: sqlite3.Connection, sql: str, args: list) -> list[dict]:
    cur = conn.execute(sql, args)
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, row)) for row in cur.fetchall()]


def clause(conn: sqlite3.Connection, clause_id: str) -> dict | None:
    rows = _rows(conn, CLAUSE_SQL, [clause_id])
    return clause_row(rows[0]) if rows else None


def clauses_of(conn: sqlite3.Connection, slug: str) -> list[dict]:
    return [clause_row(r) for r in _rows(conn, CLAUSES_OF_SQL, [slug])]


def preamble_of(conn: sqlite3.Connection, slug: str) -> str:
    """A document's preamble (it tells a pledge the worker signs, whose 「…します」 are undertakings)."""
    row = conn.execute("SELECT preamble FROM documents WHERE slug = ?", [slug]).fetchone()
    return (row[0] or "") if row else ""


def open_current(path: Path, builtin_hashes: dict[str, str]) -> sqlite3.Connection | None:
    """A read-only connection when the file exists, every migration is applied and the shipped
    documents are stored as they ship (builtin_hashes: slug -> content hash); else None, and the
    caller takes the ordinary path (which migrates and reloads)."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        done = conn.execute("SELECT MAX(id) FROM _migrations").fetchone()[0]
        stored = dict(conn.execute("SELECT slug, content_hash FROM documents WHERE builtin = 1").fetchall())
    except sqlite3.Error:
        return None
    if done != LATEST_MIGRATION or any(stored.get(slug) != h for slug, h in builtin_hashes.items()):
        conn.close()
        return None
    return conn
