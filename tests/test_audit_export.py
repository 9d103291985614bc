"""`mamoru audit export`: a period's records with their chain links and the head hash, for an auditor."""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib  # noqa: F401
import hmac
import os
import io
import json

import pytest
from conftest import run_mamoru

from handlers import people, routing
from storage import audit
from storage.db import open_db
from conftest import add_contracts


def _t(s: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(s)


@pytest.fixture
def history(db_path):
    db = open_db(db_path)
    add_contracts(db, "吉川市", at="2026-09-30T23:59:00+09:00")
    for when, argv in (
        ("2026-09-30T23:59:00+09:00", ["add", "U_L", "--name", "鈴木一郎", "--role", "lead", "--contract", "吉川市"]),
        ("2026-10-01T00:00:00+09:00", ["add", "U_A", "--name", "山田太郎", "--contract", "吉川市", "--lead", "U_L"]),
        ("2026-10-15T12:00:00+09:00", ["add", "U_X", "--name", "他班次郎", "--contract", "吉川市"]),
        ("2026-10-31T23:30:00+09:00", ["remove", "U_X"]),
        ("2026-11-01T00:10:00+09:00", ["add", "U_B", "--name", "佐藤花子", "--contract", "吉川市", "--lead", "U_L"]),
    ):
        status, reply = people.run_users(db, "cli", argv, "cli", now=_t(when))
        assert status == 0, reply.text
    # 2026-10-31 15:30 UTC is 2026-11-01 00:30 in Japan: outside October
    routing.record_feedback(db, "U_A", "離席時のロック", None, True, "slack_button", now=_t("2026-10-31T15:30:00+00:00"))
    routing.record_feedback(db, "U_A", "ICカード", None, False, "slack_button", now=_t("2026-10-20T09:00:00+09:00"))
    return db


def _key() -> bytes:
    """An auditor handed the deployment's key recomputes every digest with hmac alone."""
    return bytes.fromhex(open(os.environ["MAMORU_AUDIT_KEY"]).read().strip())


def _jsonl(text: str) -> tuple[list[dict], dict]:
    lines = [json.loads(x) for x in text.splitlines() if x.strip()]
    assert lines[-1]["type"] == "manifest" and all(x["type"] == "record" for x in lines[:-1])
    for x in lines[:-1]:
        x["record"] = json.loads(x["payload"])          # the record, as JSON text exactly as hashed
    return lines[:-1], lines[-1]


def test_october_in_japan_time_with_hashes_an_auditor_can_recompute(history, db_path):
    r = run_mamoru(["audit", "export", "--from", "2026-10-01", "--to", "2026-10-31"], db_path)
    assert r.returncode == 0, r.stderr
    records, manifest = _jsonl(r.stdout)
    got = sorted((x["table"], x["record"].get("user_id"), x["record"]["at"]) for x in records)
    assert got == sorted([
        ("people", "U_A", "2026-10-01T00:00:00+09:00"),
        ("people", "U_X", "2026-10-15T12:00:00+09:00"),
        ("people", "U_X", "2026-10-31T23:30:00+09:00"),
        ("feedback", "U_A", "2026-10-20T09:00:00+09:00"),
    ])   # U_L (30 Sep 23:59) and the contract created with it, U_B and the UTC-stored feedback are not October
    key = _key()
    for x in records:
        assert x["payload_hash"] == hmac.new(key, f"row|{x['table']}|{x['row_id']}|{x['payload']}".encode(),
                                             "sha256").hexdigest()
        assert x["record_at"] == x["record"]["at"]
        assert x["hash"] == hmac.new(key, bytes.fromhex(x["prev_hash"]) + bytes.fromhex(x["payload_hash"])
                                     + f"|{x['seq']}|{x['table']}|{x['row_id']}|{x['chained_at']}".encode(),
                                     "sha256").hexdigest()
    head = audit.head(open_db(db_path))
    assert manifest["chain"]["head_hash"] == head["hash"] and manifest["chain"]["head_seq"] == head["seq"]
    assert manifest["records"] == len(records) and manifest["verified"] is True and manifest["scope"] == "all"
    assert f"連鎖の先頭: 連番 {head['seq']}、ハッシュ {head['hash']}" in r.stderr
    assert "監査用の記録を書き出しました（標準出力、期間 2026-10-01 〜 2026-10-31、4 件）" in r.stderr


def test_everything_links_up_to_the_head(history, db_path, tmp_path):
    out = tmp_path / "all.jsonl"
    r = run_mamoru(["audit", "export", "--output", str(out)], db_path)
    assert r.returncode == 0 and r.stdout == "" and str(out) in r.stderr
    records, manifest = _jsonl(out.read_text(encoding="utf-8"))
    prev = "0" * 64
    for x in records:
        assert x["prev_hash"] == prev
        prev = x["hash"]
    assert prev == manifest["chain"]["head_hash"] and manifest["records"] == len(records) == 8


def test_csv_for_a_spreadsheet(history, db_path, tmp_path):
    out = tmp_path / "oct.csv"
    r = run_mamoru(["audit", "export", "--from", "2026-10-01", "--to", "2026-10-31", "--format", "csv",
                    "-o", str(out)], db_path)
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                       # BOM: Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["連番", "表", "行ID", "記録日時", "連鎖日時", "前のハッシュ", "内容のハッシュ", "ハッシュ", "内容"]
    body, summary = rows[1:-1], rows[-1]
    assert len(body) == 4 and summary[0] == "要約"
    assert summary[7] == audit.head(open_db(db_path))["hash"] == json.loads(summary[8])["chain"]["head_hash"]
    for row in body:
        assert hmac.new(_key(), f"row|{row[1]}|{row[2]}|{row[8]}".encode(), "sha256").hexdigest() == row[6]


def test_a_lead_gets_their_team_and_a_worker_their_own(history, db_path):
    r = run_mamoru(["audit", "export", "--as", "U_L"], db_path)
    assert r.returncode == 0, r.stderr
    records, manifest = _jsonl(r.stdout)
    users = {x["record"].get("user_id") for x in records}
    assert users == {"U_L", "U_A", "U_B"} and manifest["scope"] == "team"
    assert "作業責任者の方には、ご自身とチームの方の記録だけを表示しています" in r.stderr
    r = run_mamoru(["audit", "export", "--as", "U_A"], db_path)
    records, manifest = _jsonl(r.stdout)
    assert {x["record"]["user_id"] for x in records} == {"U_A"} and len(records) == 3 and manifest["scope"] == "self"


def test_a_broken_chain_still_exports_but_says_so(history, db_path):
    import sqlite3

    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("UPDATE people SET name = '別人' WHERE user_id = 'U_A'")
    conn.close()
    r = run_mamoru(["audit", "export", "--from", "2026-10-01", "--to", "2026-10-31"], db_path)
    assert r.returncode == 1
    _, manifest = _jsonl(r.stdout)
    assert manifest["verified"] is False and manifest["first_problem"]["table"] == "people"
    assert "記録の連鎖に問題が 1 件あります" in r.stderr


def test_bad_dates_are_explained(db_path):
    r = run_mamoru(["audit", "export", "--from", "2026-13-01"], db_path)
    assert r.returncode == 2 and "--from「2026-13-01」は日付として読めません" in r.stderr
