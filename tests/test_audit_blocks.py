"""Block MACs (storage/audit.py): verify checks each complete block of N chain rows with one HMAC
and the rows after the last block one by one; anything that does not add up sends it through the
whole row-by-row verification, which names the problem. The suite runs with N = 8 (conftest)."""
import sqlite3

import pytest

from conftest import run_mamoru
from handlers import people
from storage import audit
from storage.db import open_db


def _chain(path, n_people=30):
    db = open_db(path)
    people.run_users(db, "cli", ["contract", "吉川市"], "cli")
    for i in range(n_people):
        st, r = people.run_users(db, "cli", ["add", f"U0W{i:05d}", "--name", f"作業 {i}", "--role", "worker",
                                             "--contract", "吉川市"], "cli")
        assert st == 0, r.text
    return db


def _insider(path, *sql):
    conn = sqlite3.connect(path)
    for q in sql:
        conn.execute(q)
    conn.commit()
    conn.close()


def test_a_healthy_chain_is_checked_by_its_blocks(tmp_path):
    db = _chain(tmp_path / "b.db")
    n = audit.block_size(db)
    last = db.execute("SELECT MAX(seq) FROM audit_chain").fetchone()[0]
    assert n == 8 and last > 2 * n
    assert db.execute("SELECT COUNT(*) FROM audit_blocks").fetchone()[0] == last // n
    v = audit.verify(db)
    assert v.ok and v.checked == "blocks" and v.length == last


@pytest.mark.parametrize("where", ["in_a_block", "in_the_tail"])
@pytest.mark.parametrize("tamper, kind", [
    ("UPDATE people SET name = '別人' WHERE id = {row}", "source_changed"),
    ("DELETE FROM people WHERE id = {row}", "source_missing"),
])
def test_tampering_anywhere_is_named_exactly(tmp_path, where, tamper, kind):
    path = tmp_path / "t.db"
    db = _chain(path)
    n, last = audit.block_size(db), db.execute("SELECT MAX(seq) FROM audit_chain").fetchone()[0]
    seq = 3 if where == "in_a_block" else last
    if where == "in_the_tail" and last % n == 0:
        pytest.skip("no tail")
    row = db.execute("SELECT row_id FROM audit_chain WHERE seq = ? AND table_name = 'people'", [seq]).fetchone()
    if row is None:
        row = db.execute("SELECT row_id FROM audit_chain WHERE table_name = 'people' AND seq > ? ORDER BY seq",
                         [(last // n) * n if where == "in_the_tail" else 0]).fetchone()
    db.conn.close()
    _insider(path, tamper.format(row=row[0]))
    v = audit.verify(open_db(path))
    assert not v.ok and v.checked == "rows"
    assert [(p.kind, p.table, p.row_id) for p in v.problems] == [(kind, "people", row[0])]


def test_a_source_row_slipped_in_without_its_trigger_is_found(tmp_path):
    path = tmp_path / "u.db"
    db = _chain(path)
    trig = db.execute("SELECT sql FROM sqlite_master WHERE name = 'audit_chain__people'").fetchone()[0]
    db.conn.close()
    _insider(path, "DROP TRIGGER audit_chain__people",
             "INSERT INTO people (user_id, change, name, role, contracts, active, actor, via, at) VALUES"
             " ('U0FAKE1', 'add', '偽', 'worker', '[]', 1, 'cli', 'cli', '2026-11-01T09:00:00+09:00')", trig)
    v = audit.verify(open_db(path))
    assert not v.ok and [p.kind for p in v.problems] == ["unchained"]


def test_block_macs_deleted_only_slow_verify_down_and_edited_ones_are_reported(tmp_path):
    path = tmp_path / "m.db"
    db = _chain(path)
    db.conn.close()
    _insider(path, "DELETE FROM audit_blocks WHERE block = 1")
    v = audit.verify(open_db(path))
    assert v.ok and v.checked == "rows"
    _insider(path, "UPDATE audit_blocks SET mac = zeroblob(32) WHERE block = 0")
    v = audit.verify(open_db(path))
    assert not v.ok and [(p.kind, p.seq) for p in v.problems] == [("block_changed", 1)]
    r = run_mamoru(["audit", "verify"], path)
    assert r.returncode != 0 and "ブロック" in r.stdout + r.stderr


def test_a_lawful_purge_rewrites_the_blocks_it_touched(tmp_path):
    path = tmp_path / "p.db"
    db = _chain(path)
    ids = [r[0] for r in db.execute("SELECT id FROM people WHERE user_id IN ('U0W00001', 'U0W00007')")]
    audit.purge(db, {"people": ids}, scope="test", actor="cli", actor_name="管理者", content={"what": "test"},
                via="cli", at="2026-11-05T10:00:00+09:00")
    v = audit.verify(db)
    assert v.ok and v.checked == "blocks", [p.as_dict() for p in v.problems]


def test_a_keyed_chain_from_before_blocks_gets_them_by_migration_16(tmp_path):
    path = tmp_path / "k.db"
    db = _chain(path)
    db.conn.close()
    _insider(path, "DELETE FROM audit_blocks", "DELETE FROM _migrations WHERE id = 16",
             "DROP TRIGGER audit_meta_guard_delete", "DELETE FROM audit_meta WHERE name = 'block_size'",
             "CREATE TRIGGER audit_meta_guard_delete BEFORE DELETE ON audit_meta"
             " BEGIN SELECT RAISE(ABORT, 'audit_meta rows cannot be deleted'); END")
    db = open_db(path)
    assert db.execute("SELECT COUNT(*) FROM audit_blocks").fetchone()[0] > 0
    assert audit.verify(db).checked == "blocks"


@pytest.mark.parametrize("tamper", [None, "UPDATE people SET name = '別人' WHERE id = {row}"])
def test_a_second_process_checks_half_the_blocks_of_a_long_chain(tmp_path, monkeypatch, tamper):
    monkeypatch.setattr(audit, "PARALLEL_FROM", 2)
    path = tmp_path / "c.db"
    db = _chain(path)
    n = audit.block_size(db)
    full = db.execute("SELECT MAX(seq) FROM audit_chain").fetchone()[0] // n
    started = []
    real = audit._start_child
    monkeypatch.setattr(audit, "_start_child", lambda *a: started.append(a[3]) or real(*a))
    if tamper:   # a record in the last complete block: the second process's half
        row = db.execute("SELECT row_id FROM audit_chain WHERE table_name = 'people' AND seq <= ? ORDER BY seq DESC",
                         [full * n]).fetchone()[0]
        db.conn.close()
        _insider(path, tamper.format(row=row))
        db = open_db(path)
    v = audit.verify(db)
    assert started and started[0][-1] == full - 1
    if tamper:
        assert not v.ok and [(p.kind, p.row_id) for p in v.problems] == [("source_changed", row)]
    else:
        assert v.ok and v.checked == "blocks"


def test_blocks_a_migration_could_not_write_are_added_by_the_next_verify(tmp_path):
    path = tmp_path / "v.db"
    db = _chain(path)
    db.conn.close()
    _insider(path, "DELETE FROM audit_blocks")
    r = run_mamoru(["audit", "verify"], path)
    assert r.returncode == 0, r.stdout + r.stderr
    db = open_db(path)
    assert not audit.blocks_missing(db) and audit.verify(db).checked == "blocks"
