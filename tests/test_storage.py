import sqlite3
import threading

from storage import migrations
from storage.db import open_db


def test_migrations_run_once_and_are_safe_to_repeat(tmp_path):
    p = tmp_path / "m.db"
    db = open_db(p)
    first = [r["id"] for r in db.query("SELECT id FROM _migrations")]
    assert first == [m[0] for m in migrations.MIGRATIONS]
    assert migrations.apply(db) == []          # nothing left to do
    db2 = open_db(p)                            # a restart applies nothing twice
    assert [r["id"] for r in db2.query("SELECT id FROM _migrations")] == first


def test_wal_mode_and_tables(tmp_path):
    db = open_db(tmp_path / "w.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {"documents", "clauses", "forms"} <= set(db.table_names())


def test_concurrent_first_open_applies_each_migration_once(tmp_path):
    p = tmp_path / "c.db"
    errors = []

    def opener():
        try:
            open_db(p)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=opener) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = sqlite3.connect(p).execute("SELECT id, COUNT(*) FROM _migrations GROUP BY id").fetchall()
    assert all(n == 1 for _, n in rows) and len(rows) == len(migrations.MIGRATIONS)


def test_default_path_from_environment(tmp_path, monkeypatch):
    from storage.db import default_path

    monkeypatch.setenv("MAMORU_DB", str(tmp_path / "x.db"))
    assert default_path() == tmp_path / "x.db"
    monkeypatch.delenv("MAMORU_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_path() == tmp_path / "xdg" / "mamoru" / "mamoru.db"
