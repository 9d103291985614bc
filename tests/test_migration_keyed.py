"""Migration 13 on a database the pre-13 code wrote (tests/fixtures/chain_v12: the unkeyed sha256
chain with a JSON copy of every record, and a purge that blanked payloads): the records are all
kept, the chain becomes keyed and verifies, and tampering after the migration is detected."""
import sqlite3
from pathlib import Path

import pytest

from storage import audit
from storage.db import open_db

FIXTURE = Path(__file__).parent / "fixtures" / "chain_v12" / "chain_v12.sql"
RECORDS = ("people", "contracts", "checklist_confirmations", "notice_log", "routed_questions", "audit_purges")


def _old_db(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    conn.executescript(FIXTURE.read_text("utf-8"))
    counts = {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in RECORDS}
    assert conn.execute("SELECT MAX(id) FROM _migrations").fetchone()[0] == 12
    assert conn.execute("SELECT COUNT(*) FROM audit_chain WHERE payload IS NOT NULL").fetchone()[0] > 0
    conn.close()
    return counts


@pytest.fixture()
def migrated(tmp_path):
    path = tmp_path / "old.db"
    counts = _old_db(path)
    db = open_db(path)
    return path, db, counts


def test_old_chain_migrates_keeps_records_and_verifies(migrated):
    path, db, counts = migrated
    assert {t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in RECORDS} == counts
    assert db.execute("SELECT MAX(id) FROM _migrations").fetchone()[0] >= 13
    m = audit.meta(db)
    assert m["format"] == audit.FORMAT and "converted_from" in m
    assert db.execute("SELECT COUNT(*) FROM audit_chain WHERE payload IS NOT NULL OR hash IS NULL").fetchone()[0] == 0
    v = audit.verify(db)
    assert v.ok, [p.as_dict() for p in v.problems]
    assert v.length == db.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0] > 20
    # the records the old purge deleted stay covered by its deletion record
    assert audit.deletion_records(db)[0]["covered_count"] == 6   # 2 items × 3 days of U0WORK02
    assert db.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE user_id = 'U0WORK02'").fetchone()[0] == 0


@pytest.mark.parametrize("tamper, kind", [
    ("UPDATE checklist_confirmations SET answer = 'no' WHERE id = 1", "source_changed"),
    ("DELETE FROM notice_log WHERE id = 2", "source_missing"),
    ("INSERT INTO people (user_id, change, name, role, contracts, active, actor, via, at) VALUES"
     " ('U0FAKE01', 'add', '偽 名前', 'worker', '[\"吉川市\"]', 1, 'cli', 'cli', '2026-11-01T09:00:00+09:00')", "unsealed"),
])
def test_tampering_after_migration_is_detected(migrated, tamper, kind):
    path, db, _ = migrated
    assert audit.verify(db).ok
    db.conn.close()
    conn = sqlite3.connect(path)          # the insider, with plain sqlite3 and no key
    conn.execute(tamper)
    conn.commit()
    conn.close()
    v = audit.verify(open_db(path))
    assert not v.ok and kind in {p.kind for p in v.problems}, [p.as_dict() for p in v.problems]


def test_rechaining_after_migration_without_the_key_is_detected(migrated):
    """The insider edits a record and recomputes the chain the way the old (unkeyed) code did."""
    import hashlib

    path, db, _ = migrated
    db.conn.close()
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER audit_chain_guard_update")
    conn.execute("UPDATE checklist_confirmations SET answer = 'no' WHERE id = 1")
    seq, = conn.execute("SELECT seq FROM audit_chain WHERE table_name = 'checklist_confirmations' AND row_id = 1").fetchone()
    forged = hashlib.sha256(b"row|checklist_confirmations|1|forged").digest()
    conn.execute("UPDATE audit_chain SET payload_hash = ?, hash = ? WHERE seq = ?", [forged, forged, seq])
    conn.commit()
    conn.close()
    v = audit.verify(open_db(path))
    kinds = {p.kind for p in v.problems}
    assert not v.ok and {"hash_mismatch", "guard_missing"} <= kinds, [p.as_dict() for p in v.problems]
