"""The roster for a 届出, and what changed on it since the last report, from the append-only people records."""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json

import pytest
from conftest import run_mamoru

from handlers import audit as haudit, people
from storage import audit
from storage.db import open_db


def _t(day: str, hm: str = "10:00") -> _dt.datetime:
    return _dt.datetime.fromisoformat(f"{day}T{hm}:00+09:00")


HISTORY = [
    ("2026-09-01", ["contract", "吉川市", "--doc", "yoshikawa"]),
    ("2026-09-01", ["add", "U_OFF", "--name", "高橋誠", "--role", "officer", "--contract", "吉川市"]),
    ("2026-09-01", ["add", "U_L1", "--name", "鈴木一郎", "--role", "lead", "--contract", "吉川市"]),
    ("2026-09-01", ["add", "U_L2", "--name", "伊藤二郎", "--role", "lead", "--contract", "吉川市"]),
    ("2026-09-01", ["add", "U_ADM", "--name", "管理者", "--role", "admin", "--contract", "吉川市"]),
    ("2026-09-15", ["add", "U_A", "--name", "山田太郎", "--contract", "吉川市", "--lead", "U_L1",
                    "--start-date", "2026-09-20"]),
    ("2026-09-20", ["add", "U_B", "--name", "佐藤花子", "--contract", "吉川市", "--lead", "U_L1"]),
    ("2026-10-05", ["add", "U_C", "--name", "田中三郎", "--contract", "吉川市", "--lead", "U_L1",
                    "--start-date", "2026-10-10"]),
    ("2026-10-12", ["add", "U_A", "--lead", "U_L2"]),
    ("2026-10-20", ["remove", "U_B"]),
    ("2026-11-02", ["add", "U_L1", "--name", "鈴木一朗"]),
    ("2026-11-05", ["add", "U_B", "--name", "佐藤花子", "--contract", "吉川市", "--lead", "U_L1"]),
    ("2026-11-10", ["contract", "保全", "--doc", "hozen"]),
    ("2026-11-10", ["add", "U_L1", "--contract", "吉川市,保全"]),     # a worker keeps a lead only of their contract
    ("2026-11-10", ["add", "U_C", "--contract", "保全"]),
]


@pytest.fixture
def roster_db(db_path):
    from knowledge import library

    db = open_db(db_path)
    library.ensure_builtin(db)
    for day, argv in HISTORY:
        status, reply = people.run_users(db, "cli", argv, "cli", now=_t(day))
        assert status == 0, (argv, reply.text)
    return db


def test_changes_since_the_last_report(roster_db, db_path):
    r = run_mamoru(["roster", "changes", "--contract", "吉川市", "--since", "2026-10-01", "--json"], db_path)
    assert r.returncode == 0, r.stderr
    got = [(c["at"][:10], c["kind"], c["user_id"], c.get("before"), c.get("after")) for c in json.loads(r.stdout)]
    assert got == [
        ("2026-10-05", "joined", "U_C", None, None),
        ("2026-10-12", "lead", "U_A", "U_L1", "U_L2"),
        ("2026-10-20", "left", "U_B", None, None),
        ("2026-11-02", "name", "U_L1", "鈴木一郎", "鈴木一朗"),
        ("2026-11-05", "joined", "U_B", None, None),
        ("2026-11-10", "left", "U_C", None, None),
    ]
    changes = json.loads(r.stdout)
    assert changes[0]["start_date"] == "2026-10-10" and changes[2]["reason"] == "removed"
    assert changes[5]["reason"] == "contract" and all(c["actor"] == "cli" and c["via"] == "cli" for c in changes)
    ids = [c["record_id"] for c in changes]      # each change is a people record, itself chained
    db = open_db(db_path)
    assert all(db.execute("SELECT hash FROM audit_chain WHERE table_name = 'people' AND row_id = ?", [i]).fetchone()[0]
               for i in ids)

    r = run_mamoru(["roster", "changes", "--contract", "吉川市", "--since", "2026-10-01", "--until", "2026-10-31"],
                   db_path)
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("案件「吉川市」の名簿の変更（2026年10月1日(木) から2026年10月31日(土) まで）: 3 件です。")
    assert ("・2026年10月12日(月) 10:00 【作業責任者の変更】山田太郎さん（U_A）の作業責任者が鈴木一朗（U_L1）から"
            "伊藤二郎（U_L2）に変わりました（変更者: 管理者（サーバーのコマンド）、経路: cli、記録: people #") in out
    assert "【追加】田中三郎さん（U_C）が作業従事者として加わりました（作業責任者: 鈴木一朗（U_L1）、開始日: 2026年10月10日(土)）" in out
    assert "【削除】佐藤花子さん（U_B）（作業従事者）が外れました（登録解除）" in out
    assert "根拠: 吉川市 情報セキュリティ特記仕様書 第5条第2項" in out

    r = run_mamoru(["roster", "changes", "--contract", "吉川市", "--since", "2026-12-01"], db_path)
    assert r.returncode == 0 and "名簿に変更はありません" in r.stdout


EXPECTED = [
    ["高橋誠", "情報セキュリティ対策責任者", "吉川市", "", "2026-09-01", "", "U_OFF", ""],
    ["伊藤二郎", "作業責任者", "吉川市", "", "2026-09-01", "", "U_L2", ""],
    ["鈴木一朗", "作業責任者", "吉川市", "", "2026-09-01", "", "U_L1", ""],
    ["山田太郎", "作業従事者", "吉川市", "伊藤二郎", "2026-09-20", "", "U_A", ""],
    ["佐藤花子", "作業従事者", "吉川市", "鈴木一朗", "2026-11-05", "", "U_B", ""],
    ["佐藤花子", "作業従事者", "吉川市", "鈴木一朗", "2026-09-20", "2026-10-20", "U_B", ""],
    ["田中三郎", "作業従事者", "吉川市", "鈴木一朗", "2026-10-10", "2026-11-10", "U_C", ""],
]


def test_export_roster_csv(roster_db, db_path):
    r = run_mamoru(["export", "roster", "--contract", "吉川市", "--format", "csv", "--output", "-"], db_path)
    assert r.returncode == 0, r.stderr
    rows = list(csv.reader(io.StringIO(r.stdout.lstrip("\ufeff"))))
    assert rows[0] == ["氏名", "役割", "所属案件", "作業責任者", "開始日", "終了日", "Slack ユーザーID", "メールアドレス"]
    assert rows[1:] == EXPECTED                  # the admin is not on the roster
    assert "7 行、現在の在籍 5 名" in r.stderr


def test_export_roster_xlsx(roster_db, db_path, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "届出.xlsx"
    r = run_mamoru(["export", "roster", "--contract", "吉川市", "--output", str(out)], db_path)
    assert r.returncode == 0, r.stderr
    ws = load_workbook(out).active
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0] == "作業従事者等名簿（吉川市）"
    assert "根拠: 吉川市 情報セキュリティ特記仕様書 第5条第2項" in values[2][0]
    header = values.index(["氏名", "役割", "所属案件", "作業責任者", "開始日", "終了日", "Slack ユーザーID", "メールアドレス"])

    def cell(v):
        return v.date().isoformat() if isinstance(v, _dt.datetime) else ("" if v is None else v)

    assert [[cell(v) for v in row] for row in values[header + 1:]] == EXPECTED

    import os
    import subprocess

    from conftest import MAMORU

    cwd = tmp_path / "cwd"
    cwd.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "MAMORU_FILES_DIR"}
    r = subprocess.run([MAMORU, "export", "roster", "--contract", "吉川市"], cwd=cwd, capture_output=True,
                       text=True, encoding="utf-8", env=dict(env, MAMORU_DB=str(db_path)))
    assert r.returncode == 0, r.stderr      # the default name, in the files folder beside the database
    assert os.listdir(cwd) == []            # never the current directory
    [default] = [f for f in os.listdir(db_path.parent / "files") if f.startswith("名簿_吉川市_")]
    assert default.endswith(".xlsx") and str(db_path.parent / "files" / default) in r.stderr


def test_a_lead_sees_their_team_and_a_worker_is_refused(roster_db, db_path):
    rows = haudit.roster(roster_db, "吉川市", viewer_id="U_L1")
    assert sorted({r["user_id"] for r in rows}) == ["U_B", "U_C", "U_L1"]
    r = run_mamoru(["roster", "show", "--contract", "吉川市", "--as", "U_L1"], db_path)
    assert r.returncode == 0 and "ご自身とチームの方の記録だけを表示しています" in r.stdout
    assert "山田太郎" not in r.stdout and "佐藤花子" in r.stdout
    r = run_mamoru(["export", "roster", "--contract", "吉川市", "--format", "csv", "-o", "-", "--as", "U_A"], db_path)
    assert r.returncode == 1 and r.stdout == ""
    assert "名簿の書き出しは作業責任者・情報セキュリティ対策責任者・管理者の方だけがご利用いただけます" in r.stderr
    [refusal] = audit.refusals(open_db(db_path))
    assert (refusal["viewer_id"], refusal["what"], refusal["reason"], refusal["via"]) == (
        "U_A", "名簿の書き出し", "needs_team", "cli")


def test_unknown_contract_and_bad_date(roster_db, db_path):
    r = run_mamoru(["export", "roster", "--contract", "草加市", "-o", "-", "--format", "csv"], db_path)
    assert r.returncode == 1 and "案件「草加市」は登録されていません。登録されている案件: 「保全」、「吉川市」" in r.stderr
    r = run_mamoru(["roster", "changes", "--contract", "吉川市", "--since", "十月"], db_path)
    assert r.returncode == 2 and "日付として読めません" in r.stderr
