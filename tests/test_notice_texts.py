"""Notice texts are stored once (migration 15): the same reminder to many people is one row of
notice_texts, chained like the log; readers still see each notice's text; a database written
before keeps its texts in notice_log; a purge takes the texts that name the purged people."""
import sqlite3

from test_migration_keyed import _old_db

from storage import audit
from storage import notices as nstore
from storage.db import open_db, transaction

AT = "2026-11-02T08:00:00+00:00"
CUT = "2026-11-02T07:50:00+00:00"
REMIND = "始業時のチェックリストが未回答です。ご確認をお願いします。"


def _claim(db, key, user, text, kind="checklist_remind"):
    return nstore.claim(db, key=key, user_id=user, kind=kind, text=text, detail="", pass_at=AT, via="scheduler",
                        at=AT, lease_cutoff=CUT)


def test_the_same_text_to_many_people_is_stored_once_and_read_back_whole(tmp_path):
    db = open_db(tmp_path / "n.db")
    with transaction(db):
        for u in ("U1", "U2", "U3"):
            assert _claim(db, f"remind:{u}", u, REMIND)
        assert _claim(db, "digest:L1", "L1", "本日の未回答: 佐藤 太郎さん", kind="digest")
        assert not _claim(db, "remind:U1", "U1", REMIND)          # held: refused, nothing more stored
    nstore.record(db, key="remind:U1", event="sent", user_id="U1", kind="checklist_remind", text=None, detail="",
                  pass_at=AT, via="scheduler", at=AT)
    assert db.execute("SELECT COUNT(*) FROM notice_texts").fetchone()[0] == 2
    assert db.execute("SELECT COUNT(*) FROM notice_log WHERE text IS NOT NULL").fetchone()[0] == 0
    assert [r["text"] for r in nstore.log(db, "remind:U2")] == [REMIND]
    assert nstore.status(db, "remind:U1")["event"] == "sent"
    assert nstore.status(db, "digest:L1")["text"] == "本日の未回答: 佐藤 太郎さん"
    v = audit.verify(db)
    assert v.ok and v.tables["notice_texts"] == 2, [p.as_dict() for p in v.problems]


def test_an_older_database_keeps_its_texts_and_new_ones_are_stored_once(tmp_path):
    path = tmp_path / "old.db"
    _old_db(path)
    db = open_db(path)
    old = db.execute("SELECT id, text FROM notice_log WHERE text IS NOT NULL ORDER BY id").fetchall()
    assert old and all("確認状況" in t for _, t in old)                 # the pre-15 rows, untouched
    assert [r["text"] for r in nstore.log(db) if r["id"] == old[0][0]] == [old[0][1]]
    with transaction(db):
        assert _claim(db, "remind:U0WORK01", "U0WORK01", REMIND)
        assert _claim(db, "remind:U0WORK02", "U0WORK02", REMIND)
    assert db.execute("SELECT COUNT(*) FROM notice_texts").fetchone()[0] == 1
    assert audit.verify(db).ok
    db.conn.close()
    conn = sqlite3.connect(path)                                     # the insider rewrites what was sent
    conn.execute("UPDATE notice_texts SET text = '別の文面です。'")
    conn.commit()
    conn.close()
    v = audit.verify(open_db(path))
    assert not v.ok and ("source_changed", "notice_texts") in {(p.kind, p.table) for p in v.problems}


def test_purge_takes_texts_naming_the_people_and_texts_only_they_received(tmp_path):
    db = open_db(tmp_path / "p.db")
    with transaction(db):
        _claim(db, "remind:U1", "U1", REMIND)
        _claim(db, "remind:U2", "U2", REMIND)
        _claim(db, "digest:L1", "L1", "本日の未回答: 佐藤 太郎さん（U1）", kind="digest")
        _claim(db, "welcome:U1", "U1", "ようこそ。研修を始めてください。", kind="outgoing")
    mine = [r[0] for r in db.execute("SELECT id FROM notice_log WHERE user_id = 'U1'")]
    texts = nstore.texts_to_purge(db, mine, ["U1", "佐藤 太郎"])
    got = {r[0] for r in db.execute(f"SELECT text FROM notice_texts WHERE id IN ({','.join('?' * len(texts))})", texts)}
    assert got == {"本日の未回答: 佐藤 太郎さん（U1）", "ようこそ。研修を始めてください。"}   # the shared reminder stays
    rows = sorted(set(mine) | set(nstore.log_rows_with_texts(db, texts)))
    audit.purge(db, {"notice_log": rows, "notice_texts": texts}, scope="test", actor="cli", actor_name="管理者",
                content={"what": "test"}, via="cli", at=AT)
    assert [r["text"] for r in nstore.log(db)] == [REMIND]
    assert audit.verify(db).ok
