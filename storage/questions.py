"""Routed questions, the answers leads give them, and feedback on answers (append-only)."""
from __future__ import annotations

import json

import sqlite_utils

from storage.db import transaction


def _routed(row: dict | None) -> dict | None:
    if row is None:
        return None
    r = dict(row)
    r["clause_ids"] = json.loads(r["clause_ids"] or "[]")
    r["recipients"] = json.loads(r["recipients"] or "[]")
    r["contracts"] = json.loads(r["contracts"]) if r.get("contracts") else None
    return r


def _answer(row: dict | None) -> dict | None:
    if row is None:
        return None
    r = dict(row)
    r["clause_ids"] = json.loads(r["clause_ids"] or "[]")
    return r


_WITH_ANSWER = (
    "SELECT q.*, a.id AS answer_id, a.responder_id, a.answer, a.clause_ids AS answer_clause_ids,"
    " a.at AS answered_at, a.via AS answer_via FROM routed_questions q"
    " LEFT JOIN routed_answers a ON a.id = (SELECT MAX(b.id) FROM routed_answers b WHERE b.routed_id = q.id)"
)


def _joined(row: dict) -> dict:
    r = _routed(row)
    r["answer_clause_ids"] = json.loads(r["answer_clause_ids"]) if r["answer_clause_ids"] else []
    r["answered"] = r["answer_id"] is not None
    return r


def add_routed(db: sqlite_utils.Database, *, asker_id: str, question: str, norm: str, clause_ids: list[str],
               reason: str, assignee_id: str | None, recipients: list[str], via: str, at: str,
               contracts: list[str] | None = None) -> int:
    cur = db.execute(
        "INSERT INTO routed_questions (asker_id, question, norm, clause_ids, reason, assignee_id, recipients, via, at,"
        " contracts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [asker_id, question, norm, json.dumps(clause_ids, ensure_ascii=False), reason, assignee_id,
         json.dumps(recipients), via, at, json.dumps(contracts or [], ensure_ascii=False)],
    )
    return cur.lastrowid


def routed_count_since(db: sqlite_utils.Database, asker_id: str, since_at: str) -> int:
    """How many questions this person had routed since a time (ISO; compared as stored)."""
    return db.execute("SELECT COUNT(*) FROM routed_questions WHERE asker_id = ? AND at >= ?",
                      [asker_id, since_at]).fetchone()[0]


def feedback_count_since(db: sqlite_utils.Database, user_id: str, since_at: str) -> int:
    return db.execute("SELECT COUNT(*) FROM feedback WHERE user_id = ? AND at >= ?", [user_id, since_at]).fetchone()[0]


def routed(db: sqlite_utils.Database, routed_id: int) -> dict | None:
    """One routed question with its latest answer (answer fields None when unanswered)."""
    rows = list(db.query(_WITH_ANSWER + " WHERE q.id = ?", [routed_id]))
    return _joined(rows[0]) if rows else None


def open_by_asker_norm(db: sqlite_utils.Database, asker_id: str, norm: str) -> dict | None:
    """The same asker's unanswered routing of the same question (so a double click routes once)."""
    rows = list(db.query(_WITH_ANSWER + " WHERE q.asker_id = ? AND q.norm = ? AND a.id IS NULL ORDER BY q.id DESC"
                         " LIMIT 1", [asker_id, norm]))
    return _joined(rows[0]) if rows else None


def all_routed(db: sqlite_utils.Database, *, answered: bool | None = None, asker_id: str | None = None,
               recipient: str | None = None) -> list[dict]:
    sql, params, where = _WITH_ANSWER, [], []
    if answered is True:
        where.append("a.id IS NOT NULL")
    elif answered is False:
        where.append("a.id IS NULL")
    if asker_id:
        where.append("q.asker_id = ?")
        params.append(asker_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    rows = [_joined(r) for r in db.query(sql + " ORDER BY q.id", params)]
    if recipient:
        rows = [r for r in rows if recipient in r["recipients"] or r["assignee_id"] == recipient]
    return rows


def add_answer(db: sqlite_utils.Database, *, routed_id: int, responder_id: str, answer: str, clause_ids: list[str],
               via: str, at: str) -> int:
    cur = db.execute(
        "INSERT INTO routed_answers (routed_id, responder_id, answer, clause_ids, via, at) VALUES (?, ?, ?, ?, ?, ?)",
        [routed_id, responder_id, answer, json.dumps(clause_ids, ensure_ascii=False), via, at],
    )
    return cur.lastrowid


def answers(db: sqlite_utils.Database, routed_id: int) -> list[dict]:
    return [_answer(r) for r in db.query("SELECT * FROM routed_answers WHERE routed_id = ? ORDER BY id", [routed_id])]


# ---- feedback -----------------------------------------------------------------------------

def latest_feedback(db: sqlite_utils.Database, user_id: str, norm: str, clause_id: str) -> dict | None:
    rows = list(db.query("SELECT * FROM feedback WHERE user_id = ? AND norm = ? AND clause_id = ? ORDER BY id DESC"
                         " LIMIT 1", [user_id, norm, clause_id]))
    return rows[0] if rows else None


def add_feedback(db: sqlite_utils.Database, *, user_id: str, question: str, norm: str, clause_id: str, helpful: bool,
                 via: str, at: str) -> bool:
    """Append feedback unless the same person's latest on this question and clause says the same.

    One statement, so two concurrent clicks cannot both pass the check. True if recorded.
    In a transaction, so the record is sealed into the audit chain when it is committed.
    """
    with transaction(db):
        cur = db.execute(
            "INSERT INTO feedback (user_id, question, norm, clause_id, helpful, via, at)"
            " SELECT ?, ?, ?, ?, ?, ?, ? WHERE COALESCE((SELECT helpful FROM feedback WHERE user_id = ? AND norm = ?"
            " AND clause_id = ? ORDER BY id DESC LIMIT 1), -1) != ?",
            [user_id, question, norm, clause_id, int(helpful), via, at, user_id, norm, clause_id, int(helpful)],
        )
    return cur.rowcount == 1


def current_feedback(db: sqlite_utils.Database) -> list[dict]:
    """Each person's latest feedback per question and clause."""
    return [dict(r) for r in db.query(
        "SELECT f.* FROM feedback f WHERE f.id = (SELECT MAX(g.id) FROM feedback g WHERE g.user_id = f.user_id"
        " AND g.norm = f.norm AND g.clause_id = f.clause_id) ORDER BY f.id")]


def feedback_rows(db: sqlite_utils.Database) -> list[dict]:
    return [dict(r) for r in db.query("SELECT * FROM feedback ORDER BY id")]
