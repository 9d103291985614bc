"""「チェックリストまだ出してない」「チェック忘れてました」 open today's checklist; 「昨日のチェックリスト出し忘れた」
「金曜の終業チェック出してなかった」 name a past day, which is not filled in afterwards (the records are the
evidence of that day's confirmation): the reply says which day, that it stays 未提出, and exactly what was
sent when it went overdue — read from the notice log. All of these fell through to the rule search.

Real parts: a real SQLite file with the shipped documents, the real handlers and notices pass
(delivered with handlers.notices.deliver), the clock fixed with MAMORU_NOW.
"""
from __future__ import annotations


import pytest

from conftest import add_contracts
from handlers import capabilities, conversation, notices, people, workdays
from knowledge import library
from storage.db import open_db

D = "2026-12-01"      # a Tuesday
REGISTERED = "2026-11-02T09:00:00+09:00"     # everyone registered before the days the tests look back on


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.delenv("MAMORU_NOW", raising=False)
    d = open_db(tmp_path / "m.db")
    library.ensure_builtin(d)
    add_contracts(d, "吉川市", at=REGISTERED)
    for argv in (["add", "UOFF", "--name", "対策三郎", "--role", "officer"],
                 ["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW1", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"],
                 ["add", "UW2", "--name", "作業二郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD",
                  "--days-off", "2026-12-03"]):
        status, reply = people.run_users(d, "cli", argv, "cli", now=workdays.parse(REGISTERED))
        assert status == 0, reply.text
    return d


def at(monkeypatch, when: str):
    monkeypatch.setenv("MAMORU_NOW", when)
    return workdays.parse(when)


def send_pass(db, now) -> list:
    box = []
    notices.deliver(db, notices.run_pass(db, now), lambda o: box.append(o) or True, now=now)
    return box


def say(db, who, text):
    turn = conversation.message(db, who, text, "terminal")
    return turn, "\n".join(r.text for r in turn.replies)


def confirmations(db, work_date: str) -> int:
    return db.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE work_date = ?", [work_date]).fetchone()[0]


@pytest.mark.parametrize("said", ["チェックリストまだ出してない", "今日のチェックリストまだやってない", "チェックリスト出し忘れてた",
                                  "チェック忘れてました"])
def test_today_not_done_yet_opens_todays_checklist(db, monkeypatch, said):
    at(monkeypatch, f"{D}T09:30:00+09:00")
    turn, text = say(db, "UW1", said)
    assert turn.answer is None and "見つかりませんでした" not in text
    assert f"始業時のチェックリストです（{workdays.format_date(D)}）" in text
    assert any(b.action == "checklist_yes" for r in turn.replies for b in r.buttons)


def test_a_leads_question_who_has_not_done_it_stays_the_team_view(db, monkeypatch):
    at(monkeypatch, f"{D}T09:30:00+09:00")
    assert capabilities.understand("チェックリスト出してない人いる？").name == "team"
    _, text = say(db, "ULEAD", "チェックリスト出してない人いる？")
    assert "あなたのチームのチェックリストの状況です" in text and "作業一郎さん" in text


def test_yesterday_forgotten_is_not_back_filled_and_says_who_was_told(db, monkeypatch):
    # 1 December: the DM at 09:00, the reminder after the 10:00 deadline, the lead's digest at 10:30 — all sent
    for hm in ("09:00", "10:01", "10:31"):
        send_pass(db, at(monkeypatch, f"{D}T{hm}:00+09:00"))
    before = confirmations(db, D)
    at(monkeypatch, "2026-12-02T09:30:00+09:00")
    turn, text = say(db, "UW1", "昨日のチェックリスト出し忘れた")
    assert "2026年12月1日(火)の始業時のチェックリストは、未回答の項目" in text
    assert "後から記録することはできません" in text and "「未提出」のまま残ります" in text
    # the digest that was sent (the lead's; the officer's names UW1 only under 研修の期限超過: see below)
    assert "責任花子さんに未確認としてお知らせ済みです（2026年12月1日(火)" in text
    assert "ご本人あてにリマインドをお送りしています" in text
    # the 終業時 checklist of that day went overdue with no notice sent (no pass ran in the evening): said so
    end = text.split("終業時のチェックリストは", 1)[1]
    assert "作業責任者への未確認のお知らせは送られていません" in end and "お知らせ済み" not in end
    assert confirmations(db, D) == before == 0                                        # nothing recorded for that day
    assert "始業時のチェックリストです（2026年12月2日(水)）" in text                  # then today's, open now
    assert turn.outgoing == []


def test_a_digest_naming_the_person_only_for_training_is_not_a_checklist_notice(db, monkeypatch):
    """Registered 11/2 and never trained, UW1 is overdue (deadline 11/9) on 12/1: the officer's 10:30
    digest lists UW1 under 研修の期限超過, and only ULEAD under the 始業時 checklist."""
    for hm in ("09:00", "10:01", "10:31"):
        send_pass(db, at(monkeypatch, f"{D}T{hm}:00+09:00"))
    at(monkeypatch, "2026-12-02T09:30:00+09:00")
    _, text = say(db, "UW1", "昨日のチェックリスト出し忘れた")
    assert "責任花子さんに未確認としてお知らせ済みです（2026年12月1日(火)" in text


def test_a_past_day_with_no_notice_sent_does_not_claim_one(db, monkeypatch):
    at(monkeypatch, "2026-12-02T09:30:00+09:00")
    _, text = say(db, "UW1", "昨日の分のチェック忘れてた")
    assert "2026年12月1日(火)" in text and "後から記録することはできません" in text
    assert "お知らせ済み" not in text and "リマインドをお送りしています" not in text
    assert text.count("作業責任者への未確認のお知らせは送られていません") == 2


def test_friday_end_of_day_said_on_monday_names_that_checklist_only(db, monkeypatch):
    send_pass(db, at(monkeypatch, "2026-12-04T18:31:00+09:00"))     # Friday evening: 終業時 overdue, digest sent
    at(monkeypatch, "2026-12-07T08:00:00+09:00")                     # Monday, before today's checklist
    turn, text = say(db, "UW1", "金曜の終業チェック出してなかった")
    assert "2026年12月4日(金)の終業時のチェックリストは、未回答の項目" in text and "始業時" not in text
    assert "責任花子さんに未確認としてお知らせ済みです" in text
    assert not any(b.action == "checklist_yes" for r in turn.replies for b in r.buttons)   # nothing open yet today


def test_the_day_answered_in_full_is_said_to_be_in_order(db, monkeypatch):
    at(monkeypatch, f"{D}T09:10:00+09:00")
    from handlers.checklist import core

    core.answer_all(db, "UW1", core.value("start", D), "terminal")
    at(monkeypatch, "2026-12-02T12:00:00+09:00")
    _, text = say(db, "UW1", "昨日の始業チェック忘れてた")
    assert "2026年12月1日(火)の始業時のチェックリストは、すべて回答済みです" in text and "未提出" not in text


@pytest.mark.parametrize("when,said,why", [
    ("2026-12-07T09:30:00+09:00", "土曜のチェック忘れてた", "2026年12月5日(土)は土曜日です"),
    ("2026-11-24T09:30:00+09:00", "昨日のチェックリスト出し忘れた", "2026年11月23日(月)は勤労感謝の日です"),
])
def test_a_day_with_no_checklist_due_is_said_to_be_one(db, monkeypatch, when, said, why):
    at(monkeypatch, when)
    _, text = say(db, "UW1", said)
    assert why in text and "定時のチェックリストはありませんでした" in text
    assert "未提出」のまま" not in text and "お知らせ済み" not in text


def test_the_persons_own_day_off_is_said_and_nothing_is_claimed(db, monkeypatch):
    send_pass(db, at(monkeypatch, "2026-12-03T10:31:00+09:00"))      # UW2's day off: no digest names them
    at(monkeypatch, "2026-12-04T09:30:00+09:00")
    _, text = say(db, "UW2", "昨日のチェックリスト出し忘れた")
    assert "2026年12月3日(木)はお休みの日として登録されています" in text and "お知らせ済み" not in text


def test_a_day_before_the_person_was_registered_owes_nothing(db, monkeypatch):
    status, reply = people.run_users(db, "cli", ["add", "UNEW", "--name", "新人四郎", "--contract", "吉川市", "--lead", "ULEAD"],
                                     "cli", now=workdays.parse("2026-12-01T12:00:00+09:00"))
    assert status == 0, reply.text
    at(monkeypatch, "2026-12-02T09:30:00+09:00")
    _, text = say(db, "UNEW", "昨日の始業チェック忘れてた")
    assert "まだ mamoru に登録される前でした" in text and "未提出」のまま" not in text
