"""A day typed without its year, read towards the past (an incident, a forgotten checklist), is the most
recent such day — except when that is nearly a year back and this year's is only days ahead. 「12/4」 typed
on 12/1 was taken as 2025-12-04 (362 days ago); a day a few days ahead is a typo or a misunderstanding far
more often, so the worker is asked again and the report's draft stays as it was. Across the new year the
near past wins: 「12/30」 typed on 1/2 is three days ago, without a question. One reader
(handlers.said_dates) serves the incident times, the days off and the forgotten checklist.

Real parts: a real SQLite file with the shipped documents, the real conversation handlers; the clock
fixed with MAMORU_NOW.
"""
from __future__ import annotations

import datetime as dt

import pytest

from conftest import add_contracts
from handlers import conversation, people, said_dates, workdays
from handlers.incident import dates, draft
from knowledge import library
from storage.db import open_db

DEC1 = dt.datetime(2026, 12, 1, 10, 40, tzinfo=workdays.JST)     # a Tuesday
JAN2 = dt.datetime(2027, 1, 2, 9, 0, tzinfo=workdays.JST)


# ---------------------------------------------------------------- the one reader


@pytest.mark.parametrize("typed", ["12/4", "12月4日", "12/4 15:00", "１２／４　１５時", "十二月四日", "12/20"])
def test_a_day_only_days_ahead_is_asked_again_not_read_as_last_year(typed):
    with pytest.raises(dates.NotYet, match="今日より後の日付です") as e:
        dates.parse(typed, DEC1)
    assert e.value.past.year == 2025 and e.value.day.year == 2026
    assert "「2025/12/" in str(e.value)                       # how to say last year's, if that is what was meant


@pytest.mark.parametrize("typed, shown", [
    ("12/30", "2026年12月30日(水)（時刻不明）"),                 # typed on 1/2: three days ago, no question
    ("12/30 18時", "2026年12月30日(水) 18:00"),
    ("12月31日", "2026年12月31日(木)（時刻不明）"),
    ("1/1", "2027年1月1日(金)（時刻不明）"),
])
def test_across_the_new_year_the_near_past_is_taken_without_asking(typed, shown):
    assert dates.parse(typed, JAN2).display() == shown


def test_a_day_far_enough_ahead_is_still_last_years_and_an_explicit_year_is_kept():
    assert dates.parse("1/20", DEC1).display() == "2026年1月20日(火)（時刻不明）"    # 315 days back, 50 ahead
    assert dates.parse("11/30", DEC1).display() == "2026年11月30日(月)（時刻不明）"
    assert dates.parse("2025/12/4", DEC1).display() == "2025年12月4日(木)（時刻不明）"
    with pytest.raises(dates.Unreadable, match="未来"):
        dates.parse("2026/12/4", DEC1)


def test_the_reader_is_shared_behind_asks_ahead_plans():
    today = DEC1.date()
    with pytest.raises(said_dates.NotYet):
        said_dates.days("12/4", today, ahead=False)
    assert said_dates.days("12/4", today, ahead=True) == [dt.date(2026, 12, 4)]      # a day off being planned
    assert said_dates.days("12/30", JAN2.date(), ahead=False) == [dt.date(2026, 12, 30)]
    assert said_dates.days("11/28", today, ahead=False) == [dt.date(2026, 11, 28)]


# ---------------------------------------------------------------- in the conversation


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("MAMORU_NOW", DEC1.isoformat())
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    add_contracts(d, "吉川市")
    for argv in (["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]):
        status, reply = people.run_users(d, "cli", argv, "cli")
        assert status == 0, reply.text
    return d


def say(db, text, who="UW"):
    return conversation.message(db, who, text, "terminal")


def text_of(turn) -> str:
    return "\n".join(r.text for r in turn.replies)


def test_the_incident_report_asks_again_and_keeps_the_draft(db):
    say(db, "インシデント報告")
    say(db, "その他")
    sid = draft.open_draft(db, "UW")["id"]
    before = draft.load(db, sid)
    assert before.cursor == "occurred_at" and set(before.answers) == {"type"}
    turn = say(db, "12/4")
    shown = text_of(turn)
    assert "12月4日は今日より後の日付です。発生日時をもう一度教えてください" in shown
    assert "2025年12月4日(木)" not in shown and "と理解しました" not in shown
    after = draft.load(db, sid)
    assert after.cursor == "occurred_at" and after.answers == before.answers and not after.pending
    assert "質問 2/" in turn.replies[-1].text                       # the same question, shown again
    turn = say(db, "11/30 15時")
    assert "「2026年11月30日(月) 15:00」と理解しました" in text_of(turn)


def test_while_a_time_waits_for_confirmation_a_near_future_day_is_asked_again_too(db):
    say(db, "インシデント報告")
    say(db, "その他")
    say(db, "今日9時")
    sid = draft.open_draft(db, "UW")["id"]
    pending = draft.load(db, sid).pending
    assert pending and pending[0] == "occurred_at"
    turn = say(db, "12/3 9時")
    assert "12月3日は今日より後の日付です" in text_of(turn)
    assert draft.load(db, sid).pending == pending and "occurred_at" not in draft.load(db, sid).answers


def test_a_forgotten_checklist_on_a_day_only_days_ahead_is_asked_again(db):
    turn = say(db, "12/4のチェックリスト出してない")
    shown = text_of(turn)
    assert "12月4日は今日（12月1日）より後の日付です" in shown and "2025年12月4日" in shown
    assert "2025年12月4日(木)の" not in shown                        # not last year's state
