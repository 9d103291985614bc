"""Training records: assignments, attempts, answers, results, pledges, per-contract settings.

Append-only, like every record (migration 5 chains them all into the audit chain):
- an assignment says who must complete which course (version), for which contract, by when, why,
  and in which *cycle* ("initial", or "renew:<result id>" for the renewal of a pass). A changed
  deadline is a new assignment of the same cycle (prev_id); the latest one of a cycle is in force.
- an attempt holds the questions drawn for it, with the choices in the order shown and the right
  one: it is both the record of what was asked and the quiz's state (the next question is the
  first without an answer). (user, course, cycle, number) is unique, so a double press of
  「研修を始める」 cannot start two.
- an answer is unique per (attempt, question index): an old or doubled button records nothing.
- a result is written once per attempt, with the last answer; a pledge once per passing result.
Times are ISO 8601 with offset (`at`); dates (due_date, valid_until) are YYYY-MM-DD in JST.
"""
from __future__ import annotations

import json

import sqlite_utils

from storage.db import transaction  # noqa: F401  (re-exported: handlers use storage.training.transaction)


def _rows(db: sqlite_utils.Database, sql: str, params: list | tuple = ()) -> list[dict]:
    return [dict(r) for r in db.query(sql, list(params))]


def _one(db: sqlite_utils.Database, sql: str, params: list | tuple = ()) -> dict | None:
    rows = _rows(db, sql, params)
    return rows[0] if rows else None


def _attempt(row: dict | None) -> dict | None:
    if row is None:
        return None
    r = dict(row)
    r["questions"] = json.loads(r["questions"])
    return r


# ---- assignments --------------------------------------------------------------------------------

def assign(db: sqlite_utils.Database, *, user_id: str, contract: str, course_id: str, course_version: str,
           cycle: str, basis: str, due_date: str, reason: str, prev_id: int | None, actor: str, via: str,
           at: str) -> tuple[int, bool]:
    """(assignment id, created now). The same (user, course, cycle, basis) twice records it once."""
    cur = db.execute(
        "INSERT OR IGNORE INTO training_assignments (user_id, contract, course_id, course_version, cycle, basis,"
        " due_date, reason, prev_id, actor, via, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [user_id, contract, course_id, course_version, cycle, basis, due_date, reason, prev_id, actor, via, at])
    if cur.rowcount == 1:
        return cur.lastrowid, True
    row = _one(db, "SELECT id FROM training_assignments WHERE user_id = ? AND course_id = ? AND cycle = ? AND basis = ?",
               [user_id, course_id, cycle, basis])
    return row["id"], False


def assignment(db: sqlite_utils.Database, assignment_id: int) -> dict | None:
    return _one(db, "SELECT * FROM training_assignments WHERE id = ?", [assignment_id])


def assignments(db: sqlite_utils.Database, user_id: str | None = None) -> list[dict]:
    if user_id is None:
        return _rows(db, "SELECT * FROM training_assignments ORDER BY id")
    return _rows(db, "SELECT * FROM training_assignments WHERE user_id = ? ORDER BY id", [user_id])


# ---- attempts -----------------------------------------------------------------------------------

ATTEMPT_META = ("id", "assignment_id", "user_id", "course_id", "cycle", "number", "total", "pass_percent", "via", "at")


def create_attempt(db: sqlite_utils.Database, *, assignment_id: int, user_id: str, course_id: str, cycle: str,
                   number: int, questions: list[dict], pass_percent: int, via: str, at: str) -> tuple[int, bool]:
    """(attempt id, created now); a second start of the same number returns the first one."""
    cur = db.execute(
        "INSERT OR IGNORE INTO training_attempts (assignment_id, user_id, course_id, cycle, number, questions, total,"
        " pass_percent, via, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [assignment_id, user_id, course_id, cycle, number, json.dumps(questions, ensure_ascii=False),
         len(questions), pass_percent, via, at])
    if cur.rowcount == 1:
        return cur.lastrowid, True
    row = _one(db, "SELECT id FROM training_attempts WHERE user_id = ? AND course_id = ? AND cycle = ? AND number = ?",
               [user_id, course_id, cycle, number])
    return row["id"], False


def attempt(db: sqlite_utils.Database, attempt_id: int) -> dict | None:
    """One attempt with its drawn questions (parsed)."""
    return _attempt(_one(db, "SELECT * FROM training_attempts WHERE id = ?", [attempt_id]))


def attempts(db: sqlite_utils.Database, user_id: str | None = None) -> list[dict]:
    """Attempts without their questions, each with `answered` (answers recorded so far)."""
    cols = ", ".join(f"t.{c}" for c in ATTEMPT_META)
    sql = (f"SELECT {cols}, (SELECT COUNT(*) FROM training_answers a WHERE a.attempt_id = t.id) AS answered"
           " FROM training_attempts t")
    if user_id is None:
        return _rows(db, sql + " ORDER BY t.id")
    return _rows(db, sql + " WHERE t.user_id = ? ORDER BY t.id", [user_id])


def attempts_full(db: sqlite_utils.Database, user_id: str, course_id: str, cycle: str) -> list[dict]:
    """The attempts of one cycle, with their questions and answers."""
    out = [_attempt(r) for r in _rows(db, "SELECT * FROM training_attempts WHERE user_id = ? AND course_id = ?"
                                          " AND cycle = ? ORDER BY number", [user_id, course_id, cycle])]
    for a in out:
        a["answers"] = answers(db, a["id"])
    return out


# ---- answers and results ------------------------------------------------------------------------

def answers(db: sqlite_utils.Database, attempt_id: int) -> list[dict]:
    return _rows(db, "SELECT * FROM training_answers WHERE attempt_id = ? ORDER BY idx", [attempt_id])


def answer_count(db: sqlite_utils.Database, attempt_id: int) -> int:
    return db.execute("SELECT COUNT(*) FROM training_answers WHERE attempt_id = ?", [attempt_id]).fetchone()[0]


def record_answer(db: sqlite_utils.Database, *, attempt_id: int, user_id: str, idx: int, question_id: str,
                  choice: int, choice_text: str, correct: bool, via: str, at: str) -> bool:
    """False when this question of this attempt was already answered (an old or doubled press)."""
    cur = db.execute(
        "INSERT OR IGNORE INTO training_answers (attempt_id, user_id, idx, question_id, choice, choice_text, correct,"
        " via, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [attempt_id, user_id, idx, question_id, choice, choice_text, int(correct), via, at])
    return cur.rowcount == 1


def record_result(db: sqlite_utils.Database, *, attempt_id: int, user_id: str, course_id: str, cycle: str,
                  correct: int, total: int, pass_percent: int, passed: bool, valid_until: str | None, via: str,
                  at: str) -> tuple[int, bool]:
    cur = db.execute(
        "INSERT OR IGNORE INTO training_results (attempt_id, user_id, course_id, cycle, correct, total, pass_percent,"
        " passed, valid_until, via, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [attempt_id, user_id, course_id, cycle, correct, total, pass_percent, int(passed), valid_until, via, at])
    if cur.rowcount == 1:
        return cur.lastrowid, True
    return result_of_attempt(db, attempt_id)["id"], False


def result(db: sqlite_utils.Database, result_id: int) -> dict | None:
    return _one(db, "SELECT * FROM training_results WHERE id = ?", [result_id])


def result_of_attempt(db: sqlite_utils.Database, attempt_id: int) -> dict | None:
    return _one(db, "SELECT * FROM training_results WHERE attempt_id = ?", [attempt_id])


def results(db: sqlite_utils.Database, user_id: str | None = None) -> list[dict]:
    if user_id is None:
        return _rows(db, "SELECT * FROM training_results ORDER BY id")
    return _rows(db, "SELECT * FROM training_results WHERE user_id = ? ORDER BY id", [user_id])


# ---- pledges ------------------------------------------------------------------------------------

def record_pledge(db: sqlite_utils.Database, *, result_id: int, user_id: str, pledge_id: str, pledge_version: str,
                  text_sha256: str, text: str, via: str, at: str) -> bool:
    """False when this pass was already pledged (a double press)."""
    cur = db.execute(
        "INSERT OR IGNORE INTO training_pledges (result_id, user_id, pledge_id, pledge_version, text_sha256, text, via,"
        " at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [result_id, user_id, pledge_id, pledge_version, text_sha256, text, via, at])
    return cur.rowcount == 1


def pledge_of_result(db: sqlite_utils.Database, result_id: int) -> dict | None:
    return _one(db, "SELECT * FROM training_pledges WHERE result_id = ?", [result_id])


def pledges(db: sqlite_utils.Database, user_id: str | None = None) -> list[dict]:
    cols = "id, result_id, user_id, pledge_id, pledge_version, text_sha256, via, at"
    if user_id is None:
        return _rows(db, f"SELECT {cols} FROM training_pledges ORDER BY id")
    return _rows(db, f"SELECT {cols} FROM training_pledges WHERE user_id = ? ORDER BY id", [user_id])


# ---- per-contract settings ----------------------------------------------------------------------

def settings(db: sqlite_utils.Database) -> dict[str, dict]:
    """The settings in force per contract (the latest row of each)."""
    rows = _rows(db, "SELECT s.* FROM training_settings s WHERE s.id ="
                     " (SELECT MAX(t.id) FROM training_settings t WHERE t.contract = s.contract)")
    return {r["contract"]: json.loads(r["settings"]) for r in rows}


def append_settings(db: sqlite_utils.Database, *, contract: str, settings: dict, actor: str, via: str, at: str) -> int:
    cur = db.execute("INSERT INTO training_settings (contract, settings, actor, via, at) VALUES (?, ?, ?, ?, ?)",
                     [contract, json.dumps(settings, ensure_ascii=False, sort_keys=True), actor, via, at])
    return cur.lastrowid


# ---- for the notices pass -----------------------------------------------------------------------

def sent_keys(db: sqlite_utils.Database, prefix: str) -> set[str]:
    """Notice keys starting with `prefix` that were sent (one query for a whole pass)."""
    return {r[0] for r in db.execute("SELECT key FROM notice_log WHERE event = 'sent' AND key LIKE ? ESCAPE '\\'",
                                     [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"])}
