"""`mamoru kb show ID --json`: one clause as stored, with why it carries its verdict.

Review tools start this once per clause (hundreds of processes). On a database that is already
current, bot.cli.main answers it from here with the standard library alone, before the rest of the
command line (sqlite_utils, numpy: about 0.25 s of CPU per process) is imported, and the reason for the
verdict is the one stored at loading (judging the document again took another 0.15 s).
"""
from __future__ import annotations

import json
import sqlite3

from storage import kb_read


def clause_json(conn: sqlite3.Connection, clause_id: str) -> dict | None:
    c = kb_read.clause(conn, clause_id)
    if c is None:
        return None
    c.pop("terms", None)
    return {**c, "verdict_reason": verdict_reason(conn, c)}


def verdict_reason(conn: sqlite3.Connection, c: dict) -> str:
    """As stored when the document was loaded; judged again only for a clause stored before that."""
    if c.get("verdict_reason") is not None:
        return c["verdict_reason"]
    from knowledge import verdict  # its rules take a tenth of a second to compile

    return verdict.reason(kb_read.clauses_of(conn, c["doc_slug"]), c["id"], kb_read.preamble_of(conn, c["doc_slug"]))


def print_json(data: dict) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def fast(argv: list[str]) -> int | None:
    """Answer `kb show ID --json` from a current database and return 0; None for anything else
    (another command, a document slug, a form, a database still to migrate or reload)."""
    args = [a for a in argv if a != "--json"]
    if len(argv) != 4 or len(args) != 3 or args[:2] != ["kb", "show"] or args[2].startswith("-"):
        return None
    from knowledge.builtin import shipped_hashes
    from storage.paths import default_path

    conn = kb_read.open_current(default_path(), shipped_hashes())
    if conn is None:
        return None
    try:
        data = clause_json(conn, args[2])
    finally:
        conn.close()
    if data is None:
        return None
    print_json(data)
    return 0
