"""`mamoru contract purge` and the tamper-evident chain.

One database, made with the real handlers (tests/test_report.py's scripted month on 吉川市, plus
草加市 with its own lead, worker and a confirmation), is closed and purged with the real `mamoru`
command. Each test then works on a copy: the tampering uses plain sqlite3 only, as someone holding
the database file would, and the verdict comes from the real `mamoru audit verify`.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import json
import sqlite3

import pytest
from conftest import run_mamoru
from test_audit import _copy, _first, _plain, _verify
from test_report import C, _users, script

from storage import audit
from storage import checklists as cstore
from storage.db import open_db, transaction

OTHER = "草加市"
PURGED_PEOPLE = ("UW1", "UW2", "UW3", "UW4", "UW5", "UW6", "UL1", "UL2")


def _build(path) -> None:
    from knowledge import library

    db = open_db(path)
    library.ensure_builtin(db)
    script(db)
    before = _dt.date(2026, 9, 20)
    _users(db, ["contract", OTHER, "--doc", "soka"], before)
    _users(db, ["add", "US_L", "--name", "草加責任", "--role", "lead", "--contract", OTHER], before)
    _users(db, ["add", "US_W", "--name", "草加作業", "--role", "worker", "--contract", OTHER, "--lead", "US_L"],
           before)
    with transaction(db):
        for day in ("2026-10-01", "2026-10-02"):
            cstore.answer(db, user_id="US_W", contract=OTHER, checklist_id="start", item_id="badge", answer="yes",
                          needs_reason=False, work_date=day, clause_ids=[], source=f"button:start:{day}",
                          via="slack_button", at=f"{day}T09:05:00+09:00")
    db.conn.close()


@pytest.fixture(scope="module")
def purged(tmp_path_factory):
    """(database path, export directory, the purge command's output) after close and purge."""
    base = tmp_path_factory.mktemp("purge")
    path = base / "purged.db"
    _build(path)
    r = run_mamoru(["contract", "close", C, "--yes"], path)
    assert r.returncode == 0, r.stderr
    r = run_mamoru(["contract", "purge", C, "--export-dir", str(base / "export"), "--yes"], path)
    assert r.returncode == 0, r.stderr
    return path, base / "export", r.stdout


def _record(conn) -> tuple[int, int, dict]:
    """(deletion record id, its chain seq, the record) of the only deletion record."""
    rows = conn.execute("SELECT id, scope, covered_count, covered_sha256, content FROM audit_purges").fetchall()
    assert len(rows) == 1
    pid = rows[0][0]
    seq = conn.execute("SELECT seq FROM audit_chain WHERE table_name = 'audit_purges' AND row_id = ?",
                       [pid]).fetchone()[0]
    return pid, seq, {"scope": rows[0][1], "covered_count": rows[0][2], "covered_sha256": rows[0][3],
                      "content": json.loads(rows[0][4])}


def _problems(d) -> list[tuple]:
    return [(p["kind"], p["table"], p["row_id"], p["seq"]) for p in d["problems"]]


def _all_problems(path) -> list[audit.Problem]:
    """Every problem (the command lists the first 200), from the library itself."""
    db = open_db(path)
    try:
        return audit.verify(db, max_problems=100_000).problems
    finally:
        db.conn.close()




def test_after_a_purge_the_chain_verifies_and_covers_exactly_what_was_deleted(purged):
    path, export, out = purged
    assert "8 名分" in out and "この記録は削除できません" in out
    rc, d, msg = _verify(path)
    assert rc == 0 and d["ok"] and d["pending"] == 0, msg
    conn = _plain(path)
    pid, own, rec = _record(conn)
    assert rec["scope"] == f"contract:{C}" and rec["content"]["contract"] == C and rec["content"]["people"] == 8
    listed = conn.execute("SELECT seq, table_name, row_id FROM audit_purged_rows WHERE purge_id = ? ORDER BY seq",
                          [pid]).fetchall()
    assert len(listed) == rec["covered_count"] == rec["content"]["chain_rows_covered"] > 100
    # the list's digest, recomputed as an auditor would (one "seq|table|row_id" line each, in seq order)
    text = "\n".join(f"{s}|{t}|{r}" for s, t, r in listed)
    assert hashlib.sha256(text.encode()).hexdigest() == rec["covered_sha256"]
    per_table: dict[str, int] = {}
    for seq, table, row_id in listed:
        payload, ph = conn.execute("SELECT payload, payload_hash FROM audit_chain WHERE seq = ?", [seq]).fetchone()
        assert payload is None and ph is not None          # no copy; the keyed digest kept: the chain still links
        assert conn.execute(f"SELECT 1 FROM {table} WHERE rowid = ?", [row_id]).fetchone() is None
        per_table[table] = per_table.get(table, 0) + 1
        assert seq < own                                     # the deletion record comes after what it covers
    chained = {r[0] for r in conn.execute("SELECT name FROM audit_tables")}
    assert per_table == {t: n for t, n in rec["content"]["deleted"].items() if t in chained}
    assert rec["content"]["deleted"]["incident_sessions"] == 3          # conversation state: deleted, never chained
    assert conn.execute("SELECT COUNT(*) FROM incident_sessions").fetchone()[0] == 0
    # the deletion record itself is chained
    assert conn.execute("SELECT row_id, hash IS NOT NULL FROM audit_chain WHERE seq = ?", [own]).fetchone() == (pid, 1)
    # nothing of the purged people is left; the other contract's people and records are
    for uid in PURGED_PEOPLE:
        assert conn.execute("SELECT COUNT(*) FROM people WHERE user_id = ?", [uid]).fetchone()[0] == 0, uid
    assert conn.execute("SELECT COUNT(*) FROM people WHERE user_id IN ('US_L', 'US_W', 'UO1')").fetchone()[0] == 3
    assert conn.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE user_id = 'US_W'").fetchone()[0] == 2
    assert conn.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE user_id != 'US_W'").fetchone()[0] == 0
    # the export written before the purge holds the chain as it was, purged records included
    exported = [json.loads(line) for f in export.glob("*.jsonl") for line in f.read_text("utf-8").splitlines()]
    assert exported[-1]["type"] == "manifest" and exported[-1]["verified"] is True
    assert exported[-1]["chain"]["head_seq"] == own - 1
    assert any(r.get("payload") and '"UW1"' in r["payload"] for r in exported[:-1])


def test_editing_the_deletion_record_names_exactly_that_record(purged, tmp_path):
    path = _copy(purged[0], tmp_path / "t.db")
    conn = _plain(path)
    pid, own, _ = _record(conn)
    with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
        conn.execute("UPDATE audit_purges SET actor_name = '別人'")
    conn.execute("DROP TRIGGER audit_purges_guard_update")
    conn.execute("UPDATE audit_purges SET actor_name = '別人' WHERE id = ?", [pid])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and d["problem_count"] == 2
    assert _first(d) == ("source_changed", "audit_purges", pid, own)
    assert (d["problems"][1]["kind"], d["problems"][1]["detail"]) == ("guard_missing",
                                                                      {"trigger": "audit_purges_guard_update"})
    assert f"最初に壊れている記録: 表 audit_purges、行ID {pid}、連番 {own}" in msg
    assert "audit_purges_guard_update" in msg


@pytest.mark.parametrize("column, value", [("covered_count", 1), ("covered_sha256", "0" * 64)])
def test_editing_what_the_deletion_record_covers_names_that_record_first(purged, tmp_path, column, value):
    """A changed count or digest no longer vouches for the deleted rows: verify fails, and the
    first broken record it names is the deletion record, not one of the rows it covered."""
    path = _copy(purged[0], tmp_path / "t.db")
    conn = _plain(path)
    pid, own, rec = _record(conn)
    conn.execute("DROP TRIGGER audit_purges_guard_update")
    conn.execute(f"UPDATE audit_purges SET {column} = ? WHERE id = ?", [value, pid])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1
    assert _first(d)[1:] == ("audit_purges", pid, own)
    kinds = {p[0] for p in _problems(d) if p[1:] == ("audit_purges", pid, own)}
    assert kinds == {"source_changed", "purge_list_changed"}
    # the rows it covered are reported as deleted without a valid deletion record, each pointing at it
    orphans = [p for p in d["problems"] if p["kind"] == "source_missing"]
    assert orphans and all(p["detail"] == {"purge_id": pid, "purge_seq": own} for p in orphans)
    # every covered row, the record twice (changed, its list no longer matching), the dropped guard
    assert d["problem_count"] == rec["covered_count"] + 3
    assert f"最初に壊れている記録: 表 audit_purges、行ID {pid}、連番 {own}" in msg
    assert "削除の記録" in msg and "purge_list_changed" not in msg


def test_editing_the_deletion_records_chain_row_names_that_row(purged, tmp_path):
    path = _copy(purged[0], tmp_path / "t.db")
    conn = _plain(path)
    pid, own, _ = _record(conn)
    with pytest.raises(sqlite3.IntegrityError, match="sealed"):
        conn.execute("UPDATE audit_chain SET payload_hash = NULL WHERE seq = ?", [own])
    conn.execute(f"DROP TRIGGER {audit.GUARD_UPDATE}")
    conn.execute("UPDATE audit_chain SET at = '2026-01-01T00:00:00+00:00' WHERE seq = ?", [own])
    assert conn.total_changes == 1
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and _first(d) == ("hash_mismatch", "audit_purges", pid, own)
    assert {p[3] for p in _problems(d) if p[3] is not None} == {own}     # nothing else is blamed
    assert "鍵で計算した値と一致しません" in msg


def test_deleting_the_deletion_record_is_detected(purged, tmp_path):
    path = _copy(purged[0], tmp_path / "t.db")
    conn = _plain(path)
    pid, own, rec = _record(conn)
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        conn.execute("DELETE FROM audit_purges")
    with pytest.raises(sqlite3.IntegrityError, match="cannot be deleted"):
        conn.execute("DELETE FROM audit_purged_rows")
    conn.execute("DROP TRIGGER audit_purges_guard_delete")
    conn.execute("DELETE FROM audit_purges WHERE id = ?", [pid])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1
    assert _first(d) == ("source_missing", "audit_purges", pid, own)
    assert f"最初に壊れている記録: 表 audit_purges、行ID {pid}、連番 {own}: 記録が削除されています" in msg
    assert d["problem_count"] == rec["covered_count"] + 3
    every = _all_problems(path)
    orphans = [p for p in every if p.kind == "source_missing" and p.table != "audit_purges"]
    assert len(orphans) == rec["covered_count"] and all(p.detail["purge_id"] == pid for p in orphans)
    assert [(p.kind, p.row_id, p.detail.get("record_missing")) for p in every if p.kind == "purge_list_changed"] \
        == [("purge_list_changed", pid, True)]
    assert [p.detail for p in every if p.kind == "guard_missing"] == [{"trigger": "audit_purges_guard_delete"}]


def test_deleting_every_trace_of_the_deletion_record_is_still_detected(purged, tmp_path):
    """The record, its list, its chain row and the sequence's memory of it: the blanked rows are
    then deleted records no deletion record covers."""
    path = _copy(purged[0], tmp_path / "t.db")
    conn = _plain(path)
    pid, own, rec = _record(conn)
    first_covered = conn.execute("SELECT MIN(seq) FROM audit_purged_rows").fetchone()[0]
    for t in ("audit_purges_guard_delete", "audit_purged_rows_guard_delete", audit.GUARD_DELETE):
        conn.execute(f"DROP TRIGGER {t}")
    conn.execute("DELETE FROM audit_purged_rows")
    conn.execute("DELETE FROM audit_purges")
    conn.execute("DELETE FROM audit_chain WHERE seq = ?", [own])
    conn.execute("UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_chain'", [own - 1])
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1 and _first(d)[0] == "source_missing" and _first(d)[3] == first_covered
    assert d["problem_count"] == rec["covered_count"] + 3
    every = _all_problems(path)
    assert sum(p.kind == "source_missing" for p in every) == rec["covered_count"]
    assert sorted(p.detail["trigger"] for p in every if p.kind == "guard_missing") == sorted(
        ["audit_purges_guard_delete", "audit_purged_rows_guard_delete", audit.GUARD_DELETE])


def test_the_deletion_record_cannot_be_purged(purged, tmp_path):
    path = _copy(purged[0], tmp_path / "t.db")
    db = open_db(path)
    pid, own, rec = _record(db.conn)
    for table in ("audit_purges", "audit_purged_rows", "audit_chain"):
        with pytest.raises(ValueError, match="cannot be purged"):
            audit.purge(db, {table: [pid]}, scope="test", actor="cli", actor_name="x", content={}, via="cli",
                        at="2026-12-01T10:00:00+09:00")
    assert audit.deletion_records(db) == [audit.deletion_record(db, pid)]
    assert audit.deletion_record(db, pid)["covered_sha256"] == rec["covered_sha256"]
    db.conn.close()
    # listing the deletion record's own chain row under it
    conn = _plain(path)
    conn.execute("INSERT INTO audit_purged_rows (purge_id, seq, table_name, row_id) VALUES (?, ?, 'audit_purges', ?)",
                 [pid, own, pid])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and _first(d)[1:] == ("audit_purges", pid, own)
    assert ("purge_list_changed", "audit_purges", pid, own) in _problems(d)
    assert run_mamoru(["audit", "verify"], path).returncode == 1


def test_editing_a_record_of_another_contract_after_the_purge_is_detected_at_that_row(purged, tmp_path):
    path = _copy(purged[0], tmp_path / "t.db")
    conn = _plain(path)
    row_id = conn.execute("SELECT id FROM checklist_confirmations WHERE user_id = 'US_W' ORDER BY id LIMIT 1"
                          ).fetchone()[0]
    seq = conn.execute("SELECT seq FROM audit_chain WHERE table_name = 'checklist_confirmations' AND row_id = ?",
                       [row_id]).fetchone()[0]
    conn.execute("UPDATE checklist_confirmations SET answer = 'no' WHERE id = ?", [row_id])
    person = conn.execute("SELECT id FROM people WHERE user_id = 'US_W' ORDER BY id LIMIT 1").fetchone()[0]
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and d["problem_count"] == 1
    assert _first(d) == ("source_changed", "checklist_confirmations", row_id, seq)
    # deleting one of that contract's people rows: exactly that row, not covered by the purge
    path = _copy(purged[0], tmp_path / "t2.db")
    conn = _plain(path)
    pseq = conn.execute("SELECT seq FROM audit_chain WHERE table_name = 'people' AND row_id = ?", [person]).fetchone()[0]
    conn.execute("DELETE FROM people WHERE id = ?", [person])
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1 and d["problem_count"] == 1 and _first(d) == ("source_missing", "people", person, pseq)


def test_a_second_purge_of_the_same_contract_deletes_nothing_more(purged, tmp_path):
    path = _copy(purged[0], tmp_path / "t.db")
    conn = _plain(path)
    pid, own, rec = _record(conn)
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("people", "checklist_confirmations", "contracts", "audit_purged_rows")}
    length = conn.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0]
    conn.close()
    r = run_mamoru(["contract", "purge", C, "--export-dir", str(tmp_path / "again")], path)
    assert r.returncode == 0 and "0 名分" in r.stdout and "--yes" in r.stdout
    r = run_mamoru(["contract", "purge", C, "--export-dir", str(tmp_path / "again"), "--yes"], path)
    assert r.returncode == 0, r.stderr
    assert "削除する個人の記録はありません" in r.stdout and f"前回の削除の記録: 記録ID {pid}" in r.stdout
    assert not (tmp_path / "again").exists() or not any((tmp_path / "again").iterdir())   # no second export
    conn = _plain(path)
    assert {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in counts} == counts
    # the deletion record is untouched and no second, empty one was written
    recs = conn.execute("SELECT id, covered_count, covered_sha256, content FROM audit_purges ORDER BY id").fetchall()
    assert [r[:3] for r in recs] == [(pid, rec["covered_count"], rec["covered_sha256"])]
    assert conn.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0] == length
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 0 and d["ok"], msg
    # and a later edit of the first deletion record is still named exactly
    conn = _plain(path)
    conn.execute("DROP TRIGGER audit_purges_guard_update")
    conn.execute("UPDATE audit_purges SET at = '2026-01-01T00:00:00+09:00' WHERE id = ?", [pid])
    conn.close()
    rc, d, _ = _verify(path)
    assert rc == 1 and _first(d) == ("source_changed", "audit_purges", pid, own)
    assert [p["kind"] for p in d["problems"]] == ["source_changed", "guard_missing"]


def test_verify_always_lists_the_deletion_records_so_a_forged_one_is_seen(purged, tmp_path):
    """A deletion record forged with plain SQL (right digest, a 草加市 row listed and deleted) is never
    sealed (no key): verify fails on it, and shows every deletion record, so the officer sees one
    nobody made, and an earlier export still holds the row."""
    path = _copy(purged[0], tmp_path / "forged.db")
    conn = _plain(path)
    [(row_id,)] = conn.execute("SELECT id FROM checklist_confirmations WHERE user_id = 'US_W'"
                               " AND work_date = '2026-10-01'").fetchall()
    seq = conn.execute("SELECT seq FROM audit_chain WHERE table_name = 'checklist_confirmations' AND row_id = ?",
                       [row_id]).fetchone()[0]
    covered = [(seq, "checklist_confirmations", row_id)]
    conn.execute("INSERT INTO audit_purges (scope, actor, actor_name, content, covered_count, covered_sha256, via, at)"
                 " VALUES ('草加市', 'UX', '誰か', '{}', 1, ?, 'cli', '2026-11-30T03:00:00+00:00')",
                 [audit.covered_digest(covered)])
    pid = conn.execute("SELECT MAX(id) FROM audit_purges").fetchone()[0]
    conn.execute("INSERT INTO audit_purged_rows (purge_id, seq, table_name, row_id) VALUES (?, ?, ?, ?)",
                 [pid, *covered[0]])
    conn.execute("DELETE FROM checklist_confirmations WHERE id = ?", [row_id])
    conn.close()
    rc, d, msg = _verify(path)
    assert rc == 1 and (d["first"]["kind"], d["first"]["table"]) == ("unsealed", "audit_purges")
    assert [(r["actor_name"], r["scope"], r["covered_count"]) for r in d["deletion_records"]][-1] == ("誰か", "草加市", 1)
    assert len(d["deletion_records"]) == 2
    assert "削除の記録（案件終了時の個人の記録の削除）: 2 件" in msg
    assert "実施者 誰か、対象 草加市、1 行" in msg
