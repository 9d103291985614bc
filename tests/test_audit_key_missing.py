"""The audit chain's key (MAMORU_AUDIT_KEY, outside the database) is made for a new database only.

A database holding sealed records whose key file is missing is refused by every command, the terminal
chat and `serve`, with where the key is expected and how to put it back; nothing is written, and no
new key is made (records sealed with another key would break the chain for good). Each test has its
own key file, apart from the session's (tests/conftest.py).
"""
from __future__ import annotations

import os
import sqlite3
import stat

from conftest import run_mamoru


def _counts(db) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT COUNT(*) FROM audit_chain").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM people").fetchone()[0],
                conn.execute("SELECT value FROM audit_meta WHERE name = 'key_id'").fetchone()[0])
    finally:
        conn.close()


def _refused_with_the_way_back(r, key) -> None:
    assert r.returncode != 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    err = r.stderr
    assert f"鍵ファイル {key} が見つかりません" in err
    assert f"鍵の控えを {key} に戻し" in err and "MAMORU_AUDIT_KEY" in err
    assert "データベースは変更していません" in err


def _set_up(tmp_path):
    db, key = tmp_path / "m.db", tmp_path / "keys" / "audit.key"
    env = {"MAMORU_AUDIT_KEY": str(key)}
    for args in (["contract", "add", "吉川市"], ["users", "add", "U1", "--name", "山田太郎", "--contract", "吉川市"]):
        r = run_mamoru(args, db, env=env)
        assert r.returncode == 0, r.stderr
    return db, key, env


def test_a_new_database_makes_its_key(tmp_path):
    db, key, env = _set_up(tmp_path)
    assert key.exists() and stat.S_IMODE(key.stat().st_mode) == 0o600
    r = run_mamoru(["audit", "verify"], db, env=env)
    assert r.returncode == 0 and "問題はありません（連鎖の記録 2 件）" in r.stdout


def test_a_database_with_records_and_no_key_is_refused_everywhere_and_loses_nothing(tmp_path):
    db, key, env = _set_up(tmp_path)
    kept = tmp_path / "kept.key"
    key.rename(kept)                                   # the key is lost (or was not copied with the database)
    before = _counts(db)
    for args, stdin, extra in [
        (["users", "add", "U2", "--name", "佐藤花子", "--contract", "吉川市"], None, {}),
        (["audit", "verify"], None, {}),
        (["chat", "--as", "U1"], "ホーム\n", {}),
        (["serve"], None, {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test",
                           "SLACK_API_URL": "http://127.0.0.1:9/api/"}),
    ]:
        r = run_mamoru(args, db, input=stdin, env={**env, **extra}, timeout=60)
        _refused_with_the_way_back(r, key)
        assert not key.exists(), f"{args[0]} made a new key"
    assert _counts(db) == before
    kept.rename(key)                                   # put back as the message says: everything is there
    r = run_mamoru(["audit", "verify"], db, env=env)
    assert r.returncode == 0 and "問題はありません（連鎖の記録 2 件）" in r.stdout
    r = run_mamoru(["users", "add", "U2", "--name", "佐藤花子", "--contract", "吉川市"], db, env=env)
    assert r.returncode == 0, r.stderr
    r = run_mamoru(["audit", "verify"], db, env=env)
    assert r.returncode == 0 and "問題はありません（連鎖の記録 3 件）" in r.stdout


def test_in_process_the_database_is_not_opened_without_its_key(tmp_path, monkeypatch):
    from storage import auditkey
    from storage.db import open_db

    db, key, env = _set_up(tmp_path)
    key.unlink()
    monkeypatch.setenv("MAMORU_AUDIT_KEY", str(key))
    try:
        open_db(db)
    except auditkey.KeyMissing as e:
        assert str(key) in str(e) and "封印した記録が 2 件" in str(e)
    else:
        raise AssertionError("opened without its key")
    assert not key.exists()


def test_a_wrong_key_writes_nothing_and_verify_names_it(tmp_path):
    db, key, env = _set_up(tmp_path)
    other = tmp_path / "other.key"
    other.write_text(os.urandom(32).hex())
    other.chmod(0o600)
    before = _counts(db)
    wrong = {"MAMORU_AUDIT_KEY": str(other)}
    for args, stdin in [(["users", "add", "U2", "--name", "佐藤花子", "--contract", "吉川市"], None),
                        (["chat", "--as", "U1"], "ホーム\n")]:
        r = run_mamoru(args, db, input=stdin, env=wrong, timeout=60)
        assert r.returncode != 0 and "Traceback" not in r.stderr
        assert "記録を封印した鍵" in r.stderr and "と違うため、記録を書き込めません" in r.stderr
    assert _counts(db) == before
    r = run_mamoru(["audit", "verify"], db, env=wrong)
    assert r.returncode == 1 and "鍵と違います" in r.stdout + r.stderr
    assert run_mamoru(["audit", "verify"], db, env=env).returncode == 0


def test_a_database_with_no_record_yet_gets_a_new_key(tmp_path):
    db, key = tmp_path / "m.db", tmp_path / "audit.key"
    env = {"MAMORU_AUDIT_KEY": str(key)}
    assert run_mamoru(["contract", "list"], db, env=env).returncode == 0     # created, nothing sealed yet
    assert key.exists() and _counts(db)[0] == 0
    first_id = _counts(db)[2]
    key.unlink()
    r = run_mamoru(["contract", "add", "吉川市"], db, env=env)
    assert r.returncode == 0, r.stderr
    assert key.exists() and _counts(db)[2] != first_id                       # keyed anew: nothing was sealed
    r = run_mamoru(["audit", "verify"], db, env=env)
    assert r.returncode == 0 and "問題はありません（連鎖の記録 1 件）" in r.stdout
