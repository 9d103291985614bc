"""Access: a worker sees their own records, a lead their team's, the officer and admins all; each
refusal is explained in Japanese, cites its rule, and is itself a chained record."""
from __future__ import annotations

import datetime as _dt
import json

import pytest
from conftest import run_mamoru

from handlers import access, audit as haudit, people
from storage import audit, kb
from storage.db import open_db

NOW = _dt.datetime.fromisoformat("2026-10-05T10:00:00+09:00")


@pytest.fixture
def team(db_path):
    from knowledge import library

    db = open_db(db_path)
    library.ensure_builtin(db)
    for argv in (
        ["contract", "吉川市", "--doc", "yoshikawa"],
        ["contract", "保全", "--doc", "hozen"],
        ["add", "U_ADMIN", "--name", "管理者", "--role", "admin"],
        ["add", "U_OFF", "--name", "高橋誠", "--role", "officer", "--contract", "吉川市"],
        ["add", "U_L1", "--name", "鈴木一郎", "--role", "lead", "--contract", "吉川市"],
        ["add", "U_L2", "--name", "伊藤二郎", "--role", "lead", "--contract", "保全"],
        ["add", "U_A", "--name", "山田太郎", "--contract", "吉川市", "--lead", "U_L1"],
        ["add", "U_B", "--name", "佐藤花子", "--contract", "吉川市", "--lead", "U_L1"],
        ["add", "U_C", "--name", "田中三郎", "--contract", "保全", "--lead", "U_L2"],
    ):
        status, reply = people.run_users(db, "cli", argv, "cli", now=NOW)
        assert status == 0, reply.text
    people.run_users(db, "cli", ["remove", "U_B"], "cli", now=NOW)   # a past team member stays the team's
    return db


def test_the_clauses_cited_exist(kb_db):
    from knowledge import oversight

    assert oversight.names() == ["access", "audit", "deletion", "roster"]
    for name in oversight.names():
        assert oversight.clauses(name), name
        for cid in oversight.clauses(name):
            assert kb.clause(kb_db, cid) is not None, (name, cid)
    assert access.ACCESS_CLAUSES == oversight.clauses("access") and haudit.AUDIT_CLAUSES == oversight.clauses("audit")


def test_scopes(team):
    db = team
    assert access.scope(db, "cli").everyone and access.scope(db, "U_OFF").everyone
    assert access.scope(db, "U_ADMIN").everyone
    assert access.scope(db, "U_L1").members == {"U_L1", "U_A", "U_B"}
    assert access.scope(db, "U_A").members == {"U_A"}
    assert access.scope(db, "U_NOBODY").role is None and not access.scope(db, "U_NOBODY").members
    assert access.can_see(db, "U_L1", "U_A") and not access.can_see(db, "U_L1", "U_C")
    assert access.can_see(db, "U_A", "U_A") and not access.can_see(db, "U_A", "U_B")
    rows = [{"user_id": u} for u in ("U_A", "U_B", "U_C", "U_L1")]
    assert [r["user_id"] for r in access.visible(db, "U_L1", rows)] == ["U_A", "U_B", "U_L1"]
    assert [r["user_id"] for r in access.visible(db, "U_A", rows)] == ["U_A"]
    assert len(access.visible(db, "U_OFF", rows)) == 4
    recs = [{"asker_id": "U_C", "assignee_id": "U_L2"}, {"responder_id": "U_L1"}, {"actor": "cli"}]
    assert access.visible(db, "U_L1", recs, key=None) == [{"responder_id": "U_L1"}]


def test_allowed_requests_record_nothing(team):
    db = team
    assert access.require(db, "U_A", what="研修の記録", via="slack_dm", subject_id="U_A") is None
    assert access.require(db, "U_L1", what="研修の記録", via="slack_dm", subject_id="U_B", need="team") is None
    assert access.require(db, "U_OFF", what="監査用の書き出し", via="slack_dm", need="all") is None
    assert access.require(db, "cli", what="監査用の書き出し", via="cli", need="all", subject_id="U_C") is None
    assert audit.refusals(db) == []


@pytest.mark.parametrize("viewer, kw, reason, phrase", [
    ("U_A", {"subject_id": "U_B"}, "not_self", "作業従事者の方がご覧いただけるのは、ご自身の記録だけです"),
    ("U_L1", {"subject_id": "U_C"}, "not_team", "ご自身のチームの方の記録です"),
    ("U_A", {"need": "team"}, "needs_team", "作業責任者・情報セキュリティ対策責任者・管理者の方だけ"),
    ("U_L1", {"need": "all"}, "needs_all", "情報セキュリティ対策責任者と管理者の方だけ"),
    ("U_NOBODY", {}, "unregistered", "mamoru に登録された方だけ"),
])
def test_each_refusal_is_explained_cited_and_recorded(team, viewer, kw, reason, phrase):
    db = team
    reply = access.require(db, viewer, what="チェックリストの記録", via="slack_command", now=NOW, **kw)
    assert reply is not None and reply.ephemeral
    assert phrase in reply.text and "このお断りは記録されました" in reply.text
    assert reply.text.startswith("申し訳ありませんが、")
    if reason != "unregistered":
        assert "（根拠: 吉川市 情報セキュリティ特記仕様書 第11条第1項第10号ア）" in reply.text
    if "subject_id" in kw:   # a refusal names nobody: neither the person asked about nor their id
        assert "ご指定の方のチェックリストの記録はご覧いただけません" in reply.text
        assert kw["subject_id"] not in reply.text and "さん（" not in reply.text
    [row] = audit.refusals(db)
    assert (row["viewer_id"], row["subject_id"], row["what"], row["reason"], row["via"], row["at"]) == (
        viewer, kw.get("subject_id"), "チェックリストの記録", reason, "slack_command", "2026-10-05T10:00:00+09:00")
    chained = db.execute("SELECT row_id, hash FROM audit_chain WHERE table_name = 'access_refusals'").fetchone()
    assert chained[0] == row["id"] and chained[1]   # chained and sealed at once


def test_a_lead_on_another_contract_gets_that_contracts_clause(team):
    reply = access.require(team, "U_L2", what="名簿", via="terminal", subject_id="U_A")
    assert "根拠: セキュリティ保全に係る事項 4 外部委託する業務以外の情報資産の保全" in reply.text


def test_refusals_through_the_command_line_are_recorded(team, db_path):
    r = run_mamoru(["roster", "changes", "--contract", "吉川市", "--as", "U_A"], db_path)
    assert r.returncode == 1 and "名簿の変更履歴は作業責任者・情報セキュリティ対策責任者・管理者の方だけ" in r.stderr
    r = run_mamoru(["audit", "export", "--as", "U_NOBODY"], db_path)
    assert r.returncode == 1 and "mamoru に登録された方だけ" in r.stderr and r.stdout == ""
    rows = audit.refusals(open_db(db_path))
    assert [(x["viewer_id"], x["reason"], x["via"]) for x in rows] == [
        ("U_A", "needs_team", "cli"), ("U_NOBODY", "unregistered", "cli")]
    r = run_mamoru(["audit", "verify"], db_path)
    assert r.returncode == 0, r.stderr
