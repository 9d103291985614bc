"""Documents, clauses and forms of the knowledge base."""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
from typing import Iterable

import sqlite_utils

from storage import kb_read
from storage.db import transaction


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def document(db: sqlite_utils.Database, slug: str) -> dict | None:
    rows = list(db.query("SELECT * FROM documents WHERE slug = ?", [slug]))
    return rows[0] if rows else None


def documents(db: sqlite_utils.Database) -> list[dict]:
    return list(db.query("SELECT * FROM documents ORDER BY builtin DESC, slug"))


def replace_document(db: sqlite_utils.Database, doc: dict, clauses: Iterable[dict], forms: Iterable[dict]) -> None:
    """Swap one document's clauses and forms atomically, and bump the knowledge version."""
    clauses, forms = list(clauses), list(forms)
    conn = db.conn
    with transaction(db):
        conn.execute("DELETE FROM clauses WHERE doc_slug = ?", [doc["slug"]])
        conn.execute("DELETE FROM forms WHERE doc_slug = ?", [doc["slug"]])
        conn.execute("DELETE FROM documents WHERE slug = ?", [doc["slug"]])
        row = dict(doc, clause_count=len(clauses), loaded_at=_now())
        cols = list(row)
        conn.execute(
            f"INSERT INTO documents ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
            [row[c] for c in cols],
        )
        conn.executemany(
            "INSERT INTO clauses (id, doc_slug, key, parent_id, level, label, heading, text, citation, verdict,"
            " verdict_reason, ord, terms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (c["id"], doc["slug"], c["key"], c["parent_id"], c["level"], c["label"],
                 json.dumps(c["heading"], ensure_ascii=False), c["text"], c["citation"], c["verdict"],
                 c.get("verdict_reason"), c["ord"], json.dumps(c["terms"], ensure_ascii=False))
                for c in clauses
            ],
        )
        conn.execute("DELETE FROM clause_vectors WHERE doc_slug = ?", [doc["slug"]])
        _insert_vectors(conn, [(c["id"], doc["slug"], c["vector_model"], c["vector"])
                               for c in clauses if c.get("vector") is not None])
        conn.executemany(
            "INSERT INTO forms (id, doc_slug, title, text, ord) VALUES (?, ?, ?, ?, ?)",
            [(f["id"], doc["slug"], f["title"], f["text"], f["ord"]) for f in forms],
        )
        version_at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="microseconds")
        # a new version row only where the clause's text or citation changed since its last one
        latest = dict(conn.execute(
            "SELECT clause_id, text_hash FROM clause_versions v WHERE doc_slug = ? AND seq = "
            "(SELECT MAX(seq) FROM clause_versions w WHERE w.clause_id = v.clause_id)", [doc["slug"]]).fetchall())
        conn.executemany(
            "INSERT INTO clause_versions (clause_id, text_hash, doc_slug, content_hash, citation, text, loaded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(c["id"], h, doc["slug"], doc.get("content_hash") or "", c["citation"], c["text"], version_at)
             for c in clauses for h in [_text_hash(c["citation"], c["text"])] if latest.get(c["id"]) != h])
        _bump_version(conn)


def ensure_verdict_reasons(db: sqlite_utils.Database) -> None:
    """Why each clause carries its verdict (NULL for clauses loaded before this column existed)."""
    if "verdict_reason" not in {c[1] for c in db.execute("PRAGMA table_info(clauses)").fetchall()}:
        db.execute("ALTER TABLE clauses ADD COLUMN verdict_reason TEXT")


def verdict_rules_stamp(db: sqlite_utils.Database) -> str | None:
    """The stamp of the verdict rules the stored verdicts were judged by (kb_meta)."""
    row = db.execute("SELECT value FROM kb_meta WHERE name = 'verdict_rules'").fetchone()
    return row[0] if row else None


def any_clause_without_reason(db: sqlite_utils.Database) -> bool:
    return db.execute("SELECT 1 FROM clauses WHERE verdict_reason IS NULL LIMIT 1").fetchone() is not None


def set_verdicts(db: sqlite_utils.Database, judged: dict[str, tuple[str, str]], stamp: str) -> None:
    """Store each clause's verdict and reason as judged again (clause id -> (verdict, reason)) and the stamp
    of the rules that judged them; the knowledge version moves on so running processes reread."""
    with transaction(db):
        db.conn.executemany("UPDATE clauses SET verdict = ?, verdict_reason = ? WHERE id = ?",
                            [(v, why, cid) for cid, (v, why) in judged.items()])
        db.conn.execute("INSERT INTO kb_meta (name, value) VALUES ('verdict_rules', ?) "
                        "ON CONFLICT(name) DO UPDATE SET value = excluded.value", [stamp])
        _bump_version(db.conn)


def ensure_versions(db: sqlite_utils.Database) -> None:
    """The append-only history of clause texts (never deleted with the document)."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS clause_versions (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
        " clause_id TEXT NOT NULL, text_hash TEXT NOT NULL, doc_slug TEXT NOT NULL, content_hash TEXT NOT NULL,"
        " citation TEXT NOT NULL, text TEXT NOT NULL, loaded_at TEXT NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS clause_versions_id ON clause_versions(clause_id, seq)")
    rows = db.execute("SELECT c.id, c.doc_slug, d.content_hash, c.citation, c.text, d.loaded_at"
                      " FROM clauses c JOIN documents d ON d.slug = c.doc_slug ORDER BY c.doc_slug, c.ord").fetchall()
    db.conn.executemany(
        "INSERT INTO clause_versions (clause_id, text_hash, doc_slug, content_hash, citation, text, loaded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(cid, _text_hash(cit, text), slug, h, cit, text, at) for cid, slug, h, cit, text, at in rows])


def _text_hash(citation: str, text: str) -> str:
    return hashlib.sha256(f"{citation}\n{text}".encode("utf-8")).hexdigest()[:16]


def clause_at(db: sqlite_utils.Database, clause_id: str, at: str | None = None) -> dict | None:
    """The clause's citation and text as they stood at ``at`` (ISO time; None = the latest loaded),
    also after the document was revised or removed: what a record made then had cited."""
    sql = "SELECT clause_id, citation, text, loaded_at, content_hash FROM clause_versions WHERE clause_id = ?"
    args: list = [clause_id]
    if at:
        try:    # records keep local time with an offset; versions are kept in UTC
            at = _dt.datetime.fromisoformat(at).astimezone(_dt.timezone.utc).isoformat(timespec="microseconds")
        except ValueError:
            pass
        sql += " AND loaded_at <= ?"
        args.append(at)
    rows = list(db.query(sql + " ORDER BY seq DESC LIMIT 1", args))
    if not rows and at:   # a record older than the first load we kept: the earliest text we have
        rows = list(db.query("SELECT clause_id, citation, text, loaded_at, content_hash FROM clause_versions"
                             " WHERE clause_id = ? ORDER BY seq LIMIT 1", [clause_id]))
    return rows[0] if rows else None


def clause_versions(db: sqlite_utils.Database, clause_id: str) -> list[dict]:
    """Every text the clause id has had, oldest first (kept after revisions and removal)."""
    return list(db.query("SELECT clause_id, citation, text, loaded_at, content_hash FROM clause_versions"
                         " WHERE clause_id = ? ORDER BY seq", [clause_id]))


def delete_document(db: sqlite_utils.Database, slug: str) -> bool:
    conn = db.conn
    with transaction(db):
        conn.execute("DELETE FROM clauses WHERE doc_slug = ?", [slug])
        conn.execute("DELETE FROM forms WHERE doc_slug = ?", [slug])
        conn.execute("DELETE FROM clause_vectors WHERE doc_slug = ?", [slug])
        gone = conn.execute("DELETE FROM documents WHERE slug = ?", [slug]).rowcount > 0
        _bump_version(conn)
    return gone


def _bump_version(conn) -> None:
    conn.execute(
        "INSERT INTO kb_meta (name, value) VALUES ('version', '1') "
        "ON CONFLICT(name) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
    )


def version(db: sqlite_utils.Database) -> int:
    row = db.execute("SELECT value FROM kb_meta WHERE name = 'version'").fetchone()
    return int(row[0]) if row else 0


_clause_row = kb_read.clause_row


def clause(db: sqlite_utils.Database, clause_id: str) -> dict | None:
    return kb_read.clause(db.conn, clause_id)


def children(db: sqlite_utils.Database, clause_id: str) -> list[dict]:
    return [_clause_row(r) for r in db.query(
        "SELECT id, label, text, citation, verdict, level, heading, ord FROM clauses WHERE parent_id = ? ORDER BY ord",
        [clause_id])]


def clauses_for_index(db: sqlite_utils.Database) -> list[dict]:
    """Every clause with text, with what the index and the answers need."""
    return [_clause_row(r) for r in db.query(
        "SELECT c.id, c.doc_slug, c.parent_id, c.label, c.heading, c.text, c.citation, c.verdict, c.terms, "
        "d.municipality, d.title AS doc_title FROM clauses c JOIN documents d ON d.slug = c.doc_slug "
        "WHERE c.text != '' ORDER BY d.builtin DESC, c.doc_slug, c.ord")]


def ensure_vector_table(db: sqlite_utils.Database) -> None:
    """Each clause's meaning vector (knowledge/meaning.py), written with its document and removed with it."""
    db.execute("CREATE TABLE IF NOT EXISTS clause_vectors (clause_id TEXT PRIMARY KEY, doc_slug TEXT NOT NULL,"
               " model TEXT NOT NULL, vector BLOB NOT NULL)")
    db.execute("CREATE INDEX IF NOT EXISTS clause_vectors_doc ON clause_vectors(doc_slug)")


def _insert_vectors(conn, rows: list[tuple]) -> None:
    conn.executemany("INSERT OR REPLACE INTO clause_vectors (clause_id, doc_slug, model, vector) VALUES (?, ?, ?, ?)",
                     rows)


def vectors_for(db: sqlite_utils.Database, model: str) -> dict[str, bytes]:
    """clause id -> its stored vector made by this model."""
    return dict(db.execute("SELECT v.clause_id, v.vector FROM clause_vectors v JOIN clauses c ON c.id = v.clause_id"
                           " WHERE v.model = ?", [model]).fetchall())


def store_vectors(db: sqlite_utils.Database, rows: list[tuple[str, str, str, bytes]]) -> None:
    """(clause id, document slug, model, vector) for clauses stored without one (an older database)."""
    with transaction(db):
        _insert_vectors(db.conn, rows)


def clauses_of(db: sqlite_utils.Database, slug: str) -> list[dict]:
    return kb_read.clauses_of(db.conn, slug)


def clauses_of_full(db: sqlite_utils.Database, slug: str) -> list[dict]:
    """Every clause of a document with its citation (the review tree of `kb show SLUG --json`)."""
    return [_clause_row(r) for r in db.query(
        "SELECT id, key, parent_id, level, label, heading, text, citation, verdict, ord FROM clauses "
        "WHERE doc_slug = ? ORDER BY ord", [slug])]


def forms_of(db: sqlite_utils.Database, slug: str) -> list[dict]:
    return list(db.query("SELECT id, title, text FROM forms WHERE doc_slug = ? ORDER BY ord", [slug]))
