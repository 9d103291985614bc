"""The audit chain: a scripted set of records, then each kind of tampering with plain sqlite3.

The records are made by the real `mamoru` command and the real handlers; the tampering uses
nothing of mamoru (the sqlite3 module alone), as someone with the database file would; the
verdict comes from the real `mamoru audit verify`.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import json
import os
import sqlite3

import pytest
from conftest import run_mamoru

from handlers import people, routing
from storage import audit
from storage.db import open_db, transaction


def _at(day: str, hm: str = "10:00") -> _dt.datetime:
    return _dt.datetime.fromisoformat(f"{day}T{hm}:00+09:00")


def _script_records(path) -> None:
    """A small month of records: roster changes, a registration, a routed question and its answer,
    feedback, notices sent, an access refusal."""
    for argv in (
        ["users", "contract", "吉川市", "--doc", "yoshikawa"],
        ["users", "add", "U_LEAD", "--name", "鈴木一郎", "--role", "lead", "--contract", "吉川市"],
        ["users", "add", "U_OFF", "--name", "高橋誠", "--role", "officer", "--contract", "吉川市"],
        ["users", "add", "U_W1", "--name", "山田太郎", "--contract", "吉川市", "--lead", "U_LEAD",
         "--start-date", "2026-10-01"],
        ["users", "add", "U_W2", "--name", "佐藤花子", "--contract", "吉川市", "--lead", "U_LEAD"],
    ):
        r = run_mamoru(argv, path)
        assert r.returncode == 0, (argv, r.stderr)
    db = open_db(path)
    people.request_registration(db, "U_NEW", "田中次郎", via="slack_button", now=_at("2026-10-05"))
    reply, _ = people.approve(db, "U_OFF", "U_NEW", "slack_button", now=_at("2026-10-05", "11:00"))
    assert "登録しました" in reply.text
    routing.route_question(db, "U_W1", "自宅で作業してもいいですか", [], "asked", via="slack_dm",
                           now=_at("2026-10-06"))
    rid = db.execute("SELECT id FROM routed_questions").fetchone()[0]
    routing.answer_routed(db, "U_LEAD", rid, "自宅での作業は認められていません。", ["yoshikawa:a6.p1"],
                          via="slack_button", now=_at("2026-10-06", "15:00"))
    routing.route_question(db, "U_W2", "USBメモリを使ってもいいですか", [], "asked", via="slack_dm",
                           now=_at("2026-10-07", "09:30"))
    routing.record_feedback(db, "U_W2", "離席時のロック", "yoshikawa:a11.p1.i1", True, "slack_button",
                            now=_at("2026-10-07"))
    db.conn.close()
    r = run_mamoru(["notices", "run", "--at", "2026-10-08T14:00+09:00"], path)   # reminds the lead
    assert r.returncode == 0, r.stderr
    r = run_mamoru(["users", "remove", "U_W2"], path)
    assert r.returncode == 0, r.stderr
    r = run_mamoru(["roster", "show", "--contract", "吉川市", "--as", "U_W1"], path)   # refused, recorded
    assert r.returncode == 1 and "このお断りは記録されました" in r.stderr


@pytest.fixture(scope="module")
def base_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("audit") / "base.db"
    _script_records(path)
    r = run_mamoru(["audit", "verify"], path)
    assert r.returncode == 0, r.stderr
    return path


def _copy(src, dest):
    """A copy made with plain sqlite3 (the backup API), as a tamperer would start from."""
    a, b = sqlite3.connect(src), sqlite3.connect(dest)
    a.backup(b)
    a.close()
    b.close()
    return dest


def _plain(path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def _seq_of(conn, table, row_id) -> int:
    return conn.execute("SELECT seq FROM audit_chain WHERE table_name = ? AND row_id = ?", [table, row_id]).fetchone()[0]


def _verify(path) -> tuple[int, dict, str]:
    r = run_mamoru(["audit", "verify", "--json"], path)
    d = json.loads(r.stdout)
    return r.returncode, d, d["message"]


def _first(d) -> tuple:
    f = d["first"]
    return f["kind"], f["table"], f["row_id"], f["seq"]


def test_scripted_records_are_all_chained(base_db):
    rc, d, msg = _verify(base_db)
    assert rc == 0 and d["ok"] and d["pending"] == 0, msg
    assert "問題はありません" in msg and "第17条第1項" in msg
    conn = _plain(base_db)
    for table in ("contracts", "people", "registration_requests", "registration_decisions", "routed_questions",
                  "routed_answers", "feedback", "notice_log", "access_refusals"):
        n = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        assert n > 0, table
        assert d["tables"][table] == n
        assert conn.execute("SELECT COUNT(*) FROM audit_chain WHERE table_name = ?", [table]).fetchone()[0] == n
    seqs = [r[0] for r in conn.execute("SELECT seq FROM audit_chain ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1))
    # no second copy of any record in the chain
    assert conn.execute("SELECT COUNT(*) FROM audit_chain WHERE payload IS NOT NULL").fetchone()[0] == 0
    # recompute every link with hmac and the key alone, as an auditor given the key would (the documented recipe)
    key = bytes.fromhex(open(os.environ["MAMORU_AUDIT_KEY"]).read().strip())
    prev = "0" * 64
    for seq, table, row_id, at, ph, h in conn.execute(
            "SELECT seq, table_name, row_id, at, payload_hash, hash FROM audit_chain ORDER BY seq"):
        payload = audit.source_payload(open_db(base_db), table, row_id)
        assert ph == hmac.digest(key, f"row|{table}|{row_id}|{payload}".encode(), "sha256")
        assert h.hex() == hmac.new(key, bytes.fromhex(prev) + ph + f"|{seq}|{table}|{row_id}|{at}".encode(),
                                   "sha256").hexdigest()
        prev = h.hex()
    assert d["head"]["hash"] == prev


def test_editing_a_source_row_breaks_at_exactly_that_row(base_db, tmp_path):
    path = _copy(base_db, tmp_path / "t.db")
    conn = _plain(path)
    row_id = conn.execute("SELECT id FROM people WHERE user_id = 'U_W1' ORDER BY id LIMIT 1").fetchone()[0]
    seq = _seq_of(conn, "people", row_id)
    conn.execute("UPDATE people SET name = '山田花男' WHERE id = ?", [row_id])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and not d["ok"]
    assert _first(d) == ("source_changed", "people", row_id, seq)
    assert d["problem_count"] == 1
    assert f"最初に壊れている記録: 表 people、行ID {row_id}、連番 {seq}" in msg
    r = run_mamoru(["audit", "verify"], path)     # the plain text goes to stderr with exit 1
    assert r.returncode == 1 and "記録の連鎖に問題が見つかりました" in r.stderr


def test_deleting_a_source_row_breaks_at_that_row(base_db, tmp_path):
    path = _copy(base_db, tmp_path / "t.db")
    conn = _plain(path)
    row_id = conn.execute("SELECT id FROM routed_answers").fetchone()[0]
    seq = _seq_of(conn, "routed_answers", row_id)
    conn.execute("DELETE FROM routed_answers WHERE id = ?", [row_id])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and _first(d) == ("source_missing", "routed_answers", row_id, seq)
    assert "記録が削除されています" in msg


def test_a_refusal_record_is_evidence_too(base_db, tmp_path):
    path = _copy(base_db, tmp_path / "t.db")
    conn = _plain(path)
    row_id, = conn.execute("SELECT id FROM access_refusals").fetchone()
    seq = _seq_of(conn, "access_refusals", row_id)
    conn.execute("DELETE FROM access_refusals")
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1 and _first(d) == ("source_missing", "access_refusals", row_id, seq)


def test_the_chain_refuses_plain_edits_and_detects_forced_ones(base_db, tmp_path):
    path = _copy(base_db, tmp_path / "t.db")
    conn = _plain(path)
    row_id = conn.execute("SELECT id FROM feedback").fetchone()[0]
    seq = _seq_of(conn, "feedback", row_id)
    with pytest.raises(sqlite3.IntegrityError, match="sealed"):
        conn.execute("UPDATE audit_chain SET at = 'x' WHERE seq = ?", [seq])
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        conn.execute("DELETE FROM audit_chain WHERE seq = ?", [seq])
    # a determined tamperer drops the guard, changes the record and re-chains it with plain sha256
    conn.execute(f"DROP TRIGGER {audit.GUARD_UPDATE}")
    conn.execute("UPDATE feedback SET helpful = 0 WHERE id = ?", [row_id])
    conn.execute("UPDATE audit_chain SET payload_hash = ? WHERE seq = ?",
                 [hashlib.sha256(b"anything").digest(), seq])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and _first(d) == ("hash_mismatch", "feedback", row_id, seq)
    assert any(p["kind"] == "guard_missing" for p in d["problems"])


def test_re_chaining_without_the_key_is_detected_at_that_row(base_db, tmp_path):
    """Editing a row and recomputing the whole chain after it, with a key of one's own."""
    path = _copy(base_db, tmp_path / "t.db")
    conn = _plain(path)
    row_id = conn.execute("SELECT id FROM people WHERE user_id = 'U_LEAD'").fetchone()[0]
    seq = _seq_of(conn, "people", row_id)
    conn.execute(f"DROP TRIGGER {audit.GUARD_UPDATE}")
    conn.execute("UPDATE people SET role = 'officer' WHERE id = ?", [row_id])
    mine = os.urandom(32)
    db = open_db(path)
    prev = conn.execute("SELECT hash FROM audit_chain WHERE seq = ?", [seq - 1]).fetchone()[0]
    for s_, table, rid, at in conn.execute("SELECT seq, table_name, row_id, at FROM audit_chain WHERE seq >= ?"
                                           " ORDER BY seq", [seq]).fetchall():
        rm = audit.row_mac(mine, table, rid, audit.source_payload(db, table, rid))
        h = audit.link_mac(mine, prev, s_, table, rid, at, rm)
        conn.execute("UPDATE audit_chain SET payload_hash = ?, hash = ? WHERE seq = ?", [rm, h, s_])
        prev = h
    conn.execute(f"CREATE TRIGGER {audit.GUARD_UPDATE} BEFORE UPDATE ON audit_chain BEGIN SELECT 1; END")
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1
    assert _first(d) == ("hash_mismatch", "people", row_id, seq)
    assert "鍵で計算した値と一致しません" in msg


def test_a_wrong_key_is_named_not_blamed_on_every_record(base_db, tmp_path):
    other = tmp_path / "other.key"
    other.write_text(os.urandom(32).hex())
    r = run_mamoru(["audit", "verify", "--json"], base_db, env={"MAMORU_AUDIT_KEY": str(other)})
    d = json.loads(r.stdout)
    assert r.returncode == 1 and d["problem_count"] == 1 and d["first"]["kind"] == "wrong_key"
    assert "鍵" in d["message"] and "MAMORU_AUDIT_KEY" in d["message"]


def test_forged_chain_rows_are_detected(base_db, tmp_path):
    # a pending row copied from a real one: nobody seals it (mamoru seals only its own rows)
    path = _copy(base_db, tmp_path / "dup.db")
    conn = _plain(path)
    table, row_id = conn.execute(
        "SELECT table_name, row_id FROM audit_chain WHERE table_name = 'people' LIMIT 1").fetchone()
    conn.execute("INSERT INTO audit_chain (table_name, row_id, at) VALUES (?, ?, '2026-10-09T00:00:00+00:00')",
                 [table, row_id])
    forged = conn.execute("SELECT MAX(seq) FROM audit_chain").fetchone()[0]
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and _first(d) == ("unsealed", "people", row_id, forged)
    assert "mamoru 以外の手段で挿入されています" in msg
    # a later genuine write does not adopt it
    db = open_db(path)
    people.run_users(db, "cli", ["add", "U_LATER", "--name", "後藤"], "cli")
    rc, d, _ = _verify(path)
    assert rc == 1 and _first(d) == ("unsealed", "people", row_id, forged)

    # a fully hashed row (plain sha256: no key) for a record that never existed
    path = _copy(base_db, tmp_path / "ghost.db")
    conn = _plain(path)
    last_seq, last_hash = conn.execute("SELECT seq, hash FROM audit_chain ORDER BY seq DESC LIMIT 1").fetchone()
    at = "2026-10-09T00:00:00+00:00"
    ph = hashlib.sha256(b"{}").digest()
    h = hashlib.sha256(f"{last_hash.hex()}|{last_seq + 1}|people|999|{at}|{ph.hex()}".encode()).digest()
    conn.execute("INSERT INTO audit_chain (seq, table_name, row_id, at, payload_hash, hash)"
                 " VALUES (?, 'people', 999, ?, ?, ?)", [last_seq + 1, at, ph, h])
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1 and _first(d) == ("hash_mismatch", "people", 999, last_seq + 1)

    # a chain row for a table that is not chained
    path = _copy(base_db, tmp_path / "other.db")
    conn = _plain(path)
    conn.execute("INSERT INTO audit_chain (table_name, row_id, at) VALUES ('documents', 1, 'x')")
    seq = conn.execute("SELECT MAX(seq) FROM audit_chain").fetchone()[0]
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1 and _first(d)[:2] == ("unknown_table", "documents") and d["first"]["seq"] == seq


def test_a_backdated_training_pass_inserted_with_sqlite3_does_not_verify(base_db, tmp_path):
    path = _copy(base_db, tmp_path / "t.db")
    conn = _plain(path)
    conn.execute("INSERT INTO people (user_id, change, name, role, contracts, lead_id, start_date, days_off, active,"
                 " actor, via, at) SELECT user_id, 'update', name, 'officer', contracts, lead_id, start_date, days_off,"
                 " active, actor, via, '2026-09-01T10:00:00+09:00' FROM people WHERE user_id = 'U_W1' LIMIT 1")
    new_id = conn.execute("SELECT MAX(id) FROM people").fetchone()[0]
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1 and (d["first"]["kind"], d["first"]["table"], d["first"]["row_id"]) == ("unsealed", "people", new_id)


def test_deleted_chain_rows_leave_a_gap_or_a_short_tail(base_db, tmp_path):
    path = _copy(base_db, tmp_path / "gap.db")
    conn = _plain(path)
    conn.execute(f"DROP TRIGGER {audit.GUARD_DELETE}")
    row_id = conn.execute("SELECT id FROM registration_decisions").fetchone()[0]
    seq = _seq_of(conn, "registration_decisions", row_id)
    conn.execute("DELETE FROM audit_chain WHERE seq = ?", [seq])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and _first(d) == ("gap", "registration_decisions", row_id, seq)
    assert f"連鎖の記録（連番 {seq}〜{seq}）が削除されています" in msg

    path = _copy(base_db, tmp_path / "tail.db")
    conn = _plain(path)
    conn.execute(f"DROP TRIGGER {audit.GUARD_DELETE}")
    table, row_id, seq = conn.execute("SELECT table_name, row_id, seq FROM audit_chain ORDER BY seq DESC LIMIT 1"
                                      ).fetchone()
    conn.execute(f"DELETE FROM {table} WHERE rowid = ?", [row_id])
    conn.execute("DELETE FROM audit_chain WHERE seq = ?", [seq])
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1 and d["first"]["kind"] == "truncated" and d["first"]["seq"] == seq

    # the sequence put back too: the head witnessed outside the file (by an earlier verify) is missing
    path = _copy(base_db, tmp_path / "tail2.db")
    assert _verify(path)[0] == 0                       # witnesses the head, next to the key
    conn = _plain(path)
    conn.execute(f"DROP TRIGGER {audit.GUARD_DELETE}")
    for table, row_id, seq in conn.execute("SELECT table_name, row_id, seq FROM audit_chain ORDER BY seq DESC LIMIT 3"
                                           ).fetchall():
        conn.execute(f"DELETE FROM {table} WHERE rowid = ?", [row_id])
        conn.execute("DELETE FROM audit_chain WHERE seq = ?", [seq])
    conn.execute("UPDATE sqlite_sequence SET seq = (SELECT MAX(seq) FROM audit_chain) WHERE name = 'audit_chain'")
    conn.execute(f"CREATE TRIGGER {audit.GUARD_DELETE} BEFORE DELETE ON audit_chain"
                 " BEGIN SELECT RAISE(ABORT, 'audit_chain rows cannot be deleted'); END")
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and d["first"]["kind"] == "witness_missing", d["problems"]
    assert "以前に確認した連鎖の先頭" in msg


def test_a_row_slipped_in_without_the_trigger_is_detected(base_db, tmp_path):
    path = _copy(base_db, tmp_path / "t.db")
    conn = _plain(path)
    conn.execute('DROP TRIGGER "audit_chain__feedback"')
    conn.execute("INSERT INTO feedback (user_id, question, norm, clause_id, helpful, via, at)"
                 " VALUES ('U_W1', 'x', 'x', '', 1, 'cli', '2026-10-09T10:00:00+09:00')")
    new_id = conn.execute("SELECT MAX(id) FROM feedback").fetchone()[0]
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1
    kinds = {(p["kind"], p["table"], p["row_id"]) for p in d["problems"]}
    assert ("unchained", "feedback", new_id) in kinds and ("trigger_missing", "feedback", None) in kinds


def test_head_hash_kept_from_an_export(base_db, tmp_path):
    path = _copy(base_db, tmp_path / "t.db")
    head = audit.head(open_db(path))["hash"]
    assert run_mamoru(["audit", "verify", "--head", head], path).returncode == 0
    r = run_mamoru(["audit", "verify", "--head", "ab" * 32], path)
    assert r.returncode == 1 and "指定された先頭ハッシュ" in r.stderr


def test_transactions_seal_and_rows_written_otherwise_are_never_adopted(db_path):
    db = open_db(db_path)
    with transaction(db):
        people.run_users(db, "cli", ["add", "U1", "--name", "山田"], "cli")
        assert audit.pending_count(db) > 0          # queued by the trigger inside the transaction
    assert audit.pending_count(db) == 0             # sealed just before COMMIT
    routing.record_feedback(db, "U1", "質問", None, True, "slack_button")   # feedback is sealed as it is written
    assert audit.pending_count(db) == 0
    with pytest.raises(RuntimeError):
        with transaction(db):
            people.run_users(db, "cli", ["add", "U2", "--name", "佐藤"], "cli")
            raise RuntimeError("rolled back")
    assert db.execute("SELECT COUNT(*) FROM people WHERE user_id = 'U2'").fetchone()[0] == 0
    r = run_mamoru(["audit", "verify", "--json"], db_path)
    d = json.loads(r.stdout)
    assert r.returncode == 0 and d["pending"] == 0 and d["length"] == 2
    seqs = [x[0] for x in db.execute("SELECT seq FROM audit_chain ORDER BY seq").fetchall()]
    assert seqs == [1, 2]                           # the rollback left no gap
    db.execute("INSERT INTO feedback (user_id, question, norm, clause_id, helpful, via, at)"   # another tool's write
               " VALUES ('U1', '質問2', '質問2', '', 1, 'cli', '2026-12-01T10:00:00+09:00')")
    routing.record_feedback(db, "U1", "質問3", None, True, "slack_button")   # a genuine write afterwards
    assert audit.pending_count(db) == 1             # the other tool's row stays unsealed for ever
    r = run_mamoru(["audit", "verify", "--json"], db_path)
    d = json.loads(r.stdout)
    assert r.returncode == 1 and d["first"]["kind"] == "unsealed" and d["first"]["seq"] == 3


def test_a_new_capability_table_joins_with_one_line(db_path):
    db = open_db(db_path)
    db.execute("CREATE TABLE demo_confirmations (id INTEGER PRIMARY KEY AUTOINCREMENT, user_id TEXT NOT NULL,"
               " item TEXT NOT NULL, score REAL, at TEXT NOT NULL)")
    db.execute("INSERT INTO demo_confirmations (user_id, item, score, at) VALUES ('U1', 'lock', 0.5, 'a')")
    assert audit.chain_table(db, "demo_confirmations") is True     # the one line; adopts the row above
    assert audit.chain_table(db, "demo_confirmations") is False    # idempotent
    db.execute("ALTER TABLE demo_confirmations ADD COLUMN note TEXT")
    assert audit.chain_table(db, "demo_confirmations") is True     # re-registered to cover the new column
    with transaction(db):
        db.execute("INSERT INTO demo_confirmations (user_id, item, score, at, note) VALUES ('U1', 'desk', 2, 'c', 'n')")
    rc, d, _ = _verify(db_path)
    assert rc == 0 and d["tables"]["demo_confirmations"] == 2, d
    conn = _plain(db_path)
    conn.execute("UPDATE demo_confirmations SET note = 'm' WHERE id = 2")
    conn.close()
    rc, d, _ = _verify(db_path)
    assert rc == 1 and _first(d)[:3] == ("source_changed", "demo_confirmations", 2)
    with pytest.raises(ValueError):
        audit.chain_table(db, "no_such_table")


def test_everyday_writes_are_sealed_as_they_are_committed(db_path):
    """Contracts, feedback and the notice log are chained and sealed at their own commit, not later."""
    from handlers import notices

    db = open_db(db_path)
    assert people.run_users(db, "cli", ["add", "UL", "--name", "鈴木", "--role", "lead"], "cli")[0] == 0
    assert people.run_users(db, "cli", ["add", "UW", "--name", "山田", "--lead", "UL"], "cli")[0] == 0
    assert people.run_users(db, "cli", ["contract", "試験市"], "cli")[0] == 0
    assert audit.pending_count(db) == 0
    friday = _dt.datetime(2026, 11, 20, 17, tzinfo=_dt.timezone(_dt.timedelta(hours=9)))
    routing.route_question(db, "UW", "外部のクラウドに保存してもいいですか", [], "not_found", now=friday)
    routing.record_feedback(db, "UW", "質問", None, False, "slack_button")
    outs = notices.run_pass(db, friday + _dt.timedelta(days=4))          # Tuesday: the reminder is due
    assert outs and audit.pending_count(db) == 0
    notices.deliver(db, outs, lambda o: True)
    assert audit.pending_count(db) == 0
    kinds = {r[0] for r in db.execute("SELECT table_name FROM audit_chain")}
    assert {"contracts", "feedback", "notice_log", "routed_questions"} <= kinds


def test_backup_refuses_to_certify_a_forged_copy(base_db, tmp_path):
    """A row forged with plain sqlite3 (re-chained with sha256, no key): the backup is made but not certified."""
    path = _copy(base_db, tmp_path / "t.db")
    conn = _plain(path)
    conn.execute(f"DROP TRIGGER {audit.GUARD_UPDATE}")
    row_id = conn.execute("SELECT id FROM people WHERE user_id = 'U_W1' ORDER BY id LIMIT 1").fetchone()[0]
    seq = _seq_of(conn, "people", row_id)
    conn.execute("UPDATE people SET role = 'officer' WHERE id = ?", [row_id])
    conn.execute("UPDATE audit_chain SET payload_hash = ? WHERE seq = ?", [hashlib.sha256(b"x").digest(), seq])
    conn.close()
    r = run_mamoru(["backup", str(tmp_path / "copy.db")], path)
    assert r.returncode == 1 and "記録の連鎖に問題が見つかりました" in r.stderr
    ok = run_mamoru(["backup", str(tmp_path / "copy2.db")], _copy(base_db, tmp_path / "u.db"))
    assert ok.returncode == 0, ok.stderr


def test_verify_during_writes_reads_one_snapshot(db_path):
    """Another process writes all the time; every verify in the meantime says the chain is intact."""
    import subprocess
    import sys

    from conftest import ROOT

    db = open_db(db_path)
    people.run_users(db, "cli", ["add", "U0", "--name", "作業者"], "cli")
    stop = db_path.parent / "stop"
    code = ("import os, sys\nfrom handlers import people, routing\nfrom storage.db import open_db\n"
            "db = open_db(sys.argv[1]); i = 0\n"
            "while not os.path.exists(sys.argv[2]):\n"
            "    people.run_users(db, 'cli', ['add', f'U{i % 20}', '--name', f'作業者{i}'], 'cli')\n"
            "    routing.record_feedback(db, f'U{i % 20}', f'質問{i}', None, i % 2 == 0, 'slack_button')\n"
            "    i += 1\nprint(i)\n")
    writer = subprocess.Popen([sys.executable, "-c", code, str(db_path), str(stop)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    import time

    results, deadline = [], time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            results.append(audit.verify(db))
            written_now = db.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
            if len(results) >= 8 and written_now >= 10:
                break
    finally:
        stop.touch()
        written = int(writer.communicate(timeout=60)[0].strip() or 0)
    assert written >= 10 and len(results) >= 8
    assert all(v.ok for v in results), [v.problems[:3] for v in results if not v.ok]
