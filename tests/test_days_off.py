"""A worker's own days off said in words (handlers/days_off.py), and a forgotten checklist said in words
(handlers/checklist/missed.py), through the terminal chat (the same handlers as Slack): saved in the person's
record, honoured by the checklist notices, told to the lead; a past day is never filled in afterwards."""
from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from bot import chat
from handlers import capabilities, people, workdays
from handlers.checklist import due
from knowledge import library
from storage import people as pstore
from storage.db import open_db
from conftest import add_contracts

NOW = "2026-12-07T10:30:00+09:00"      # a Monday


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("MAMORU_NOW", NOW)
    monkeypatch.setenv("MAMORU_FILES_DIR", str(tmp_path / "files"))
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    add_contracts(d, "吉川市")
    for argv in (["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW", "--name", "作業一郎", "--contract", "吉川市", "--lead", "ULEAD",
                  "--start-date", "2026-11-02"]):
        status, reply = people.run_users(d, "cli", argv, "cli")
        assert status == 0, reply.text
    return d


def talk(db, user: str, *lines: str) -> str:
    out = io.StringIO()
    chat.run(db, user, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out)
    return out.getvalue()


def told(out: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for uid, text in re.findall(r"（.+?さん［(\w+)］への通知）\n(.+)", out):
        found.setdefault(uid, []).append(text)
    return found


def days_off(db) -> list[str]:
    return people.get_person(db, "UW")["days_off"]


def asked_on(db, day: str) -> set[str]:
    """Who the checklist notices would ask at 09:10 that day (sent at 09:00, due at 10:00)."""
    return {n.user_id for n in due.due(db, workdays.parse(f"{day}T09:10:00+09:00"))}


@pytest.mark.parametrize("said,day", [("明日休みます", "2026-12-08"), ("12/10 休みます", "2026-12-10"),
                                      ("来週の月曜は有給です", "2026-12-14"), ("明日お休みいただきます", "2026-12-08"),
                                      ("12月9日は休暇を取ります", "2026-12-09")])
def test_a_day_off_said_is_saved_told_to_the_lead_and_no_checklist_comes(db, said, day):
    assert "UW" in asked_on(db, day)
    out = talk(db, "UW", said)
    assert days_off(db) == [day]
    assert "をお休みとして登録しました" in out
    [note] = told(out)["ULEAD"]
    assert note.startswith("作業一郎さんが、") and workdays.format_date(day) in note
    assert "UW" not in asked_on(db, day) and "ULEAD" in asked_on(db, day)
    last = pstore.history(db, "UW")[-1]
    assert (last["actor"], last["via"], last["change"]) == ("UW", "terminal", "update")   # the worker's own change


def test_saying_it_twice_changes_nothing_and_tells_nobody_again(db):
    talk(db, "UW", "明日休みます")
    rows = len(pstore.history(db, "UW"))
    out = talk(db, "UW", "明日休みます")
    assert "すでにお休みとして登録されています" in out and not told(out)
    assert len(pstore.history(db, "UW")) == rows


def test_a_range_skips_the_weekend_and_a_half_day_is_not_a_day_off(db):
    out = talk(db, "UW", "12/24〜12/26 休みます")
    assert days_off(db) == ["2026-12-24", "2026-12-25"] and "2026年12月26日(土)は土曜日のため登録していません" in out
    out = talk(db, "UW", "明後日は午前休です")
    assert "半日のお休み" in out and days_off(db) == ["2026-12-24", "2026-12-25"]


@pytest.mark.parametrize("said,why", [("12/1 休みます", "過ぎた日のため"), ("12/12 休みます", "土曜日のため、もともとチェックリストはありません"),
                                      ("4/1 休みます", "92 日先まで")])
def test_a_past_far_or_closed_day_is_explained_and_nothing_saved(db, said, why):
    out = talk(db, "UW", said)
    assert why in out and days_off(db) == [] and not told(out)


def test_undo_and_list(db):
    talk(db, "UW", "明日休みます", "12/10 休みます")
    out = talk(db, "UW", "休みの予定")
    assert "2026年12月8日(火)、2026年12月10日(木)" in out
    out = talk(db, "UW", "明日やっぱり出勤します")
    assert days_off(db) == ["2026-12-10"] and "取り消しました" in out
    assert "取り消しました" in told(out)["ULEAD"][0]
    assert "UW" in asked_on(db, "2026-12-08")
    out = talk(db, "UW", "12/10の休み取り消し")
    assert days_off(db) == []


def test_someone_not_registered_is_told_how_to_register(db):
    out = talk(db, "UNEW", "明日休みます")
    assert "登録された方だけ" in out


@pytest.mark.parametrize("said", ["明日休みますがチェックリストは必要ですか？", "休みの日に作業していい？", "有給中にメール見ていい？",
                                  "明日休むけどPC持ち帰っていい？"])
def test_a_question_about_a_day_off_is_a_rule_question(said):
    assert capabilities.understand(said) is None


# ---- a forgotten checklist ----------------------------------------------------------------------

def test_forgotten_today_opens_todays_checklist(db):
    for said in ("チェックリストまだ出してない", "チェックリスト出し忘れてた", "チェック忘れてました"):
        out = talk(db, "UW", said)
        assert "始業時のチェックリストです（2026年12月7日(月)）" in out, said


def test_a_past_day_is_never_filled_in_and_says_so(db):
    before = db.execute("SELECT COUNT(*) FROM checklist_confirmations").fetchone()[0]
    out = talk(db, "UW", "金曜の終業チェック出してなかった")
    assert "2026年12月4日(金)の終業時のチェックリストは、後から回答を記録することはできません" in out
    assert "始業時のチェックリストです（2026年12月7日(月)）" in out          # and today's is shown
    out = talk(db, "UW", "昨日の分のチェック忘れてた")
    assert "2026年12月6日(日)は日曜日です。その日に回答するチェックリストはありません" in out
    assert db.execute("SELECT COUNT(*) FROM checklist_confirmations").fetchone()[0] == before


def test_a_past_day_before_the_start_or_on_a_day_off(db):
    out = talk(db, "UW", "10/30のチェックリスト出し忘れた")
    assert "作業開始日（2026年11月2日(月)）より前です" in out
    status, reply = people.run_users(db, "cli", ["add", "UW", "--days-off", "2026-12-04"], "cli")
    assert status == 0, reply.text
    out = talk(db, "UW", "金曜のチェックリスト出し忘れた")
    assert "2026年12月4日(金)はお休みの日として登録されています" in out


def test_the_leads_question_stays_the_teams(db):
    assert capabilities.understand("チェックリスト出してない人いる？").name == "team"


def test_said_in_the_middle_of_a_report_it_is_saved_and_the_report_waits(db):
    from handlers.incident import draft

    talk(db, "UW", "インシデント報告")
    talk(db, "UW", "明日休みます")
    assert days_off(db) == ["2026-12-08"]
    assert not draft.load(db, draft.open_draft(db, "UW")["id"]).answers
