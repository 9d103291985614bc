"""The checklist and training records asked for in words (handlers/report/records.py): the export's workbook,
with only the people the asker may see, to the asker's own DM; workers refused and the refusal recorded; a
question about keeping records stays a rule question."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from handlers import capabilities, conversation, people
from handlers.checklist import content, core
from knowledge import library
from storage.db import open_db
from conftest import add_contracts

NOW = "2026-12-07T10:30:00+09:00"      # a Monday


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("MAMORU_NOW", NOW)
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    add_contracts(d, "吉川市")
    for argv in (["add", "UOFF", "--name", "対策三郎", "--role", "officer"],
                 ["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "ULEAD2", "--name", "別班次郎", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW1", "--name", "山田太郎", "--contract", "吉川市", "--lead", "ULEAD",
                  "--start-date", "2026-12-01"],
                 ["add", "UW3", "--name", "佐藤一郎", "--contract", "吉川市", "--lead", "ULEAD2",
                  "--start-date", "2026-12-01"]):
        status, reply = people.run_users(d, "cli", argv, "cli")
        assert status == 0, reply.text
    start = content.get("start")
    for uid in ("UW1", "UW3"):      # today's start-of-day checklist, confirmed by both
        core.answer_all(d, uid, core.value(start.id, "2026-12-07"), "slack_button")
    return d


def _sheets(turn) -> dict[str, list[tuple]]:
    [out] = [o for o in turn.outgoing if o.file]
    wb = load_workbook(io.BytesIO(out.file.content))
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def _user_ids(rows: list[tuple]) -> set[str]:
    header = rows[0]
    i = header.index("利用者ID")
    return {r[i] for r in rows[1:] if r[i]}


@pytest.mark.parametrize("said", ["今月のチェックリストの記録をエクセルでほしい", "チェックリストの記録", "吉川市 12/1 12/7 のチェックリストの記録"])
def test_the_officer_gets_everyones_checklist_records_in_their_own_dm(db, said):
    turn = conversation.message(db, "UOFF", said, "slack_dm")
    [out] = turn.outgoing
    assert out.user_id == "UOFF" and out.file.filename.endswith(".xlsx")
    sheets = _sheets(turn)
    assert _user_ids(sheets["記録"]) == {"UW1", "UW3"}
    assert "案件「吉川市」のチェックリストの記録" in turn.replies[0].text and "6 件、2 名" in turn.replies[0].text
    # 3 items each; the two leads, registered at 10:30, owe only today's 終業時, not due before 18:00


def test_a_lead_gets_their_team_only(db):
    turn = conversation.message(db, "ULEAD", "今月のチェックリストの記録を出して", "slack_dm")
    assert _user_ids(_sheets(turn)["記録"]) == {"UW1"}
    assert "ご自身とチームの方の記録だけ" in turn.replies[0].text


def test_a_worker_is_refused_and_the_refusal_recorded(db):
    turn = conversation.message(db, "UW1", "研修の記録を出して", "slack_dm")
    assert not turn.outgoing and "ご利用いただけます" in turn.replies[0].text
    assert db.execute("SELECT COUNT(*) FROM access_refusals WHERE viewer_id = 'UW1'").fetchone()[0] == 1


def test_the_training_records_are_the_exports_columns(db):
    from handlers.training import views

    turn = conversation.message(db, "UOFF", "研修の記録を出して", "slack_dm")
    assert list(_sheets(turn)["研修の記録"][0]) == views.COLUMNS


def test_a_leads_training_records_assign_only_the_training_of_the_people_they_see(db):
    """No notices pass has run: the lead's workbook lists themselves and their team with the training
    they owe (assigned first, as the lead who asked), and nobody outside the team is assigned by it."""
    from storage import training as tstore

    turn = conversation.message(db, "ULEAD", "研修の記録を出して", "slack_dm")
    assert _user_ids(_sheets(turn)["研修の記録"]) == {"ULEAD", "UW1"}
    assert "まだ割り当てられていなかった研修 2 件" in turn.replies[0].text
    assert [(a["user_id"], a["actor"], a["via"]) for a in tstore.assignments(db)] == [
        ("ULEAD", "ULEAD", "slack_dm"), ("UW1", "ULEAD", "slack_dm")]


@pytest.mark.parametrize("said", ["チェックリストの記録は何年保存？", "研修の記録って残さなきゃダメ？"])
def test_a_question_about_keeping_records_is_a_rule_question(said):
    assert capabilities.understand(said) is None
