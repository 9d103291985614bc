"""`mamoru users …` through the real entry point, against a real database file."""
from __future__ import annotations

import json

from conftest import run_mamoru

from handlers import people
from storage import people as pstore
from storage.db import open_db


def test_users_add_list_remove(db_path):
    argv = ["users", "add", "U123", "--name", "山田太郎", "--role", "worker", "--contract", "吉川市",
            "--lead", "U999", "--start-date", "2026-12-01"]
    r = run_mamoru(argv, db_path)           # no contract yet: refused, nothing written, the way to add it named
    assert r.returncode == 1 and "案件「吉川市」は登録されていません" in r.stderr
    assert "mamoru contract add 吉川市" in r.stderr and people.get_person(open_db(db_path), "U123") is None
    r = run_mamoru(["contract", "add", "吉川市"], db_path)
    assert r.returncode == 0 and "案件「吉川市」（自治体: 吉川市）を登録しました" in r.stdout, r.stderr
    r = run_mamoru(argv, db_path)
    assert r.returncode == 0, r.stderr
    assert "登録しました: U123 山田太郎（作業従事者）" in r.stdout
    assert "案件「吉川市」の対象文書: 吉川市 情報セキュリティ特記仕様書" in r.stdout

    r = run_mamoru(["users", "add", "U999", "--name", "鈴木一郎", "--role", "lead", "--contract", "吉川市"], db_path)
    assert r.returncode == 0, r.stderr

    r = run_mamoru(["users", "list"], db_path)
    assert r.returncode == 0 and "登録されている方（2名）" in r.stdout
    assert "U123 山田太郎（作業従事者） / 案件: 吉川市 / 作業責任者: 鈴木一郎（U999） / 開始日: 2026年12月1日(火)" in r.stdout

    r = run_mamoru(["users", "list", "--json"], db_path)
    rows = {x["user_id"]: x for x in json.loads(r.stdout)}
    assert rows["U123"]["lead_id"] == "U999" and rows["U999"]["role"] == "lead"
    assert rows["U123"]["via"] == "cli" and rows["U123"]["updated_by"] == "cli"

    r = run_mamoru(["users", "remove", "U123"], db_path)
    assert r.returncode == 0 and "山田太郎さん（U123）の登録を解除しました" in r.stdout
    r = run_mamoru(["users", "list", "--json"], db_path)
    assert [x["user_id"] for x in json.loads(r.stdout)] == ["U999"]
    r = run_mamoru(["users", "remove", "U123"], db_path)
    assert r.returncode == 1 and "登録されていません" in r.stderr

    db = open_db(db_path)   # the roster is a history: nothing was edited in place
    assert [(h["change"], h["active"]) for h in pstore.history(db, "U123")] == [("add", True), ("remove", False)]
    assert people.get_person(db, "U999")["contracts"] == ["吉川市"]


def test_users_bad_arguments_are_explained(db_path):
    for argv, reason in (
        (["users"], "使い方:"),
        (["users", "add"], "ユーザーIDを指定してください"),
        (["users", "add", "U1"], "--name で指定してください"),
        (["users", "add", "U1", "--name", "x", "--role", "boss"], "役割「boss」はありません"),
        (["users", "add", "U1", "--name", "x", "--start-date", "2026-02-30"], "日付として読めません"),
        (["users", "delete", "U1"], "サブコマンドはありません"),
    ):
        r = run_mamoru(argv, db_path)
        assert r.returncode == 2, (argv, r.stdout, r.stderr)
        assert reason in r.stderr and "使い方:" in r.stderr, (argv, r.stderr)
        assert "Traceback" not in r.stderr
    assert people.get_person(open_db(db_path), "U1") is None
    for argv in (["users", "help"], ["users", "--help"], ["users", "-h"]):
        r = run_mamoru(argv, db_path)
        assert r.returncode == 0 and r.stdout.startswith("使い方:"), (argv, r.stderr)


def test_users_contract_binds_named_documents(db_path):
    r = run_mamoru(["users", "contract", "吉川市", "--doc", "yoshikawa,hozen"], db_path)
    assert r.returncode == 0, r.stderr
    assert "吉川市 情報セキュリティ特記仕様書、セキュリティ保全に係る事項" in r.stdout
    run_mamoru(["users", "add", "U1", "--name", "山田", "--contract", "吉川市"], db_path)
    assert people.contract_sources(open_db(db_path), "U1") == "yoshikawa,hozen"
