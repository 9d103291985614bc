"""`mamoru serve` readies the search index at start, off the main thread.

A database from before meaning vectors were kept (or one whose attachment was loaded by an older
version) has clauses with no vector: the first question used to embed all of them (minutes for a
10,000-clause attachment) while its asker waited. The server now does it when it starts, storing each
vector, so nobody's question pays for it. Real server process, the stand-in for Slack's Web API, a real
SQLite file; no question is asked here.
"""
from __future__ import annotations

import sqlite3
import time

from conftest import run_mamoru
from slack_standin import ServeProcess


def _counts(db_path) -> tuple[int, int]:
    with sqlite3.connect(db_path) as c:
        clauses = c.execute("SELECT COUNT(*) FROM clauses WHERE doc_slug = 'warmdoc' AND text != ''").fetchone()[0]
        vectors = c.execute("SELECT COUNT(*) FROM clause_vectors WHERE doc_slug = 'warmdoc'").fetchone()[0]
    return clauses, vectors


def test_the_server_embeds_clauses_stored_without_a_vector_before_anyone_asks(slack, tmp_path):
    doc = tmp_path / "warm.txt"
    doc.write_text("保守作業特記事項\n\n" + "\n".join(
        f"第{n}条 受託者は、保守作業{n}の記録を作業の都度作成し、市に提出しなければならない。" for n in range(1, 41)),
        encoding="utf-8")
    db = tmp_path / "m.db"
    r = run_mamoru(["kb", "add", str(doc), "--slug", "warmdoc"], db)
    assert r.returncode == 0, r.stdout + r.stderr
    with sqlite3.connect(db) as c:                     # as an older version left it: no vectors
        c.execute("DELETE FROM clause_vectors WHERE doc_slug = 'warmdoc'")
    clauses, vectors = _counts(db)
    assert clauses >= 40 and vectors == 0
    server = ServeProcess(slack, db, tmp_path / "serve.log")
    try:
        server.wait_ready()
        deadline = time.monotonic() + 120
        while _counts(db)[1] < clauses and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _counts(db) == (clauses, clauses), server.log_text()
        assert server.proc.poll() is None                # still serving
    finally:
        server.stop()
