"""50 workers confirming at the same moment, each in its own process on one SQLite file: nothing lost,
nothing twice."""
from __future__ import annotations

import multiprocessing as mp

from handlers import people, workdays
from handlers.checklist import core
from knowledge import library
from storage.db import open_db
from conftest import add_contracts

N = 50
D = "2026-12-01"
NOW = "2026-12-01T09:05:00+09:00"


def _press(db_path: str, user_id: str, barrier, kind: str, results) -> None:
    db = open_db(db_path)            # each process its own connection, as each server process has
    barrier.wait(timeout=60)
    now = workdays.parse(NOW)
    if kind == "all":
        t = core.answer_all(db, user_id, core.value("start", D), "slack_button", now=now)
    else:                            # the same button pressed twice at once (two deliveries)
        t = core.answer(db, user_id, core.value("start", D, "badge"), True, "slack_button", now=now)
    results.put((user_id, t.replies[0].text))
    db.conn.close()


def test_fifty_workers_confirming_at_once_lose_nothing(tmp_path):
    path = tmp_path / "m.db"
    db = open_db(path)
    library.ensure_builtin(db)
    add_contracts(db, "吉川市")
    people.run_users(db, "cli", ["add", "ULEAD", "--name", "責任者", "--role", "lead", "--contract", "吉川市"], "cli")
    for n in range(N):
        status, reply = people.run_users(db, "cli", ["add", f"UC{n:02d}", "--name", f"同時{n:02d}", "--role", "worker",
                                                     "--contract", "吉川市", "--lead", "ULEAD"], "cli")
        assert status == 0, reply.text
    ctx = mp.get_context("fork")
    jobs = [(f"UC{n:02d}", "all") for n in range(N)] + [("UC00", "one"), ("UC00", "one")]
    barrier = ctx.Barrier(len(jobs))
    results = ctx.Queue()
    procs = [ctx.Process(target=_press, args=(str(path), u, barrier, kind, results)) for u, kind in jobs]
    for p in procs:
        p.start()
    got = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    assert len(got) == len(jobs)
    rows = db.execute("SELECT user_id, item_id, COUNT(*) FROM checklist_confirmations WHERE work_date = ?"
                      " GROUP BY user_id, item_id", [D]).fetchall()
    assert len(rows) == N * 3                                   # every worker, every item
    assert all(count == 1 for _, _, count in rows)              # and none twice (UC00's badge pressed three ways)
    assert db.execute("SELECT COUNT(*) FROM checklist_confirmations").fetchone()[0] == N * 3
